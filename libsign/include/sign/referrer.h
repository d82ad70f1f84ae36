/* Attaching an artifact to an image as an OCI 1.1 referrer: the manifest pushed by digest
 * and listed in the referrers tag schema index "sha256-<hex>" (for registries and layouts
 * without the referrers API). Shared by cosign v3 bundles and Notation signatures. */
#ifndef SIGN_REFERRER_H
#define SIGN_REFERRER_H

#include <stddef.h>

#include "sign/oci.h"
#include "vouch/error.h"

/**
 * Push manifest (an OCI image manifest's exact JSON bytes, with a subject naming
 * subject_digest) by digest, then add its descriptor (mediaType, digest, size, and the
 * manifest's artifactType and annotations when present) to the "sha256-<hex>" index of
 * subject_digest, creating it when missing. digest_out (SIGN_REF_DIGEST_MAX bytes, may be
 * NULL) receives the manifest's digest.
 */
int sign_referrer_push(char *digest_out, struct sign_oci_source *src, const char *subject_digest,
                       const char *manifest, size_t len, struct vouch_error *err);

#endif
