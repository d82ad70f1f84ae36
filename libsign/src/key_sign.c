/* Signing and verification: ECDSA (ASN.1 DER over a digest), RSA (PKCS#1 v1.5; PSS accepted
 * on verify), Ed25519 (pure, over the message; Ed25519ph over a stream, with libsodium).
 * Verification fails closed. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "key_internal.h"
#include "vouch/mem.h"

static const EVP_MD *key_hash_md(enum sign_hash alg)
{
    /* sign_hash_name gives OpenSSL's own digest names ("sha256", ...). */
    return sign_hash_size(alg) == 0 ? NULL : EVP_get_digestbyname(sign_hash_name(alg));
}

static int check_digest(const struct sign_key *key, enum sign_hash alg, size_t digest_len,
                        struct vouch_error *err)
{
    if (key->type == SIGN_KEY_ED25519) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "ed25519 keys sign messages, not precomputed digests");
    }
    if (key_hash_md(alg) == NULL || digest_len != sign_hash_size(alg)) {
        return vouch_error_set(err, VOUCH_EINVAL, "digest of %zu bytes does not match %s",
                               digest_len, sign_hash_name(alg));
    }
    return 0;
}

/* A PKEY context for a digest signature: md set, RSA padding chosen. */
static EVP_PKEY_CTX *digest_ctx(const struct sign_key *key, enum sign_hash alg, int verify, int pss)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key->pkey, NULL);
    int ok = ctx != NULL;
    ok = ok && (verify ? EVP_PKEY_verify_init(ctx) : EVP_PKEY_sign_init(ctx)) == 1;
    ok = ok && EVP_PKEY_CTX_set_signature_md(ctx, key_hash_md(alg)) == 1;
    if (ok && key->type == SIGN_KEY_RSA) {
        ok =
            EVP_PKEY_CTX_set_rsa_padding(ctx, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) == 1;
        if (ok && pss) {
            ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, verify ? RSA_PSS_SALTLEN_AUTO
                                                              : RSA_PSS_SALTLEN_DIGEST) == 1;
        }
    }
    if (!ok) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static int key_is_pss(const struct sign_key *key)
{
    return EVP_PKEY_get_base_id(key->pkey) == EVP_PKEY_RSA_PSS;
}

int sign_key_sign_digest(unsigned char **sig, size_t *sig_len, const struct sign_key *key,
                         enum sign_hash alg, const unsigned char *digest, size_t digest_len,
                         struct vouch_error *err)
{
    EVP_PKEY_CTX *ctx = NULL;
    size_t n = 0;
    int rc = check_digest(key, alg, digest_len, err);
    *sig = NULL;
    *sig_len = 0;
    if (rc == 0 && !key->is_private) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "cannot sign with a public key");
    }
    if (rc == 0 && ((ctx = digest_ctx(key, alg, 0, key_is_pss(key))) == NULL ||
                    EVP_PKEY_sign(ctx, NULL, &n, digest, digest_len) != 1)) {
        rc = vouch_error_ssl(err, VOUCH_ECRYPTO, "cannot sign with %s key",
                             sign_key_type_name(key->type));
    }
    if (rc == 0 && (*sig = malloc(n)) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0 && EVP_PKEY_sign(ctx, *sig, &n, digest, digest_len) != 1) {
        rc = vouch_error_ssl(err, VOUCH_ECRYPTO, "cannot sign with %s key",
                             sign_key_type_name(key->type));
    }
    if (rc == 0) {
        *sig_len = n;
    } else {
        free(*sig);
        *sig = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

static int ed25519_sign(unsigned char **sig, size_t *sig_len, const struct sign_key *key,
                        const unsigned char *msg, size_t msg_len, struct vouch_error *err)
{
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    size_t n = 0;
    int rc = 0;
    if (!key->is_private) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "cannot sign with a public key");
    }
    /* Pure Ed25519: no message digest (NULL md). */
    if (rc == 0 && (mctx == NULL || EVP_DigestSignInit(mctx, NULL, NULL, NULL, key->pkey) != 1 ||
                    EVP_DigestSign(mctx, NULL, &n, msg, msg_len) != 1)) {
        rc = vouch_error_ssl(err, VOUCH_ECRYPTO, "cannot sign with ed25519 key");
    }
    if (rc == 0 && (*sig = malloc(n)) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0 && EVP_DigestSign(mctx, *sig, &n, msg, msg_len) != 1) {
        rc = vouch_error_ssl(err, VOUCH_ECRYPTO, "cannot sign with ed25519 key");
    }
    if (rc == 0) {
        *sig_len = n;
    } else {
        free(*sig);
        *sig = NULL;
    }
    EVP_MD_CTX_free(mctx);
    return rc;
}

