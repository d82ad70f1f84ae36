/* yarn lockfiles (dir: sources): yarn.lock v1 ("classic", cat_yarn_v1.c) and v2+
 * ("berry": YAML with a __metadata key, read with libyaml). Berry entries are keyed by
 * their descriptors ("ms@npm:2.0.0, ms@npm:^2.0.0"); "resolution" names the package
 * ("ms@npm:2.0.0", "resolve@patch:resolve@npm%3A…": a patched copy is the same
 * name@version), "dependencies" map names to ranges that are descriptors again. Workspaces,
 * link: and portal: entries (linkType soft) are local code, not packages: berry records
 * no version of them. Lockfiles inside node_modules belong to dependencies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_npm_internal.h"

#define LOCK_CAP ((size_t)64 << 20)

static const struct want_rule rules[] = {
    {"**/yarn.lock", LOCK_CAP},
    {NULL, 0},
};

/* Name and protocol of a resolution "NAME@PROTOCOL:REST" (scoped names start with '@'). */
static size_t berry_name(const char *res, const char **proto, size_t *proto_len)
{
    const char *at = res[0] != '\0' ? strchr(res + 1, '@') : NULL, *colon;
    if (at == NULL) {
        return 0;
    }
    *proto = at + 1;
    colon = strchr(at + 1, ':');
    *proto_len = colon != NULL ? (size_t)(colon - (at + 1)) : 0;
    return (size_t)(at - res);
}

static int local_protocol(const char *proto, size_t len)
{
    static const char *const local[] = {"workspace", "link", "portal"};
    for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
        if (len == strlen(local[i]) && memcmp(proto, local[i], len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* One entry: a package, and its descriptors ("a@npm:^1, a@npm:^1.2") mapped to it. */
static int berry_entry(struct js_lock *l, const char *key, json_t *e, size_t *idx)
{
    const char *res = cat_json_str(e, "resolution"), *ver = cat_json_str(e, "version");
    const char *link = cat_json_str(e, "linkType"), *proto = NULL;
    size_t plen = 0, nlen;
    int rc;
    *idx = (size_t)-1;
    if (res == NULL || ver == NULL || (link != NULL && strcmp(link, "soft") == 0)) {
        return 0;
    }
    nlen = berry_name(res, &proto, &plen);
    if (nlen == 0 || local_protocol(proto, plen)) {
        return 0;
    }
    rc = js_lock_pkg(idx, l, res, nlen, ver, strlen(ver));
    for (const char *d = key; rc == 0 && *d != '\0';) {
        const char *comma = strchr(d, ',');
        size_t dl = comma != NULL ? (size_t)(comma - d) : strlen(d);
        rc = js_lock_alias(l, d, dl, *idx);
        d += dl;
        while (*d == ',' || *d == ' ') {
            d++;
        }
    }
    return rc;
}

/* Edges of one entry: "NAME: RANGE" is the descriptor NAME@RANGE (yarn 2 wrote ranges
 * without the default npm: protocol). */
static int berry_edges(struct js_lock *l, json_t *e, size_t from)
{
    static const char *const keys[] = {"dependencies", "optionalDependencies"};
    const char *name;
    json_t *v;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_object_foreach(json_object_get(e, keys[i]), name, v)
        {
            const char *range = json_string_value(v);
            char desc[2048];
            int m;
            if (range == NULL || rc != 0) {
                continue;
            }
            m = snprintf(desc, sizeof(desc), "%s@%s", name, range);
            if (m > 0 && (size_t)m < sizeof(desc)) {
                rc = js_lock_edge(l, from, desc, (size_t)m);
            }
            if (rc == 1 && strchr(range, ':') == NULL) {
                m = snprintf(desc, sizeof(desc), "%s@npm:%s", name, range);
                rc = m > 0 && (size_t)m < sizeof(desc) ? js_lock_edge(l, from, desc, (size_t)m) : 1;
            }
            rc = rc == 1 ? 0 : rc;
        }
    }
    return rc;
}

int yarn_berry_read(struct sbom_doc *doc, const char *path, json_t *lock, struct vouch_error *err)
{
    struct js_lock l;
    size_t n = json_object_size(lock), i = 0, *idx;
    const char *key;
    json_t *e;
    int rc = js_lock_init(&l, doc, path, err);
    if (rc != 0) {
        return rc;
    }
    if ((idx = calloc(n + 1, sizeof(*idx))) == NULL) {
        js_lock_release(&l);
        return vouch_enomem(err);
    }
    json_object_foreach(lock, key, e)
    {
        idx[i] = (size_t)-1;
        if (rc == 0 && json_is_object(e) && strcmp(key, "__metadata") != 0) {
            rc = berry_entry(&l, key, e, &idx[i]);
        }
        i++;
    }
    i = 0;
    json_object_foreach(lock, key, e)
    {
        if (rc == 0 && idx[i] != (size_t)-1) {
            rc = berry_edges(&l, e, idx[i]);
        }
        i++;
    }
    free(idx);
    js_lock_release(&l);
    return rc;
}

/* Berry lockfiles are YAML documents with a top-level __metadata key. */
static int is_berry(const unsigned char *d, size_t len)
{
    static const char k[] = "__metadata:";
    for (size_t i = 0; i + sizeof(k) - 1 <= len; i++) {
        if ((i == 0 || d[i - 1] == '\n') && memcmp(d + i, k, sizeof(k) - 1) == 0) {
            return 1;
        }
        const unsigned char *nl = memchr(d + i, '\n', len - i);
        if (nl == NULL) {
            return 0;
        }
        i = (size_t)(nl - d);
    }
    return 0;
}

static int on_lock(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    void **c = vctx;
    struct sbom_doc *doc = c[0];
    json_t *j;
    int rc;
    if (strstr(path, "node_modules/") != NULL) {
        return 0;
    }
    if (!is_berry(d, len)) {
        return yarn_v1_read(doc, path, d, len, c[1]);
    }
    if ((j = cat_yaml(doc, "yarn", path, d, len)) == NULL) {
        return 0;
    }
    rc = yarn_berry_read(doc, path, j, c[1]);
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

const struct cataloger cat_yarn_lock = {"yarn-lock", rules, run};
