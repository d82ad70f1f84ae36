/* Finishing a document: canonical order, merged duplicates, purls and resolved
 * dependency edges, so that writers are pure functions of the sorted model. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "vouch/mem.h"

static const char *nz(const char *s)
{
    return s != NULL ? s : "";
}

/* The next character of a PEP 503 normalised name: runs of "-_." are one '-', letters
 * lower case (ASCII: the names PyPI accepts). */
static int pep503_next(const char **s)
{
    int c = (unsigned char)**s;
    if (c == '\0') {
        return 0;
    }
    if (c == '-' || c == '_' || c == '.') {
        while (**s == '-' || **s == '_' || **s == '.') {
            (*s)++;
        }
        return '-';
    }
    (*s)++;
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Names of type t: Python's compare as PEP 503 says ("Typing_Extensions" is
 * "typing-extensions", one purl), every other ecosystem's byte for byte. */
static int name_cmp(enum sbom_pkg_type t, const char *a, const char *b)
{
    if (t != SBOM_PKG_PYPI) {
        return strcmp(a, b);
    }
    for (;;) {
        int x = pep503_next(&a), y = pep503_next(&b);
        if (x != y || x == 0) {
            return x - y;
        }
    }
}

static int pkg_cmp(const struct sbom_pkg *a, const struct sbom_pkg *b)
{
    int c;
    if (a->type != b->type) {
        return a->type < b->type ? -1 : 1;
    }
    if ((c = name_cmp(a->type, nz(a->name), nz(b->name))) != 0) {
        return c;
    }
    if ((c = strcmp(nz(a->ns), nz(b->ns))) != 0) {
        return c;
    }
    if ((c = strcmp(nz(a->version), nz(b->version))) != 0) {
        return c;
    }
    return strcmp(nz(a->arch), nz(b->arch));
}

/* Sort order: identity, then where it was found, so merged duplicates keep the same one. */
static int pkg_qcmp(const void *a, const void *b)
{
    const struct sbom_pkg *x = *(struct sbom_pkg *const *)a, *y = *(struct sbom_pkg *const *)b;
    int c = pkg_cmp(x, y);
    if (c == 0 && (c = strcmp(x->locations.n ? x->locations.v[0] : "",
                              y->locations.n ? y->locations.v[0] : "")) == 0) {
        c = strcmp(nz(x->sha1), nz(y->sha1));
    }
    return c;
}

static int strv_merge(struct strv *dst, const struct strv *src, struct vouch_error *err)
{
    for (size_t i = 0; i < src->n; i++) {
        if (strv_push(dst, src->v[i], (size_t)-1, err) != 0) {
            return VOUCH_ENOMEM;
        }
    }
    return 0;
}

/* Merge packages with equal (type, name, version, arch) into the first one. */
static int merge_dups(struct sbom_doc *doc, struct vouch_error *err)
{
    size_t w = 0;
    for (size_t i = 0; i < doc->npkgs; i++) {
        struct sbom_pkg *p = doc->pkgs[i];
        if (w > 0 && pkg_cmp(doc->pkgs[w - 1], p) == 0) {
            struct sbom_pkg *keep = doc->pkgs[w - 1];
            int rc = strv_merge(&keep->files, &p->files, err);
            rc = rc != 0 ? rc : strv_merge(&keep->locations, &p->locations, err);
            rc = rc != 0 ? rc : strv_merge(&keep->depends, &p->depends, err);
            rc = rc != 0 ? rc : strv_merge(&keep->provides, &p->provides, err);
            doc_pkg_free(p);
            doc->pkgs[i] = NULL;
            if (rc != 0) {
                for (size_t k = i + 1; k < doc->npkgs; k++) {
                    doc_pkg_free(doc->pkgs[k]);
                }
                doc->npkgs = w;
                return rc;
            }
            continue;
        }
        doc->pkgs[w++] = p;
    }
    doc->npkgs = w;
    return 0;
}

static int find_name(const struct sbom_doc *doc, enum sbom_pkg_type t, const char *name)
{
    size_t lo = 0, hi = doc->npkgs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct sbom_pkg *p = doc->pkgs[mid];
        int c = p->type != t ? (p->type < t ? -1 : 1) : name_cmp(t, nz(p->name), name);
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < doc->npkgs && doc->pkgs[lo]->type == t &&
        name_cmp(t, nz(doc->pkgs[lo]->name), name) == 0) {
        return (int)lo;
    }
    return -1;
}

/* Every (type, provided name, package index), sorted: a Depends/D: name that is no
 * package's own name is looked up here in O(log n) (a linear scan over every package's
 * provides made a 200k-entry Depends line quadratic). */
struct provider {
    enum sbom_pkg_type t;
    const char *name;
    size_t k;
};

struct provider_index {
    struct provider *v;
    size_t n;
};

