/* verify-attestation's sigstore checks: `.att` layers as sign_sigstore_verify_legacy reads
 * them, bundles as sign_sigstore_verify does, then the in-toto payload type. */
#include <stdlib.h>
#include <string.h>

#include "attest_sigstore.h"
#include "sign/bundle.h"
#include "sign/dsse.h"
#include "slsa/statement.h"
#include "vouch/buf.h"
#include "vouch/encoding.h"
#include "vouch/json.h"

static const char *annotation(const struct sign_sig_layer *l, const char *key)
{
    for (size_t i = 0; i < l->n_annotations; i++) {
        if (strcmp(l->annotations[i].key, key) == 0) {
            return l->annotations[i].value;
        }
    }
    return NULL;
}

static int in_toto(struct sign_sigstore_result *res, const struct sign_dsse *env,
                   struct vouch_error *err)
{
    const char *type = sign_dsse_payload_type(env);
    if (strcmp(type, SLSA_PAYLOAD_TYPE) == 0) {
        return 0;
    }
    sign_sigstore_result_release(res);
    return vouch_error_set(err, VOUCH_EVERIFY, "payloadType '%.100s' is not '%s'", type,
                           SLSA_PAYLOAD_TYPE);
}

int attest_sigstore_layer(struct sign_sigstore_result *res, const struct sign_sigstore_opts *so,
                          const struct sign_sig_layer *l, const unsigned char *data, size_t n,
                          struct vouch_error *err)
{
    struct sign_dsse *env = NULL;
    struct sign_sigstore_legacy in;
    int rc = sign_dsse_parse(&env, data, n, err);
    memset(&in, 0, sizeof(in));
    memset(res, 0, sizeof(*res));
    in.payload = data;
    in.payload_len = n;
    in.cert_pem = annotation(l, SIGN_COSIGN_CERT_ANNOTATION);
    in.rekor_bundle = annotation(l, SIGN_COSIGN_BUNDLE_ANNOTATION);
    in.timestamp = annotation(l, SIGN_COSIGN_TIMESTAMP_ANNOTATION);
    in.dsse = env;
    rc = rc != 0 ? rc : sign_sigstore_verify_legacy(res, &in, so, err);
    rc = rc != 0 ? rc : in_toto(res, env, err);
    sign_dsse_free(env);
    return rc;
}

int attest_sigstore_bundle(struct sign_sigstore_result *res, const struct sign_sigstore_opts *so,
                           const char *hex, const unsigned char *data, size_t n,
                           struct vouch_error *err)
{
    struct sign_bundle *b = NULL;
    struct sign_sigstore_artifact art;
    int rc = sign_bundle_parse(&b, data, n, err);
    memset(&art, 0, sizeof(art));
    memset(res, 0, sizeof(*res));
    art.digest.alg = SIGN_HASH_SHA256;
    art.digest.len = 32;
    if (rc == 0 && (strlen(hex) != 64 || vouch_hex_decode(art.digest.value, 32, hex, 64, NULL))) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "subject digest '%.80s' is not sha256", hex);
    }
    if (rc == 0 && sign_bundle_dsse(b) == NULL) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "bundle holds no dsseEnvelope");
    }
    rc = rc != 0 ? rc : sign_sigstore_verify(res, b, &art, so, err);
    rc = rc != 0 ? rc : in_toto(res, sign_bundle_dsse(b), err);
    sign_bundle_free(b);
    return rc;
}

int attest_sigstore_json(char **out, size_t *len, const struct sign_sigstore_result *res,
                         const char *stmt, size_t stmt_len, struct vouch_error *err)
{
    struct vouch_buf b;
    const char *sep = "";
    vouch_buf_init(&b, 0);
    vouch_buf_puts(&b, "{", NULL);
    if (res->keyless) {
        vouch_buf_puts(&b, "\"identity\":", NULL);
        vouch_json_go_string(&b, res->subject, strlen(res->subject), NULL);
        vouch_buf_puts(&b, ",\"issuer\":", NULL);
        vouch_json_go_string(&b, res->issuer, strlen(res->issuer), NULL);
        sep = ",";
    }
    if (res->has_log) {
        vouch_buf_printf(&b, NULL, "%s\"logIndex\":%lld", sep, (long long)res->log_index);
        sep = ",";
    }
    if (res->signed_time != 0) {
        vouch_buf_printf(&b, NULL, "%s\"integratedTime\":%lld", sep, (long long)res->signed_time);
        sep = ",";
    }
    vouch_buf_printf(&b, NULL, "%s\"statement\":", sep);
    vouch_buf_append(&b, stmt, stmt_len, NULL);
    if (vouch_buf_puts(&b, "}", err) != 0) {
        vouch_buf_release(&b);
        return err->code != 0 ? err->code : VOUCH_ENOMEM;
    }
    *out = (char *)vouch_buf_steal(&b, len);
    return 0;
}
