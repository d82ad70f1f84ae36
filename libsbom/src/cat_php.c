/* PHP Composer: vendor/composer/installed.json (Composer 1: an array; Composer 2:
 * {"packages": [...]}) wherever it is installed, and composer.lock (`packages` and
 * `packages-dev`) for dir: sources. Names are "vendor/name" (the purl splits them);
 * `require` entries that are packages of the same file become edges. */
#include <string.h>

#include "cat_internal.h"

#define CAP ((size_t)64 << 20)

static const struct want_rule rules[] = {
    {"**/vendor/composer/installed.json", CAP},
    {"**/composer.lock", CAP},
    {NULL, 0},
};

struct php_ctx {
    struct sbom_doc *doc;
    struct vouch_error *err;
    size_t skipped;
};

static int add_one(struct php_ctx *c, const char *path, const json_t *o)
{
    const char *name = cat_json_str(o, "name"), *ver = cat_json_str(o, "version"), *k;
    const json_t *lic = json_object_get(o, "license"), *v;
    struct sbom_pkg *p;
    size_t i;
    int rc;
    if (name == NULL || ver == NULL || strchr(name, '/') == NULL) {
        c->skipped++;
        return 0;
    }
    rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_COMPOSER, name, (size_t)-1, ver, (size_t)-1, path,
                      c->err);
    if (json_is_string(lic)) { /* older lockfiles: one string */
        rc = rc ? rc : strv_add_unique(&p->licenses, json_string_value(lic), (size_t)-1, c->err);
    }
    json_array_foreach(lic, i, v)
    {
        if (rc == 0 && json_is_string(v)) {
            rc = strv_add_unique(&p->licenses, json_string_value(v), (size_t)-1, c->err);
        }
    }
    json_object_foreach((json_t *)json_object_get(o, "require"), k, v)
    {
        if (rc == 0 && strchr(k, '/') != NULL) { /* not php, ext-*, lib-* */
            rc = strv_add_unique(&p->depends, k, (size_t)-1, c->err);
        }
    }
    return rc;
}

static int add_list(struct php_ctx *c, const char *path, const json_t *arr)
{
    size_t i;
    const json_t *o;
    int rc = 0;
    json_array_foreach(arr, i, o)
    {
        if (rc == 0 && (rc = add_one(c, path, o)) != 0) {
            break;
        }
    }
    return rc;
}

static int on_file(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct php_ctx *c = vctx;
    size_t first = c->doc->npkgs, n = strlen(path);
    int lock = n >= 13 && strcmp(path + n - 13, "composer.lock") == 0, rc = 0;
    json_t *j;
    if (lock && !cat_declared(c->doc)) {
        return 0;
    }
    if ((j = cat_json(c->doc, "composer", path, d, len)) == NULL) {
        return 0;
    }
    c->skipped = 0;
    if (json_is_array(j)) { /* Composer 1 installed.json */
        rc = add_list(c, path, j);
    } else if (json_is_array(json_object_get(j, "packages"))) {
        rc = add_list(c, path, json_object_get(j, "packages"));
        rc = rc ? rc : add_list(c, path, json_object_get(j, "packages-dev"));
    } else {
        doc_warn(c->doc, "composer: '%s': no packages array, skipped", path);
    }
    json_decref(j);
    if (rc == 0 && c->skipped > 0) {
        doc_warn(c->doc, "composer: '%s': %zu entries without vendor/name or version skipped", path,
                 c->skipped);
    }
    return rc ? rc : cat_lang_resolve(c->doc, first, c->err);
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct php_ctx c = {doc, err, 0};
    return cat_each(r, rules, sizeof(rules) / sizeof(rules[0]) - 1, on_file, &c);
}

const struct cataloger cat_php = {"php", rules, run};
