/* Rust: Cargo.lock (v1-v4; workspace members have no `source` and are packages too) for
 * dir: sources, and the cargo-auditable `.dep-v0` section of binaries (cat_rust_audit.c).
 * Dependency edges name exact versions: "name version (source)" (v1), "name version" or
 * "name" (v2+, unique in the lock). */
#include <stdlib.h>
#include <string.h>

#include "cat_internal.h"
#include "elf_internal.h"
#include "vouch/mem.h"

#define LOCK_CAP ((size_t)64 << 20)
#define BIN_CAP ((size_t)128 << 20)

/* Cargo.lock first; then where images put their own binaries (cargo-auditable): the
 * distribution's bin directories are not read, their packages are in its database. */
static const struct want_rule rules[] = {
    {"**/Cargo.lock", LOCK_CAP},
    {"usr/local/bin/*", BIN_CAP},
    {"usr/local/sbin/*", BIN_CAP},
    {"usr/local/cargo/bin/*", BIN_CAP},
    {"root/.cargo/bin/*", BIN_CAP},
    {"home/*/.cargo/bin/*", BIN_CAP},
    {"app/*", BIN_CAP},
    {"app/bin/*", BIN_CAP},
    {"opt/*/bin/*", BIN_CAP},
    {NULL, 0},
};

#define NRULES (sizeof(rules) / sizeof(rules[0]) - 1)

struct lock_ctx {
    struct sbom_doc *doc;
    struct vouch_error *err;
    const char *path;
    size_t first; /* this lock's first package in doc */
    int in_pkg;   /* inside a [[package]] table */
    int in_deps;  /* inside a multi-line dependencies = [ ... ] */
    size_t bad;   /* malformed lines */
    size_t badline;
};

/* The basic string starting at s ('"'): its contents in *v, *vn; the end in *end. */
static int toml_str(const char *s, const char *lim, const char **v, size_t *vn, const char **end)
{
    const char *p = s + 1;
    if (s >= lim || *s != '"') {
        return -1;
    }
    while (p < lim && *p != '"') {
        p += *p == '\\' && p + 1 < lim ? 2 : 1;
    }
    if (p >= lim) {
        return -1;
    }
    *v = s + 1;
    *vn = (size_t)(p - s - 1);
    *end = p + 1;
    return 0;
}

static struct sbom_pkg *cur(struct lock_ctx *c)
{
    return c->in_pkg && c->doc->npkgs > c->first ? c->doc->pkgs[c->doc->npkgs - 1] : NULL;
}

/* A dependency string: "name", "name version" or "name version (source)". */
static int add_dep(struct lock_ctx *c, const char *v, size_t vn)
{
    struct sbom_pkg *p = cur(c);
    const char *sp = memchr(v, ' ', vn);
    char dep[512];
    size_t nn = sp != NULL ? (size_t)(sp - v) : vn, vl = 0;
    if (p == NULL || nn == 0 || nn >= 256) {
        return 0;
    }
    if (sp != NULL) {
        const char *ve = memchr(sp + 1, ' ', vn - nn - 1);
        vl = ve != NULL ? (size_t)(ve - sp - 1) : vn - nn - 1;
    }
    if (vl >= 200) {
        return 0;
    }
    memcpy(dep, v, nn);
    dep[nn] = '\0';
    if (vl > 0) { /* exact: name@version; else resolved against the lock afterwards */
        dep[nn] = '@';
        memcpy(dep + nn + 1, sp + 1, vl);
        dep[nn + 1 + vl] = '\0';
    }
    return strv_add_unique(&p->depends, dep, (size_t)-1, c->err);
}

/* Every quoted string from s to the closing ']' (or the end of the line). */
static int deps_list(struct lock_ctx *c, const char *s, const char *lim)
{
    const char *v, *end;
    size_t vn;
    int rc;
    while (s < lim) {
        if (*s == ']') {
            c->in_deps = 0;
            return 0;
        }
        if (*s == '"') {
            if (toml_str(s, lim, &v, &vn, &end) != 0) {
                return 1;
            }
            if ((rc = add_dep(c, v, vn)) != 0) {
                return rc;
            }
            s = end;
            continue;
        }
        if (*s == '#') {
            break;
        }
        s++;
    }
    return 0;
}

