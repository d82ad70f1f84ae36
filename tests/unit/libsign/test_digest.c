/* Unit tests for sign/digest.h: FIPS 180 "abc" vectors, streaming, files across chunks. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/digest.h"
#include "vouch/encoding.h"

static const struct {
    enum sign_hash alg;
    const char *name;
    const char *abc_hex; /* FIPS 180-4 example "abc" */
} vectors[] = {
    {SIGN_HASH_SHA256, "sha256",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {SIGN_HASH_SHA384, "sha384",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca1"
     "34c825a7"},
    {SIGN_HASH_SHA512, "sha512",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a"
     "3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {SIGN_HASH_SHA1, "sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"},
};

static void hex_of(char *out, const unsigned char *md, size_t n)
{
    vouch_hex_encode(out, md, n);
}

static void test_abc_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        unsigned char md[SIGN_DIGEST_MAX];
        char hex[2 * SIGN_DIGEST_MAX + 1];
        size_t n = 0;
        enum sign_hash parsed;
        assert_int_equal(0, sign_digest_buf(md, &n, vectors[i].alg, "abc", 3, &err));
        assert_int_equal(sign_hash_size(vectors[i].alg), n);
        hex_of(hex, md, n);
        assert_string_equal(vectors[i].abc_hex, hex);
        assert_string_equal(vectors[i].name, sign_hash_name(vectors[i].alg));
        assert_int_equal(0, sign_hash_from_name(&parsed, vectors[i].name, &err));
        assert_int_equal(vectors[i].alg, parsed);
    }
}

static void test_unknown_name(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    enum sign_hash alg;
    (void)state;
    assert_int_equal(VOUCH_EUNSUPPORTED, sign_hash_from_name(&alg, "md5", &err));
    assert_string_equal("unsupported hash algorithm 'md5'", err.msg);
}

static void test_streaming_equals_oneshot(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_digest *d = NULL;
    unsigned char md[SIGN_DIGEST_MAX];
    char hex[2 * SIGN_DIGEST_MAX + 1];
    size_t n = 0;
    (void)state;
    assert_int_equal(0, sign_digest_new(&d, SIGN_HASH_SHA256, &err));
    assert_int_equal(0, sign_digest_update(d, "a", 1, &err));
    assert_int_equal(0, sign_digest_update(d, "", 0, &err));
    assert_int_equal(0, sign_digest_update(d, "bc", 2, &err));
    assert_int_equal(0, sign_digest_final(d, md, &n, &err));
    sign_digest_free(d);
    sign_digest_free(NULL);
    hex_of(hex, md, n);
    assert_string_equal(vectors[0].abc_hex, hex);
}

/* A file of 600 KiB + 1 byte spans three 256 KiB chunks and a short tail. */
static void test_file_multichunk(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    size_t len = 600 * 1024 + 1;
    unsigned char *data = malloc(len);
    unsigned char md[SIGN_DIGEST_MAX];
    char hex[2 * SIGN_DIGEST_MAX + 1];
    char path[4200];
    size_t n = 0;
    (void)state;
    assert_non_null(data);
    for (size_t i = 0; i < len; i++) {
        data[i] = (unsigned char)((i * 7) % 251);
    }
    snprintf(path, sizeof(path), "%s/blob.bin", ts_tmpdir("digest_file"));
    ts_write(path, data, len);
    free(data);
    assert_int_equal(0, sign_digest_file(md, &n, SIGN_HASH_SHA256, path, &err));
    hex_of(hex, md, n);
    /* python3 hashlib.sha256 of the same bytes */
    assert_string_equal("f752c5676283d8db331274bb42d5941b6784c9bfd9b132f9c954abd89d0644eb", hex);
    assert_int_equal(0, sign_digest_file(md, &n, SIGN_HASH_SHA512, path, &err));
    hex_of(hex, md, n);
    assert_string_equal("f428c10c16ac327ca3de1002de2f264fe5ee9a27479a89c4c008da7bbc3635c8eef1451"
                        "2399e43425ff6c830c5b45194d3275b3e5ff02a0baefb35e856a51330",
                        hex);
}

static void test_file_empty_and_missing(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char md[SIGN_DIGEST_MAX];
    char hex[2 * SIGN_DIGEST_MAX + 1];
    char path[4200];
    size_t n = 0;
    (void)state;
    snprintf(path, sizeof(path), "%s/empty", ts_tmpdir("digest_empty"));
    ts_write(path, "", 0);
    assert_int_equal(0, sign_digest_file(md, &n, SIGN_HASH_SHA256, path, &err));
    hex_of(hex, md, n);
    assert_string_equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex);
    snprintf(path, sizeof(path), "%s/nope", ts_tmpdir("digest_missing"));
    assert_int_equal(VOUCH_ENOTFOUND, sign_digest_file(md, &n, SIGN_HASH_SHA256, path, &err));
    assert_non_null(strstr(err.msg, "cannot open '"));
    assert_non_null(strstr(err.msg, "/nope'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abc_vectors),
        cmocka_unit_test(test_unknown_name),
        cmocka_unit_test(test_streaming_equals_oneshot),
        cmocka_unit_test(test_file_multichunk),
        cmocka_unit_test(test_file_empty_and_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
