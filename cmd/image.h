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

/** cosign's attachment tag "sha256-<hex>.<suffix>" (suffix "" gives the referrers tag). */
void image_attachment_tag(char *out, size_t size, const char *digest, const char *suffix);

/** "<sign_oci_repo_name>:<tag>": how cosign names a tag of the image's repository. */
void image_tag_name(char *out, size_t size, const struct sign_oci_source *src, const char *tag);

#endif
