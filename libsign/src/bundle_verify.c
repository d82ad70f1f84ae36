/* Sigstore bundles: accessors and offline verification with a given key. */
#include <stdlib.h>
#include <string.h>

#include "bundle_internal.h"
#include "dsse_internal.h"
#include "vouch/encoding.h"

enum sign_bundle_kind sign_bundle_kind_of(const struct sign_bundle *b)
{
    return b->kind;
}

int sign_bundle_is_legacy(const struct sign_bundle *b)
{
    return b->legacy;
}

const char *sign_bundle_media_type(const struct sign_bundle *b)
{
    return b->media_type;
}

enum sign_bundle_material sign_bundle_material_of(const struct sign_bundle *b)
{
    return b->material;
}

const char *sign_bundle_key_hint(const struct sign_bundle *b)
{
    return b->hint;
}

const unsigned char *sign_bundle_signature(const struct sign_bundle *b, size_t *len)
{
    *len = b->sig_len;
    return b->kind == SIGN_BUNDLE_MESSAGE ? b->sig : NULL;
}

int sign_bundle_message_digest(struct sign_blob_digest *out, const struct sign_bundle *b)
{
    if (!b->has_digest) {
        memset(out, 0, sizeof(*out));
        return VOUCH_ENOTFOUND;
    }
    *out = b->digest;
    return 0;
}

const struct sign_dsse *sign_bundle_dsse(const struct sign_bundle *b)
{
    return b->dsse;
}

int sign_bundle_embedded_key(struct sign_key **out, const struct sign_bundle *b,
                             struct vouch_error *err)
{
    *out = NULL;
    if (b->cert == NULL) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "bundle carries no certificate or key");
    }
    if (b->material == SIGN_BUNDLE_MAT_CERTIFICATE) {
        return sign_key_load_cert(out, b->cert, b->cert_len, "bundle certificate", err);
    }
    return sign_key_load_public(out, b->cert, b->cert_len, "bundle public key", err);
}

int sign_bundle_verify_blob(struct sign_blob_digest *digest, const struct sign_bundle *b,
                            const struct sign_key *key, const char *path, struct vouch_error *err)
{
    if (digest != NULL) {
        memset(digest, 0, sizeof(*digest));
    }
    if (b->kind != SIGN_BUNDLE_MESSAGE) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "bundle holds a dsse envelope, not a blob signature");
    }
    /* messageDigest is checked before the signature (sign_blob_verify's want) */
    return sign_blob_verify(digest, key, path, b->has_digest ? &b->digest : NULL, b->sig,
                            b->sig_len, err);
}

int sign_bundle_verify_dsse(unsigned char **payload, size_t *payload_len,
                            const struct sign_bundle *b, const struct sign_key *key,
                            struct vouch_error *err)
{
    if (payload != NULL) {
        *payload = NULL;
        *payload_len = 0;
    }
    if (b->kind != SIGN_BUNDLE_DSSE) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "bundle holds a blob signature, not a dsse envelope");
    }
    return sign_dsse_verify(payload, payload_len, b->dsse, &key, 1, 1, err);
}