int sign_key_sign_msg(unsigned char **sig, size_t *sig_len, const struct sign_key *key,
                      enum sign_hash alg, const unsigned char *msg, size_t msg_len,
                      struct vouch_error *err)
{
    unsigned char md[SIGN_DIGEST_MAX];
    size_t md_len = 0;
    int rc;
    *sig = NULL;
    *sig_len = 0;
    if (key->type == SIGN_KEY_ED25519) {
        return ed25519_sign(sig, sig_len, key, msg, msg_len, err);
    }
    rc = sign_digest_buf(md, &md_len, alg, msg, msg_len, err);
    if (rc == 0) {
        rc = sign_key_sign_digest(sig, sig_len, key, alg, md, md_len, err);
    }
    return rc;
}

/* One verification attempt; 1 only when OpenSSL says the signature is valid. */
static int verify_once(const struct sign_key *key, enum sign_hash alg, int pss,
                       const unsigned char *digest, size_t digest_len, const unsigned char *sig,
                       size_t sig_len)
{
    EVP_PKEY_CTX *ctx = digest_ctx(key, alg, 1, pss);
    int ok = ctx != NULL && EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

int sign_key_verify_digest(const struct sign_key *key, enum sign_hash alg,
                           const unsigned char *digest, size_t digest_len, const unsigned char *sig,
                           size_t sig_len, struct vouch_error *err)
{
    int rc = VOUCH_EVERIFY; /* fail closed */
    int pss = key_is_pss(key);
    int ok;
    int bad = check_digest(key, alg, digest_len, err);
    if (bad != 0) {
        return bad;
    }
    ok = verify_once(key, alg, pss, digest, digest_len, sig, sig_len);
    if (!ok && key->type == SIGN_KEY_RSA && !pss) {
        /* cosign's RSA verifiers accept PKCS#1 v1.5 and, for PSS keys, PSS; take both. */
        ok = verify_once(key, alg, 1, digest, digest_len, sig, sig_len);
    }
    ERR_clear_error();
    if (ok) {
        rc = 0;
    } else {
        vouch_error_set(err, VOUCH_EVERIFY, "invalid signature");
    }
    return rc;
}

static int ed25519_verify(const struct sign_key *key, const unsigned char *msg, size_t msg_len,
                          const unsigned char *sig, size_t sig_len, struct vouch_error *err)
{
    int rc = VOUCH_EVERIFY; /* fail closed */
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    if (mctx != NULL && EVP_DigestVerifyInit(mctx, NULL, NULL, NULL, key->pkey) == 1 &&
        EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1) {
        rc = 0;
    }
    ERR_clear_error();
    EVP_MD_CTX_free(mctx);
    if (rc != 0) {
        vouch_error_set(err, VOUCH_EVERIFY, "invalid signature");
    }
    return rc;
}

int sign_key_verify_msg(const struct sign_key *key, enum sign_hash alg, const unsigned char *msg,
                        size_t msg_len, const unsigned char *sig, size_t sig_len,
                        struct vouch_error *err)
{
    unsigned char md[SIGN_DIGEST_MAX];
    size_t md_len = 0;
    int rc;
    if (key->type == SIGN_KEY_ED25519) {
        return ed25519_verify(key, msg, msg_len, sig, sig_len, err);
    }
    rc = sign_digest_buf(md, &md_len, alg, msg, msg_len, err);
    if (rc == 0) {
        rc = sign_key_verify_digest(key, alg, md, md_len, sig, sig_len, err);
    }
    return rc;
}

int key_ed25519ph_final_create(unsigned char *sig, const struct sign_key *key,
                               crypto_sign_ed25519ph_state *st, struct vouch_error *err)
{
    unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char *sk = NULL;
    size_t n = sizeof(seed);
    int rc = 0;
    if (key->type != SIGN_KEY_ED25519 || !key->is_private) {
        return vouch_error_set(err, VOUCH_EINVAL, "Ed25519ph needs a private ed25519 key");
    }
    if (sodium_init() < 0) { /* idempotent: sodium_malloc needs it */
        return vouch_error_set(err, VOUCH_EINTERNAL, "cannot initialise libsodium");
    }
    sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
    if (sk == NULL) {
        return vouch_enomem(err);
    }
    if (EVP_PKEY_get_raw_private_key(key->pkey, seed, &n) != 1 || n != sizeof(seed) ||
        crypto_sign_seed_keypair(pk, sk, seed) != 0 ||
        crypto_sign_ed25519ph_final_create(st, sig, NULL, sk) != 0) {
        rc = vouch_error_ssl(err, VOUCH_ECRYPTO, "cannot sign with ed25519 key");
    }
    sodium_memzero(seed, sizeof(seed));
    sodium_free(sk);
    return rc;
}

int key_ed25519ph_final_verify(const struct sign_key *key, crypto_sign_ed25519ph_state *st,
                               const unsigned char *sig, size_t sig_len)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    size_t n = sizeof(pk);
    int ok = key->type == SIGN_KEY_ED25519 && sig_len == crypto_sign_BYTES &&
             EVP_PKEY_get_raw_public_key(key->pkey, pk, &n) == 1 && n == sizeof(pk) &&
             crypto_sign_ed25519ph_final_verify(st, sig, pk) == 0;
    ERR_clear_error();
    return ok;
}
