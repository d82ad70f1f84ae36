/* Sigstore bundles: accessors, offline verification with a given key, and v0.3 writing. */
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

/* {"mediaType":…,"verificationMaterial":{"publicKey":{"hint":…}}, */
static int put_head(struct vouch_buf *buf, const struct sign_key *key, struct vouch_error *err)
{
    char *hint = NULL;
    int rc = sign_key_hint(&hint, key, err);
    if (rc == 0) {
        rc = vouch_buf_printf(buf, err,
                              "{\"mediaType\":\"%s\",\"verificationMaterial\":{\"publicKey\":{"
                              "\"hint\":\"%s\"}},",
                              SIGN_BUNDLE_MEDIA_TYPE, hint);
    }
    free(hint);
    return rc;
}

static int finish(char **out, size_t *out_len, struct vouch_buf *buf, int rc)
{
    if (rc != 0) {
        vouch_buf_release(buf);
        return rc;
    }
    *out = (char *)vouch_buf_steal(buf, out_len);
    return 0;
}

int sign_bundle_write_message(char **out, size_t *out_len, const struct sign_key *key,
                              const struct sign_blob_digest *digest, const unsigned char *sig,
                              size_t sig_len, struct vouch_error *err)
{
    struct vouch_buf buf;
    char *d64 = NULL;
    char *s64 = NULL;
    const char *alg = bundle_hash_name(digest->alg);
    int rc;
    *out = NULL;
    *out_len = 0;
    if (alg == NULL) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "no bundle name for %s digests",
                               sign_hash_name(digest->alg));
    }
    vouch_buf_init(&buf, SIGN_BUNDLE_MAX_BYTES);
    rc = put_head(&buf, key, err);
    rc = rc != 0 ? rc : vouch_base64_encode(&d64, digest->value, digest->len, err);
    rc = rc != 0 ? rc : vouch_base64_encode(&s64, sig, sig_len, err);
    if (rc == 0) {
        rc = vouch_buf_printf(&buf, err,
                              "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"%s\","
                              "\"digest\":\"%s\"},\"signature\":\"%s\"}}",
                              alg, d64, s64);
    }
    free(d64);
    free(s64);
    return finish(out, out_len, &buf, rc);
}

int sign_bundle_write_dsse(char **out, size_t *out_len, const struct sign_key *key,
                           const struct sign_dsse *env, struct vouch_error *err)
{
    struct vouch_buf buf;
    int rc;
    *out = NULL;
    *out_len = 0;
    vouch_buf_init(&buf, SIGN_BUNDLE_MAX_BYTES);
    rc = put_head(&buf, key, err);
    rc = rc != 0 ? rc : vouch_buf_puts(&buf, "\"dsseEnvelope\":", err);
    rc = rc != 0 ? rc : dsse_write_proto(&buf, env, err);
    rc = rc != 0 ? rc : vouch_buf_puts(&buf, "}", err);
    return finish(out, out_len, &buf, rc);
}
