/* npm lockfiles (dir: sources): package-lock.json / npm-shrinkwrap.json v2 and v3 read
 * from "packages" (keys are install paths, resolved like an installed tree), v1 from the
 * nested "dependencies" objects ("requires" are the edges). Lockfiles inside node_modules
 * belong to dependencies and are not read. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cat_npm_internal.h"
#include "vouch/jread.h"

#define LOCK_CAP ((size_t)64 << 20)
#define V1_DEPTH 64

static const struct want_rule rules[] = {
    {"**/package-lock.json", LOCK_CAP},
    {"**/npm-shrinkwrap.json", LOCK_CAP},
    {NULL, 0},
};

struct lock_ctx {
    struct sbom_doc *doc;
    struct npm_tree tree;
    const char *path;
    struct vouch_error *err;
};

static int add(struct lock_ctx *c, const char *name, json_t *e, const char *dir,
               struct npm_node **node)
{
    const char *ver = json_string_value(json_object_get(e, "version"));
    struct sbom_pkg *k;
    int rc;
    *node = NULL;
    if (ver == NULL || ver[0] == '\0' || name == NULL || name[0] == '\0' ||
        json_is_true(json_object_get(e, "link"))) {
        return 0; /* workspace links point at a package listed under its own key */
    }
    rc = doc_pkg_add(&k, c->doc, SBOM_PKG_NPM, c->err);
    rc = rc ? rc : util_set(&k->name, name, (size_t)-1, c->err);
    rc = rc ? rc : util_set(&k->version, ver, (size_t)-1, c->err);
    rc = rc ? rc : strv_push(&k->locations, c->path, (size_t)-1, c->err);
    rc = rc ? rc : npm_tree_add(node, &c->tree, c->doc, dir, strlen(dir), c->err);
    return rc;
}

/* v2/v3: "packages": {"": root, "node_modules/a": {...}, "node_modules/a/node_modules/b"}. */
static int read_packages(struct lock_ctx *c, json_t *pkgs, const char *base)
{
    const char *key;
    json_t *e;
    int rc = 0;
    json_object_foreach(pkgs, key, e)
    {
        const char *nm = strrchr(key, '/'), *name;
        char dir[CAT_PATH_MAX];
        struct npm_node *node;
        if (key[0] == '\0' || !json_is_object(e)) {
            continue; /* the project itself */
        }
        /* the name is the path after the last node_modules/ (scoped: two components) */
        name = json_string_value(json_object_get(e, "name"));
        if (name == NULL) {
            const char *last = NULL;
            for (const char *p = key; (p = strstr(p, "node_modules/")) != NULL; p++) {
                last = p + 13;
            }
            name = last != NULL ? last : (nm != NULL ? nm + 1 : key);
        }
        int m = snprintf(dir, sizeof(dir), "%s%s%s", base, base[0] ? "/" : "", key);
        if (m < 0 || (size_t)m >= sizeof(dir)) {
            continue;
        }
        rc = add(c, name, e, dir, &node);
        if (rc == 0 && node != NULL) {
            rc = npm_fill(c->doc->pkgs[node->pkg], node, e, c->err);
        }
        if (rc != 0) {
            break;
        }
    }
    return rc;
}

/* v1: "dependencies": {"a": {"version", "requires": {...}, "dependencies": {nested}}}. */
static int read_v1(struct lock_ctx *c, json_t *deps, const char *dir, int depth)
{
    const char *name, *req;
    json_t *e, *v;
    int rc = 0;
    if (depth > V1_DEPTH) {
        doc_warn(c->doc, "npm: '%s': dependencies nested deeper than %d, rest skipped", c->path,
                 V1_DEPTH);
        return 0;
    }
    json_object_foreach(deps, name, e)
    {
        char sub[CAT_PATH_MAX];
        struct npm_node *node;
        int m = snprintf(sub, sizeof(sub), "%s%snode_modules/%s", dir, dir[0] ? "/" : "", name);
        if (!json_is_object(e) || m < 0 || (size_t)m >= sizeof(sub)) {
            continue;
        }
        rc = add(c, name, e, sub, &node);
        if (rc == 0 && node != NULL) {
            rc = npm_fill(c->doc->pkgs[node->pkg], NULL, e, c->err);
            json_object_foreach(json_object_get(e, "requires"), req, v)
            {
                rc = rc ? rc : strv_add_unique(&node->deps, req, (size_t)-1, c->err);
            }
        }
        rc = rc ? rc : read_v1(c, json_object_get(e, "dependencies"), sub, depth + 1);
        if (rc != 0) {
            break;
        }
    }
    return rc;
}

static int on_lock(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct lock_ctx *c = vctx;
    json_error_t je;
    json_t *j, *pkgs;
    char base[CAT_PATH_MAX];
    const char *slash = strrchr(path, '/');
    int rc;
    if (strstr(path, "node_modules/") != NULL) {
        return 0;
    }
    j = vouch_json_load((const char *)d, len, 0, &je);
    if (!json_is_object(j)) {
        doc_warn(c->doc, "npm: '%s': not a lockfile (line %d: %s), skipped", path, je.line,
                 j == NULL ? je.text : "not an object");
        json_decref(j);
        return 0;
    }
    snprintf(base, sizeof(base), "%.*s", slash != NULL ? (int)(slash - path) : 0, path);
    c->path = path;
    pkgs = json_object_get(j, "packages");
    rc = json_is_object(pkgs) ? read_packages(c, pkgs, base)
                              : read_v1(c, json_object_get(j, "dependencies"), base, 0);
    json_decref(j);
    return rc;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct lock_ctx c = {.doc = doc, .err = err};
    int rc;
    if (!cat_declared(doc)) {
        return 0;
    }
    rc = cat_each(r, rules, 2, on_lock, &c);
    rc = rc ? rc : npm_tree_link(&c.tree, doc, err);
    npm_tree_release(&c.tree);
    return rc;
}

const struct cataloger cat_npm_lock = {"npm-lock", rules, run};
