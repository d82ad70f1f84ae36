/* Verifying attestations: a DSSE envelope's signature, its in-toto statement (payload
 * type, subject digest, predicate type) and, for SLSA provenance, the checks slsa-verifier
 * makes (builder id, source repository, tag, branch, build type). */
#ifndef SLSA_VERIFY_H
#define SLSA_VERIFY_H

#include <stddef.h>

#include "sign/dsse.h"
#include "sign/key.h"
#include "slsa/statement.h"
#include "vouch/error.h"

/** What the caller expects. NULL members are not checked, except predicate_type and
 *  subject, which are required. */
struct slsa_expect {
    const char *predicate_type;        /* exact predicateType URI */
    const struct slsa_digest *subject; /* some subject must carry this digest */
    const char *builder_id;    /* exact, or without "@ref" to match any ref of that builder */
    const char *source_uri;    /* "github.com/o/r", "https://…" or "git+https://…" */
    const char *source_tag;    /* the source ref must be refs/tags/<tag> */
    const char *source_branch; /* the source ref must be refs/heads/<branch> */
    const char *build_type;    /* exact buildType URI */
    const char *source_versioned_tag; /* refs/tags/<semver> matching this version's given
                                       * components: "v1" takes v1.x.y (slsa-verifier) */
};

/**
 * Verify env with key and check the statement it carries against exp: signature (an
 * envelope without signatures fails), payloadType application/vnd.in-toto+json, a
 * well-formed statement, predicateType, subject digest, then the provenance checks. Every
 * rejection is VOUCH_EVERIFY with the reason. On success *out (if out is not NULL) is the
 * verified statement.
 */
int slsa_attestation_verify(struct slsa_statement **out, const struct sign_dsse *env,
                            const struct sign_key *key, const struct slsa_expect *exp,
                            struct vouch_error *err);

/**
 * The statement-level checks of slsa_attestation_verify on an already verified statement:
 * predicateType, subject and the provenance checks (SLSA v1 and v0.2 predicates; the
 * builder/source/build-type expectations on any other predicate type are VOUCH_EVERIFY).
 */
int slsa_statement_check(const struct slsa_statement *st, const struct slsa_expect *exp,
                         struct vouch_error *err);

/**
 * Normalise a source repository as slsa-verifier does: "github.com/o/r" and
 * "https://github.com/o/r" become "git+https://github.com/o/r"; a trailing ".git" and any
 * "@ref" are dropped. *out is malloc'd.
 */
int slsa_source_uri_normalize(char **out, const char *uri, struct vouch_error *err);

#endif
