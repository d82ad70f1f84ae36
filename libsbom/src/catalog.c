/* The cataloger table, the content selector derived from it, and the driver. */
#include <fnmatch.h>
#include <string.h>

#include "cat_internal.h"
#include "sbom/catalog.h"

/* Rows: adding a cataloger is adding a row (and its cat_<name>.c). */
static const struct cataloger *const catalogers[] = {
    &cat_osrelease, /* first: the distro names the OS purls */
    &cat_dpkg,      /* var/lib/dpkg */
    &cat_apk,       /* lib/apk/db */
    &cat_rpm,       /* rpmdb */
    &cat_npm,       /* node_modules */
    &cat_npm_lock,  /* package-lock.json (dir: sources) */
    &cat_python,    /* dist-info, egg-info */
    &cat_pylock,    /* poetry.lock, uv.lock, Pipfile.lock, requirements (dir: sources) */
    &cat_go,        /* Go build info, go.mod */
    &cat_java,      /* jar, war, ear */
    &cat_rust,      /* Cargo.lock, cargo-auditable */
    &cat_ruby,      /* gemspecs, Gemfile.lock */
    &cat_php,       /* composer */
    &cat_dotnet,    /* deps.json, packages.lock.json */
};

#define NCAT (sizeof(catalogers) / sizeof(catalogers[0]))

/* '*' and '?' within one path component, "**\/" for any number of whole components. */
static int glob_rec(const char *g, const char *p)
{
    for (;;) {
        if (g[0] == '*' && g[1] == '*' && g[2] == '/') {
            for (g += 3;; p++) {
                if (glob_rec(g, p)) {
                    return 1;
                }
                if ((p = strchr(p, '/')) == NULL) {
                    return 0;
                }
            }
        }
        if (*g == '*') {
            for (g++;; p++) {
                if (glob_rec(g, p)) {
                    return 1;
                }
                if (*p == '\0' || *p == '/') {
                    return 0;
                }
            }
        }
        if (*g == '\0' || *p == '\0') {
            return *g == *p;
        }
        if ((*g == '?' && *p == '/') || (*g != '?' && *g != *p)) {
            return 0;
        }
        g++;
        p++;
    }
}

int cat_glob(const char *glob, const char *path)
{
    if (strstr(glob, "**/") == NULL) {
        return fnmatch(glob, path, FNM_PATHNAME) == 0;
    }
    return glob_rec(glob, path);
}

size_t sbom_catalog_want(const char *path, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < NCAT; i++) {
        for (const struct want_rule *w = catalogers[i]->rules; w->glob != NULL; w++) {
            if (cat_glob(w->glob, path)) {
                return w->cap;
            }
        }
    }
    return 0;
}

struct each_ctx {
    const struct want_rule *rules;
    size_t nrules;
    cat_file_fn fn;
    void *ctx;
};

static int each_kept(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct each_ctx *c = vctx;
    for (size_t i = 0; i < c->nrules; i++) {
        if (cat_glob(c->rules[i].glob, path)) {
            return c->fn(path, d, len, c->ctx);
        }
    }
    return 0;
}

int cat_each(const struct sbom_root *r, const struct want_rule *rules, size_t nrules,
             cat_file_fn fn, void *ctx)
{
    struct each_ctx c = {rules, nrules, fn, ctx};
    return sbom_root_each_kept(r, each_kept, &c);
}

int cat_declared(const struct sbom_doc *doc)
{
    return doc->kind != NULL && strcmp(doc->kind, "dir") == 0;
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
