/* Private to the npm catalogers (cat_npm.c installed trees, cat_npm_lock.c lockfiles):
 * Node's module resolution over package directories, for exact dependency edges; and to
 * the yarn and pnpm lockfile readers (cat_yarn*.c, cat_pnpm.c): descriptors resolved to
 * packages (cat_js_lock.c). */
#ifndef SBOM_CAT_NPM_INTERNAL_H
#define SBOM_CAT_NPM_INTERNAL_H

#include <jansson.h>

#include "cat_internal.h"

/** One installed (or locked) package: its directory and the names it depends on. */
struct npm_node {
    char *dir;  /* "app/node_modules/a/node_modules/b" */
    size_t pkg; /* index into the document's packages */
    struct strv deps;
};

/** Packages of one cataloger run, keyed by directory. Zero-initialise. */
struct npm_tree {
    struct npm_node *v;
    size_t n;
    size_t cap;
};

/** Add a node for doc's last package (dir copied); *out borrowed for adding deps. */
int npm_tree_add(struct npm_node **out, struct npm_tree *t, const struct sbom_doc *doc,
                 const char *dir, size_t dir_len, struct vouch_error *err);

/** Resolve every node's deps the way Node does (its own node_modules, then each ancestor's)
 *  and record them as "NAME@VERSION" dependencies of its package. */
int npm_tree_link(struct npm_tree *t, struct sbom_doc *doc, struct vouch_error *err);

/** Free the nodes. */
void npm_tree_release(struct npm_tree *t);

/** name, version, license(s) and dependency names of a package.json-like object
 *  into k and node (deps: dependencies, optionalDependencies, peerDependencies). */
int npm_fill(struct sbom_pkg *k, struct npm_node *node, json_t *obj, struct vouch_error *err);

/** One yarn or pnpm lockfile being read: the descriptors its entries are known by. */
struct js_lock {
    struct sbom_doc *doc;
    const char *path; /* the lockfile: every package's location */
    json_t *map;      /* descriptor -> "NAME@VERSION" */
    struct vouch_error *err;
};

/** Start reading the lockfile at path into doc. */
int js_lock_init(struct js_lock *l, struct sbom_doc *doc, const char *path,
                 struct vouch_error *err);

/** Free the descriptor map. */
void js_lock_release(struct js_lock *l);

/** Add an npm package found in the lockfile; *idx is its index in doc->pkgs. */
int js_lock_pkg(size_t *idx, struct js_lock *l, const char *name, size_t name_len,
                const char *version, size_t version_len);

/** desc resolves to package idx. */
int js_lock_alias(struct js_lock *l, const char *desc, size_t desc_len, size_t idx);

/** Package from depends on what desc resolves to: 0 recorded, 1 unknown descriptor. */
int js_lock_edge(struct js_lock *l, size_t from, const char *desc, size_t desc_len);

/** yarn.lock v1 ("classic", yarn's own text format) at path. */
int yarn_v1_read(struct sbom_doc *doc, const char *path, const unsigned char *d, size_t len,
                 struct vouch_error *err);

/** yarn.lock v2+ ("berry", YAML with __metadata) at path, parsed. */
int yarn_berry_read(struct sbom_doc *doc, const char *path, json_t *lock, struct vouch_error *err);

#endif
