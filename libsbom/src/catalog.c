/* The cataloger table, the content selector derived from it, and the driver. */
#include <stdio.h>
#include <stdlib.h>
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
    &cat_yarn_lock, /* yarn.lock, classic and berry (dir: sources) */
    &cat_pnpm_lock, /* pnpm-lock.yaml (dir: sources) */
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

/* Tags a selection can name besides the cataloger's own name (syft's vocabulary: what a
 * cataloger reads, installed files or declared lockfiles, and its ecosystem's names). A
 * row without tags is chosen by its name only. */
static const struct {
    const char *name, *tags;
} cat_tags[] = {
    {"dpkg", ",os,installed,image,directory,package,deb,debian,"},
    {"apk", ",os,installed,image,directory,package,alpine,"},
    {"rpm", ",os,installed,image,directory,package,redhat,"},
    {"npm", ",language,installed,image,directory,package,javascript,node,"},
    {"npm-lock", ",language,declared,directory,package,javascript,node,npm,"},
    {"python", ",language,installed,image,directory,package,"},
    {"python-lock", ",language,declared,directory,package,python,"},
    {"go", ",language,installed,declared,image,directory,package,binary,golang,"},
    {"java", ",language,installed,image,directory,package,maven,"},
    {"rust", ",language,installed,declared,image,directory,package,binary,cargo,"},
    {"ruby", ",language,installed,declared,image,directory,package,gem,"},
    {"php", ",language,installed,declared,image,directory,package,composer,"},
    {"dotnet", ",language,installed,declared,image,directory,package,nuget,"},
};

struct sbom_select {
    unsigned char on[NCAT];
};

/* Bit i set when term is cataloger i's name or one of its tags. */
static void select_match(unsigned char *hit, const char *term, size_t n)
{
    char tag[66];
    int m = snprintf(tag, sizeof(tag), ",%.*s,", (int)n, term);
    for (size_t i = 0; i < NCAT; i++) {
        hit[i] = strlen(catalogers[i]->name) == n && memcmp(catalogers[i]->name, term, n) == 0;
        for (size_t k = 0; !hit[i] && m > 2 && (size_t)m < sizeof(tag) &&
                           k < sizeof(cat_tags) / sizeof(cat_tags[0]);
             k++) {
            hit[i] = strcmp(cat_tags[k].name, catalogers[i]->name) == 0 &&
                     strstr(cat_tags[k].tags, tag) != NULL;
        }
    }
}

int sbom_select_parse(struct sbom_select **out, const char *expr, struct vouch_error *err)
{
    unsigned char keep[NCAT] = {0}, add[NCAT] = {0}, rm[NCAT] = {0}, hit[NCAT];
    int filter = 0;
    const char *s = expr;
    *out = NULL;
    while (*s != '\0') {
        const char *e = strchr(s, ',');
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s), any = 0;
        char op = n > 0 && (s[0] == '+' || s[0] == '-') ? s[0] : 0;
        const char *t = op ? s + 1 : s;
        size_t tn = op ? n - 1 : n;
        while (tn > 0 && (*t == ' ' || *t == '\t')) {
            t++, tn--;
        }
        while (tn > 0 && (t[tn - 1] == ' ' || t[tn - 1] == '\t')) {
            tn--;
        }
        if (tn > 0) {
            select_match(hit, t, tn);
            for (size_t i = 0; i < NCAT; i++) {
                any |= hit[i];
                keep[i] |= !op && hit[i];
                add[i] |= op == '+' && hit[i];
                rm[i] |= op == '-' && hit[i];
            }
            filter |= !op;
            if (!any) {
                return vouch_error_set(err, VOUCH_EINVAL, "no cataloger or tag is named '%.*s'",
                                       (int)(tn > 64 ? 64 : tn), t);
            }
        }
        s += n + (e != NULL);
    }
    if ((*out = calloc(1, sizeof(**out))) == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < NCAT; i++) { /* the default set is every cataloger */
        (*out)->on[i] = ((!filter || keep[i]) || add[i]) && !rm[i];
    }
    (*out)->on[0] = 1; /* os-release names the distro of OS purls: always read */
    return 0;
}

void sbom_select_free(struct sbom_select *s)
{
    free(s);
}

void sbom_catalog_select(struct sbom_doc *doc, const struct sbom_select *s)
{
    doc->select = s;
}

static int selected(const struct sbom_select *s, size_t i)
{
    return s == NULL || s->on[i];
}

int cat_glob(const char *glob, const char *path)
{
    return util_glob(glob, path);
}

size_t sbom_catalog_want(const char *path, void *ctx)
{
    const struct sbom_select *sel = ctx;
    for (size_t i = 0; i < NCAT; i++) {
        for (const struct want_rule *w = catalogers[i]->rules; selected(sel, i) && w->glob != NULL;
             w++) {
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

struct spill_ctx {
    const struct want_rule *rules;
    size_t nrules;
    cat_blob_fn fn;
    void *ctx;
};

static int each_spilled(const char *path, const struct sbom_blob *b, uint64_t len, void *vctx)
{
    struct spill_ctx *c = vctx;
    for (size_t i = 0; i < c->nrules; i++) {
        if (cat_glob(c->rules[i].glob, path)) {
            return c->fn(path, b, len, c->ctx);
        }
    }
    return 0;
}

int cat_each_spilled(const struct sbom_root *r, const struct want_rule *rules, size_t nrules,
                     cat_blob_fn fn, void *ctx)
{
    struct spill_ctx c = {rules, nrules, fn, ctx};
    return sbom_root_each_spilled(r, each_spilled, &c);
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
        if (selected(doc->select, i) && (rc = catalogers[i]->run(doc, r, err)) != 0) {
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
