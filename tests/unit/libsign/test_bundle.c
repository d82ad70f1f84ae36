/* Sigstore bundles: exact v0.3 JSON we write, round trips, conformance and sigstore-js
 * vectors (each with a tampered twin), cosign's old bundle, and malformed inputs. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/blob.h"
#include "sign/bundle.h"
#include "sign/key.h"
#include "vouch/encoding.h"

#define CONF "testvectors/sigstore-conformance/"
#define SJS "testvectors/sigstore-js/"

static struct sign_key *load_pub(const char *rel, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    size_t n = 0;
    unsigned char *pem = ts_read(ts_src(rel), &n);
    int rc = sign_key_load_public(&key, pem, n, rel, err);
    free(pem);
    return rc == 0 ? key : NULL;
}

static int parse_buf(struct sign_bundle **b, const char *json, struct vouch_error *err)
{
    return sign_bundle_parse(b, (const unsigned char *)json, strlen(json), err);
}

static struct sign_bundle *parse_file(const char *rel)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_bundle *b = NULL;
    size_t n = 0;
    unsigned char *json = ts_read(ts_src(rel), &n);
    if (sign_bundle_parse(&b, json, n, &err) != 0) {
        fail_msg("parse %s: %s", rel, err.msg);
    }
    free(json);
    return b;
}

/* malloc'd copy of s with the first occurrence of from replaced by to */
static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(at);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return out;
}

/* ts_tmpdir's buffer is shared with ts_src: keep a copy */
static const char *tmpdir(const char *name)
{
    static char dirs[4][4096];
    static int next;
    char *d = dirs[next++ % 4];
    snprintf(d, 4096, "%s", ts_tmpdir(name));
    return d;
}

static const char *tmpfile_with(const char *dir, const char *name, const char *text)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    ts_write(path, text, strlen(text));
    return path;
}

static void test_write_message_exact(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    struct sign_blob_digest d;
    struct sign_bundle *b = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    char *json = NULL;
    char *hint = NULL;
    char *s64 = NULL;
    char want[1024];
    size_t n = 0;
    const char *dir = tmpdir("bundle_write");
    char path[4096];
    (void)state;
    snprintf(path, sizeof(path), "%s", tmpfile_with(dir, "a.txt", "hello artifact\n"));
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P256, &err));
    assert_int_equal(0, sign_blob_sign(&sig, &sig_len, &d, key, path, &err));
    assert_int_equal(SIGN_HASH_SHA256, d.alg);
    assert_int_equal(0, sign_bundle_write_message(&json, &n, key, &d, sig, sig_len, &err));
    assert_int_equal(0, sign_key_hint(&hint, key, &err));
    assert_int_equal(0, vouch_base64_encode(&s64, sig, sig_len, &err));
    /* sha256("hello artifact\n") */
    snprintf(want, sizeof(want),
             "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
             "\"verificationMaterial\":{\"publicKey\":{\"hint\":\"%s\"}},\"messageSignature\":{"
             "\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":"
             "\"UbwPwfGRBPpuic5Qvpqh9XwzRsHKUatJ9fAOFM6PgHY=\"},\"signature\":\"%s\"}}",
             hint, s64);
    assert_string_equal(want, json);
    assert_int_equal(strlen(want), n);
    /* round trip */
    assert_int_equal(0, parse_buf(&b, json, &err));
    assert_int_equal(SIGN_BUNDLE_MESSAGE, sign_bundle_kind_of(b));
    assert_int_equal(SIGN_BUNDLE_MAT_PUBLIC_KEY, sign_bundle_material_of(b));
    assert_string_equal(hint, sign_bundle_key_hint(b));
    assert_int_equal(0, sign_bundle_verify_blob(NULL, b, key, path, &err));
    /* tampered twin: the artifact changes */
    tmpfile_with(dir, "a.txt", "hello artifacT\n");
    assert_int_equal(VOUCH_EVERIFY, sign_bundle_verify_blob(NULL, b, key, path, &err));
    assert_non_null(strstr(err.msg, "digest"));
    sign_bundle_free(b);
    free(json);
    free(hint);
    free(s64);
    free(sig);
    sign_key_free(key);
}

