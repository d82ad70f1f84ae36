/* cosign signatures on images: the `sha256-<hex>.sig` image read-modify-write for
 * `vouch sign`, and its verification for `vouch verify` (signing.md §1-2). */
#ifndef VOUCH_CMD_SIG_IMAGE_H
#define VOUCH_CMD_SIG_IMAGE_H

#include <stddef.h>

#include "sign/cosign.h"
#include "sign/cosign_verify.h"
#include "sign/key.h"
#include "sign/oci.h"

#define SIG_ANNOTATIONS_MAX 32

/** -a KEY=VALUE annotations (values point into argv). */
struct sig_annotations {
    struct sign_annotation a[SIG_ANNOTATIONS_MAX];
    char *keys[SIG_ANNOTATIONS_MAX]; /* malloc'd copies of the keys */
    size_t n;
};

/** Add "KEY=VALUE"; EXIT_OK or a usage error (printed) for cmd. */
int sig_annotations_add(struct sig_annotations *s, const char *kv, const char *cmd);
void sig_annotations_release(struct sig_annotations *s);

/** The identity cosign signs: go-containerregistry's repository name for registry images
 *  ("index.docker.io/library/alpine"), the tag-less name for layouts. */
void sig_image_identity(char *out, size_t size, const struct sign_oci_source *src);

/**
 * Sign payload-for-digest with key and append it as a layer of the image's `.sig` image
 * (created when absent). *added is 0 when the same payload already carries a signature
 * that verifies with key (cosign's duplicate detection): nothing is written then.
 */
int sig_image_sign(int *added, struct sign_oci_source *src, const char *digest,
                   const char *identity, const struct sign_key *key,
                   const struct sig_annotations *ann, struct vouch_error *err);

/** Verify the `.sig` image of digest with key and required annotations. No `.sig` image is
 *  VOUCH_EVERIFY ("no signatures found"). *out as sign_cosign_verify. */
int sig_image_verify(struct sign_cosign_result **out, struct sign_oci_source *src,
                     const char *digest, const struct sign_key *key,
                     const struct sig_annotations *req, struct vouch_error *err);

#endif
