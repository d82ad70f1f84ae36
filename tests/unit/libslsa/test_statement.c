/* Unit tests for in-toto statements: exact JSON out, strict parsing of hostile input,
 * subject matching, cosign's predicate type names. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsa/statement.h"

#define SHA256_A "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define SHA512_A                                                                                   \
    "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8" \
    "c"                                                                                            \
    "5da0c4663475c2e5c3adef46f73bcdec043"

static void test_write_exact(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_statement *st = NULL;
    struct slsa_digest d[] = {{"sha256", SHA256_A}, {"sha512", SHA512_A}};
    const char *pred = "{\"b\":1,\"a\":[true]}";
    char *out = NULL;
    size_t n = 0;
    (void)state;
    assert_int_equal(0, slsa_statement_new(&st, SLSA_PREDICATE_PROVENANCE_V1, &err));
    assert_int_equal(0, slsa_statement_add_subject(st, "hello.txt", d, 2, &err));
    assert_int_equal(0, slsa_statement_add_subject(st, NULL, d, 1, &err));
    assert_int_equal(0, slsa_statement_set_predicate(st, pred, strlen(pred), &err));
    assert_int_equal(0, slsa_statement_write(&out, &n, st, SLSA_JSON_COMPACT, &err));
    assert_string_equal("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":"
                        "\"hello.txt\",\"digest\":{\"sha256\":\"" SHA256_A
                        "\",\"sha512\":\"" SHA512_A "\"}},{\"digest\":{\"sha256\":\"" SHA256_A
                        "\"}}],\"predicateType\":"
                        "\"https://slsa.dev/provenance/v1\",\"predicate\":{\"b\":1,\"a\":[true]}}",
                        out);
    assert_int_equal(strlen(out), n);
    free(out);
    slsa_statement_free(st);
}

static void test_builder_rejects(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_statement *st = NULL;
    struct slsa_digest upper = {"sha256", "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362"
                                          "938B9824"};
    struct slsa_digest shrt = {"sha256", "abcd"};
    (void)state;
    assert_int_equal(VOUCH_EINVAL, slsa_statement_new(&st, "not a uri", &err));
    assert_null(st);
    assert_int_equal(VOUCH_EINVAL, slsa_statement_new(&st, "spdxjson", &err));
    assert_int_equal(0, slsa_statement_new(&st, "https://spdx.dev/Document", &err));
    assert_int_equal(VOUCH_EINVAL, slsa_statement_add_subject(st, "x", &upper, 1, NULL));
    assert_int_equal(VOUCH_EINVAL, slsa_statement_add_subject(st, "x", &shrt, 1, NULL));
    assert_int_equal(VOUCH_EINVAL, slsa_statement_add_subject(st, "x", &shrt, 0, NULL));
    assert_int_equal(VOUCH_EPARSE, slsa_statement_set_predicate(st, "[1]", 3, NULL));
    assert_int_equal(VOUCH_EPARSE, slsa_statement_set_predicate(st, "{\"a\":1,\"a\":2}", 13, NULL));
    slsa_statement_free(st);
}

static void test_parse_roundtrip(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_statement *st = NULL;
    char *pred = NULL;
    const char *in = "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"x:y\","
                     "\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\"" SHA256_A "\","
                     "\"dirHash1\":\"h1:abc=\"},\"unknownField\":7}],\"extra\":{\"ignored\":1},"
                     "\"predicate\":{\"k\":\"v\"}}";
    (void)state;
    assert_int_equal(0, slsa_statement_parse(&st, (const unsigned char *)in, strlen(in), &err));
    assert_string_equal(SLSA_STATEMENT_V01, slsa_statement_type(st));
    assert_string_equal("x:y", slsa_statement_predicate_type(st));
    assert_int_equal(1, slsa_statement_subject_count(st));
    assert_string_equal("a", slsa_statement_subject_name(st, 0));
    assert_string_equal(SHA256_A, slsa_statement_subject_digest(st, 0, "sha256"));
    assert_null(slsa_statement_subject_digest(st, 0, "sha512"));
    assert_int_equal(0, slsa_statement_match_digest(st, "sha256", SHA256_A, &err));
    assert_int_equal(VOUCH_EVERIFY, slsa_statement_match_digest(st, "sha512", SHA512_A, &err));
    assert_string_equal("no subject has digest sha512:" SHA512_A, err.msg);
    assert_int_equal(0, slsa_statement_predicate_json(&pred, NULL, st, NULL));
    assert_string_equal("{\"k\":\"v\"}", pred);
    free(pred);
    slsa_statement_free(st);
}

/* Each must fail with VOUCH_EPARSE and the given message. */
static const struct {
    const char *json;
    const char *msg;
} hostile[] = {
    {"[]", "statement is not an object"},
    {"{\"_type\":1}", "statement has no _type string"},
    {"{\"_type\":\"https://in-toto.io/Statement/v2\"}", "unsupported statement _type"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[]}",
     "statement has no predicateType string"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"a:b\",\"subject\":[]}",
     "statement has no subjects"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"a:b\",\"subject\":{}}",
     "statement subject is not an array"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"a:b\",\"subject\":[{}]}",
     "subject[0] has no digest"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"a:b\",\"subject\":[{"
     "\"digest\":{\"sha256\":7}}]}",
     "subject[0].digest.sha256 is not a string"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"a:b\",\"subject\":[{"
     "\"digest\":{\"sha256\":\"abc\"}}]}",
     "subject[0]: sha256 digest is not 64 lowercase hex digits"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"a:b\",\"subject\":[{"
     "\"name\":5,\"digest\":{\"sha256\":\"" SHA256_A "\"}}]}",
     "subject[0].name is not a string"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"a:b\",\"subject\":[{"
     "\"digest\":{\"sha256\":\"" SHA256_A "\"}}],\"predicate\":[1]}",
     "statement predicate is not an object"},
    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"_type\":\"https://in-toto.io/Statement/"
     "v1\"}",
     "statement is not valid json"},
    {"{\"_type\":", "statement is not valid json"},
};

