/* Private to the npm catalogers (cat_npm.c installed trees, cat_npm_lock.c lockfiles):
 * Node's module resolution over package directories, for exact dependency edges. */
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

#endif
