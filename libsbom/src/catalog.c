/* The cataloger table, the content selector derived from it, and the driver. */
#include <fnmatch.h>
#include <string.h>

#include "cat_internal.h"
#include "sbom/catalog.h"

/* Rows: adding a cataloger is adding a row (and its cat_<name>.c). */
static const struct cataloger *const catalogers[] = {
    &cat_osrelease,
    &cat_dpkg,
    &cat_apk,
    &cat_rpm,
};

#define NCAT (sizeof(catalogers) / sizeof(catalogers[0]))

size_t sbom_catalog_want(const char *path, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < NCAT; i++) {
        for (const struct want_rule *w = catalogers[i]->rules; w->glob != NULL; w++) {
            if (fnmatch(w->glob, path, FNM_PATHNAME) == 0) {
                return w->cap;
            }
        }
    }
    return 0;
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
