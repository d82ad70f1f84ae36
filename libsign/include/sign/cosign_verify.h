/* Verification of cosign legacy signatures (`.sig` images): each simple-signing layer's
 * blob is fetched, digest-checked, its signature checked against the given keys, and its
 * payload checked against the image digest and required annotations. */
#ifndef SIGN_COSIGN_VERIFY_H
#define SIGN_COSIGN_VERIFY_H

#include <stddef.h>

#include "sign/cosign.h"
#include "sign/key.h"
#include "vouch/error.h"

/**
 * Fetch a blob by digest ("sha256:<hex>") into memory, at most max bytes. *out is
 * malloc'd and NUL-terminated (the NUL not counted). The verifier re-checks the digest.
 */
typedef int (*sign_blob_fetch_fn)(void *ctx, const char *digest, size_t max, unsigned char **out,
                                  size_t *out_len, struct vouch_error *err);

/** Outcome of verifying a signature image (opaque). */
struct sign_cosign_result;

/**
 * Verify every simple-signing layer of img. A layer counts when its blob matches its
 * digest, its signature verifies with one of keys (SHA-256), and its payload names
 * image_digest and carries every required annotation. Returns 0 when at least one layer
 * counts; VOUCH_EVERIFY (err: the reasons) when none does. *out (also set on EVERIFY)
 * lists the verified payloads and the reason each other layer was refused.
 */
int sign_cosign_verify(struct sign_cosign_result **out, const struct sign_sigimage *img,
                       sign_blob_fetch_fn fetch, void *ctx, const struct sign_key *const *keys,
                       size_t n_keys, const char *image_digest, const struct sign_annotation *req,
                       size_t n_req, struct vouch_error *err);

struct sign_sigstore_opts;

/**
 * As sign_cosign_verify, with every layer checked as sigstore does (sign_sigstore_verify_legacy
 * over its certificate and dev.sigstore.cosign/bundle annotations, against ss's trusted root
 * and identity, or ss->key with the Rekor checks). Result key indexes are 0.
 */
int sign_cosign_verify_sigstore(struct sign_cosign_result **out, const struct sign_sigimage *img,
                                sign_blob_fetch_fn fetch, void *ctx,
                                const struct sign_sigstore_opts *ss, const char *image_digest,
                                const struct sign_annotation *req, size_t n_req,
                                struct vouch_error *err);

/** Number of verified signatures. */
size_t sign_cosign_result_count(const struct sign_cosign_result *r);
/** Payload bytes of verified signature i (borrowed, NUL-terminated). */
const char *sign_cosign_result_payload(const struct sign_cosign_result *r, size_t i, size_t *len);
/** Index (into keys) of the key that verified signature i. */
size_t sign_cosign_result_key(const struct sign_cosign_result *r, size_t i);
struct sign_sigstore_result;
/** Who signed verified signature i (sigstore checks: subject, issuer, log index, time; its
 *  payload member is NULL), or NULL when a key verified it. Borrowed. */
const struct sign_sigstore_result *sign_cosign_result_signer(const struct sign_cosign_result *r,
                                                             size_t i);
/** Number of refused layers, and the reason for refusal j (borrowed). */
size_t sign_cosign_result_refused(const struct sign_cosign_result *r);
const char *sign_cosign_result_reason(const struct sign_cosign_result *r, size_t j);
/** Free; accepts NULL. */
void sign_cosign_result_free(struct sign_cosign_result *r);

#endif
