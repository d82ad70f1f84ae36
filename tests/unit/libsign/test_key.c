/* Unit tests for sign/key.h: generation, sign/verify round trips and forgeries per key
 * type, public key and certificate loading, algorithm limits, the bundle hint. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "sign/key.h"
#include "vouch/encoding.h"

static const char *vec(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/testvectors/keys/%s", VOUCH_SRC_DIR, name);
    return path;
}

static struct sign_key *load_pub_file(const char *name)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    size_t len = 0;
    unsigned char *pem = ts_read(vec(name), &len);
    assert_int_equal(0, sign_key_load_public(&key, pem, len, name, &err));
    free(pem);
    return key;
}

/* Sign "hello", verify with the key and with its re-loaded public PEM, then forge. */
static void round_trip(enum sign_key_type type)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL, *pub = NULL;
    const unsigned char msg[] = "hello, world";
    unsigned char *sig = NULL;
    size_t sig_len = 0, pem_len = 0;
    char *pem = NULL;
    enum sign_hash alg;
    assert_int_equal(0, sign_key_generate(&key, type, &err));
    assert_int_equal(type, sign_key_type_of(key));
    assert_int_equal(1, sign_key_is_private(key));
    alg = sign_key_default_hash(key);
    assert_int_equal(0, sign_key_sign_msg(&sig, &sig_len, key, alg, msg, sizeof(msg), &err));
    assert_int_equal(0, sign_key_write_public_pem(&pem, &pem_len, key, &err));
    assert_int_equal(0, strncmp(pem, "-----BEGIN PUBLIC KEY-----\n", 27));
    assert_int_equal(0, sign_key_load_public(&pub, (unsigned char *)pem, pem_len, "pub", &err));
    assert_int_equal(0, sign_key_is_private(pub));
    assert_int_equal(0, sign_key_verify_msg(key, alg, msg, sizeof(msg), sig, sig_len, &err));
    assert_int_equal(0, sign_key_verify_msg(pub, alg, msg, sizeof(msg), sig, sig_len, &err));
    /* forgeries: other message, flipped signature byte, truncated, empty */
    assert_int_equal(VOUCH_EVERIFY, sign_key_verify_msg(pub, alg, msg, 5, sig, sig_len, &err));
    assert_string_equal("invalid signature", err.msg);
    sig[sig_len / 2] ^= 0x01;
    assert_int_equal(VOUCH_EVERIFY,
                     sign_key_verify_msg(pub, alg, msg, sizeof(msg), sig, sig_len, NULL));
    sig[sig_len / 2] ^= 0x01;
    assert_int_equal(VOUCH_EVERIFY,
                     sign_key_verify_msg(pub, alg, msg, sizeof(msg), sig, sig_len - 1, NULL));
    assert_int_equal(VOUCH_EVERIFY, sign_key_verify_msg(pub, alg, msg, sizeof(msg), sig, 0, NULL));
    free(sig);
    free(pem);
    sign_key_free(pub);
    sign_key_free(key);
}

static void test_roundtrip_p256(void **state)
{
    (void)state;
    round_trip(SIGN_KEY_ECDSA_P256);
}

static void test_roundtrip_p384_p521(void **state)
{
    (void)state;
    round_trip(SIGN_KEY_ECDSA_P384);
    round_trip(SIGN_KEY_ECDSA_P521);
}

static void test_roundtrip_ed25519(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    unsigned char md[32] = {0};
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    (void)state;
    round_trip(SIGN_KEY_ED25519);
    /* Ed25519 is pure: a precomputed digest is refused, not silently signed */
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ED25519, &err));
    assert_int_equal(VOUCH_EUNSUPPORTED,
                     sign_key_sign_digest(&sig, &sig_len, key, SIGN_HASH_SHA256, md, 32, &err));
    assert_null(sig);
    sign_key_free(key);
}

