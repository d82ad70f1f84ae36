/* cosign signatures on images (legacy format, signing.md §1-2): signing appends a
 * simple-signing layer to the image's `sha256-<hex>.sig` image (read-modify-write, blobs
 * first, manifest last); verifying checks every layer of it. Works on any writable or
 * readable image source (registries, OCI layouts). */
#ifndef SIGN_COSIGN_IMAGE_H
#define SIGN_COSIGN_IMAGE_H

#include <stddef.h>

#include "sign/cosign.h"
#include "sign/cosign_verify.h"
#include "sign/key.h"
#include "sign/oci.h"
#include "vouch/error.h"

/**
 * Sign the simple-signing payload for (identity, digest, annotations) with key (its default
 * hash) and append it to digest's `.sig` image in src, creating the image when absent.
 * identity is what cosign writes: sign_oci_repo_name(src) unless overridden. *added is 0
 * when the same payload already has a signature that verifies with key (cosign's duplicate
 * detection); nothing is written then.
 */
int sign_cosign_image_sign(int *added, struct sign_oci_source *src, const char *digest,
                           const char *identity, const struct sign_key *key,
                           const struct sign_annotation *ann, size_t n_ann,
                           struct vouch_error *err);

/**
 * The payload and the standard base64 signature sign_cosign_image_sign attaches, made
 * without touching any source (cosign sign --upload=false). *payload and *b64 are malloc'd,
 * NUL-terminated; *payload_len excludes the NUL.
 */
int sign_cosign_image_make(char **payload, size_t *payload_len, char **b64, const char *digest,
                           const char *identity, const struct sign_key *key,
                           const struct sign_annotation *ann, size_t n_ann,
                           struct vouch_error *err);

/**
 * Append a payload and signature made by sign_cosign_image_make to digest's `.sig` image in
 * src, as sign_cosign_image_sign does (*added 0: that payload already has a signature that
 * verifies with key, and nothing is written).
 */
int sign_cosign_image_attach(int *added, struct sign_oci_source *src, const char *digest,
                             const char *payload, size_t payload_len, const char *b64,
                             const struct sign_key *key, struct vouch_error *err);

/**
 * Verify digest's `.sig` image in src with keys and required annotations (see
 * sign_cosign_verify). No `.sig` image is VOUCH_EVERIFY "no signatures found"; transport
 * failures while reading the `.sig` manifest keep their own codes. *out as
 * sign_cosign_verify (NULL when the `.sig` image could not be read).
 */
int sign_cosign_image_verify(struct sign_cosign_result **out, struct sign_oci_source *src,
                             const char *digest, const struct sign_key *const *keys, size_t n_keys,
                             const struct sign_annotation *req, size_t n_req,
                             struct vouch_error *err);

/** As sign_cosign_image_verify, each layer checked as sigstore does (see
 *  sign_cosign_verify_sigstore). */
int sign_cosign_image_verify_sigstore(struct sign_cosign_result **out, struct sign_oci_source *src,
                                      const char *digest, const struct sign_sigstore_opts *ss,
                                      const struct sign_annotation *req, size_t n_req,
                                      struct vouch_error *err);

/**
 * Read the signature image (a `.sig` or `.att` image) stored under tag in src. An absent
 * tag gives an empty image when empty_ok, else VOUCH_EVERIFY "no signatures found";
 * transport failures keep their own codes.
 */
int sign_cosign_image_load(struct sign_sigimage **out, struct sign_oci_source *src, const char *tag,
                           int empty_ok, struct vouch_error *err);

/** Upload data as a blob of src; digest (SIGN_REF_DIGEST_MAX bytes) receives its
 *  "sha256:<hex>". */
int sign_cosign_image_put_blob(char *digest, struct sign_oci_source *src, const void *data,
                               size_t len, struct vouch_error *err);

/** Write img under tag: its config blob first, then the manifest (the layers' blobs must
 *  already be in src). */
int sign_cosign_image_store(struct sign_oci_source *src, const struct sign_sigimage *img,
                            const char *tag, struct vouch_error *err);

#endif
