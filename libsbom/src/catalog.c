/* The cataloger table, the content selector derived from it, and the driver. */
#include <fnmatch.h>
#include <string.h>

#include "cat_internal.h"
#include "sbom/catalog.h"

/* Rows: adding a cataloger is adding a row (and its cat_<name>.c). */
static const struct cataloger *const catalogers[] = {
    &cat_osrelease, &cat_dpkg, &cat_apk, &cat_rpm, &cat_java,
};

#define NCAT (sizeof(catalogers) / sizeof(catalogers[0]))

/* A glob "**" "/" REST: REST matches the path or any tail of it that starts after a '/'. The last
 * component is tried on the base name first: most paths fail there, in one fnmatch. */
int cat_glob_match(const char *glob, const char *path)
{
    const char *rest, *glast, *base;
    if (strncmp(glob, "**/", 3) != 0) {
        return fnmatch(glob, path, FNM_PATHNAME) == 0;
    }
    rest = glob + 3;
    glast = strrchr(rest, '/');
    base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    if (fnmatch(glast != NULL ? glast + 1 : rest, base, 0) != 0) {
        return 0;
    }
    if (glast == NULL) {
        return 1;
    }
    for (const char *p = path; p != NULL; p = strchr(p, '/'), p = p != NULL ? p + 1 : NULL) {
        if (fnmatch(rest, p, FNM_PATHNAME) == 0) {
            return 1;
        }
    }
    return 0;
}

static int rules_match(const struct want_rule *rules, const char *path, size_t *cap)
{
    for (const struct want_rule *w = rules; w->glob != NULL; w++) {
        if (cat_glob_match(w->glob, path)) {
            *cap = w->cap;
            return 1;
        }
    }
    return 0;
}

size_t sbom_catalog_want(const char *path, void *ctx)
{
    size_t cap;
    (void)ctx;
    for (size_t i = 0; i < NCAT; i++) {
        if (rules_match(catalogers[i]->rules, path, &cap)) {
            return cap;
        }
    }
    return 0;
}

struct each_ctx {
    const struct want_rule *rules;
    cat_file_fn fn;
    void *ctx;
};

static int each_kept(const char *path, const unsigned char *data, size_t len, const char *layer,
                     void *vctx)
{
    struct each_ctx *c = vctx;
    size_t cap;
    (void)layer;
    return rules_match(c->rules, path, &cap) ? c->fn(path, data, len, c->ctx) : 0;
}

int cat_each(const struct sbom_root *r, const struct want_rule *rules, cat_file_fn fn, void *ctx)
{
    struct each_ctx c = {rules, fn, ctx};
    return sbom_root_each_kept(r, each_kept, &c);
}

int cat_read(const unsigned char **out, size_t *len, struct sbom_doc *doc,
             const struct sbom_root *r, const char *path)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc = sbom_root_read(out, len, r, path, &e);
    if (rc == VOUCH_ENOTFOUND) {
        return 1;
    }
    if (rc != 0) {
        doc_warn(doc, "%s", e.msg);
    }
    return rc;
}

static int add_file(const char *path, const unsigned char sha256[32], const unsigned char sha1[20],
                    uint64_t size, const char *layer, void *ctx)
{
    void **c = ctx;
    return doc_file_add(c[0], path, sha256, sha1, size, layer, c[1]);
}

int catalog_packages(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    int rc;
    for (size_t i = 0; i < NCAT; i++) {
        if ((rc = catalogers[i]->run(doc, r, err)) != 0) {
            return rc;
        }
    }
    return 0;
}

int catalog_inventory(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    void *ctx[2] = {doc, err};
    for (size_t i = 0; i < sbom_root_warning_count(r); i++) {
        doc_warn(doc, "%s", sbom_root_warning(r, i));
    }
    return sbom_root_each_file(r, add_file, ctx, err);
}

int sbom_catalog_run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    int rc = catalog_packages(doc, r, err);
    rc = rc ? rc : catalog_inventory(doc, r, err);
    return rc ? rc : doc_finish(doc, err);
}