static void test_sign_digest_matches_msg(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    unsigned char md[SIGN_DIGEST_MAX];
    unsigned char *sig = NULL;
    size_t md_len = 0, sig_len = 0;
    (void)state;
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P256, &err));
    assert_int_equal(0, sign_digest_buf(md, &md_len, SIGN_HASH_SHA256, "abc", 3, &err));
    assert_int_equal(0,
                     sign_key_sign_digest(&sig, &sig_len, key, SIGN_HASH_SHA256, md, md_len, &err));
    assert_int_equal(0x30, sig[0]); /* ASN.1 DER SEQUENCE, not raw r||s */
    assert_int_equal(0, sign_key_verify_msg(key, SIGN_HASH_SHA256, (const unsigned char *)"abc", 3,
                                            sig, sig_len, &err));
    assert_int_equal(VOUCH_EVERIFY,
                     sign_key_verify_msg(key, SIGN_HASH_SHA384, (const unsigned char *)"abc", 3,
                                         sig, sig_len, NULL));
    assert_int_equal(VOUCH_EINVAL,
                     sign_key_verify_digest(key, SIGN_HASH_SHA256, md, 20, sig, sig_len, NULL));
    free(sig);
    sign_key_free(key);
}

/* Load a private key made by OpenSSL itself (PKCS#8 PEM) through the library. */
static struct sign_key *from_openssl(EVP_PKEY *pk, int *rc, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    BIO *bio = BIO_new(BIO_s_mem());
    char *mem = NULL;
    long n;
    assert_non_null(pk);
    assert_int_equal(1, PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL));
    n = BIO_get_mem_data(bio, &mem);
    *rc = sign_key_load_private(&key, (unsigned char *)mem, (size_t)n, NULL, 0, "gen.pem", err);
    BIO_free(bio);
    EVP_PKEY_free(pk);
    return key;
}

static void test_rsa_limits(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = 0;
    (void)state;
    key = from_openssl(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048), &rc, &err);
    assert_int_equal(0, rc);
    assert_int_equal(SIGN_KEY_RSA, sign_key_type_of(key));
    assert_int_equal(0, sign_key_sign_msg(&sig, &sig_len, key, SIGN_HASH_SHA256,
                                          (const unsigned char *)"m", 1, &err));
    assert_int_equal(256, sig_len);
    assert_int_equal(0, sign_key_verify_msg(key, SIGN_HASH_SHA256, (const unsigned char *)"m", 1,
                                            sig, sig_len, &err));
    sig[0] ^= 1;
    assert_int_equal(VOUCH_EVERIFY,
                     sign_key_verify_msg(key, SIGN_HASH_SHA256, (const unsigned char *)"m", 1, sig,
                                         sig_len, NULL));
    free(sig);
    sign_key_free(key);
    key = from_openssl(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024), &rc, &err);
    assert_null(key);
    assert_int_equal(VOUCH_EUNSUPPORTED, rc);
    assert_string_equal("RSA key of 1024 bits in 'gen.pem' (2048 to 4096 supported)", err.msg);
}

/* RSA-PSS signatures made by OpenSSL directly (salt = digest length) verify too. */
static void test_rsa_pss_verify(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    struct sign_key *key;
    unsigned char sig[512];
    size_t sig_len = sizeof(sig);
    int rc = 0;
    (void)state;
    assert_non_null(pk);
    assert_int_equal(1, EVP_DigestSignInit(mctx, &pctx, EVP_sha256(), NULL, pk));
    assert_int_equal(1, EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING));
    assert_int_equal(1, EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST));
    assert_int_equal(1, EVP_DigestSign(mctx, sig, &sig_len, (const unsigned char *)"pss", 3));
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_up_ref(pk);
    key = from_openssl(pk, &rc, &err);
    assert_int_equal(0, rc);
    assert_int_equal(0, sign_key_verify_msg(key, SIGN_HASH_SHA256, (const unsigned char *)"pss", 3,
                                            sig, sig_len, &err));
    assert_int_equal(VOUCH_EVERIFY,
                     sign_key_verify_msg(key, SIGN_HASH_SHA256, (const unsigned char *)"psS", 3,
                                         sig, sig_len, NULL));
    sign_key_free(key);
    EVP_PKEY_free(pk);
}

