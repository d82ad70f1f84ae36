/* Helpers shared by the language catalogers: adding a package found in a file, loading a
 * JSON manifest with a warning naming the file when it is malformed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

int cat_lang_pkg(struct sbom_pkg **out, struct sbom_doc *doc, enum sbom_pkg_type t,
                 const char *name, size_t name_len, const char *version, size_t version_len,
                 const char *location, struct vouch_error *err)
{
    struct sbom_pkg *p;
    int rc = doc_pkg_add(&p, doc, t, err);
    rc = rc ? rc : util_set(&p->name, name, name_len, err);
    if (rc == 0 && version != NULL && version_len != 0 && version[0] != '\0') {
        rc = util_set(&p->version, version, version_len, err);
    }
    rc = rc ? rc : strv_push(&p->locations, location, (size_t)-1, err);
    if (rc != 0) {
        doc_pkg_drop_last(doc);
        return rc;
    }
    *out = p;
    return 0;
}

json_t *cat_json(struct sbom_doc *doc, const char *cat, const char *path, const unsigned char *data,
                 size_t len)
{
    json_error_t je;
    json_t *j = vouch_json_load((const char *)data, len, 0, &je);
    if (j == NULL) {
        doc_warn(doc, "%s: '%s': not JSON (line %d: %s), skipped", cat, path, je.line, je.text);
    } else if (!json_is_object(j) && !json_is_array(j)) {
        doc_warn(doc, "%s: '%s': not a JSON object, skipped", cat, path);
        json_decref(j);
        j = NULL;
    }
    return j;
}

const char *cat_json_str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s != NULL && s[0] != '\0' ? s : NULL;
}

int cat_dep(struct sbom_pkg *p, const char *name, const char *version, struct vouch_error *err)
{
    char dep[1024];
    int n = snprintf(dep, sizeof(dep), "%s@%s", name, version != NULL ? version : "");
    if (version == NULL || n <= 0 || (size_t)n >= sizeof(dep)) {
        return 0; /* no exact version (or absurdly long): not an edge */
    }
    return strv_add_unique(&p->depends, dep, (size_t)n, err);
}

static int name_cmp(const void *a, const void *b)
{
    const struct sbom_pkg *x = *(struct sbom_pkg *const *)a, *y = *(struct sbom_pkg *const *)b;
    return strcmp(x->name, y->name);
}

int cat_lang_resolve(struct sbom_doc *doc, size_t first, struct vouch_error *err)
{
    size_t n = doc->npkgs - first;
    struct sbom_pkg **idx;
    if (n == 0) {
        return 0;
    }
    if ((idx = malloc(n * sizeof(*idx))) == NULL) {
        return vouch_enomem(err);
    }
    memcpy(idx, doc->pkgs + first, n * sizeof(*idx));
    qsort(idx, n, sizeof(*idx), name_cmp);
    for (size_t i = 0; i < n; i++) {
        struct strv *d = &idx[i]->depends;
        for (size_t k = 0; k < d->n; k++) {
            struct sbom_pkg key = {.name = d->v[k]}, *kp = &key, **hit;
            char *at = NULL;
            if (strchr(d->v[k], '@') != NULL) {
                continue;
            }
            hit = bsearch(&kp, idx, n, sizeof(*idx), name_cmp);
            while (hit != NULL && hit > idx && strcmp(hit[-1]->name, d->v[k]) == 0) {
                hit--;
            }
            if (hit != NULL && (hit + 1 == idx + n || strcmp(hit[1]->name, d->v[k]) != 0) &&
                hit[0]->version != NULL) {
                size_t sz = strlen(d->v[k]) + strlen(hit[0]->version) + 2;
                if ((at = malloc(sz)) == NULL) {
                    free(idx);
                    return vouch_enomem(err);
                }
                snprintf(at, sz, "%s@%s", d->v[k], hit[0]->version);
            }
            free(d->v[k]);
            d->v[k] = at; /* NULL: ambiguous or unknown, dropped below */
        }
        size_t w = 0;
        for (size_t k = 0; k < d->n; k++) {
            if (d->v[k] != NULL) {
                d->v[w++] = d->v[k];
            }
        }
        d->n = w;
    }
    free(idx);
    return 0;
}