static void test_write_dsse_exact(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    struct sign_dsse *env = NULL;
    struct sign_bundle *b = NULL;
    const struct sign_key *keys[1];
    unsigned char *payload = NULL;
    const unsigned char *sig;
    char *json = NULL;
    char *hint = NULL;
    char *s64 = NULL;
    char want[1024];
    size_t n = 0;
    (void)state;
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P256, &err));
    keys[0] = key;
    assert_int_equal(0, sign_dsse_sign(&env, SIGN_DSSE_INTOTO_TYPE, (const unsigned char *)"{}", 2,
                                       keys, 1, &err));
    sig = sign_dsse_sig(env, 0, &n);
    assert_int_equal(0, vouch_base64_encode(&s64, sig, n, &err));
    assert_int_equal(0, sign_key_hint(&hint, key, &err));
    assert_int_equal(0, sign_bundle_write_dsse(&json, &n, key, env, &err));
    snprintf(want, sizeof(want),
             "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
             "\"verificationMaterial\":{\"publicKey\":{\"hint\":\"%s\"}},\"dsseEnvelope\":{"
             "\"payload\":\"e30=\",\"payloadType\":\"application/vnd.in-toto+json\","
             "\"signatures\":[{\"sig\":\"%s\"}]}}",
             hint, s64);
    assert_string_equal(want, json);
    assert_int_equal(0, parse_buf(&b, json, &err));
    assert_int_equal(SIGN_BUNDLE_DSSE, sign_bundle_kind_of(b));
    assert_int_equal(0, sign_bundle_verify_dsse(&payload, &n, b, key, &err));
    assert_string_equal("{}", (char *)payload);
    assert_int_equal(VOUCH_EUNSUPPORTED, sign_bundle_verify_blob(NULL, b, key, "x", &err));
    free(payload);
    sign_bundle_free(b);
    free(json);
    free(hint);
    free(s64);
    sign_dsse_free(env);
    sign_key_free(key);
}

static void test_conformance_managed_key(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = load_pub(CONF "managed-key-happy-path/key.pub", &err);
    struct sign_bundle *b = parse_file(CONF "managed-key-happy-path/bundle.sigstore.json");
    struct sign_blob_digest d;
    const char *dir = tmpdir("bundle_conf");
    size_t n = 0;
    unsigned char *art = ts_read(ts_src(CONF "a.txt"), &n);
    char path[4096];
    (void)state;
    assert_non_null(key);
    assert_string_equal("TLMsSDfG3ajPsWge+z/vX5T/zluXnmvbkTkwLIV68Tk=", sign_bundle_key_hint(b));
    assert_int_equal(0, sign_bundle_verify_blob(&d, b, key, ts_src(CONF "a.txt"), &err));
    assert_int_equal(32, d.len);
    /* tampered twin: one byte of the artifact */
    art[0] ^= 1;
    snprintf(path, sizeof(path), "%s/a.txt", dir);
    ts_write(path, art, n);
    assert_int_equal(VOUCH_EVERIFY, sign_bundle_verify_blob(NULL, b, key, path, &err));
    sign_bundle_free(b);
    /* wrong-key_fail: the key does not load, or does not verify */
    vouch_error_clear(&err);
    sign_key_free(key);
    key = load_pub(CONF "managed-key-wrong-key_fail/key.pub", &err);
    b = parse_file(CONF "managed-key-wrong-key_fail/bundle.sigstore.json");
    if (key != NULL) {
        assert_int_equal(VOUCH_EVERIFY,
                         sign_bundle_verify_blob(NULL, b, key, ts_src(CONF "a.txt"), &err));
    } else {
        assert_true(err.code != 0);
    }
    sign_bundle_free(b);
    sign_key_free(key);
    free(art);
}