static void test_parse_hostile(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct slsa_statement *st = (struct slsa_statement *)1;
        const char *j = hostile[i].json;
        assert_int_equal(VOUCH_EPARSE,
                         slsa_statement_parse(&st, (const unsigned char *)j, strlen(j), &err));
        assert_null(st);
        if (strncmp(err.msg, hostile[i].msg, strlen(hostile[i].msg)) != 0) {
            fail_msg("case %zu: '%s' does not start with '%s'", i, err.msg, hostile[i].msg);
        }
    }
}

static void test_parse_limits(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_statement *st = NULL;
    char *big = NULL;
    size_t cap = 200 + (SLSA_MAX_SUBJECTS + 1) * 100, n;
    (void)state;
    big = malloc(cap);
    assert_non_null(big);
    n = (size_t)snprintf(big, cap, "{\"_type\":\"%s\",\"predicateType\":\"a:b\",\"subject\":[",
                         SLSA_STATEMENT_V1);
    for (int i = 0; i <= SLSA_MAX_SUBJECTS; i++) {
        n += (size_t)snprintf(big + n, cap - n, "%s{\"digest\":{\"sha256\":\"%s\"}}", i ? "," : "",
                              SHA256_A);
    }
    n += (size_t)snprintf(big + n, cap - n, "]}");
    assert_int_equal(VOUCH_EPARSE, slsa_statement_parse(&st, (unsigned char *)big, n, &err));
    assert_string_equal("statement has more than 1024 subjects", err.msg);
    assert_int_equal(VOUCH_EPARSE, slsa_statement_parse(&st, (unsigned char *)big,
                                                        SLSA_STATEMENT_MAX_BYTES + 1, NULL));
    free(big);
}

static void test_predicate_names(void **state)
{
    const char *uri = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(0, slsa_predicate_type_from_name(&uri, "slsaprovenance1", &err));
    assert_string_equal("https://slsa.dev/provenance/v1", uri);
    assert_int_equal(0, slsa_predicate_type_from_name(&uri, "slsaprovenance", &err));
    assert_string_equal("https://slsa.dev/provenance/v0.2", uri);
    assert_int_equal(0, slsa_predicate_type_from_name(&uri, "custom", &err));
    assert_string_equal("https://cosign.sigstore.dev/attestation/v1", uri);
    assert_int_equal(0, slsa_predicate_type_from_name(&uri, "openvex", &err));
    assert_string_equal("https://openvex.dev/ns", uri);
    assert_int_equal(0, slsa_predicate_type_from_name(&uri, "https://example.com/p/v1", &err));
    assert_string_equal("https://example.com/p/v1", uri);
    assert_int_equal(VOUCH_EINVAL, slsa_predicate_type_from_name(&uri, "sbom", &err));
    assert_int_equal(VOUCH_EINVAL, slsa_predicate_type_from_name(&uri, "1x:y", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_exact),     cmocka_unit_test(test_builder_rejects),
        cmocka_unit_test(test_parse_roundtrip), cmocka_unit_test(test_parse_hostile),
        cmocka_unit_test(test_parse_limits),    cmocka_unit_test(test_predicate_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
