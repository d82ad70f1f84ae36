/* Attestations attached to images as cosign does: DSSE envelopes as layers of the
 * `sha256-<hex>.att` image in the image's repository (signing.md §2.1). */
#ifndef VOUCH_CMD_ATTEST_IMAGE_H
#define VOUCH_CMD_ATTEST_IMAGE_H

#include <stddef.h>

#include "regopts.h"
#include "sign/key.h"
#include "sign/oci.h"
#include "slsa/statement.h"
#include "vouch/error.h"

/** Largest attestation layer read (cosign's COSIGN_MAX_ATTACHMENT_SIZE default). */
#define ATTEST_LAYER_MAX ((size_t)128 << 20)

/** The image's manifest digest ("sha256:<hex>", SIGN_REF_DIGEST_MAX bytes) and the name
 *  cosign puts in the statement subject (repository without tag or digest). */
int attest_image_subject(char *digest, char *name, size_t name_size, struct sign_oci_source *src,
                         struct vouch_error *err);

/**
 * Append envelope as a layer (media type application/vnd.dsse.envelope.v1+json,
 * annotations dev.cosignproject.cosign/signature "" and predicateType) to the `.att` image
 * of digest, creating it when absent; with replace, layers with the same predicateType
 * are removed first.
 */
int attest_image_attach(struct sign_oci_source *src, const char *digest, const char *envelope,
                        size_t len, const char *predicate_type, int replace,
                        struct vouch_error *err);

/**
 * What `vouch attest` does once the statement (without subjects) is made: add the image's
 * manifest digest and cosign's name as the subject, sign it with key into a DSSE envelope
 * and attach it with attest_image_attach, in the COSIGN_REPOSITORY of ro when set
 * (image_sig_source). A non-sha256 image digest is VOUCH_EUNSUPPORTED.
 */
int attest_image_sign_attach(struct sign_oci_source *src, const struct regopts *ro,
                             struct slsa_statement *st, const struct sign_key *key, int replace,
                             struct vouch_error *err);

/** Called with each DSSE layer's bytes; return 0 to go on, non-zero to stop with it. */
typedef int (*attest_layer_fn)(void *ctx, const unsigned char *data, size_t len,
                               struct vouch_error *err);

/**
 * Call fn for every DSSE envelope layer of the `.att` image of digest, in order. *count
 * gets the number of DSSE layers seen. No `.att` image is VOUCH_ENOTFOUND.
 */
int attest_image_each(size_t *count, struct sign_oci_source *src, const char *digest,
                      attest_layer_fn fn, void *ctx, struct vouch_error *err);

/** The artifact type sigstore-js (and cosign v3) give bundles attached as referrers. */
#define ATTEST_BUNDLE_MT "application/vnd.dev.sigstore.bundle.v0.3+json"

/**
 * Call fn with each sigstore bundle attached to digest as an OCI referrer (artifactType
 * ATTEST_BUNDLE_MT, found through the referrers API or the "sha256-<hex>" referrers tag),
 * one call per bundle layer. *count gets the number of bundle layers seen.
 */
int attest_image_each_bundle(size_t *count, struct sign_oci_source *src, const char *digest,
                             attest_layer_fn fn, void *ctx, struct vouch_error *err);

#endif
