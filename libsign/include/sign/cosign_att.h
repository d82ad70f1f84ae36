/* Attestations attached to images as cosign does: DSSE envelopes as layers of the
 * `sha256-<hex>.att` image in the image's repository (signing.md §2.1), and sigstore
 * bundles attached as OCI 1.1 referrers (cosign v3, sigstore-js). */
#ifndef SIGN_COSIGN_ATT_H
#define SIGN_COSIGN_ATT_H

#include <stddef.h>

#include "sign/cosign.h"
#include "sign/oci.h"
#include "vouch/error.h"

/** Largest attestation layer read (cosign's COSIGN_MAX_ATTACHMENT_SIZE default). */
#define SIGN_COSIGN_ATT_LAYER_MAX ((size_t)128 << 20)

/** The artifact type sigstore-js (and cosign v3) give bundles attached as referrers. */
#define SIGN_COSIGN_BUNDLE_MT "application/vnd.dev.sigstore.bundle.v0.3+json"

/**
 * Append envelope as a layer (media type application/vnd.dsse.envelope.v1+json,
 * annotations dev.cosignproject.cosign/signature "" and predicateType) to the `.att` image
 * of digest in src, creating it when absent; with replace, layers with the same
 * predicateType are removed first.
 */
int sign_cosign_att_attach(struct sign_oci_source *src, const char *digest, const char *envelope,
                           size_t len, const char *predicate_type, int replace,
                           struct vouch_error *err);

/** Called with each layer's bytes; return 0 to go on, non-zero to stop with it. */
typedef int (*sign_cosign_layer_fn)(void *ctx, const unsigned char *data, size_t len,
                                    struct vouch_error *err);

/**
 * Call fn for every DSSE envelope layer of the `.att` image of digest, in order (each at
 * most SIGN_COSIGN_ATT_LAYER_MAX bytes). *count gets the number of DSSE layers seen. No
 * `.att` image is VOUCH_ENOTFOUND.
 */
int sign_cosign_att_each(size_t *count, struct sign_oci_source *src, const char *digest,
                         sign_cosign_layer_fn fn, void *ctx, struct vouch_error *err);

/** Called with each DSSE layer (its annotations) and its bytes, as sign_cosign_layer_fn. */
typedef int (*sign_cosign_att_layer_fn)(void *ctx, const struct sign_sig_layer *layer,
                                        const unsigned char *data, size_t len,
                                        struct vouch_error *err);

/** sign_cosign_att_each with each layer's descriptor (keyless: its certificate and Rekor
 *  bundle annotations). */
int sign_cosign_att_each_layer(size_t *count, struct sign_oci_source *src, const char *digest,
                               sign_cosign_att_layer_fn fn, void *ctx, struct vouch_error *err);

/**
 * Call fn with each sigstore bundle attached to digest as an OCI referrer (artifactType
 * SIGN_COSIGN_BUNDLE_MT, found through the referrers API or the "sha256-<hex>" referrers
 * tag), one call per bundle layer. *count gets the number of bundle layers seen.
 */
int sign_cosign_att_each_bundle(size_t *count, struct sign_oci_source *src, const char *digest,
                                sign_cosign_layer_fn fn, void *ctx, struct vouch_error *err);

#endif
