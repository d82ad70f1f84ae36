/* Blob signatures: streamed ECDSA (P-256/SHA-256, P-384/SHA-384), streamed Ed25519ph, empty
 * files, expected-digest checks, and errors for missing files and directories. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/blob.h"
#include "sign/key.h"

static char dir[4096];

static const char *path_of(const char *name)
{
    static char p[4200];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    return p;
}

static void put(const char *name, const char *text)
{
    ts_write(path_of(name), text, strlen(text));
}

static void roundtrip(enum sign_key_type type, enum sign_hash want_alg, size_t want_len)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    struct sign_blob_digest d;
    struct sign_blob_digest d2;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    char f[4200];
    assert_int_equal(0, sign_key_generate(&key, type, &err));
    put("f", "blob contents\n");
    snprintf(f, sizeof(f), "%s", path_of("f"));
    assert_int_equal(0, sign_blob_sign(&sig, &sig_len, &d, key, f, &err));
    assert_int_equal(want_alg, d.alg);
    assert_int_equal(want_len, d.len);
    assert_int_equal(0, sign_blob_verify(&d2, key, f, &d, sig, sig_len, &err));
    assert_memory_equal(d.value, d2.value, d.len);
    /* the expected digest must match */
    d2.value[0] ^= 1;
    assert_int_equal(VOUCH_EVERIFY, sign_blob_verify(NULL, key, f, &d2, sig, sig_len, &err));
    /* tampered file */
    put("f", "blob contents!\n");
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EVERIFY, sign_blob_verify(NULL, key, f, NULL, sig, sig_len, &err));
    assert_true(err.msg[0] != '\0');
    /* empty file */
    free(sig);
    put("empty", "");
    assert_int_equal(0, sign_blob_sign(&sig, &sig_len, NULL, key, path_of("empty"), &err));
    assert_int_equal(0, sign_blob_verify(NULL, key, path_of("empty"), NULL, sig, sig_len, &err));
    free(sig);
    sign_key_free(key);
}

static void test_ecdsa_p256(void **state)
{
    (void)state;
    roundtrip(SIGN_KEY_ECDSA_P256, SIGN_HASH_SHA256, 32);
}

static void test_ecdsa_p384(void **state)
{
    (void)state;
    roundtrip(SIGN_KEY_ECDSA_P384, SIGN_HASH_SHA384, 48);
}

static void test_ed25519(void **state)
{
    (void)state;
    roundtrip(SIGN_KEY_ED25519, SIGN_HASH_SHA512, 64); /* Ed25519ph: SHA-512 prehash */
}

/* A P-384 signature over SHA-256 (cosign's --signature-digest-algorithm default) verifies
 * when the expected digest says SHA-256. */
static void test_digest_algorithm_from_want(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    struct sign_blob_digest d;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    (void)state;
    put("h", "hash choice\n");
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P384, &err));
    memset(&d, 0, sizeof(d));
    d.alg = SIGN_HASH_SHA256;
    assert_int_equal(0, sign_digest_file(d.value, &d.len, d.alg, path_of("h"), &err));
    assert_int_equal(0, sign_key_sign_digest(&sig, &sig_len, key, d.alg, d.value, d.len, &err));
    assert_int_equal(0, sign_blob_verify(NULL, key, path_of("h"), &d, sig, sig_len, &err));
    /* without the hint the key's default (SHA-384) is used, and it does not match */
    assert_int_equal(VOUCH_EVERIFY,
                     sign_blob_verify(NULL, key, path_of("h"), NULL, sig, sig_len, &err));
    free(sig);
    sign_key_free(key);
}

static void test_errors(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *ec = NULL;
    struct sign_key *ed = NULL;
    unsigned char *sig = (unsigned char *)"x";
    size_t sig_len = 1;
    (void)state;
    assert_int_equal(0, sign_key_generate(&ec, SIGN_KEY_ECDSA_P256, &err));
    assert_int_equal(0, sign_key_generate(&ed, SIGN_KEY_ED25519, &err));
    assert_int_equal(VOUCH_ENOTFOUND,
                     sign_blob_sign(&sig, &sig_len, NULL, ec, path_of("nope"), &err));
    assert_null(sig);
    assert_non_null(strstr(err.msg, "nope"));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_ENOTFOUND,
                     sign_blob_sign(&sig, &sig_len, NULL, ed, path_of("nope"), &err));
    vouch_error_clear(&err);
    /* a directory is not a blob */
    assert_int_not_equal(0, sign_blob_sign(&sig, &sig_len, NULL, ed, dir, &err));
    assert_null(sig);
    sign_key_free(ec);
    sign_key_free(ed);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "%s", ts_tmpdir("blob"));
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecdsa_p256), cmocka_unit_test(test_ecdsa_p384),
        cmocka_unit_test(test_ed25519),    cmocka_unit_test(test_digest_algorithm_from_want),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
