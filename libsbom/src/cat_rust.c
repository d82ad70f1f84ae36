/* Rust: Cargo.lock (v1-v4; workspace members have no `source` and are packages too) for
 * dir: sources, and the cargo-auditable `.dep-v0` section of binaries (cat_rust_audit.c).
 * The lock is read with the shared TOML reader (toml.c). Dependency edges name exact versions:
 * "name version (source)" (v1), "name version" or "name" (v2+, unique in the lock). */
#include <stdlib.h>
#include <string.h>

#include "cat_internal.h"
#include "elf_internal.h"
#include "toml_internal.h"
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
    size_t bad;   /* malformed lines and packages */
};

static struct sbom_pkg *cur(struct lock_ctx *c)
{
    return c->in_pkg && c->doc->npkgs > c->first ? c->doc->pkgs[c->doc->npkgs - 1] : NULL;
}

/* A dependency string: "name", "name version" or "name version (source)". */
static int add_dep(struct lock_ctx *c, struct sbom_pkg *p, const char *v)
{
    const char *sp = strchr(v, ' ');
    char dep[512];
    size_t vn = strlen(v), nn = sp != NULL ? (size_t)(sp - v) : vn, vl = 0;
    if (nn == 0 || nn >= 256) {
        return 0;
    }
    if (sp != NULL) {
        const char *ve = strchr(sp + 1, ' ');
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

/* One TOML statement of the lock; 1 when a package's field is not what Cargo writes. */
static int lock_stmt(const struct toml_ev *ev, void *vctx)
{
    struct lock_ctx *c = vctx;
    struct sbom_pkg *p;
    const json_t *v;
    size_t i;
    int rc = 0;
    if (ev->kind != TOML_KEYVAL) {
        c->in_pkg = ev->kind == TOML_ARRAY_TABLE && strcmp(ev->table, "package") == 0;
        if (c->in_pkg) {
            rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_CARGO, "", 0, NULL, 0, c->path, c->err);
        }
        return rc < 0 ? rc : 0;
    }
    if ((p = cur(c)) == NULL) {
        return 0; /* version = 3, [metadata] checksums, [[patch.unused]] */
    }
    if (strcmp(ev->key, "dependencies") == 0 && json_is_array(ev->val)) {
        json_array_foreach(ev->val, i, v)
        {
            if (rc == 0 && json_is_string(v)) {
                rc = add_dep(c, p, json_string_value(v));
            }
        }
        return rc;
    }
    if (strcmp(ev->key, "name") != 0 && strcmp(ev->key, "version") != 0) {
        return 0;
    }
    if (!json_is_string(ev->val)) {
        return 1;
    }
    return util_set(ev->key[0] == 'n' ? &p->name : &p->version, json_string_value(ev->val),
                    (size_t)-1, c->err);
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
    struct toml_stats st;
    int rc;
    c->path = path;
    c->first = c->doc->npkgs;
    c->in_pkg = 0;
    if ((rc = toml_each((const char *)d, len, lock_stmt, c, &st)) < 0) {
        return rc;
    }
    c->bad = st.bad;
    drop_incomplete(c);
    if (st.bad > 0) {
        doc_warn(c->doc, "cargo: '%s': %zu malformed lines or packages (first at line %zu) skipped",
                 path, c->bad, st.first_bad_line);
    } else if (c->bad > 0) {
        doc_warn(c->doc, "cargo: '%s': %zu packages without name or version skipped", path, c->bad);
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
