/* cosign payload and signature-image bytes against real cosign/skopeo output. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sign/cosign.h"
#include "vouch/encoding.h"

static void sha256_hex(char out[65], const void *p, size_t n)
{
    unsigned char md[32];
    unsigned int len = 0;
    assert_int_equal(1, EVP_Digest(p, n, md, &len, EVP_sha256(), NULL));
    vouch_hex_encode(out, md, 32);
}

/* Harbor's recorded cosign upload (signing.md §2.1): payload and config digests. */
static void test_harbor_golden(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_sigimage *img = NULL;
    char *payload = NULL;
    char *config = NULL;
    size_t n = 0;
    char hex[65];
    (void)state;
    assert_int_equal(0,
                     sign_cosign_payload_build(&payload, &n, "10.202.250.215/library/hello-world",
                                               "sha256:1b26826f602946860c279fce658f31050cff2c5"
                                               "96583af237d971f4629b57792",
                                               NULL, 0, &err));
    assert_int_equal(250, n);
    sha256_hex(hex, payload, n);
    assert_string_equal("91a821a0e2412f1b99b07bfe176451bcc343568b761388718abbf38076048564", hex);
    assert_int_equal(0, sign_sigimage_new(&img, &err));
    assert_int_equal(0, sign_sigimage_add(img, SIGN_COSIGN_SIMPLESIGNING_MT,
                                          "sha256:91a821a0e2412f1b99b07bfe176451bcc343568b761388"
                                          "718abbf38076048564",
                                          n, NULL, 0, &err));
    assert_int_equal(0, sign_sigimage_config(&config, &n, img, &err));
    assert_int_equal(233, n);
    sha256_hex(hex, config, n);
    assert_string_equal("d4e6059ece7bea95266fd7766353130d4bf3dc21048b8a9783c98b8412618c38", hex);
    free(payload);
    free(config);
    sign_sigimage_free(img);
}

/* The hand-made cosign-layout vector: payload, config and manifest byte for byte. */
static void test_handmade_roundtrip(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_sigimage *img = NULL;
    size_t want_len = 0;
    unsigned char *want_payload = ts_read(ts_src("testvectors/cosign-image/"
                                                 "handmade-openssl-payload.json"),
                                          &want_len);
    size_t man_len = 0;
    unsigned char *want_manifest = ts_read(ts_src("testvectors/cosign-image/"
                                                  "handmade-openssl-sig-manifest.json"),
                                           &man_len);
    char *payload = NULL;
    char *config = NULL;
    char *manifest = NULL;
    size_t n = 0;
    size_t cn = 0;
    char hex[65];
    char cdigest[80];
    (void)state;
    assert_int_equal(0, sign_cosign_payload_build(&payload, &n, "127.0.0.1:5000/demo",
                                                  "sha256:ffe6487ee12e4a4065e29c7385a50f30d709bc"
                                                  "15ca78bf8060e9c249a57a81db",
                                                  NULL, 0, &err));
    assert_int_equal(want_len, n);
    assert_memory_equal(want_payload, payload, n);
    /* parse the recorded manifest, rebuild config + manifest: same bytes */
    assert_int_equal(0, sign_sigimage_parse(&img, want_manifest, man_len, &err));
    assert_int_equal(1, sign_sigimage_count(img));
    assert_int_equal(0, sign_sigimage_config(&config, &cn, img, &err));
    sha256_hex(hex, config, cn);
    assert_string_equal("9bb7041240a3468917d65b773e5f2f512ca1aad4ba4bf909a21e68e02218183c", hex);
    snprintf(cdigest, sizeof(cdigest), "sha256:%s", hex);
    assert_int_equal(0, sign_sigimage_manifest(&manifest, &n, img, cdigest, cn, &err));
    /* the recorded file ends with a newline that the registry blob does not have */
    if (man_len > 0 && want_manifest[man_len - 1] == '\n') {
        man_len--;
    }
    assert_int_equal(man_len, n);
    assert_memory_equal(want_manifest, manifest, n);
    free(payload);
    free(config);
    free(manifest);
    free(want_payload);
    free(want_manifest);
    sign_sigimage_free(img);
}

