/* Unit tests for cosign's encrypted private key format: the cosign and skopeo vectors,
 * write/load round trips, and every kind of damage (password, N, ciphertext, JSON, PEM). */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "sign/key.h"

static const char *vec(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/testvectors/keys/%s", VOUCH_SRC_DIR, name);
    return path;
}

static int load_file(struct sign_key **key, const char *file, const char *pw,
                     struct vouch_error *err)
{
    size_t len = 0;
    unsigned char *pem = ts_read(vec(file), &len);
    int rc = sign_key_load_private(key, pem, len, pw, pw == NULL ? 0 : strlen(pw), file, err);
    free(pem);
    return rc;
}

static void expect_pub(const struct sign_key *key, const char *pub_file)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    size_t want_len = 0, pem_len = 0;
    unsigned char *want = ts_read(vec(pub_file), &want_len);
    char *pem = NULL;
    assert_int_equal(0, sign_key_write_public_pem(&pem, &pem_len, key, &err));
    assert_string_equal((char *)want, pem);
    free(want);
    free(pem);
}

static void test_cosign_vectors(void **state)
{
    static const struct {
        const char *key, *pw, *pub;
    } rows[] = {
        {"keys_test-pemcosignkey.key", "hello", "keys_test-pemcosignkey.derived.pub"},
        {"keys_test-pemsigstorekey.key", "hello", "keys_test-pemsigstorekey.derived.pub"},
        {"sk.private.ENCRYPTED-passphrase-test-passphrase.pem", "test-passphrase", "sk.pub"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct sign_key *key = NULL;
        size_t len = 0;
        unsigned char *pem = ts_read(vec(rows[i].key), &len);
        assert_int_equal(1, sign_key_needs_password(pem, len));
        free(pem);
        assert_int_equal(0, load_file(&key, rows[i].key, rows[i].pw, &err));
        assert_int_equal(SIGN_KEY_ECDSA_P256, sign_key_type_of(key));
        expect_pub(key, rows[i].pub);
        sign_key_free(key);
        assert_int_equal(VOUCH_ECRYPTO, load_file(&key, rows[i].key, "hellO", &err));
        assert_null(key);
        assert_int_equal(0, strncmp(err.msg, "wrong password or corrupted key '", 33));
    }
}

static void test_sec1_plaintext_rejected(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    (void)state;
    assert_int_equal(VOUCH_EUNSUPPORTED,
                     load_file(&key, "keys_test-pemcosigneckey.key", "hello", &err));
    assert_null(key);
    assert_string_equal("'keys_test-pemcosigneckey.key' holds a SEC1 EC private key, not PKCS#8 "
                        "(cosign rejects it too; re-import the key)",
                        err.msg);
}

static void test_unknown_password(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    (void)state;
    assert_int_equal(VOUCH_ECRYPTO, load_file(&key, "cosign-test.key", "", &err));
    assert_string_equal("wrong password or corrupted key 'cosign-test.key'", err.msg);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EINVAL, load_file(&key, "cosign-test.key", NULL, &err));
    assert_string_equal("'cosign-test.key' is encrypted: a password is needed", err.msg);
}

/* Write key encrypted, check the PEM label and JSON prefix, load it back. */
static void write_load(enum sign_key_type type, const char *label, unsigned long n, const char *pw)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key_write_opts opts = {label, n};
    struct sign_key *key = NULL, *back = NULL;
    char *pem = NULL, *pub1 = NULL, *pub2 = NULL, head[128], json_head[128];
    size_t len = 0, l1 = 0, l2 = 0;
    BIO *bio;
    char *name = NULL, *hdr = NULL;
    unsigned char *body = NULL;
    long body_len = 0;
    assert_int_equal(0, sign_key_generate(&key, type, &err));
    assert_int_equal(0, sign_key_write_encrypted(&pem, &len, key, pw, strlen(pw), &opts, &err));
    snprintf(head, sizeof(head), "-----BEGIN %s-----\n",
             label != NULL ? label : "ENCRYPTED COSIGN PRIVATE KEY");
    assert_int_equal(0, strncmp(pem, head, strlen(head)));
    bio = BIO_new_mem_buf(pem, (int)len);
    assert_int_equal(1, PEM_read_bio(bio, &name, &hdr, &body, &body_len));
    snprintf(json_head, sizeof(json_head),
             "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":%lu,\"r\":8,\"p\":1},\"salt\":\"",
             n != 0 ? n : 32768);
    assert_int_equal(0, strncmp((char *)body, json_head, strlen(json_head)));
    assert_int_equal(1, sign_key_needs_password((unsigned char *)pem, len));
    assert_int_equal(
        0, sign_key_load_private(&back, (unsigned char *)pem, len, pw, strlen(pw), "rt.key", &err));
    assert_int_equal(0, sign_key_write_public_pem(&pub1, &l1, key, &err));
    assert_int_equal(0, sign_key_write_public_pem(&pub2, &l2, back, &err));
    assert_string_equal(pub1, pub2);
    sign_key_free(back);
    assert_int_equal(VOUCH_ECRYPTO, sign_key_load_private(&back, (unsigned char *)pem, len, "x", 1,
                                                          "rt.key", NULL));
    BIO_free(bio);
    OPENSSL_free(name);
    OPENSSL_free(hdr);
    OPENSSL_free(body);
    free(pem);
    free(pub1);
    free(pub2);
    sign_key_free(key);
    sign_key_free(back);
}

