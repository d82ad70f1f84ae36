/* A position-carrying document tree for strict policy parsing: YAML and JSON files are
 * read into it (libyaml events; JSON is first checked strictly by jansson), so every
 * semantic error can name FILE:LINE:COL. Private to libslsa. */
#ifndef SLSA_POLICY_NODE_H
#define SLSA_POLICY_NODE_H

#include <stddef.h>

#include "vouch/error.h"

enum pnode_type { PNODE_MAP = 0, PNODE_SEQ, PNODE_SCALAR };

struct pnode {
    enum pnode_type type;
    int line, col;        /* 1-based; 0 when unknown */
    char *str;            /* scalar text */
    int quoted;           /* scalar was quoted (always a string) */
    size_t n;             /* map pairs or sequence items */
    struct pnode **keys;  /* map keys (scalars) */
    struct pnode **items; /* map values or sequence items */
};

/** Parse text (".json" names are validated as strict JSON first). Errors are
 *  VOUCH_EPARSE "NAME:LINE:COL: reason". Aliases, anchors, tags, duplicate keys,
 *  non-scalar keys and nesting deeper than 32 are rejected. */
int pnode_parse(struct pnode **out, const char *text, size_t len, const char *name,
                struct vouch_error *err);
void pnode_free(struct pnode *n);

/** Human name of a node type for messages ("a mapping", "a list", "a string"). */
const char *pnode_type_name(const struct pnode *n);

#endif
