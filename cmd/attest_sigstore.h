/* verify-attestation with sigstore's checks (keyless, or a key with its log entries): the
 * envelope of a `.att` layer (certificate and Rekor bundle annotations) or of a sigstore
 * bundle verified over the subject digest, and the result reported as JSON. */
#ifndef VOUCH_CMD_ATTEST_SIGSTORE_H
#define VOUCH_CMD_ATTEST_SIGSTORE_H

#include <stddef.h>

#include "sign/cosign.h"
#include "sign/sigstore.h"
#include "vouch/error.h"

/**
 * One `.att` layer (data, the DSSE envelope bytes) with its annotations through so: on
 * success res->payload is the verified in-toto statement (payloadType checked).
 */
int attest_sigstore_layer(struct sign_sigstore_result *res, const struct sign_sigstore_opts *so,
                          const struct sign_sig_layer *l, const unsigned char *data, size_t n,
                          struct vouch_error *err);

/**
 * A sigstore bundle (JSON bytes) with a DSSE envelope through so over the subject digest
 * (sha256 hex): on success res->payload is the verified in-toto statement.
 */
int attest_sigstore_bundle(struct sign_sigstore_result *res, const struct sign_sigstore_opts *so,
                           const char *hex, const unsigned char *data, size_t n,
                           struct vouch_error *err);

/** {"identity":…,"issuer":…,"logIndex":N,"integratedTime":N,"statement":STMT} (members of what
 *  res proved only); *out is malloc'd. */
int attest_sigstore_json(char **out, size_t *len, const struct sign_sigstore_result *res,
                         const char *stmt, size_t stmt_len, struct vouch_error *err);

#endif