static void test_write_load_roundtrip(void **state)
{
    (void)state;
    write_load(SIGN_KEY_ECDSA_P256, NULL, 0, "s3cret");
    write_load(SIGN_KEY_ED25519, "ENCRYPTED SIGSTORE PRIVATE KEY", 65536, "s3cret");
    write_load(SIGN_KEY_ECDSA_P384, "ENCRYPTED COSIGN PRIVATE KEY", 32768, "pw\n");
}

static void test_empty_password(void **state)
{
    (void)state;
    write_load(SIGN_KEY_ECDSA_P256, NULL, 0, "");
}

static void test_write_refuses(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    struct sign_key_write_opts bad_n = {NULL, 16384}, bad_label = {"PRIVATE KEY", 0};
    char *pem = NULL;
    size_t len = 0;
    (void)state;
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P256, &err));
    assert_int_equal(VOUCH_EINVAL, sign_key_write_encrypted(&pem, &len, key, "", 0, &bad_n, &err));
    assert_string_equal("scrypt N=16384 not allowed", err.msg);
    assert_int_equal(VOUCH_EINVAL,
                     sign_key_write_encrypted(&pem, &len, key, "", 0, &bad_label, NULL));
    assert_int_equal(VOUCH_EINVAL, sign_key_write_encrypted(&pem, &len, key, NULL, 0, NULL, NULL));
    assert_null(pem);
    sign_key_free(key);
}

/* Re-wrap a JSON body as a PEM block with the given label, then load it. */
static int load_json(const char *label, const char *json, const char *pw, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    BIO *bio = BIO_new(BIO_s_mem());
    char *mem = NULL;
    long n;
    int rc;
    assert_true(PEM_write_bio(bio, label, "", (const unsigned char *)json, (long)strlen(json)) > 0);
    n = BIO_get_mem_data(bio, &mem);
    rc = sign_key_load_private(&key, (unsigned char *)mem, (size_t)n, pw, strlen(pw), "t.key", err);
    if (rc != 0) {
        assert_null(key);
    }
    sign_key_free(key);
    BIO_free(bio);
    return rc;
}

#define SALT "xYghsOIMLTXcNODlrSH9CJsQe9Qgfcure+1yKtxuNY0="
#define NONCE "4q/OJUfirdII+R6tj6A2g2CBj/nqtSbp"

static void test_damaged_documents(void **state)
{
    static const struct {
        const char *json;
        int rc;
        const char *msg_prefix;
    } rows[] = {
        {"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":16384,\"r\":8,\"p\":1},\"salt\":\"" SALT
         "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" NONCE
         "\"},\"ciphertext\":\"AAAA\"}",
         VOUCH_EUNSUPPORTED, "scrypt parameters N=16384 r=8 p=1 not allowed in 't.key'"},
        {"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":16,\"p\":1},\"salt\":\"" SALT
         "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" NONCE
         "\"},\"ciphertext\":\"AAAA\"}",
         VOUCH_EUNSUPPORTED, "scrypt parameters N=32768 r=16 p=1"},
        {"{\"kdf\":{\"name\":\"argon2\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"" SALT
         "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" NONCE
         "\"},\"ciphertext\":\"AAAA\"}",
         VOUCH_EUNSUPPORTED, "unsupported key encryption 'argon2'"},
        /* 17 bytes of ciphertext: valid shape, fails authentication */
        {"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"" SALT
         "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" NONCE
         "\"},\"ciphertext\":\"+0xCsspStY+As7Jjri9kllo=\"}",
         VOUCH_ECRYPTO, "wrong password or corrupted key 't.key'"},
        /* shorter than the 16-byte tag */
        {"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"" SALT
         "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" NONCE
         "\"},\"ciphertext\":\"AAAA\"}",
         VOUCH_EPARSE, "malformed ciphertext in encrypted key 't.key'"},
        {"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"" SALT
         "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AAAA\"},\"ciphertext\":\"AAAA\"}",
         VOUCH_EPARSE, "malformed nonce in encrypted key 't.key'"},
        {"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"!!\"},"
         "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" NONCE "\"},\"ciphertext\":\"AA\"}",
         VOUCH_EPARSE, "malformed salt in encrypted key 't.key'"},
        {"{\"kdf\":{\"name\":\"scrypt\"}}", VOUCH_EPARSE, "malformed encrypted key 't.key': "},
        {"{not json", VOUCH_EPARSE, "malformed encrypted key 't.key': "},
        {"[]", VOUCH_EPARSE, "malformed encrypted key 't.key': "},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        assert_int_equal(rows[i].rc,
                         load_json("ENCRYPTED COSIGN PRIVATE KEY", rows[i].json, "hello", &err));
        assert_int_equal(0, strncmp(err.msg, rows[i].msg_prefix, strlen(rows[i].msg_prefix)));
    }
}

