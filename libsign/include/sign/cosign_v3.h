/* cosign v3's bundle form of image signatures (signing.md §2.3): an in-toto Statement v1
 * (predicateType https://sigstore.dev/cosign/sign/v1) in DSSE in a sigstore bundle v0.3,
 * attached as an OCI 1.1 referrer of the image, plus the referrers tag "sha256-<hex>". */
#ifndef SIGN_COSIGN_V3_H
#define SIGN_COSIGN_V3_H

#include <stddef.h>

#include "sign/cosign.h"
#include "sign/key.h"
#include "sign/oci.h"
#include "sign/sigstore.h"
#include "vouch/error.h"

#define SIGN_COSIGN_V3_PREDICATE "https://sigstore.dev/cosign/sign/v1"
#define SIGN_COSIGN_V3_EMPTY_MT "application/vnd.oci.empty.v1+json"

/**
 * The statement cosign v3 signs for digest ("sha256:<hex>"), compact JSON:
 * {"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"<hex>"}
 * [,"annotations":{…}]}],"predicateType":SIGN_COSIGN_V3_PREDICATE,"predicate":{}}
 * with annotations in the given order. *out is malloc'd.
 */
int sign_cosign_v3_statement(char **out, size_t *len, const char *digest,
                             const struct sign_annotation *ann, size_t n_ann,
                             struct vouch_error *err);

/**
 * Sign digest's manifest in src with key: the statement in a DSSE envelope in a sigstore
 * bundle, pushed as a referrer manifest whose subject is digest, and added to the
 * "sha256-<hex>" referrers tag index. ref_digest (SIGN_REF_DIGEST_MAX bytes) gets the
 * referrer manifest's digest.
 */
int sign_cosign_v3_sign(char *ref_digest, struct sign_oci_source *src, const char *digest,
                        const struct sign_key *key, const struct sign_annotation *ann, size_t n_ann,
                        struct vouch_error *err);

/** Verified statements (malloc'd JSON texts) of the bundle referrers of a digest. */
struct sign_cosign_v3_result {
    char **stmt;
    size_t *len;
    size_t n;           /* statements kept (may be 0) */
    size_t seen;        /* bundles looked at */
    char reasons[1024]; /* one "bundle: why" per rejected bundle, "; "-separated */
    struct sign_sigstore_result verified; /* sigstore: what the last kept bundle proved
                                             (its payload member is always NULL) */
};

/**
 * Verify the bundle referrers of digest in src with key; a bundle is kept when its DSSE
 * verifies, its payload is an in-toto statement of predicate type SIGN_COSIGN_V3_PREDICATE
 * for digest and it carries every annotation in ann. Rejected bundles are not errors (they
 * are listed in out->reasons); transport failures are.
 */
int sign_cosign_v3_verify(struct sign_cosign_v3_result *out, struct sign_oci_source *src,
                          const char *digest, const struct sign_key *key,
                          const struct sign_annotation *ann, size_t n_ann, struct vouch_error *err);

/**
 * sign_cosign_v3_verify with sigstore's checks instead of a bare key (sign_sigstore_verify
 * over digest: keyless with ss->identity, or ss->key with the bundle's log entries), then
 * the same statement checks.
 */
int sign_cosign_v3_verify_sigstore(struct sign_cosign_v3_result *out, struct sign_oci_source *src,
                                   const char *digest, const struct sign_sigstore_opts *ss,
                                   const struct sign_annotation *ann, size_t n_ann,
                                   struct vouch_error *err);

/** Free what out holds and zero it. */
void sign_cosign_v3_result_release(struct sign_cosign_v3_result *r);

#endif
