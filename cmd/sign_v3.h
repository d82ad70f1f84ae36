/* cosign v3's bundle form of image signatures (signing.md §2.3): an in-toto Statement v1
 * (predicateType https://sigstore.dev/cosign/sign/v1) in DSSE in a sigstore bundle v0.3,
 * attached as an OCI 1.1 referrer of the image, plus the referrers tag "sha256-<hex>". */
#ifndef VOUCH_CMD_SIGN_V3_H
#define VOUCH_CMD_SIGN_V3_H

#include <stddef.h>

#include "annotations.h"
#include "sign/key.h"
#include "sign/oci.h"

#define SIGN_V3_PREDICATE "https://sigstore.dev/cosign/sign/v1"
#define SIGN_V3_EMPTY_MT "application/vnd.oci.empty.v1+json"

/** Sign digest's manifest with key; ref_digest (SIGN_REF_DIGEST_MAX) gets the referrer
 *  manifest's digest. */
int sign_v3_sign(char *ref_digest, struct sign_oci_source *src, const char *digest,
                 const struct sign_key *key, const struct sig_annotations *ann,
                 struct vouch_error *err);

/** Verified statements (malloc'd JSON texts) of bundle referrers of digest; *n may be 0.
 *  reasons (may be NULL) gets one line per rejected bundle. */
struct sign_v3_result {
    char **stmt;
    size_t *len;
    size_t n, seen;
    char reasons[1024];
};

int sign_v3_verify(struct sign_v3_result *out, struct sign_oci_source *src, const char *digest,
                   const struct sign_key *key, const struct sig_annotations *ann,
                   struct vouch_error *err);

void sign_v3_result_release(struct sign_v3_result *r);

#endif