static void test_payload_annotations_sorted_and_escaped(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    const struct sign_annotation ann[] = {{"z", "1"}, {"a", "<b>&"}};
    struct sign_cosign_payload *p = NULL;
    char *payload = NULL;
    size_t n = 0;
    const char *d = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    (void)state;
    assert_int_equal(0, sign_cosign_payload_build(&payload, &n, "r/x", d, ann, 2, &err));
    assert_string_equal("{\"critical\":{\"identity\":{\"docker-reference\":\"r/x\"},\"image\":{"
                        "\"docker-manifest-digest\":\"sha256:00000000000000000000000000000000000"
                        "00000000000000000000000000000\"},\"type\":\"cosign container image "
                        "signature\"},\"optional\":{\"a\":\"\\u003cb\\u003e\\u0026\",\"z\":\"1\"}}",
                        payload);
    assert_int_equal(0, sign_cosign_payload_parse(&p, (unsigned char *)payload, n, &err));
    assert_string_equal(d, sign_cosign_payload_digest(p));
    assert_string_equal("r/x", sign_cosign_payload_identity(p));
    assert_int_equal(0, sign_cosign_payload_check(p, d, ann, 2, &err));
    {
        const struct sign_annotation other = {"a", "x"};
        struct vouch_error e2 = VOUCH_ERROR_INIT;
        assert_int_equal(VOUCH_EVERIFY, sign_cosign_payload_check(p, d, &other, 1, &e2));
        assert_string_equal("annotation a=x not in the payload", e2.msg);
        e2.code = 0;
        assert_int_equal(VOUCH_EVERIFY, sign_cosign_payload_check(p, "sha256:11", NULL, 0, &e2));
    }
    sign_cosign_payload_free(p);
    free(payload);
    /* duplicate annotation keys are refused */
    {
        const struct sign_annotation dup[] = {{"k", "1"}, {"k", "2"}};
        struct vouch_error e3 = VOUCH_ERROR_INIT;
        assert_int_equal(VOUCH_EINVAL,
                         sign_cosign_payload_build(&payload, &n, "r", d, dup, 2, &e3));
    }
}

static void test_payload_parse_rejects(void **state)
{
    static const char *bad[] = {
        "",
        "[]",
        "{\"critical\":{\"type\":\"other\"}}",
        "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{"
        "\"docker-manifest-digest\":\"sha256:ABC\"}}}",
        "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{"
        "\"docker-manifest-digest\":\"sha256:000000000000000000000000000000000000000000000000"
        "0000000000000000\"}},\"optional\":5}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct sign_cosign_payload *p = NULL;
        assert_int_equal(VOUCH_EPARSE, sign_cosign_payload_parse(&p, (const unsigned char *)bad[i],
                                                                 strlen(bad[i]), &err));
        assert_null(p);
    }
}

/* skopeo's payload (creator + integer timestamp) parses; the 2-signature manifest too. */
static void test_skopeo_vectors(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_cosign_payload *p = NULL;
    struct sign_sigimage *img = NULL;
    size_t n = 0;
    unsigned char *data = ts_read(ts_src("testvectors/cosign-image/sig-payload.json"), &n);
    (void)state;
    assert_int_equal(0, sign_cosign_payload_parse(&p, data, n, &err));
    assert_string_equal("127.0.0.1:5000/signed:v1", sign_cosign_payload_identity(p));
    assert_string_equal("{\"creator\":\"containers/image 5.26.2\",\"timestamp\":1795881422}",
                        sign_cosign_payload_optional_json(p));
    sign_cosign_payload_free(p);
    free(data);
    data = ts_read(ts_src("testvectors/cosign-image/sig-manifest-2sigs.json"), &n);
    assert_int_equal(0, sign_sigimage_parse(&img, data, n, &err));
    assert_int_equal(2, sign_sigimage_count(img));
    assert_string_equal(SIGN_COSIGN_SIMPLESIGNING_MT, sign_sigimage_layer(img, 1)->media_type);
    assert_int_equal(1, sign_sigimage_layer(img, 0)->n_annotations);
    sign_sigimage_remove(img, 0);
    assert_int_equal(1, sign_sigimage_count(img));
    sign_sigimage_free(img);
    free(data);
}

static void test_tag(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    char *tag = NULL;
    (void)state;
    assert_int_equal(0, sign_cosign_tag(&tag, "sha256:abcd", "sig", &err));
    assert_string_equal("sha256-abcd.sig", tag);
    free(tag);
    assert_int_equal(VOUCH_EINVAL, sign_cosign_tag(&tag, "abcd", "sig", &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_harbor_golden),
        cmocka_unit_test(test_handmade_roundtrip),
        cmocka_unit_test(test_payload_annotations_sorted_and_escaped),
        cmocka_unit_test(test_payload_parse_rejects),
        cmocka_unit_test(test_skopeo_vectors),
        cmocka_unit_test(test_tag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
