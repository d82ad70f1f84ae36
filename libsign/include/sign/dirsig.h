/* Signatures in containers/image's `dir:` transport (what skopeo copy writes to a
 * directory): manifest.json plus signature-1, signature-2, … files, each the bytes
 * "\0sigstore-json\n" then {"mimeType","payload":<base64>,"annotations":{…}}. */
#ifndef SIGN_DIRSIG_H
#define SIGN_DIRSIG_H

#include <stddef.h>

#include "sign/cosign.h"
#include "vouch/error.h"

/** The signatures of one `dir:` image (opaque). */
struct sign_dirsig;

/** Load manifest.json and every signature-N (N = 1, 2, … until one is missing) of dir. */
int sign_dirsig_load(struct sign_dirsig **out, const char *dir, struct vouch_error *err);

/** The signatures as a signature image (borrowed): one layer per signature-N. */
const struct sign_sigimage *sign_dirsig_image(const struct sign_dirsig *d);

/** "sha256:<hex>" of manifest.json (borrowed). */
const char *sign_dirsig_manifest_digest(const struct sign_dirsig *d);

/** A sign_blob_fetch_fn over the loaded payloads (ctx is the struct sign_dirsig). */
int sign_dirsig_fetch(void *ctx, const char *digest, size_t max, unsigned char **out,
                      size_t *out_len, struct vouch_error *err);

/** Free; accepts NULL. */
void sign_dirsig_free(struct sign_dirsig *d);

#endif