static void test_unsupported_curves(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = 0;
    (void)state;
    assert_null(from_openssl(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1"), &rc, &err));
    assert_int_equal(VOUCH_EUNSUPPORTED, rc);
    assert_string_equal("unsupported elliptic curve 'secp256k1' in 'gen.pem' (P-256, P-384, P-521)",
                        err.msg);
    vouch_error_clear(&err);
    assert_null(from_openssl(EVP_PKEY_Q_keygen(NULL, NULL, "ED448"), &rc, &err));
    assert_int_equal(VOUCH_EUNSUPPORTED, rc);
    assert_string_equal("unsupported key algorithm 'ED448' in 'gen.pem'", err.msg);
}

static void test_public_pem_errors(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    size_t len = 0;
    unsigned char *pem = ts_read(vec("conformance-managed-key.pub"), &len);
    (void)state;
    assert_int_equal(VOUCH_EPARSE, sign_key_load_public(&key, pem, len / 2, "half.pub", &err));
    assert_non_null(strstr(err.msg, "malformed or missing PEM block in 'half.pub'"));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EPARSE,
                     sign_key_load_public(&key, (const unsigned char *)"garbage\n", 8, "g", &err));
    free(pem);
    pem = ts_read(vec("keys_test-pemcosignkey.key"), &len);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EUNSUPPORTED, sign_key_load_public(&key, pem, len, "k", &err));
    assert_string_equal("'k' is not a PKIX public key (PEM type 'ENCRYPTED COSIGN PRIVATE KEY')",
                        err.msg);
    assert_null(key);
    free(pem);
}

/* The conformance bundle's publicKey.hint is base64(sha256(SPKI DER)) of its key.pub. */
static void test_hint(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = load_pub_file("conformance-managed-key.pub");
    char *hint = NULL;
    (void)state;
    assert_int_equal(0, sign_key_hint(&hint, key, &err));
    assert_string_equal("TLMsSDfG3ajPsWge+z/vX5T/zluXnmvbkTkwLIV68Tk=", hint);
    free(hint);
    sign_key_free(key);
}

static void check_cert(const char *file)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL, *bad = NULL;
    size_t len = 0, want_len = 0, pem_len = 0;
    unsigned char *data = ts_read(vec(file), &len);
    unsigned char *want = ts_read(vec("conformance-dsse-leaf.derived.pub"), &want_len);
    char *pem = NULL;
    assert_int_equal(0, sign_key_load_cert(&key, data, len, file, &err));
    assert_int_equal(SIGN_KEY_ECDSA_P256, sign_key_type_of(key));
    assert_int_equal(0, sign_key_write_public_pem(&pem, &pem_len, key, &err));
    assert_string_equal((char *)want, pem);
    /* a truncated certificate is malformed, never half-read */
    assert_int_equal(VOUCH_EPARSE, sign_key_load_cert(&bad, data, len - 40, file, NULL));
    assert_null(bad);
    free(pem);
    free(data);
    free(want);
    sign_key_free(key);
}

static void test_cert_der_and_pem(void **state)
{
    (void)state;
    check_cert("conformance-dsse-leaf.der");
    check_cert("conformance-dsse-leaf.pem");
}

static void test_public_der(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = load_pub_file("conformance-managed-key.pub");
    struct sign_key *again = NULL;
    unsigned char *der = NULL;
    size_t der_len = 0;
    (void)state;
    assert_int_equal(0, sign_key_public_der(&der, &der_len, key, &err));
    assert_int_equal(91, der_len); /* P-256 SPKI (signing.md §3.1) */
    assert_int_equal(0, sign_key_load_public_der(&again, der, der_len, "der", &err));
    sign_key_free(again);
    assert_int_equal(VOUCH_EPARSE, sign_key_load_public_der(&again, der, der_len - 1, "d", NULL));
    assert_null(again);
    free(der);
    sign_key_free(again);
    sign_key_free(key);
}

