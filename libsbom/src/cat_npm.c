/* npm, installed: every node_modules/NAME/package.json and node_modules/@SCOPE/NAME/
 * package.json at any depth (nested copies, global trees such as usr/lib/node_modules,
 * no lockfile needed). Dependency edges follow Node's resolution (cat_npm_tree.c). */
#include <jansson.h>
#include <string.h>

#include "cat_npm_internal.h"
#include "vouch/jread.h"

#define PKG_CAP ((size_t)4 << 20)

static const struct want_rule rules[] = {
    {"**/node_modules/*/package.json", PKG_CAP},
    {"**/node_modules/@*/*/package.json", PKG_CAP},
    {NULL, 0},
};

struct npm_ctx {
    struct sbom_doc *doc;
    struct npm_tree tree;
    struct vouch_error *err;
};

static int add_pkg(struct npm_ctx *c, const char *path, json_t *j)
{
    const char *name = json_string_value(json_object_get(j, "name"));
    const char *ver = json_string_value(json_object_get(j, "version"));
    size_t dlen = strlen(path) - strlen("/package.json");
    struct sbom_pkg *k;
    struct npm_node *node;
    int rc;
    if (name == NULL || ver == NULL || name[0] == '\0' || ver[0] == '\0') {
        doc_warn(c->doc, "npm: '%s': no name or version, skipped", path);
        return 0;
    }
    rc = doc_pkg_add(&k, c->doc, SBOM_PKG_NPM, c->err);
    rc = rc ? rc : util_set(&k->name, name, (size_t)-1, c->err);
    rc = rc ? rc : util_set(&k->version, ver, (size_t)-1, c->err);
    rc = rc ? rc : strv_push(&k->locations, path, (size_t)-1, c->err);
    rc = rc ? rc : npm_tree_add(&node, &c->tree, c->doc, path, dlen, c->err);
    rc = rc ? rc : npm_fill(k, node, j, c->err);
    return rc;
}

static int on_file(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct npm_ctx *c = vctx;
    json_error_t je;
    json_t *j = vouch_json_load((const char *)d, len, JSON_DECODE_ANY, &je);
    int rc;
    if (!json_is_object(j)) {
        doc_warn(c->doc, "npm: '%s': not a package.json object (line %d: %s), skipped", path,
                 je.line, j == NULL ? je.text : "not an object");
        json_decref(j);
        return 0;
    }
    rc = add_pkg(c, path, j);
    json_decref(j);
    return rc;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct npm_ctx c = {.doc = doc, .err = err};
    int rc = cat_each(r, rules, 2, on_file, &c);
    rc = rc ? rc : npm_tree_link(&c.tree, doc, err);
    npm_tree_release(&c.tree);
    return rc;
}

const struct cataloger cat_npm = {"npm", rules, run};