static void test_conformance_signature_tampered(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = load_pub(CONF "managed-key-happy-path/key.pub", &err);
    struct sign_bundle *b = NULL;
    unsigned char *json = ts_read(ts_src(CONF "managed-key-happy-path/bundle.sigstore.json"), NULL);
    /* flip one character inside the DER signature's s value; the digest still matches */
    char *bad = replace((char *)json, "SUdTM+S5xucODRFt", "SUdTM+S5xucODRFu");
    (void)state;
    assert_int_equal(0, parse_buf(&b, bad, &err));
    assert_int_equal(VOUCH_EVERIFY,
                     sign_bundle_verify_blob(NULL, b, key, ts_src(CONF "a.txt"), &err));
    sign_bundle_free(b);
    free(bad);
    /* message digest that does not match the artifact (signature untouched) */
    bad = replace((char *)json, "oM/HEnHW4njlfNMy", "AM/HEnHW4njlfNMy");
    assert_int_equal(0, parse_buf(&b, bad, &err));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EVERIFY,
                     sign_bundle_verify_blob(NULL, b, key, ts_src(CONF "a.txt"), &err));
    assert_non_null(strstr(err.msg, "digest"));
    sign_bundle_free(b);
    free(bad);
    free(json);
    sign_key_free(key);
}

static void test_conformance_dsse_cert(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char *rel = CONF "happy-path-intoto-in-dsse-v3/bundle.sigstore.json";
    struct sign_bundle *b = parse_file(rel);
    struct sign_key *key = NULL;
    unsigned char *payload = NULL;
    unsigned char *json;
    char *bad;
    size_t n = 0;
    (void)state;
    assert_int_equal(SIGN_BUNDLE_DSSE, sign_bundle_kind_of(b));
    assert_int_equal(SIGN_BUNDLE_MAT_CERTIFICATE, sign_bundle_material_of(b));
    assert_null(sign_bundle_key_hint(b));
    assert_int_equal(0, sign_bundle_embedded_key(&key, b, &err));
    assert_int_equal(0, sign_bundle_verify_dsse(&payload, &n, b, key, &err));
    assert_non_null(strstr((char *)payload, "\"_type\":\"https://in-toto.io/Statement/v1\""));
    free(payload);
    sign_bundle_free(b);
    /* tampered twin: payloadType */
    json = ts_read(ts_src(rel), NULL);
    bad = replace((char *)json, "\"application/vnd.in-toto+json\"", "\"application/vnd.in-toto\"");
    assert_int_equal(0, parse_buf(&b, bad, &err));
    assert_int_equal(VOUCH_EVERIFY, sign_bundle_verify_dsse(NULL, NULL, b, key, &err));
    sign_bundle_free(b);
    free(bad);
    free(json);
    sign_key_free(key);
}

/* The same DSSE bundle in the v0.1/v0.2 shape: x509CertificateChain (leaf first). */
static void test_cert_chain_material(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    json_t *root =
        json_load_file(ts_src(CONF "happy-path-intoto-in-dsse-v3/bundle.sigstore.json"), 0, NULL);
    json_t *vm = json_object_get(root, "verificationMaterial");
    json_t *leaf = json_deep_copy(json_object_get(vm, "certificate"));
    struct sign_bundle *b = NULL;
    struct sign_key *key = NULL;
    char *doc;
    (void)state;
    assert_non_null(leaf);
    json_object_del(vm, "certificate");
    json_object_set_new(vm, "x509CertificateChain",
                        json_pack("{s:[o,{s:s}]}", "certificates", leaf, "rawBytes", "AAAA"));
    json_object_set_new(root, "mediaType",
                        json_string("application/vnd.dev.sigstore.bundle+json;version=0.2"));
    doc = json_dumps(root, 0);
    assert_int_equal(0, parse_buf(&b, doc, &err));
    assert_int_equal(SIGN_BUNDLE_MAT_CERTIFICATE, sign_bundle_material_of(b));
    assert_int_equal(0, sign_bundle_embedded_key(&key, b, &err));
    assert_int_equal(0, sign_bundle_verify_dsse(NULL, NULL, b, key, &err));
    sign_key_free(key);
    sign_bundle_free(b);
    free(doc);
    /* an empty chain is malformed */
    json_object_set_new(vm, "x509CertificateChain", json_pack("{s:[]}", "certificates"));
    doc = json_dumps(root, 0);
    assert_int_equal(VOUCH_EPARSE, parse_buf(&b, doc, &err));
    free(doc);
    json_decref(root);
}

