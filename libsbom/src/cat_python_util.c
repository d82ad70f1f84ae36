/* Python catalogers' helpers: core-metadata headers, RECORD / installed-files.txt paths
 * made root-relative, and Requires-Dist names resolved to installed distributions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_python_internal.h"
#include "purl_internal.h"
#include "vouch/mem.h"

int py_headers(const char *d, size_t len, py_hdr_fn fn, void *ctx)
{
    size_t i = 0;
    while (i < len) {
        const char *s = d + i, *nl = memchr(s, '\n', len - i), *colon;
        size_t n = nl != NULL ? (size_t)(nl - s) : len - i;
        i += n + 1;
        if (n > 0 && s[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            break; /* the description body follows */
        }
        if (s[0] == ' ' || s[0] == '\t' || (colon = memchr(s, ':', n)) == NULL) {
            continue;
        }
        size_t kn = (size_t)(colon - s), vn;
        const char *v = ctl_line(colon + 1, n - kn - 1, &vn);
        int rc = fn(s, kn, v, vn, ctx);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int py_add_requirement(struct strv *deps, const char *v, size_t n, struct vouch_error *err)
{
    const char *semi = memchr(v, ';', n);
    size_t k = 0;
    if (semi != NULL) {
        for (const char *p = semi; p + 5 <= v + n; p++) {
            if (memcmp(p, "extra", 5) == 0) {
                return 0; /* only with an optional feature */
            }
        }
    }
    while (k < n && strchr(" \t[(;<>=!~", v[k]) == NULL) {
        k++;
    }
    return k > 0 ? strv_add_unique(deps, v, k, err) : 0;
}

/* Push dir/rel normalised ("a/b/../c" -> "a/c"); paths escaping the root are dropped. */
static int push_rel(struct sbom_pkg *k, const char *dir, const char *rel, size_t rn,
                    struct vouch_error *err)
{
    char buf[CAT_PATH_MAX], out[CAT_PATH_MAX];
    size_t o = 0;
    int m = snprintf(buf, sizeof(buf), "%s%s%.*s", rel[0] == '/' ? "" : dir,
                     rel[0] == '/' || dir[0] == '\0' ? "" : "/", (int)rn, rel);
    if (m < 0 || (size_t)m >= sizeof(buf)) {
        return 0;
    }
    for (char *seg = buf; *seg != '\0';) {
        size_t sn = strcspn(seg, "/");
        if (sn == 2 && seg[0] == '.' && seg[1] == '.') {
            if (o == 0) {
                return 0;
            }
            while (o > 0 && out[o - 1] != '/') {
                o--;
            }
            o = o > 0 ? o - 1 : 0;
        } else if (sn > 0 && !(sn == 1 && seg[0] == '.')) {
            if (o > 0) {
                out[o++] = '/';
            }
            memcpy(out + o, seg, sn);
            o += sn;
        }
        seg += sn + (seg[sn] == '/');
    }
    return o > 0 ? strv_push(&k->files, out, o, err) : 0;
}

int py_owned_files(struct py_ctx *c, struct sbom_pkg *k, const char *path)
{
    char list[CAT_PATH_MAX], dir[CAT_PATH_MAX];
    const unsigned char *d;
    size_t len, i = 0, n = strlen(path);
    int record = n > 9 && strcmp(path + n - 9, "/METADATA") == 0, egg_dir = 0, rc;
    const char *slash = strrchr(path, '/');
    if (!record && !(egg_dir = n > 9 && strcmp(path + n - 9, "/PKG-INFO") == 0)) {
        return 0; /* single-file egg-info lists no files */
    }
    snprintf(list, sizeof(list), "%.*s/%s", (int)(slash - path), path,
             record ? "RECORD" : "installed-files.txt");
    /* RECORD paths are relative to the site directory, installed-files.txt to the egg-info */
    if (record) {
        const char *up = slash;
        while (up > path && up[-1] != '/') {
            up--;
        }
        snprintf(dir, sizeof(dir), "%.*s", up > path ? (int)(up - path - 1) : 0, path);
    } else {
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    }
    if ((rc = cat_read(&d, &len, c->doc, c->r, list)) != 0) {
        return rc == VOUCH_ENOMEM ? rc : 0;
    }
    while (i < len) {
        const char *s = (const char *)d + i, *nl = memchr(s, '\n', len - i);
        size_t ln = nl != NULL ? (size_t)(nl - s) : len - i, pn = ln;
        i += ln + 1;
        if (record) {
            const char *comma = memchr(s, ',', ln); /* "path,sha256=...,size" */
            pn = comma != NULL ? (size_t)(comma - s) : ln;
        }
        while (pn > 0 && (s[pn - 1] == '\r' || s[pn - 1] == ' ')) {
            pn--;
        }
        if (pn > 0 && s[0] != '"' && push_rel(k, dir, s, pn, c->err) != 0) {
            return VOUCH_ENOMEM;
        }
    }
    return 0;
}

