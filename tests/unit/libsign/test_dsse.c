/* DSSE: PAE bytes, the spec vector (raw r||s, which we never produce), signing (DER), k-of-n
 * verification, tolerant parsing, malformed envelopes, and peer-made envelopes. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include "sign/dsse.h"
#include "sign/key.h"
#include "vouch/encoding.h"

static struct sign_key *load_pub(const char *rel)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    size_t n = 0;
    unsigned char *pem = ts_read(ts_src(rel), &n);
    if (sign_key_load_public(&key, pem, n, rel, &err) != 0) {
        fail_msg("load %s: %s", rel, err.msg);
    }
    free(pem);
    return key;
}

static struct sign_key *gen(enum sign_key_type type)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    if (sign_key_generate(&key, type, &err) != 0) {
        fail_msg("generate: %s", err.msg);
    }
    return key;
}

static struct sign_dsse *parse_str(const char *json)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_dsse *env = NULL;
    if (sign_dsse_parse(&env, (const unsigned char *)json, strlen(json), &err) != 0) {
        fail_msg("parse: %s", err.msg);
    }
    return env;
}

/* 0 when env verifies with the one key */
static int verify1(const struct sign_dsse *env, const struct sign_key *key)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    return sign_dsse_verify(NULL, NULL, env, &key, 1, 1, &err);
}

static void test_pae_worked_bytes(void **state)
{
    static const unsigned char want[43] = {
        0x44, 0x53, 0x53, 0x45, 0x76, 0x31, 0x20, 0x32, 0x38, 0x20, 0x61, 0x70, 0x70, 0x6c, 0x69,
        0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2f, 0x76, 0x6e, 0x64, 0x2e, 0x69, 0x6e, 0x2d, 0x74,
        0x6f, 0x74, 0x6f, 0x2b, 0x6a, 0x73, 0x6f, 0x6e, 0x20, 0x32, 0x20, 0x7b, 0x7d};
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char *pae = NULL;
    size_t n = 0;
    (void)state;
    assert_int_equal(
        0, sign_dsse_pae(&pae, &n, SIGN_DSSE_INTOTO_TYPE, (const unsigned char *)"{}", 2, &err));
    assert_int_equal(43, n);
    assert_memory_equal(want, pae, 43);
    free(pae);
    assert_int_equal(0, sign_dsse_pae(&pae, &n, "", (const unsigned char *)"", 0, &err));
    assert_int_equal(12, n);
    assert_memory_equal("DSSEv1 0  0 ", pae, 12);
    free(pae);
}

static void test_pae_spec(void **state)
{
    static const char want[] = "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char *pae = NULL;
    size_t n = 0;
    (void)state;
    assert_int_equal(0, sign_dsse_pae(&pae, &n, "http://example.com/HelloWorld",
                                      (const unsigned char *)"hello world", 11, &err));
    assert_int_equal(54, n);
    assert_memory_equal(want, pae, 54);
    free(pae);
}

/* DER of the raw r||s pair, via OpenSSL. */
static char *raw_to_der_b64(const unsigned char *raw)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    ECDSA_SIG *s = ECDSA_SIG_new();
    unsigned char *der = NULL;
    char *b64 = NULL;
    int n;
    assert_non_null(s);
    assert_int_equal(1, ECDSA_SIG_set0(s, BN_bin2bn(raw, 32, NULL), BN_bin2bn(raw + 32, 32, NULL)));
    n = i2d_ECDSA_SIG(s, &der);
    assert_true(n > 0);
    assert_int_equal(0, vouch_base64_encode(&b64, der, (size_t)n, &err));
    OPENSSL_free(der);
    ECDSA_SIG_free(s);
    return b64;
}

static void test_spec_vector(void **state)
{
    struct sign_key *key = load_pub("testvectors/dsse-spec/spec-key.pub");
    size_t n = 0;
    unsigned char *json = ts_read(ts_src("testvectors/dsse-spec/envelope.json"), &n);
    struct sign_dsse *env = parse_str((const char *)json);
    const unsigned char *raw = sign_dsse_sig(env, 0, &n);
    char *der_b64;
    char doc[512];
    (void)state;
    assert_string_equal("http://example.com/HelloWorld", sign_dsse_payload_type(env));
    assert_int_equal(1, sign_dsse_sig_count(env));
    assert_string_equal("", sign_dsse_sig_keyid(env, 0));
    /* the spec's signature is raw r||s (64 bytes): not the DER we make and verify */
    assert_int_equal(64, n);
    assert_int_equal(VOUCH_EVERIFY, verify1(env, key));
    /* the same r,s as DER verifies over our PAE: proves the PAE bytes */
    der_b64 = raw_to_der_b64(raw);
    sign_dsse_free(env);
    snprintf(doc, sizeof(doc),
             "{\"payload\":\"aGVsbG8gd29ybGQ=\",\"payloadType\":\"http://example.com/"
             "HelloWorld\",\"signatures\":[{\"sig\":\"%s\"}]}",
             der_b64);
    env = parse_str(doc);
    assert_int_equal(0, verify1(env, key));
    sign_dsse_free(env);
    /* tampered twin: one byte of payloadType changed */
    doc[strlen("{\"payload\":\"aGVsbG8gd29ybGQ=\",\"payloadType\":\"h")] = 'H';
    env = parse_str(doc);
    assert_int_equal(VOUCH_EVERIFY, verify1(env, key));
    sign_dsse_free(env);
    free(der_b64);
    free(json);
    sign_key_free(key);
}