static void test_sigstore_js(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = load_pub(SJS "key.pub", &err);
    struct sign_bundle *b = parse_file(SJS "msg.bundle.json");
    const char *dir = tmpdir("bundle_sjs");
    unsigned char *json;
    char *bad;
    (void)state;
    assert_string_equal("test-key-1", sign_bundle_key_hint(b));
    assert_int_equal(0, sign_bundle_verify_blob(NULL, b, key, ts_src(SJS "artifact.txt"), &err));
    assert_int_equal(
        VOUCH_EVERIFY,
        sign_bundle_verify_blob(NULL, b, key, tmpfile_with(dir, "x", "hello artifacT"), &err));
    sign_bundle_free(b);
    b = parse_file(SJS "dsse.bundle.json");
    assert_int_equal(0, sign_bundle_verify_dsse(NULL, NULL, b, key, &err));
    sign_bundle_free(b);
    json = ts_read(ts_src(SJS "dsse.bundle.json"), NULL);
    bad = replace((char *)json, "\"payload\": \"eyJf", "\"payload\": \"eyJg");
    assert_int_equal(0, parse_buf(&b, bad, &err));
    assert_int_equal(VOUCH_EVERIFY, sign_bundle_verify_dsse(NULL, NULL, b, key, &err));
    sign_bundle_free(b);
    free(bad);
    free(json);
    sign_key_free(key);
}

static void test_media_types(void **state)
{
    static const char *const ok[] = {
        "application/vnd.dev.sigstore.bundle+json;version=0.1",
        "application/vnd.dev.sigstore.bundle+json;version=0.2",
        "application/vnd.dev.sigstore.bundle+json;version=0.3",
    };
    static const char *const bad[] = {
        "application/vnd.dev.sigstore.bundle.v0.4+json",
        "application/vnd.dev.sigstore.bundle+json;version=0.9",
        "application/json",
    };
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char *json = ts_read(ts_src(SJS "msg.bundle.json"), NULL);
    const char *cur = SIGN_BUNDLE_MEDIA_TYPE;
    struct sign_bundle *b = NULL;
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        char *doc = replace((char *)json, cur, ok[i]);
        assert_int_equal(0, parse_buf(&b, doc, &err));
        assert_string_equal(ok[i], sign_bundle_media_type(b));
        sign_bundle_free(b);
        free(doc);
    }
    for (size_t i = 0; i < 3; i++) {
        char *doc = replace((char *)json, cur, bad[i]);
        assert_int_equal(VOUCH_EUNSUPPORTED, parse_buf(&b, doc, &err));
        assert_null(b);
        free(doc);
    }
    free(json);
}

