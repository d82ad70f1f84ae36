/* Helpers shared by the policy parser's files (policy_parse*.c). */
#ifndef SLSA_POLICY_PARSE_INTERNAL_H
#define SLSA_POLICY_PARSE_INTERNAL_H

#include <stddef.h>

#include "policy_internal.h"
#include "policy_node.h"

struct pctx {
    const char *file;
    const char *base_dir;
    struct vouch_error *err;
    struct slsa_policy *pol;
};

/** One key of a mapping: its parser and whether it must be present. */
struct pfield {
    const char *name;
    int (*parse)(struct pctx *c, const struct pnode *n, void *obj);
    int required;
};

/** Set a parse error at n's position: "FILE:LINE:COL: message". Returns VOUCH_EPARSE. */
int perr(struct pctx *c, const struct pnode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** Walk map with the field table (NULL-terminated): unknown keys and missing required
 *  keys are errors; what names the mapping in messages. */
int pfields(struct pctx *c, const struct pnode *map, const struct pfield *tab, void *obj,
            const char *what);
/** The field name of tab nearest to word (a typo's likely meaning), or NULL. */
const char *pnearest(const char *word, const struct pfield *tab);
int pstr(struct pctx *c, const struct pnode *n, char **out);
int pbool(struct pctx *c, const struct pnode *n, int *out);
int puint(struct pctx *c, const struct pnode *n, size_t max, size_t *out);
int pglob_list(struct pctx *c, const struct pnode *n, char ***out, size_t *count);
int pexpect(struct pctx *c, const struct pnode *n, enum pnode_type t);
/** Append one zeroed element of size to *arr (count *n); returns it or NULL (error set). */
/** Parse a key list (paths, {path:}, {pem:}) into ks. */
int pkeys(struct pctx *c, const struct pnode *n, struct pol_keyset *ks);
/** Parse "YYYY-MM-DD" (valid through that day, UTC) or RFC 3339 "…T hh:mm:ssZ". */
int pdate(struct pctx *c, const struct pnode *n, long long *out);

/* policy_parse_req.c: requirement sections of a rule. */
int preq_tags(struct pctx *c, const struct pnode *n, void *rule);
int preq_signatures(struct pctx *c, const struct pnode *n, void *rule);
int preq_attestations(struct pctx *c, const struct pnode *n, void *rule);
int preq_vulnerabilities(struct pctx *c, const struct pnode *n, void *rule);
int preq_sbom(struct pctx *c, const struct pnode *n, void *rule);
/* policy_parse_notation.c: signatures.notation. */
int preq_notation(struct pctx *c, const struct pnode *n, struct pol_notation *nt);
void pol_notation_release(struct pol_notation *nt);
/* policy_parse_keyless.c: signatures.keyless, attestations[].keyless. */
int preq_keyless(struct pctx *c, const struct pnode *n, struct pol_keyless *k);
void pol_keyless_release(struct pol_keyless *k);

#define PREGEX_MAX_LEN 1024
#define PREGEX_MAX_REPEAT 10000
/** 1 when a policy regex is longer than PREGEX_MAX_LEN or its bounded repetitions could
 *  multiply past PREGEX_MAX_REPEAT copies (see policy_parse_util.c). */
int pregex_too_big(const char *re);

/** A list of strings (malloc'd) from a sequence node. */
int pstr_list(struct pctx *c, const struct pnode *n, char ***out, size_t *count);

#endif