static void test_sign_der_and_shape(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = gen(SIGN_KEY_ECDSA_P256);
    const struct sign_key *keys[1] = {key};
    struct sign_dsse *env = NULL;
    struct sign_dsse *back = NULL;
    const unsigned char *sig;
    const unsigned char *p;
    unsigned char *payload = NULL;
    char *json = NULL;
    size_t n = 0;
    ECDSA_SIG *es;
    static const char head[] = "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":"
                               "\"e30=\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"";
    (void)state;
    assert_int_equal(0, sign_dsse_sign(&env, SIGN_DSSE_INTOTO_TYPE, (const unsigned char *)"{}", 2,
                                       keys, 1, &err));
    sig = sign_dsse_sig(env, 0, &n);
    p = sig;
    es = d2i_ECDSA_SIG(NULL, &p, (long)n);
    assert_non_null(es); /* DER, consumed whole */
    assert_ptr_equal(sig + n, p);
    ECDSA_SIG_free(es);
    assert_int_equal(0, sign_dsse_write(&json, &n, env, &err));
    assert_int_equal(strlen(json), n);
    assert_memory_equal(head, json, strlen(head));
    assert_string_equal("\"}]}", json + n - 4);
    back = parse_str(json);
    assert_int_equal(0, sign_dsse_verify(&payload, &n, back, keys, 1, 1, &err));
    assert_int_equal(2, n);
    assert_string_equal("{}", (char *)payload);
    free(payload);
    free(json);
    sign_dsse_free(back);
    sign_dsse_free(env);
    sign_key_free(key);
}

static void test_reject(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = gen(SIGN_KEY_ECDSA_P256);
    struct sign_key *other = gen(SIGN_KEY_ECDSA_P256);
    const struct sign_key *keys[1] = {key};
    struct sign_dsse *env = NULL;
    unsigned char *payload = (unsigned char *)"x";
    size_t n = 7;
    (void)state;
    env = parse_str("{\"payload\":\"e30=\",\"payloadType\":\"t\",\"signatures\":[]}");
    assert_int_equal(VOUCH_EVERIFY, sign_dsse_verify(&payload, &n, env, keys, 1, 1, &err));
    assert_non_null(strstr(err.msg, "no signatures"));
    assert_null(payload); /* nothing handed back on failure */
    assert_int_equal(0, n);
    sign_dsse_free(env);
    assert_int_equal(0, sign_dsse_sign(&env, "t", (const unsigned char *)"abc", 3, keys, 1, &err));
    assert_int_equal(0, verify1(env, key));
    assert_int_equal(VOUCH_EVERIFY, verify1(env, other));
    sign_dsse_free(env);
    sign_key_free(key);
    sign_key_free(other);
}

static void test_threshold(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *k1 = gen(SIGN_KEY_ECDSA_P256);
    struct sign_key *k2 = gen(SIGN_KEY_ED25519);
    struct sign_key *k3 = gen(SIGN_KEY_ECDSA_P256);
    const struct sign_key *both[2] = {k1, k2};
    const struct sign_key *one_twice[2] = {k1, k1};
    const struct sign_key *k1k3[2] = {k1, k3};
    struct sign_dsse *env = NULL;
    (void)state;
    assert_int_equal(0, sign_dsse_sign(&env, "t", (const unsigned char *)"p", 1, both, 2, &err));
    assert_int_equal(2, sign_dsse_sig_count(env));
    assert_int_equal(0, sign_dsse_verify(NULL, NULL, env, both, 2, 2, &err));
    assert_int_equal(0, sign_dsse_verify(NULL, NULL, env, k1k3, 2, 1, &err));
    assert_int_equal(VOUCH_EVERIFY, sign_dsse_verify(NULL, NULL, env, k1k3, 2, 2, &err));
    /* the same key given twice is one key */
    assert_int_equal(VOUCH_EVERIFY, sign_dsse_verify(NULL, NULL, env, one_twice, 2, 2, &err));
    sign_dsse_free(env);
    /* one key signing twice is one key */
    assert_int_equal(0,
                     sign_dsse_sign(&env, "t", (const unsigned char *)"p", 1, one_twice, 2, &err));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EVERIFY, sign_dsse_verify(NULL, NULL, env, both, 2, 2, &err));
    assert_non_null(strstr(err.msg, "1 of 2"));
    sign_dsse_free(env);
    sign_key_free(k1);
    sign_key_free(k2);
    sign_key_free(k3);
}

