/* Helpers shared by the image commands (tree, triangulate, copy, later sign/verify). */
#ifndef VOUCH_IMAGE_H
#define VOUCH_IMAGE_H

#include "regopts.h"
#include "sign/oci.h"

/** Open IMAGE with the registry options; returns 0 or an exit code (message printed). */
int image_open(struct sign_oci_source **out, const char *image, const struct regopts *ro);

/** The digest IMAGE names: its own @digest, else the digest of the manifest it resolves to
 *  (out: SIGN_REF_DIGEST_MAX bytes). 0 or a library error code (err set). */
int image_digest(char *out, struct sign_oci_source *src, struct vouch_error *err);

/**
 * The source holding the cosign signatures and attestations of src: with COSIGN_REPOSITORY
 * (ro->sig_repo) and a registry src, that repository opened with ro's options, else src.
 * *owned gets what to free (NULL when *out is src). 0 or a library error code (err set).
 */
int image_sig_source(struct sign_oci_source **out, struct sign_oci_source **owned,
                     struct sign_oci_source *src, const struct regopts *ro,
                     struct vouch_error *err);

/** cosign's attachment tag "sha256-<hex>.<suffix>" (suffix "" gives the referrers tag). */
void image_attachment_tag(char *out, size_t size, const char *digest, const char *suffix);

/** "<sign_oci_repo_name>:<tag>": how cosign names a tag of the image's repository. */
void image_tag_name(char *out, size_t size, const struct sign_oci_source *src, const char *tag);

#endif
