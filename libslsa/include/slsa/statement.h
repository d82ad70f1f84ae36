/* in-toto Statement v1 (and v0.1 on input): subjects, predicateType and a JSON predicate.
 * Build one and write it as deterministic JSON, or parse one strictly from untrusted bytes. */
#ifndef SLSA_STATEMENT_H
#define SLSA_STATEMENT_H

#include <stddef.h>

#include "vouch/error.h"

#define SLSA_STATEMENT_V1 "https://in-toto.io/Statement/v1"
#define SLSA_STATEMENT_V01 "https://in-toto.io/Statement/v0.1"
#define SLSA_PAYLOAD_TYPE "application/vnd.in-toto+json"

/* Limits for parsing untrusted statements (as sigstore-go: GHSA-cq38-jh5f-37mq). */
#define SLSA_STATEMENT_MAX_BYTES ((size_t)32 << 20)
#define SLSA_MAX_SUBJECTS 1024
#define SLSA_MAX_DIGESTS 32

/** Output flags for the _write functions. */
enum {
    SLSA_JSON_COMPACT = 0, /* one line, no spaces: the form that is signed */
    SLSA_JSON_INDENT = 1,  /* two-space indentation, for people */
};

/** One digest of a subject: algorithm name ("sha256") and lowercase hex. */
struct slsa_digest {
    const char *alg;
    const char *hex;
};

/** An in-toto statement (opaque). */
struct slsa_statement;

/** A new v1 statement with no subjects and no predicate; predicate_type must be an absolute
 *  URI (map cosign's names first with slsa_predicate_type_from_name). */
int slsa_statement_new(struct slsa_statement **out, const char *predicate_type,
                       struct vouch_error *err);

/**
 * Add a subject: name (NULL: none) and n digests (alg + lowercase hex; known algorithms
 * must have their exact length). Fails with VOUCH_EINVAL on a bad digest or too many.
 */
int slsa_statement_add_subject(struct slsa_statement *st, const char *name,
                               const struct slsa_digest *digests, size_t n,
                               struct vouch_error *err);

/** Set the predicate from JSON text, which must be an object (replaces any previous). */
int slsa_statement_set_predicate(struct slsa_statement *st, const char *json, size_t len,
                                 struct vouch_error *err);

/**
 * Serialise as {"_type","subject","predicateType","predicate"} in that order. *out is
 * malloc'd and NUL-terminated (no trailing newline); flags are SLSA_JSON_*.
 */
int slsa_statement_write(char **out, size_t *out_len, const struct slsa_statement *st, int flags,
                         struct vouch_error *err);

/**
 * Parse a statement from untrusted bytes (at most SLSA_STATEMENT_MAX_BYTES). Strict about
 * the types of known fields; accepts _type v1 and v0.1; ignores unknown fields as the spec
 * requires; requires at least one subject, each with a digest. Malformed is VOUCH_EPARSE.
 */
int slsa_statement_parse(struct slsa_statement **out, const unsigned char *data, size_t len,
                         struct vouch_error *err);

/** The _type URI (borrowed). */
const char *slsa_statement_type(const struct slsa_statement *st);
/** The predicateType URI (borrowed). */
const char *slsa_statement_predicate_type(const struct slsa_statement *st);
/** Number of subjects. */
size_t slsa_statement_subject_count(const struct slsa_statement *st);
/** Name of subject i, or NULL when unset (borrowed). */
const char *slsa_statement_subject_name(const struct slsa_statement *st, size_t i);
/** Hex digest of subject i for alg, or NULL (borrowed). */
const char *slsa_statement_subject_digest(const struct slsa_statement *st, size_t i,
                                          const char *alg);

/**
 * Check that some subject has digest alg = hex (lowercase). 0 when one does; VOUCH_EVERIFY
 * with a reason naming the digest when none does.
 */
int slsa_statement_match_digest(const struct slsa_statement *st, const char *alg, const char *hex,
                                struct vouch_error *err);

/** The predicate as compact JSON ("{}" when unset). *out is malloc'd. */
int slsa_statement_predicate_json(char **out, size_t *out_len, const struct slsa_statement *st,
                                  struct vouch_error *err);

/** Free; accepts NULL. */
void slsa_statement_free(struct slsa_statement *st);

/**
 * Map cosign's --type names to predicate URIs (signing.md §2.1): custom, slsaprovenance,
 * slsaprovenance02, slsaprovenance1, spdx, spdxjson, cyclonedx, vuln, openvex, link. Any
 * other value must be an absolute URI (scheme ":" rest) and is returned as given. *out is
 * borrowed (static or name itself).
 */
int slsa_predicate_type_from_name(const char **out, const char *name, struct vouch_error *err);

#define SLSA_PREDICATE_CUSTOM "https://cosign.sigstore.dev/attestation/v1"
#define SLSA_PREDICATE_PROVENANCE_V1 "https://slsa.dev/provenance/v1"
#define SLSA_PREDICATE_PROVENANCE_V02 "https://slsa.dev/provenance/v0.2"

#endif
