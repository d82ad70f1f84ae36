/* Private parts of in-toto statements shared by statement.c and statement_parse.c. */
#ifndef SLSA_STATEMENT_INTERNAL_H
#define SLSA_STATEMENT_INTERNAL_H

#include <jansson.h>

#include "slsa/statement.h"

struct slsa_statement {
    char *type;           /* _type */
    char *predicate_type; /* predicateType */
    json_t *subjects;     /* array of ResourceDescriptor objects, each with "digest" */
    json_t *predicate;    /* object, or NULL when unset */
};

/** Allocate an empty statement with _type and predicateType copied. */
int statement_alloc(struct slsa_statement **out, const char *type, const char *predicate_type,
                    struct vouch_error *err);

/** Check one digest entry: known algorithms need lowercase hex of their exact length,
 *  others a non-empty string. VOUCH_EINVAL with the algorithm named. */
int statement_check_digest(const char *alg, const char *hex, struct vouch_error *err);

/** 1 if s is an absolute URI: an RFC 3986 scheme, ':' and something after it. */
int slsa_is_absolute_uri(const char *s);

/** Dump a jansson value with SLSA_JSON_* flags into a malloc'd string. */
int slsa_json_dump(char **out, size_t *out_len, const json_t *v, int flags,
                   struct vouch_error *err);

#endif