static void test_parse_tolerant(void **state)
{
    struct sign_dsse *env;
    const unsigned char *p;
    size_t n = 0;
    (void)state;
    /* URL-safe unpadded base64, no keyid, unknown fields at both levels */
    env = parse_str("{\"x\":1,\"payloadType\":\"t\",\"payload\":\"-_8\",\"signatures\":"
                    "[{\"sig\":\"-_8B\",\"extra\":[true]}]}");
    p = sign_dsse_payload(env, &n);
    assert_int_equal(2, n);
    assert_int_equal(0xfb, p[0]);
    assert_int_equal(0xff, p[1]);
    assert_string_equal("", sign_dsse_sig_keyid(env, 0));
    assert_null(sign_dsse_sig_keyid(env, 1));
    p = sign_dsse_sig(env, 0, &n);
    assert_int_equal(3, n);
    sign_dsse_free(env);
    env = parse_str("{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"keyid\":\"k1\","
                    "\"sig\":\"AA==\"}]}");
    assert_string_equal("k1", sign_dsse_sig_keyid(env, 0));
    sign_dsse_payload(env, &n);
    assert_int_equal(0, n);
    sign_dsse_free(env);
}

static void test_parse_malformed(void **state)
{
    static const char *const bad[] = {
        "",
        "not json",
        "[]",
        "{\"payloadType\":\"t\",\"payload\":\"e30=\"}",
        "{\"payload\":\"e30=\",\"signatures\":[]}",
        "{\"payloadType\":7,\"payload\":\"e30=\",\"signatures\":[]}",
        "{\"payloadType\":\"t\",\"payload\":\"e3!=\",\"signatures\":[]}",
        "{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":{}}",
        "{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[{}]}",
        ("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AA==\","
         "\"keyid\":1}]}"),
        "{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[\"AA==\"]}",
        "{\"payloadType\":\"t\",\"payloadType\":\"u\",\"payload\":\"e30=\",\"signatures\":[]}",
        "{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[]} trailing",
        "{\"payloadType\":\"a\\u0000b\",\"payload\":\"e30=\",\"signatures\":[]}",
        "{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AA==\"}]",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct sign_dsse *env = (struct sign_dsse *)1;
        int rc = sign_dsse_parse(&env, (const unsigned char *)bad[i], strlen(bad[i]), &err);
        if (rc != VOUCH_EPARSE) {
            fail_msg("case %zu: rc %d, want EPARSE", i, rc);
        }
        assert_null(env);
        assert_true(err.msg[0] != '\0');
    }
}

static void test_parse_caps(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_dsse *env = NULL;
    char *many;
    size_t len = 0;
    size_t cap = 64 + 13 * (SIGN_DSSE_MAX_SIGS + 1);
    (void)state;
    /* the size cap is checked before reading a byte */
    assert_int_equal(VOUCH_EPARSE, sign_dsse_parse(&env, (const unsigned char *)"{}",
                                                   SIGN_DSSE_MAX_BYTES + 1, &err));
    many = malloc(cap);
    assert_non_null(many);
    len += (size_t)snprintf(many, cap, "{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[");
    for (int i = 0; i <= SIGN_DSSE_MAX_SIGS; i++) {
        len += (size_t)snprintf(many + len, cap - len, "%s{\"sig\":\"\"}", i > 0 ? "," : "");
    }
    len += (size_t)snprintf(many + len, cap - len, "]}");
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EPARSE, sign_dsse_parse(&env, (unsigned char *)many, len, &err));
    assert_non_null(strstr(err.msg, "signatures"));
    free(many);
}

/* A peer's envelope verifies with its key; a tampered payloadType does not. */
static void check_peer(const char *env_rel, const char *key_rel, const char *want_in_payload)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = load_pub(key_rel);
    size_t n = 0;
    unsigned char *json = ts_read(ts_src(env_rel), &n);
    struct sign_dsse *env = parse_str((const char *)json);
    const struct sign_key *keys[1] = {key};
    unsigned char *payload = NULL;
    char *at;
    assert_int_equal(0, sign_dsse_verify(&payload, &n, env, keys, 1, 1, &err));
    assert_non_null(strstr((char *)payload, want_in_payload));
    free(payload);
    sign_dsse_free(env);
    at = strstr((char *)json, "application/vnd.in-toto+json");
    assert_non_null(at);
    at[0] = 'A';
    env = parse_str((const char *)json);
    assert_int_equal(VOUCH_EVERIFY, sign_dsse_verify(NULL, NULL, env, keys, 1, 1, &err));
    sign_dsse_free(env);
    free(json);
    sign_key_free(key);
}

static void test_peer_envelopes(void **state)
{
    (void)state;
    check_peer("testvectors/sslib/sslib-envelope.json", "testvectors/sslib/sslib-key.pub",
               "\"predicateType\": \"x\"");
    check_peer("testvectors/sigstore-js/envelope.dsse.json", "testvectors/sigstore-js/key.pub",
               "\"hello\":\"world\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pae_worked_bytes), cmocka_unit_test(test_pae_spec),
        cmocka_unit_test(test_spec_vector),      cmocka_unit_test(test_sign_der_and_shape),
        cmocka_unit_test(test_reject),           cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_parse_tolerant),   cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test(test_parse_caps),       cmocka_unit_test(test_peer_envelopes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
