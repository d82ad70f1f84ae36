/* Go module lists: a binary's embedded modinfo (the text runtime/debug.BuildInfo prints,
 * tab-separated "mod"/"dep"/"=>" lines) and go.mod requirements with replacements
 * (go.dev/ref/mod#go-mod-file). A replacement with a version is what was built; a local
 * directory replacement keeps the module path without a version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_go_internal.h"
#include "vouch/encoding.h"

#define FIELDS 5 /* "old v => new v" */

/* Split s[0..n) on any of seps into at most FIELDS fields; returns the count. */
static size_t split(const char *s, size_t n, const char *seps, const char *f[FIELDS],
                    size_t fl[FIELDS])
{
    size_t k = 0, i = 0;
    while (i < n && k < FIELDS) {
        while (i < n && strchr(seps, s[i]) != NULL) {
            i++;
        }
        if (i >= n) {
            break;
        }
        f[k] = s + i;
        while (i < n && strchr(seps, s[i]) == NULL) {
            i++;
        }
        fl[k] = (size_t)(s + i - f[k]);
        k++;
    }
    return k;
}

static int add_mod(struct sbom_pkg **out, struct go_ctx *c, const char *path, const char *name,
                   size_t nn, const char *ver, size_t vn)
{
    struct sbom_pkg *k;
    int rc = doc_pkg_add(&k, c->doc, SBOM_PKG_GOLANG, c->err);
    rc = rc ? rc : util_set(&k->name, name, nn, c->err);
    if (rc == 0 && vn > 0 && !(vn == 7 && memcmp(ver, "(devel)", 7) == 0)) {
        rc = util_set(&k->version, ver, vn, c->err);
    }
    rc = rc ? rc : strv_push(&k->locations, path, (size_t)-1, c->err);
    *out = k;
    return rc;
}

/* "h1:BASE64" (go.sum's and build info's module hash: SHA-256 over the module's file
 * list, go.dev/ref/mod#go-sum-files) into k->sha256 as hex; another form is left out. */
static int set_h1(struct sbom_pkg *k, const char *s, size_t n, struct vouch_error *err)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    unsigned char *raw = NULL;
    size_t rn = 0;
    char hex[65];
    int rc = 0;
    free(k->sha256);
    k->sha256 = NULL;
    if (n < 4 || memcmp(s, "h1:", 3) != 0) {
        return 0;
    }
    if (vouch_base64_decode(&raw, &rn, s + 3, n - 3, &e) != 0) {
        return e.code == VOUCH_ENOMEM ? vouch_enomem(err) : 0;
    }
    if (rn == 32) {
        vouch_hex_encode(hex, raw, 32);
        rc = util_set(&k->sha256, hex, 64, err);
    }
    free(raw);
    return rc;
}

/* "=> path version sum": the module built instead of the previous line's. */
static int replace(struct sbom_pkg *k, const char *f[FIELDS], const size_t fl[FIELDS], size_t nf,
                   struct vouch_error *err)
{
    free(k->version);
    k->version = NULL;
    free(k->sha256);
    k->sha256 = NULL;
    if (nf >= 3 && fl[2] > 0 && f[1][0] != '.' && f[1][0] != '/') {
        int rc = util_set(&k->name, f[1], fl[1], err);
        return rc ? rc : util_set(&k->version, f[2], fl[2], err);
    }
    return 0; /* a local directory: the module path stays, without a version */
}

static int stdlib(struct go_ctx *c, struct sbom_pkg *main, const char *path, const char *ver,
                  size_t vn)
{
    struct sbom_pkg *k;
    size_t n = 0;
    if (vn < 3 || memcmp(ver, "go1", 3) != 0) {
        return 0; /* "devel ..." toolchains have no release version */
    }
    while (n < vn && ver[n] != ' ') {
        n++;
    }
    int rc = add_mod(&k, c, path, "stdlib", 6, ver + 2, n - 2);
    if (rc == 0 && main != NULL) {
        char dep[300];
        int m = snprintf(dep, sizeof(dep), "stdlib@%.*s", (int)(n - 2), ver + 2);
        rc = m > 0 && (size_t)m < sizeof(dep) ? strv_push(&main->depends, dep, (size_t)m, c->err)
                                              : 0;
    }
    return rc;
}

