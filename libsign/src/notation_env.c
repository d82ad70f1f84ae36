/* What JWS and COSE envelopes share: the algorithm table, the crit rules, the signature
 * check with the signing certificate's key, and the payload (signature-specification.md). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "vouch/jread.h"
#include "notation_internal.h"

/* "Signature Algorithm Requirements" and the JWS/COSE alg values for each. */
static const struct nt_alg alg_rows[] = {
    {"PS256", -37, 1, 2048, "SHA256", 0}, {"PS384", -38, 1, 3072, "SHA384", 0},
    {"PS512", -39, 1, 4096, "SHA512", 0}, {"ES256", -7, 0, 256, "SHA256", 32},
    {"ES384", -35, 0, 384, "SHA384", 48}, {"ES512", -36, 0, 521, "SHA512", 66},
};
#define N_ALGS (sizeof(alg_rows) / sizeof(alg_rows[0]))

const struct nt_alg *nt_alg_by_jws(const char *name)
{
    for (size_t i = 0; name != NULL && i < N_ALGS; i++) {
        if (strcmp(alg_rows[i].jws, name) == 0) {
            return &alg_rows[i];
        }
    }
    return NULL;
}

const struct nt_alg *nt_alg_by_cose(int64_t label)
{
    for (size_t i = 0; i < N_ALGS; i++) {
        if (alg_rows[i].cose == label) {
            return &alg_rows[i];
        }
    }
    return NULL;
}

const struct nt_alg *nt_alg_for_key(EVP_PKEY *pkey)
{
    int rsa = EVP_PKEY_is_a(pkey, "RSA"), bits = EVP_PKEY_get_bits(pkey);
    if (!rsa && !EVP_PKEY_is_a(pkey, "EC")) {
        return NULL;
    }
    for (size_t i = 0; i < N_ALGS; i++) {
        if (alg_rows[i].is_rsa == rsa && alg_rows[i].bits == bits) {
            return &alg_rows[i];
        }
    }
    return NULL;
}

void nt_env_release(struct nt_env *e)
{
    free(e->tbs);
    free(e->sig);
    free(e->payload);
    free(e->tst);
    sk_X509_pop_free(e->chain, X509_free);
    memset(e, 0, sizeof(*e));
}

static int listed(const char *name, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

int nt_env_check_crit(const struct nt_env *e, const char *const *crit, size_t n_crit,
                      const char *const *present, size_t n_present, struct vouch_error *err)
{
    /* attributes that must be marked critical whenever they are present */
    static const char *const must[] = {NT_H_SCHEME, NT_H_AUTH_TIME, NT_H_EXPIRY, NT_H_PLUGIN,
                                       NT_H_PLUGIN_MIN};
    for (size_t i = 0; i < n_crit; i++) {
        if (!listed(crit[i], present, n_present)) {
            return vouch_error_set(err, VOUCH_EVERIFY,
                                   "critical header '%.64s' is not present in the envelope",
                                   crit[i]);
        }
        if (!listed(crit[i], must, sizeof(must) / sizeof(must[0]))) {
            return vouch_error_set(err, VOUCH_EVERIFY, "unknown critical header '%.64s'", crit[i]);
        }
    }
    for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
        if (listed(must[i], present, n_present) && !listed(must[i], crit, n_crit)) {
            return vouch_error_set(err, VOUCH_EVERIFY, "header '%s' must be marked critical",
                                   must[i]);
        }
    }
    if (e->scheme == NT_SCHEME_X509 && !e->has_signing_time) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signing time is missing");
    }
    if (e->scheme == NT_SCHEME_SIGNING_AUTHORITY && !e->has_authentic_time) {
        return vouch_error_set(err, VOUCH_EVERIFY, "authentic signing time is missing");
    }
    if (e->scheme == NT_SCHEME_X509 && e->has_authentic_time) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "authentic signing time is only valid for notary.x509."
                               "signingAuthority");
    }
    return 0;
}

/* Raw r||s (JWS and COSE) into the DER form OpenSSL verifies. */
static int ecdsa_der(unsigned char **out, int *out_len, const unsigned char *sig, size_t len,
                     size_t half)
{
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)half, NULL), *ss = BN_bin2bn(sig + half, (int)half, NULL);
    int ok = s != NULL && r != NULL && ss != NULL && len == 2 * half;
    if (ok && ECDSA_SIG_set0(s, r, ss) == 1) {
        r = ss = NULL;
        *out = NULL;
        *out_len = i2d_ECDSA_SIG(s, out);
        ok = *out_len > 0;
    } else {
        ok = 0;
    }
    BN_free(r);
    BN_free(ss);
    ECDSA_SIG_free(s);
    return ok;
}

int nt_env_verify_signature(const struct nt_env *e, struct vouch_error *err)
{
    X509 *leaf = sk_X509_value(e->chain, 0);
    EVP_PKEY *pkey = leaf ? X509_get0_pubkey(leaf) : NULL;
    const struct nt_alg *want = pkey ? nt_alg_for_key(pkey) : NULL;
    EVP_MD_CTX *ctx = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char *der = NULL;
    int der_len = 0, ok = 0;
    if (want == NULL) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signing certificate key is not supported");
    }
    if (want != e->alg) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "signature algorithm %s does not match the signing "
                               "certificate's key (%s)",
                               e->alg->jws, want->jws);
    }
    if (!want->is_rsa && !ecdsa_der(&der, &der_len, e->sig, e->sig_len, want->ec_half)) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signature is invalid: malformed ECDSA value");
    }
    ctx = EVP_MD_CTX_new();
    ok = ctx != NULL && EVP_DigestVerifyInit_ex(ctx, &pctx, want->md, NULL, NULL, pkey, NULL) == 1;
    if (ok && want->is_rsa) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
    }
    ok =
        ok && (want->is_rsa ? EVP_DigestVerify(ctx, e->sig, e->sig_len, e->tbs, e->tbs_len)
                            : EVP_DigestVerify(ctx, der, (size_t)der_len, e->tbs, e->tbs_len)) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ERR_clear_error();
    return ok ? 0 : vouch_error_set(err, VOUCH_EVERIFY, "signature is invalid");
}

int nt_payload_check(const unsigned char *payload, size_t len,
                     const struct sign_notation_target *target, struct vouch_error *err)
{
    json_t *root = NULL;
    const json_t *ta = NULL, *size;
    const char *digest = NULL, *mt = NULL;
    int rc = sign_jread_load(&root, payload, len, "signature payload", err);
    rc = rc ? rc : sign_jread_obj(&ta, root, "targetArtifact", "signature payload", err);
    rc = rc ? rc : sign_jread_str(&digest, ta, "digest", "targetArtifact", err);
    rc = rc ? rc : sign_jread_str(&mt, ta, "mediaType", "targetArtifact", err);
    size = ta ? json_object_get(ta, "size") : NULL;
    if (rc == 0 && (!json_is_integer(size) || json_integer_value(size) < 0)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "targetArtifact.size is not a size");
    }
    if (rc == 0 && (strcmp(digest, target->digest) != 0 || strcmp(mt, target->media_type) != 0 ||
                    (uint64_t)json_integer_value(size) != target->size)) {
        char d[80];
        sign_jread_quote(d, sizeof(d), digest);
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "signature does not match the given artifact: it names %s", d);
    }
    if (rc == VOUCH_EPARSE && err != NULL) {
        err->code = VOUCH_EVERIFY;
    }
    rc = rc == VOUCH_EPARSE ? VOUCH_EVERIFY : rc;
    json_decref(root);
    return rc;
}