static void test_malformed(void **state)
{
    static const struct {
        const char *json;
        int rc;
    } cases[] = {
        {"{", VOUCH_EPARSE},
        {"[]", VOUCH_EPARSE},
        {"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}", VOUCH_EPARSE},
        {"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
         "\"verificationMaterial\":{}}",
         VOUCH_EPARSE},
        {"{\"verificationMaterial\":{},\"messageSignature\":{\"signature\":\"AA==\"}}",
         VOUCH_EPARSE},
        {"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
         "\"verificationMaterial\":{},\"messageSignature\":{\"signature\":\"!!\"}}",
         VOUCH_EPARSE},
        {"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
         "\"verificationMaterial\":{\"tlogEntries\":{}},\"messageSignature\":{\"signature\":"
         "\"AA==\"}}",
         VOUCH_EPARSE},
        {"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
         "\"verificationMaterial\":{},\"messageSignature\":{\"signature\":\"AA==\","
         "\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"AA==\"}}}",
         VOUCH_EPARSE},
        {"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
         "\"verificationMaterial\":{},\"messageSignature\":{\"signature\":\"AA==\","
         "\"messageDigest\":{\"algorithm\":\"MD5\",\"digest\":\"AA==\"}}}",
         VOUCH_EUNSUPPORTED},
        {"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
         "\"verificationMaterial\":{},\"messageSignature\":{\"signature\":\"AA==\"},"
         "\"dsseEnvelope\":{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[]}}",
         VOUCH_EPARSE},
        {"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
         "\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"%%\"}},"
         "\"messageSignature\":{\"signature\":\"AA==\"}}",
         VOUCH_EPARSE},
        {"{\"base64Signature\":\"not base64!\"}", VOUCH_EPARSE},
        {"{\"base64Signature\":\"AA==\",\"rekorBundle\":[]}", VOUCH_EPARSE},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct sign_bundle *b = (struct sign_bundle *)1;
        int rc = parse_buf(&b, cases[i].json, &err);
        if (rc != cases[i].rc) {
            fail_msg("case %zu: rc %d, want %d (%s)", i, rc, cases[i].rc, err.msg);
        }
        assert_null(b);
        assert_true(err.msg[0] != '\0');
    }
}

static void test_legacy_cosign_bundle(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    struct sign_key *embedded = NULL;
    struct sign_bundle *b = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    char *pem = NULL;
    size_t pem_len = 0;
    char *s64 = NULL;
    char *p64 = NULL;
    char doc[4096];
    const char *dir = tmpdir("bundle_legacy");
    char path[4096];
    (void)state;
    snprintf(path, sizeof(path), "%s", tmpfile_with(dir, "f", "legacy\n"));
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P256, &err));
    assert_int_equal(0, sign_blob_sign(&sig, &sig_len, NULL, key, path, &err));
    assert_int_equal(0, sign_key_write_public_pem(&pem, &pem_len, key, &err));
    assert_int_equal(0, vouch_base64_encode(&s64, sig, sig_len, &err));
    assert_int_equal(0, vouch_base64_encode(&p64, (unsigned char *)pem, pem_len, &err));
    snprintf(doc, sizeof(doc),
             "{\"base64Signature\":\"%s\",\"cert\":\"%s\",\"rekorBundle\":{"
             "\"SignedEntryTimestamp\":\"AA==\",\"Payload\":{\"body\":\"e30=\","
             "\"integratedTime\":1,\"logIndex\":2,\"logID\":\"ab\"}}}",
             s64, p64);
    assert_int_equal(0, parse_buf(&b, doc, &err));
    assert_int_equal(1, sign_bundle_is_legacy(b));
    assert_null(sign_bundle_media_type(b));
    assert_int_equal(SIGN_BUNDLE_MAT_PUBLIC_KEY, sign_bundle_material_of(b));
    assert_int_equal(0, sign_bundle_embedded_key(&embedded, b, &err));
    assert_int_equal(0, sign_bundle_verify_blob(NULL, b, embedded, path, &err));
    assert_int_equal(0, sign_bundle_verify_blob(NULL, b, key, path, &err));
    tmpfile_with(dir, "f", "legacY\n");
    assert_int_equal(VOUCH_EVERIFY, sign_bundle_verify_blob(NULL, b, key, path, &err));
    sign_bundle_free(b);
    sign_key_free(embedded);
    free(s64);
    free(p64);
    free(pem);
    free(sig);
    sign_key_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_message_exact),
        cmocka_unit_test(test_write_dsse_exact),
        cmocka_unit_test(test_conformance_managed_key),
        cmocka_unit_test(test_conformance_signature_tampered),
        cmocka_unit_test(test_conformance_dsse_cert),
        cmocka_unit_test(test_cert_chain_material),
        cmocka_unit_test(test_sigstore_js),
        cmocka_unit_test(test_media_types),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_legacy_cosign_bundle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