static int provider_cmp(const void *a, const void *b)
{
    const struct provider *x = a, *y = b;
    int c = x->t != y->t ? (x->t < y->t ? -1 : 1) : strcmp(x->name, y->name);
    return c != 0 ? c : (x->k > y->k) - (x->k < y->k);
}

static int provider_index_build(struct provider_index *ix, const struct sbom_doc *doc,
                                struct vouch_error *err)
{
    size_t total = 0;
    for (size_t k = 0; k < doc->npkgs; k++) {
        total += doc->pkgs[k]->provides.n;
    }
    ix->n = 0;
    ix->v = calloc(total + 1, sizeof(*ix->v));
    if (ix->v == NULL) {
        return vouch_enomem(err);
    }
    for (size_t k = 0; k < doc->npkgs; k++) {
        const struct sbom_pkg *p = doc->pkgs[k];
        for (size_t j = 0; j < p->provides.n; j++) {
            ix->v[ix->n++] = (struct provider){p->type, p->provides.v[j], k};
        }
    }
    qsort(ix->v, ix->n, sizeof(*ix->v), provider_cmp);
    return 0;
}

/* The package named name, else the first (lowest index) one that provides it. */
static int find_provider(const struct sbom_doc *doc, const struct provider_index *ix,
                         enum sbom_pkg_type t, const char *name)
{
    struct provider key = {t, name, 0};
    size_t lo = 0, hi = ix->n;
    int i = find_name(doc, t, name);
    if (i >= 0) {
        return i;
    }
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (provider_cmp(&ix->v[mid], &key) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < ix->n && ix->v[lo].t == t && strcmp(ix->v[lo].name, name) == 0) {
        return (int)ix->v[lo].k;
    }
    return -1;
}

/* Language catalogers name an exact dependency as "NAME@VERSION" (the last '@', not a
 * leading scope's): the package with that name and version. */
static int find_exact(const struct sbom_doc *doc, enum sbom_pkg_type t, const char *dep)
{
    const char *at = strrchr(dep, '@');
    char name[1024];
    int i;
    if (at == NULL || at == dep || (size_t)(at - dep) >= sizeof(name)) {
        return -1;
    }
    memcpy(name, dep, (size_t)(at - dep));
    name[at - dep] = '\0';
    if ((i = find_name(doc, t, name)) < 0) {
        return -1;
    }
    for (size_t k = (size_t)i; k < doc->npkgs && doc->pkgs[k]->type == t &&
                               name_cmp(t, nz(doc->pkgs[k]->name), name) == 0;
         k++) {
        if (strcmp(nz(doc->pkgs[k]->version), at + 1) == 0) {
            return (int)k;
        }
    }
    return -1;
}

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static int resolve_deps(struct sbom_doc *doc, const struct provider_index *ix, size_t idx,
                        struct vouch_error *err)
{
    struct sbom_pkg *p = doc->pkgs[idx];
    size_t n = 0;
    if (p->depends.n == 0) {
        return 0;
    }
    p->deps = calloc(p->depends.n, sizeof(*p->deps));
    if (p->deps == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < p->depends.n; i++) {
        int k = pkg_type_info(p->type)->os ? find_provider(doc, ix, p->type, p->depends.v[i])
                                           : find_exact(doc, p->type, p->depends.v[i]);
        if (k >= 0 && (size_t)k != idx) {
            p->deps[n++] = (size_t)k;
        }
    }
    if (n > 1) {
        qsort(p->deps, n, sizeof(*p->deps), size_cmp);
    }
    p->ndeps = 0;
    for (size_t i = 0; i < n; i++) {
        if (p->ndeps == 0 || p->deps[p->ndeps - 1] != p->deps[i]) {
            p->deps[p->ndeps++] = p->deps[i];
        }
    }
    return 0;
}

int doc_finish(struct sbom_doc *doc, struct vouch_error *err)
{
    struct provider_index ix = {0};
    int rc;
    if (doc->npkgs > 1) {
        qsort(doc->pkgs, doc->npkgs, sizeof(*doc->pkgs), pkg_qcmp);
    }
    if ((rc = merge_dups(doc, err)) != 0 || (rc = provider_index_build(&ix, doc, err)) != 0) {
        return rc;
    }
    for (size_t i = 0; i < doc->npkgs; i++) {
        struct sbom_pkg *p = doc->pkgs[i];
        strv_sort_unique(&p->files);
        strv_sort_unique(&p->locations);
        free(p->purl);
        p->purl = NULL;
        if (purl_make(&p->purl, doc, p, err) != 0 || resolve_deps(doc, &ix, i, err) != 0) {
            free(ix.v);
            return err != NULL ? err->code : VOUCH_ENOMEM;
        }
    }
    free(ix.v);
    return doc_files_mark(doc, err);
}
