/* `vouch attest` on images: DSSE envelopes as layers of the `sha256-<hex>.att` image
 * (signing.md §2.1; the `.att` image itself is sign/cosign_att.h). */
#ifndef VOUCH_CMD_ATTEST_IMAGE_H
#define VOUCH_CMD_ATTEST_IMAGE_H

#include <stddef.h>

#include "regopts.h"
#include "sign/key.h"
#include "sign/oci.h"
#include "slsa/statement.h"
#include "vouch/error.h"

/** The image's manifest digest ("sha256:<hex>", SIGN_REF_DIGEST_MAX bytes) and the name
 *  cosign puts in the statement subject (repository without tag or digest). */
int attest_image_subject(char *digest, char *name, size_t name_size, struct sign_oci_source *src,
                         struct vouch_error *err);

/**
 * What `vouch attest` does once the statement (without subjects) is made: add the image's
 * manifest digest and cosign's name as the subject, sign it with key into a DSSE envelope
 * and attach it with sign_cosign_att_attach, in the COSIGN_REPOSITORY of ro when set
 * (image_sig_source). A non-sha256 image digest is VOUCH_EUNSUPPORTED.
 */
int attest_image_sign_attach(struct sign_oci_source *src, const struct regopts *ro,
                             struct slsa_statement *st, const struct sign_key *key, int replace,
                             struct vouch_error *err);

#endif
