/* pnpm-lock.yaml (dir: sources), read with libyaml. "packages" keys name the packages:
 * lockfileVersion 5.x "/NAME/VERSION[_PEERS]", 6.0 "/NAME@VERSION[(PEERS)]", 9.0
 * "NAME@VERSION" (dependencies then sit in "snapshots" under "NAME@VERSION[(PEERS)]").
 * Entries with "name" and "version" (tarballs, git) take those. A dependency "NAME: V" is
 * the entry "/NAME/V", "/NAME@V" or "NAME@V" (peers stripped in 9.0), or V itself for
 * aliases ("/b/1.0.0", "/b@1.0.0", "b@1.0.0") and other hosts; link: dependencies point
 * at workspace projects ("importers"), which are not packages. Lockfiles inside
 * node_modules (pnpm's own node_modules/.pnpm/lock.yaml is not one) are not read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_npm_internal.h"

#define LOCK_CAP ((size_t)64 << 20)

static const struct want_rule rules[] = {
    {"**/pnpm-lock.yaml", LOCK_CAP},
    {NULL, 0},
};

struct pn {
    struct js_lock l;
    int major;   /* lockfileVersion's major number */
    json_t *idx; /* packages key -> index of its package */
};

/* Length of key without its peer suffix: "(…)" from 6.0 on, "_…" after the version's '/'
 * before (names may hold '_': "/string_decoder/1.3.0"). */
static size_t pn_strip(const char *key, int major)
{
    const char *p = strchr(key, '(');
    size_t n = p != NULL ? (size_t)(p - key) : strlen(key);
    if (major < 6) {
        const char *slash = NULL, *u;
        for (size_t i = 0; i < n; i++) {
            slash = key[i] == '/' ? key + i : slash;
        }
        slash = slash != NULL ? slash : key;
        u = memchr(slash, '_', n - (size_t)(slash - key));
        n = u != NULL ? (size_t)(u - key) : n;
    }
    return n;
}

/* Name and version of a packages key: 0 when it has neither. Before 6.0 NAME is the
 * component before VERSION, or the two of "@scope/name" (a host may come first). */
static int pn_key(const char *key, int major, const char **name, size_t *nlen, const char **ver,
                  size_t *vlen)
{
    const char *k = key[0] == '/' ? key + 1 : key;
    size_t n = pn_strip(k, major), cut = 0, start = 0;
    for (size_t i = 1; i < n; i++) {
        if (k[i] == (major >= 6 ? '@' : '/')) {
            cut = i; /* the last separator */
        }
    }
    if (cut == 0 || cut + 1 == n) {
        return 0;
    }
    if (major < 6) {
        for (start = cut; start > 0 && k[start - 1] != '/'; start--) {
        }
        if (start > 0) {
            size_t s = start - 1;
            for (; s > 0 && k[s - 1] != '/'; s--) {
            }
            start = k[s] == '@' ? s : start;
        }
    }
    *name = k + start;
    *nlen = cut - start;
    *ver = k + cut + 1;
    *vlen = n - cut - 1;
    return *nlen > 0;
}

