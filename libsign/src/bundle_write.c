/* Sigstore bundle v0.3 writing for key-based signatures: a message signature over a blob
 * digest, or a DSSE envelope (a signed in-toto statement). */
#include <stdlib.h>

#include "bundle_internal.h"
#include "dsse_internal.h"
#include "vouch/encoding.h"

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

int sign_bundle_sign_statement(char **out, size_t *out_len, const char *statement, size_t len,
                               const struct sign_key *key, int as_bundle, struct vouch_error *err)
{
    struct sign_dsse *env = NULL;
    int rc = sign_dsse_sign(&env, SIGN_INTOTO_PAYLOAD_TYPE, (const unsigned char *)statement, len,
                            &key, 1, err);
    if (rc == 0) {
        rc = as_bundle ? sign_bundle_write_dsse(out, out_len, key, env, err)
                       : sign_dsse_write(out, out_len, env, err);
    }
    sign_dsse_free(env);
    return rc;
}