/* A real peer signature: sigstore-conformance managed-key-happy-path, messageSignature
 * .signature over a.txt (ECDSA P-256, SHA-256, DER), made by sigstore tooling. */
static const char conformance_sig_b64[] = "MEUCIQCACfhpIX3+zVXJjwEeIS0yFTK2jRfBjduXAaLHJSARHAIgSUdT"
                                          "M+S5xucODRFtrGHN2uClS0MRPhqZm76g0ZHEQ5c=";

static void test_peer_signature(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = load_pub_file("conformance-managed-key.pub");
    struct sign_key *other = load_pub_file("keys_test-pemcosignkey.derived.pub");
    unsigned char md[SIGN_DIGEST_MAX];
    unsigned char *sig = NULL, *msg;
    size_t sig_len = 0, msg_len = 0, md_len = 0;
    (void)state;
    msg = ts_read(vec("conformance-a.txt"), &msg_len);
    assert_int_equal(0, vouch_base64_decode(&sig, &sig_len, conformance_sig_b64,
                                            strlen(conformance_sig_b64), &err));
    assert_int_equal(0,
                     sign_key_verify_msg(key, SIGN_HASH_SHA256, msg, msg_len, sig, sig_len, &err));
    assert_int_equal(0, sign_digest_buf(md, &md_len, SIGN_HASH_SHA256, msg, msg_len, &err));
    assert_int_equal(0,
                     sign_key_verify_digest(key, SIGN_HASH_SHA256, md, md_len, sig, sig_len, &err));
    /* tampered twins: the message one byte short, another key */
    assert_int_equal(VOUCH_EVERIFY, sign_key_verify_msg(key, SIGN_HASH_SHA256, msg, msg_len - 1,
                                                        sig, sig_len, NULL));
    assert_int_equal(VOUCH_EVERIFY, sign_key_verify_msg(other, SIGN_HASH_SHA256, msg, msg_len, sig,
                                                        sig_len, NULL));
    free(sig);
    free(msg);
    sign_key_free(key);
    sign_key_free(other);
}

static void test_type_names(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    enum sign_key_type t;
    (void)state;
    assert_int_equal(0, sign_key_type_from_name(&t, "ecdsa", &err));
    assert_int_equal(SIGN_KEY_ECDSA_P256, t);
    assert_int_equal(0, sign_key_type_from_name(&t, "ed25519", &err));
    assert_int_equal(SIGN_KEY_ED25519, t);
    assert_string_equal("ecdsa-p384", sign_key_type_name(SIGN_KEY_ECDSA_P384));
    assert_int_equal(VOUCH_EUNSUPPORTED, sign_key_type_from_name(&t, "dsa", &err));
    assert_string_equal("unsupported key type 'dsa'", err.msg);
    assert_int_equal(VOUCH_EUNSUPPORTED,
                     sign_key_generate(&(struct sign_key *){NULL}, SIGN_KEY_RSA, NULL));
    sign_key_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_p256),
        cmocka_unit_test(test_roundtrip_p384_p521),
        cmocka_unit_test(test_roundtrip_ed25519),
        cmocka_unit_test(test_sign_digest_matches_msg),
        cmocka_unit_test(test_rsa_limits),
        cmocka_unit_test(test_rsa_pss_verify),
        cmocka_unit_test(test_unsupported_curves),
        cmocka_unit_test(test_public_pem_errors),
        cmocka_unit_test(test_hint),
        cmocka_unit_test(test_cert_der_and_pem),
        cmocka_unit_test(test_public_der),
        cmocka_unit_test(test_peer_signature),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
