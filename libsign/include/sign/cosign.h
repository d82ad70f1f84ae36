/* cosign's legacy image signature format: the simple-signing payload and the
 * `sha256-<hex>.sig` signature image (one layer per signature), byte for byte as cosign
 * and go-containerregistry write them (shared/docs/signing.md §1-2). */
#ifndef SIGN_COSIGN_H
#define SIGN_COSIGN_H

#include <stddef.h>

#include "vouch/error.h"

#define SIGN_COSIGN_PAYLOAD_TYPE "cosign container image signature"
#define SIGN_COSIGN_SIMPLESIGNING_MT "application/vnd.dev.cosign.simplesigning.v1+json"
#define SIGN_DSSE_ENVELOPE_MT "application/vnd.dsse.envelope.v1+json"
#define SIGN_COSIGN_SIG_ANNOTATION "dev.cosignproject.cosign/signature"
#define SIGN_COSIGN_CERT_ANNOTATION "dev.sigstore.cosign/certificate"
#define SIGN_COSIGN_CHAIN_ANNOTATION "dev.sigstore.cosign/chain"
#define SIGN_COSIGN_BUNDLE_ANNOTATION "dev.sigstore.cosign/bundle"
#define SIGN_COSIGN_TIMESTAMP_ANNOTATION "dev.sigstore.cosign/rfc3161timestamp"

/** A key/value pair (annotation). */
struct sign_annotation {
    const char *key;
    const char *value;
};

/**
 * Build the simple-signing payload for identity (a repository, e.g.
 * "index.docker.io/library/alpine") and digest ("sha256:<hex>"): Go encoding/json bytes,
 * no trailing newline; annotations (string values) sorted by key into "optional", or
 * "optional":null when there are none. *out is malloc'd and NUL-terminated.
 */
int sign_cosign_payload_build(char **out, size_t *out_len, const char *identity, const char *digest,
                              const struct sign_annotation *ann, size_t n_ann,
                              struct vouch_error *err);

/** A parsed simple-signing payload (opaque). */
struct sign_cosign_payload;

/** Parse payload bytes (at most 1 MiB). critical.type must be the cosign constant and the
 *  digest a lowercase "sha256:<64 hex>". */
int sign_cosign_payload_parse(struct sign_cosign_payload **out, const unsigned char *data,
                              size_t len, struct vouch_error *err);
/** critical.image.docker-manifest-digest (borrowed). */
const char *sign_cosign_payload_digest(const struct sign_cosign_payload *p);
/** critical.identity.docker-reference (borrowed; "" when absent). */
const char *sign_cosign_payload_identity(const struct sign_cosign_payload *p);
/** The payload's "optional" object as compact JSON text, or "null" (borrowed). */
const char *sign_cosign_payload_optional_json(const struct sign_cosign_payload *p);
/**
 * Check the payload against the image: the digest must equal want_digest and every
 * required annotation must be present in "optional" with that string value. Returns 0,
 * or VOUCH_EVERIFY with the reason.
 */
int sign_cosign_payload_check(const struct sign_cosign_payload *p, const char *want_digest,
                              const struct sign_annotation *req, size_t n_req,
                              struct vouch_error *err);
/** Free; accepts NULL. */
void sign_cosign_payload_free(struct sign_cosign_payload *p);

/** "sha256-<hex>.<suffix>" for digest "sha256:<hex>"; suffix is "sig", "att" or "sbom", or
 *  "" for the OCI 1.1 referrers tag "sha256-<hex>". *out is malloc'd. */
int sign_cosign_tag(char **out, const char *digest, const char *suffix, struct vouch_error *err);

/** One layer of a signature image. Strings are borrowed from the image. */
struct sign_sig_layer {
    const char *media_type;
    const char *digest;
    unsigned long long size;
    size_t n_annotations;
    const struct sign_annotation *annotations; /* sorted by key */
};

/** A signature image: the ordered layers of a `.sig`/`.att` manifest (opaque). */
struct sign_sigimage;

/** An empty signature image. */
int sign_sigimage_new(struct sign_sigimage **out, struct vouch_error *err);
/** Parse an existing OCI or Docker schema 2 manifest (at most 4 MiB, 1000 layers). */
int sign_sigimage_parse(struct sign_sigimage **out, const unsigned char *manifest, size_t len,
                        struct vouch_error *err);
/** Number of layers. */
size_t sign_sigimage_count(const struct sign_sigimage *img);
/** Layer i (borrowed; valid until the image changes or is freed). */
const struct sign_sig_layer *sign_sigimage_layer(const struct sign_sigimage *img, size_t i);
/** Index of a layer with this digest whose annotation key has value, or -1. */
long sign_sigimage_find(const struct sign_sigimage *img, const char *digest, const char *key,
                        const char *value);
/** Append a layer (annotations are copied and sorted by key). */
int sign_sigimage_add(struct sign_sigimage *img, const char *media_type, const char *digest,
                      unsigned long long size, const struct sign_annotation *ann, size_t n_ann,
                      struct vouch_error *err);
/** Remove layer i. */
void sign_sigimage_remove(struct sign_sigimage *img, size_t i);
/** The config blob as cosign writes it (go-containerregistry empty image plus one history
 *  entry and one diff_id per layer). *out is malloc'd. */
int sign_sigimage_config(char **out, size_t *out_len, const struct sign_sigimage *img,
                         struct vouch_error *err);
/** The OCI manifest bytes referencing config (digest "sha256:<hex>", size). *out is malloc'd. */
int sign_sigimage_manifest(char **out, size_t *out_len, const struct sign_sigimage *img,
                           const char *config_digest, unsigned long long config_size,
                           struct vouch_error *err);
/** Free; accepts NULL. */
void sign_sigimage_free(struct sign_sigimage *img);

#endif