static int edge(struct sbom_pkg *from, const struct sbom_pkg *to, struct vouch_error *err)
{
    char dep[2048];
    int m;
    if (from == NULL || from == to) {
        return 0;
    }
    m = snprintf(dep, sizeof(dep), "%s@%s", to->name, to->version ? to->version : "");
    return m > 0 && (size_t)m < sizeof(dep) ? strv_add_unique(&from->depends, dep, (size_t)m, err)
                                            : 0;
}

int go_modinfo(struct go_ctx *c, const char *path, const char *ver, size_t vn, const char *mod,
               size_t mn)
{
    struct sbom_pkg *main = NULL, *last = NULL;
    size_t first = c->doc->npkgs, i = 0;
    int rc = 0;
    while (rc == 0 && i < mn) {
        const char *s = mod + i, *nl = memchr(s, '\n', mn - i), *f[FIELDS];
        size_t n = nl != NULL ? (size_t)(nl - s) : mn - i, fl[FIELDS], nf;
        i += n + 1;
        nf = split(s, n, "\t", f, fl);
        if (nf >= 2 && fl[0] == 3 && memcmp(f[0], "mod", 3) == 0 && main == NULL) {
            rc = add_mod(&main, c, path, f[1], fl[1], nf >= 3 ? f[2] : "", nf >= 3 ? fl[2] : 0);
            rc = rc ? rc : strv_push(&main->files, path, (size_t)-1, c->err);
            last = main;
        } else if (nf >= 2 && fl[0] == 3 && memcmp(f[0], "dep", 3) == 0) {
            rc = add_mod(&last, c, path, f[1], fl[1], nf >= 3 ? f[2] : "", nf >= 3 ? fl[2] : 0);
            rc = rc == 0 && nf >= 4 ? set_h1(last, f[3], fl[3], c->err) : rc;
        } else if (nf >= 2 && fl[0] == 2 && memcmp(f[0], "=>", 2) == 0 && last != NULL) {
            rc = replace(last, f, fl, nf, c->err);
            rc = rc == 0 && nf >= 4 ? set_h1(last, f[3], fl[3], c->err) : rc;
        }
    }
    rc = rc ? rc : stdlib(c, main, path, ver, vn);
    for (size_t k = first; rc == 0 && main != NULL && k < c->doc->npkgs; k++) {
        if (c->doc->pkgs[k] != main && strcmp(c->doc->pkgs[k]->name, "stdlib") != 0) {
            rc = edge(main, c->doc->pkgs[k], c->err);
        }
    }
    return rc;
}

/* One go.mod directive line (inside a block: without the keyword). */
static int mod_line(struct go_ctx *c, const char *path, const char *kw, size_t kwn, const char *s,
                    size_t n, size_t first)
{
    const char *f[FIELDS];
    size_t fl[FIELDS], nf;
    const char *cm = NULL;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '/' && s[i + 1] == '/') {
            cm = s + i;
            break;
        }
    }
    nf = split(s, cm != NULL ? (size_t)(cm - s) : n, " \t\r\"", f, fl);
    if (kwn == 7 && memcmp(kw, "require", 7) == 0 && nf >= 2) {
        struct sbom_pkg *k;
        return add_mod(&k, c, path, f[0], fl[0], f[1], fl[1]);
    }
    if (kwn == 7 && memcmp(kw, "replace", 7) == 0 && nf >= 3) {
        /* "old [v] => new [v]": applied to the requirements read so far (go.mod lists
         * require before replace by convention; a later require is not replaced) */
        size_t arrow = fl[1] == 2 && memcmp(f[1], "=>", 2) == 0 ? 1 : 2;
        const char *g[FIELDS] = {"=>", f[arrow + 1], arrow + 2 < nf ? f[arrow + 2] : ""};
        size_t gl[FIELDS] = {2, fl[arrow + 1], arrow + 2 < nf ? fl[arrow + 2] : 0};
        if (arrow + 1 >= nf) {
            return 0;
        }
        for (size_t k = first; k < c->doc->npkgs; k++) {
            struct sbom_pkg *p = c->doc->pkgs[k];
            if (strlen(p->name) == fl[0] && memcmp(p->name, f[0], fl[0]) == 0 &&
                (arrow == 1 || (p->version != NULL && strlen(p->version) == fl[1] &&
                                memcmp(p->version, f[1], fl[1]) == 0))) {
                int rc = replace(p, g, gl, gl[2] > 0 ? 3 : 2, c->err);
                if (rc != 0) {
                    return rc;
                }
            }
        }
    }
    return 0;
}

