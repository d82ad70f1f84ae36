/* Node's module resolution (nodejs.org/api/modules.html, "loading from node_modules
 * folders") over the packages one npm cataloger found: a dependency of the package in D
 * is D/node_modules/NAME, else the same under each ancestor of D that is not itself a
 * node_modules folder. Shared by installed trees and package-lock.json (whose keys are
 * the same paths). */
#include <stdlib.h>
#include <string.h>

#include "cat_npm_internal.h"
#include "vouch/mem.h"

int npm_tree_add(struct npm_node **out, struct npm_tree *t, const struct sbom_doc *doc,
                 const char *dir, size_t dir_len, struct vouch_error *err)
{
    struct npm_node *n;
    if (vouch_grow(&t->v, t->n, &t->cap, sizeof(*t->v), 64, err) != 0) {
        return VOUCH_ENOMEM;
    }
    n = &t->v[t->n];
    memset(n, 0, sizeof(*n));
    if ((n->dir = util_strndup(dir, dir_len)) == NULL) {
        return vouch_enomem(err);
    }
    n->pkg = doc->npkgs - 1;
    t->n++;
    *out = n;
    return 0;
}

static int node_cmp(const void *a, const void *b)
{
    return strcmp(((const struct npm_node *)a)->dir, ((const struct npm_node *)b)->dir);
}

static const struct npm_node *lookup(const struct npm_tree *t, const char *dir)
{
    struct npm_node key = {.dir = (char *)dir};
    return bsearch(&key, t->v, t->n, sizeof(*t->v), node_cmp);
}

/* The node NAME resolves to from directory dir, or NULL. */
static const struct npm_node *resolve(const struct npm_tree *t, const char *dir, const char *name)
{
    char cand[CAT_PATH_MAX];
    size_t len = strlen(dir);
    for (;;) {
        const char *base = dir;
        for (size_t i = len; i > 0; i--) {
            if (dir[i - 1] == '/') {
                base = dir + i;
                break;
            }
        }
        size_t blen = (size_t)(dir + len - base);
        if (!(blen == 12 && memcmp(base, "node_modules", 12) == 0)) {
            int m = snprintf(cand, sizeof(cand), "%.*s%snode_modules/%s", (int)len, dir,
                             len > 0 ? "/" : "", name);
            const struct npm_node *hit;
            if (m > 0 && (size_t)m < sizeof(cand) && (hit = lookup(t, cand)) != NULL) {
                return hit;
            }
        }
        if (len == 0) {
            return NULL;
        }
        len = base > dir ? (size_t)(base - dir) - 1 : 0;
    }
}

int npm_tree_link(struct npm_tree *t, struct sbom_doc *doc, struct vouch_error *err)
{
    if (t->n > 1) {
        qsort(t->v, t->n, sizeof(*t->v), node_cmp);
    }
    for (size_t i = 0; i < t->n; i++) {
        struct sbom_pkg *k = doc->pkgs[t->v[i].pkg];
        for (size_t d = 0; d < t->v[i].deps.n; d++) {
            const struct npm_node *to = resolve(t, t->v[i].dir, t->v[i].deps.v[d]);
            const struct sbom_pkg *q = to != NULL ? doc->pkgs[to->pkg] : NULL;
            char dep[1200];
            int m;
            if (q == NULL || q->version == NULL) {
                continue; /* optional or peer dependency that is not installed */
            }
            m = snprintf(dep, sizeof(dep), "%s@%s", q->name, q->version);
            if (m > 0 && (size_t)m < sizeof(dep) &&
                strv_add_unique(&k->depends, dep, (size_t)m, err) != 0) {
                return VOUCH_ENOMEM;
            }
        }
    }
    return 0;
}

void npm_tree_release(struct npm_tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].dir);
        strv_release(&t->v[i].deps);
    }
    free(t->v);
    memset(t, 0, sizeof(*t));
}

static int add_license(struct sbom_pkg *k, json_t *v, struct vouch_error *err)
{
    const char *s = json_string_value(v);
    if (s == NULL && json_is_object(v)) { /* legacy {"type": "MIT", "url": ...} */
        s = json_string_value(json_object_get(v, "type"));
    }
    return s != NULL && s[0] != '\0' ? strv_add_unique(&k->licenses, s, (size_t)-1, err) : 0;
}

int npm_fill(struct sbom_pkg *k, struct npm_node *node, json_t *obj, struct vouch_error *err)
{
    static const char *const dep_keys[] = {"dependencies", "optionalDependencies",
                                           "peerDependencies"};
    json_t *lic = json_object_get(obj, "license"), *v;
    size_t i;
    int rc = add_license(k, lic, err);
    json_array_foreach(json_object_get(obj, "licenses"), i, v)
    {
        rc = rc ? rc : add_license(k, v, err);
    }
    for (i = 0; rc == 0 && node != NULL && i < sizeof(dep_keys) / sizeof(dep_keys[0]); i++) {
        const char *name;
        json_object_foreach(json_object_get(obj, dep_keys[i]), name, v)
        {
            if (rc == 0 && name[0] != '\0' && strchr(name, '/') == strrchr(name, '/')) {
                rc = strv_add_unique(&node->deps, name, (size_t)-1, err);
            }
        }
    }
    return rc;
}