/* One line of the lock; 1 when it is malformed. */
static int lock_line(struct lock_ctx *c, const char *s, const char *lim)
{
    const char *eq, *v, *end, *k;
    size_t vn, kn;
    struct sbom_pkg *p;
    while (s < lim && (*s == ' ' || *s == '\t')) {
        s++;
    }
    if (c->in_deps) {
        return deps_list(c, s, lim);
    }
    if (s == lim || *s == '#' || *s == '\r') {
        return 0;
    }
    if (*s == '[') {
        c->in_pkg = lim - s >= 11 && memcmp(s, "[[package]]", 11) == 0;
        if (c->in_pkg) {
            int rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_CARGO, "", 0, NULL, 0, c->path, c->err);
            return rc < 0 ? rc : 0;
        }
        return 0;
    }
    if ((eq = memchr(s, '=', (size_t)(lim - s))) == NULL) {
        return 1;
    }
    k = s;
    kn = (size_t)(eq - s);
    while (kn > 0 && (k[kn - 1] == ' ' || k[kn - 1] == '\t')) {
        kn--;
    }
    for (v = eq + 1; v < lim && (*v == ' ' || *v == '\t'); v++) {
    }
    if ((p = cur(c)) == NULL) {
        return 0; /* version = 3, [metadata] checksums, [[patch.unused]] */
    }
    if (kn == 12 && memcmp(k, "dependencies", 12) == 0 && v < lim && *v == '[') {
        c->in_deps = 1;
        return deps_list(c, v + 1, lim);
    }
    if (toml_str(v, lim, &v, &vn, &end) != 0) {
        return 1;
    }
    if (kn == 4 && memcmp(k, "name", 4) == 0) {
        return util_set(&p->name, v, vn, c->err);
    }
    if (kn == 7 && memcmp(k, "version", 7) == 0) {
        return util_set(&p->version, v, vn, c->err);
    }
    return 0;
}

/* Drop [[package]] tables without name or version (warned once per lock). */
static void drop_incomplete(struct lock_ctx *c)
{
    size_t w = c->first;
    for (size_t i = c->first; i < c->doc->npkgs; i++) {
        struct sbom_pkg *p = c->doc->pkgs[i];
        if (p->name[0] == '\0' || p->version == NULL) {
            doc_pkg_free(p);
            c->bad++;
            continue;
        }
        c->doc->pkgs[w++] = p;
    }
    c->doc->npkgs = w;
}

static int on_lock(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct lock_ctx *c = vctx;
    const char *s = (const char *)d, *lim = s + len;
    size_t line = 0;
    int rc = 0;
    c->path = path;
    c->first = c->doc->npkgs;
    c->in_pkg = c->in_deps = 0;
    c->bad = c->badline = 0;
    while (rc >= 0 && s < lim) {
        const char *nl = memchr(s, '\n', (size_t)(lim - s));
        const char *e = nl != NULL ? nl : lim;
        line++;
        if ((rc = lock_line(c, s, e)) == 1 && c->bad++ == 0) {
            c->badline = line;
        }
        s = e + 1;
    }
    if (rc < 0) {
        return rc;
    }
    drop_incomplete(c);
    if (c->bad > 0) {
        doc_warn(c->doc, "cargo: '%s': %zu malformed lines or packages (first at line %zu) skipped",
                 path, c->bad, c->badline);
    }
    return cat_lang_resolve(c->doc, c->first, c->err);
}

static int on_bin(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct lock_ctx *c = vctx;
    return elf_is(d, len) ? rust_audit_parse(c->doc, path, d, len, c->err) : 0;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct lock_ctx c = {.doc = doc, .err = err};
    int rc = cat_declared(doc) ? cat_each(r, rules, 1, on_lock, &c) : 0;
    return rc ? rc : cat_each(r, rules + 1, NRULES - 1, on_bin, &c);
}

const struct cataloger cat_rust = {"rust", rules, run};