static int pn_packages(struct pn *p, json_t *pkgs)
{
    const char *key;
    json_t *e;
    json_object_foreach(pkgs, key, e)
    {
        const char *name = cat_json_str(e, "name"), *ver = cat_json_str(e, "version");
        size_t nlen = name != NULL ? strlen(name) : 0, vlen = ver != NULL ? strlen(ver) : 0, i;
        json_t *iv;
        int rc;
        if (!json_is_object(e)) {
            continue;
        }
        if ((name == NULL || ver == NULL) && !pn_key(key, p->major, &name, &nlen, &ver, &vlen)) {
            continue;
        }
        rc = js_lock_pkg(&i, &p->l, name, nlen, ver, vlen);
        rc = rc ? rc : js_lock_alias(&p->l, key, strlen(key), i);
        if (rc == 0 && ((iv = json_integer((json_int_t)i)) == NULL ||
                        json_object_set_new_nocheck(p->idx, key, iv) != 0)) {
            rc = vouch_enomem(p->l.err);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* The entry dependency NAME: V of package from resolves to. */
static int pn_edge(struct pn *p, size_t from, const char *name, const char *v)
{
    char desc[2048];
    size_t vlen = p->major >= 9 ? pn_strip(v, 9) : strlen(v);
    const char *at = vlen > 1 ? memchr(v + 1, '@', vlen - 1) : NULL;
    int m, rc = 1;
    if (p->major >= 9) {
        m = at != NULL ? snprintf(desc, sizeof(desc), "%.*s", (int)vlen, v)
                       : snprintf(desc, sizeof(desc), "%s@%.*s", name, (int)vlen, v);
    } else {
        m = v[0] == '/'
                ? snprintf(desc, sizeof(desc), "%s", v)
                : snprintf(desc, sizeof(desc), "/%s%c%s", name, p->major >= 6 ? '@' : '/', v);
    }
    if (m > 0 && (size_t)m < sizeof(desc)) {
        rc = js_lock_edge(&p->l, from, desc, (size_t)m);
    }
    if (rc == 1) {
        rc = js_lock_edge(&p->l, from, v, strlen(v));
    }
    return rc == 1 ? 0 : rc;
}

/* Edges from the entries of obj ("packages" before 9.0, "snapshots" from 9.0 on). */
static int pn_edges(struct pn *p, json_t *obj)
{
    static const char *const keys[] = {"dependencies", "optionalDependencies"};
    const char *key, *name;
    json_t *e, *v;
    json_object_foreach(obj, key, e)
    {
        size_t klen = p->major >= 9 ? pn_strip(key, 9) : strlen(key);
        json_t *iv = json_object_getn(p->idx, key, klen);
        for (size_t i = 0; iv != NULL && i < sizeof(keys) / sizeof(keys[0]); i++) {
            json_object_foreach(json_object_get(e, keys[i]), name, v)
            {
                int rc = json_is_string(v) ? pn_edge(p, (size_t)json_integer_value(iv), name,
                                                     json_string_value(v))
                                           : 0;
                if (rc != 0) {
                    return rc;
                }
            }
        }
    }
    return 0;
}

static int pn_read(struct sbom_doc *doc, const char *path, json_t *lock, struct vouch_error *err)
{
    struct pn p = {.major = -1};
    const char *lv = cat_json_str(lock, "lockfileVersion");
    int rc;
    if (lv == NULL || lv[0] < '0' || lv[0] > '9') {
        doc_warn(doc, "pnpm: '%s': no lockfileVersion, skipped", path);
        return 0;
    }
    p.major = (int)strtol(lv, NULL, 10);
    if ((rc = js_lock_init(&p.l, doc, path, err)) != 0) {
        return rc;
    }
    if ((p.idx = json_object()) == NULL) {
        rc = vouch_enomem(err);
    }
    rc = rc ? rc : pn_packages(&p, json_object_get(lock, "packages"));
    rc = rc ? rc : pn_edges(&p, json_object_get(lock, p.major >= 9 ? "snapshots" : "packages"));
    json_decref(p.idx);
    js_lock_release(&p.l);
    return rc;
}

static int on_lock(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    void **c = vctx;
    json_t *j;
    int rc;
    if (strstr(path, "node_modules/") != NULL) {
        return 0;
    }
    if ((j = cat_yaml(c[0], "pnpm", path, d, len)) == NULL) {
        return 0;
    }
    rc = pn_read(c[0], path, j, c[1]);
    json_decref(j);
    return rc;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    void *c[2] = {doc, err};
    if (!cat_declared(doc)) {
        return 0;
    }
    return cat_each(r, rules, 1, on_lock, c);
}

const struct cataloger cat_pnpm_lock = {"pnpm-lock", rules, run};