struct sum_line {
    const char *mod, *ver, *h1;
    size_t ml, vl, hl;
};

static int sum_cmp(const void *a, const void *b)
{
    const struct sum_line *x = a, *y = b;
    size_t m = x->ml < y->ml ? x->ml : y->ml;
    int c = memcmp(x->mod, y->mod, m);
    if (c != 0 || x->ml != y->ml) {
        return c != 0 ? c : (x->ml > y->ml) - (x->ml < y->ml);
    }
    m = x->vl < y->vl ? x->vl : y->vl;
    c = memcmp(x->ver, y->ver, m);
    return c != 0 ? c : (x->vl > y->vl) - (x->vl < y->vl);
}

/* go.sum beside go.mod: its "path version h1:..." lines (not the "version/go.mod" ones)
 * give the requirements read from go.mod (replacements applied) their module hash. */
static int go_sum(struct go_ctx *c, const char *modpath, size_t first)
{
    char sum[CAT_PATH_MAX];
    const unsigned char *d;
    struct sum_line *v;
    size_t len, n = 0, i = 0, cap = 0;
    int m = snprintf(sum, sizeof(sum), "%.*sgo.sum", (int)(strlen(modpath) - 6), modpath), rc;
    if (m < 0 || (size_t)m >= sizeof(sum) || (rc = cat_read(&d, &len, c->doc, c->r, sum)) != 0) {
        return 0; /* absent or unreadable (a warning): the packages stay without hashes */
    }
    for (size_t k = 0; k < len; k++) {
        cap += d[k] == '\n';
    }
    if ((v = calloc(cap + 1, sizeof(*v))) == NULL) {
        return vouch_enomem(c->err);
    }
    while (i < len) {
        const char *s = (const char *)d + i, *nl = memchr(s, '\n', len - i), *f[FIELDS];
        size_t ln = nl != NULL ? (size_t)(nl - s) : len - i, fl[FIELDS];
        i += ln + 1;
        if (split(s, ln, " \t\r", f, fl) == 3 && n <= cap &&
            !(fl[1] > 7 && memcmp(f[1] + fl[1] - 7, "/go.mod", 7) == 0)) {
            v[n++] = (struct sum_line){f[0], f[1], f[2], fl[0], fl[1], fl[2]};
        }
    }
    qsort(v, n, sizeof(*v), sum_cmp);
    for (size_t k = first; rc == 0 && k < c->doc->npkgs; k++) {
        struct sbom_pkg *p = c->doc->pkgs[k];
        struct sum_line key = {p->name, p->version, NULL, strlen(p->name), 0, 0}, *hit;
        if (p->version == NULL) {
            continue;
        }
        key.vl = strlen(p->version);
        if ((hit = bsearch(&key, v, n, sizeof(*v), sum_cmp)) != NULL) {
            rc = set_h1(p, hit->h1, hit->hl, c->err);
        }
    }
    free(v);
    return rc;
}

int go_mod_read(struct go_ctx *c, const char *path, const char *d, size_t len)
{
    size_t i = 0, first = c->doc->npkgs;
    char block[16] = "";
    int rc = 0;
    while (rc == 0 && i < len) {
        const char *s = d + i, *nl = memchr(s, '\n', len - i), *f[FIELDS];
        size_t n = nl != NULL ? (size_t)(nl - s) : len - i, fl[FIELDS], nf;
        i += n + 1;
        nf = split(s, n, " \t\r", f, fl);
        if (nf == 0) {
            continue;
        }
        if (block[0] != '\0') {
            if (fl[0] == 1 && f[0][0] == ')') {
                block[0] = '\0';
            } else {
                rc = mod_line(c, path, block, strlen(block), s, n, first);
            }
        } else if (nf >= 2 && fl[1] == 1 && f[1][0] == '(' && fl[0] < sizeof(block)) {
            memcpy(block, f[0], fl[0]);
            block[fl[0]] = '\0';
        } else if (nf >= 2) {
            rc = mod_line(c, path, f[0], fl[0], f[1], n - (size_t)(f[1] - s), first);
        }
    }
    return rc ? rc : go_sum(c, path, first);
}