struct py_name {
    char *norm;
    size_t pkg;
};

static int name_cmp(const void *a, const void *b)
{
    const struct py_name *x = a, *y = b;
    int c = strcmp(x->norm, y->norm);
    return c != 0 ? c : (x->pkg > y->pkg) - (x->pkg < y->pkg); /* equal names: file order */
}

static char *normalise(const char *s)
{
    char *c = util_strndup(s, (size_t)-1);
    if (c != NULL) {
        purl_lower(c);
        purl_pep503(c);
    }
    return c;
}

/* The first distribution named name (PEP 503) in v[0..n), of that version when one is
 * given; NULL when there is none (or *rc set when out of memory). */
static const struct py_name *find(const struct py_name *v, size_t n, const char *name,
                                  const char *version, const struct sbom_doc *doc, int *rc,
                                  struct vouch_error *err)
{
    struct py_name key = {normalise(name), 0};
    size_t lo = 0, hi = n;
    const struct py_name *hit = NULL;
    if (key.norm == NULL) {
        *rc = vouch_enomem(err);
        return NULL;
    }
    while (lo < hi) { /* lower bound */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].norm, key.norm) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (; lo < n && strcmp(v[lo].norm, key.norm) == 0; lo++) {
        if (version == NULL || strcmp(doc->pkgs[v[lo].pkg]->version, version) == 0) {
            hit = &v[lo];
            break;
        }
    }
    free(key.norm);
    return hit;
}

int py_link(struct sbom_doc *doc, size_t first, struct vouch_error *err)
{
    size_t n = doc->npkgs - first;
    struct py_name *v = calloc(n + 1, sizeof(*v));
    int rc = v != NULL ? 0 : vouch_enomem(err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        v[i].pkg = first + i;
        if ((v[i].norm = normalise(doc->pkgs[first + i]->name)) == NULL) {
            rc = vouch_enomem(err);
        }
    }
    if (rc == 0 && n > 1) {
        qsort(v, n, sizeof(*v), name_cmp);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct sbom_pkg *k = doc->pkgs[first + i];
        struct strv raw = k->depends;
        memset(&k->depends, 0, sizeof(k->depends));
        for (size_t d = 0; rc == 0 && d < raw.n; d++) {
            char *at = strchr(raw.v[d], '@'); /* "name@version": that version only */
            const struct py_name *hit;
            char dep[1200];
            if (at != NULL) {
                *at = '\0';
            }
            hit = find(v, n, raw.v[d], at != NULL ? at + 1 : NULL, doc, &rc, err);
            if (hit != NULL) {
                const struct sbom_pkg *q = doc->pkgs[hit->pkg];
                int m = snprintf(dep, sizeof(dep), "%s@%s", q->name, q->version);
                if (m > 0 && (size_t)m < sizeof(dep)) {
                    rc = strv_add_unique(&k->depends, dep, (size_t)m, err);
                }
            }
        }
        strv_release(&raw);
    }
    for (size_t i = 0; v != NULL && i < n; i++) {
        free(v[i].norm);
    }
    free(v);
    return rc;
}