static void test_damaged_pem(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    size_t len = 0;
    unsigned char *pem = ts_read(vec("keys_test-pemcosignkey.key"), &len);
    (void)state;
    /* truncated: no END line */
    assert_int_equal(VOUCH_EPARSE,
                     sign_key_load_private(&key, pem, len - 40, "hello", 5, "cut.key", &err));
    assert_int_equal(0, strncmp(err.msg, "malformed or missing PEM block in 'cut.key'", 43));
    vouch_error_clear(&err);
    /* corrupted base64 in the body */
    pem[100] = '*';
    assert_int_equal(VOUCH_EPARSE,
                     sign_key_load_private(&key, pem, len, "hello", 5, "bad.key", &err));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EPARSE, sign_key_load_private(&key, (const unsigned char *)"", 0,
                                                         "hello", 5, "empty.key", &err));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EUNSUPPORTED,
                     load_json("ENCRYPTED FOO PRIVATE KEY", "{}", "hello", &err));
    assert_string_equal("unsupported PEM type 'ENCRYPTED FOO PRIVATE KEY' in 't.key' (want a "
                        "cosign key or an unencrypted private key)",
                        err.msg);
    assert_int_equal(0, sign_key_needs_password(pem, 10));
    free(pem);
}

static void test_unencrypted_labels(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    (void)state;
    /* a PKCS#8 body under the SEC1 label is malformed, not silently accepted */
    assert_int_equal(VOUCH_EPARSE, load_json("EC PRIVATE KEY", "junk", "", &err));
    assert_int_equal(0, strncmp(err.msg, "malformed SEC1 EC private key in 't.key'", 40));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EPARSE, load_json("PRIVATE KEY", "junk", "", &err));
    assert_int_equal(0, strncmp(err.msg, "malformed PKCS#8 private key in 't.key'", 39));
    assert_null(key);
}

static int allowed_failure(int rc)
{
    return rc == VOUCH_EPARSE || rc == VOUCH_EUNSUPPORTED || rc == VOUCH_ECRYPTO ||
           rc == VOUCH_EINVAL;
}

/* Hostile inputs: every truncation of a key file, and single-byte changes in its JSON body,
 * end in one of the documented errors (or, for a change that decodes to the same bytes,
 * success) and never crash, leak or hang (ASan/UBSan watch). Deterministic. */
static void test_mutations(void **state)
{
    size_t len = 0;
    unsigned char *pem = ts_read(vec("keys_test-pemcosignkey.key"), &len);
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    char *label = NULL, *hdr = NULL, *json;
    unsigned char *body = NULL;
    long body_len = 0;
    unsigned int seed = 12345;
    (void)state;
    for (size_t cut = 0; cut + 1 < len; cut += 11) {
        struct sign_key *key = NULL;
        int rc = sign_key_load_private(&key, pem, cut, "hello", 5, "t.key", NULL);
        assert_true(allowed_failure(rc));
        assert_null(key);
    }
    assert_int_equal(1, PEM_read_bio(bio, &label, &hdr, &body, &body_len));
    json = calloc(1, (size_t)body_len + 1);
    assert_non_null(json);
    memcpy(json, body, (size_t)body_len);
    for (int i = 0; i < 24; i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        size_t at;
        char was;
        int rc;
        seed = seed * 1103515245u + 12345u;
        at = (seed >> 8) % (size_t)body_len;
        was = json[at];
        json[at] = (char)(was ^ (1 << ((seed >> 4) % 7)));
        rc = load_json("ENCRYPTED COSIGN PRIVATE KEY", json, "hello", &err);
        assert_true(rc == 0 || allowed_failure(rc));
        json[at] = was;
    }
    BIO_free(bio);
    OPENSSL_free(label);
    OPENSSL_free(hdr);
    OPENSSL_free(body);
    free(json);
    free(pem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cosign_vectors),     cmocka_unit_test(test_sec1_plaintext_rejected),
        cmocka_unit_test(test_unknown_password),   cmocka_unit_test(test_write_load_roundtrip),
        cmocka_unit_test(test_empty_password),     cmocka_unit_test(test_write_refuses),
        cmocka_unit_test(test_damaged_documents),  cmocka_unit_test(test_damaged_pem),
        cmocka_unit_test(test_unencrypted_labels), cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
