/* Unit tests for cosign image signatures on an OCI layout: sign, verify, duplicate
 * detection, annotations, wrong key, tampered payload, and repository names. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/cosign_image.h"
#include "sign/oci.h"

#define CONFIG "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"

static struct sign_oci_source *layout(const char *name, char *digest)
{
    static char dir[4096];
    char spec[4200], cfg[SIGN_REF_DIGEST_MAX], manifest[512];
    struct sign_oci_source *src = NULL;
    snprintf(dir, sizeof(dir), "%s/img", ts_tmpdir(name));
    snprintf(spec, sizeof(spec), "oci-dir:%s:v1", dir);
    assert_int_equal(0, sign_oci_open(&src, spec, NULL, NULL));
    assert_int_equal(0, sign_oci_digest_sha256(cfg, CONFIG, strlen(CONFIG), NULL));
    snprintf(manifest, sizeof(manifest),
             "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
             "\"digest\":\"%s\",\"size\":%zu},\"layers\":[]}",
             SIGN_OCI_MT_MANIFEST, SIGN_OCI_MT_CONFIG, cfg, strlen(CONFIG));
    assert_int_equal(0, sign_oci_blob_put(src, cfg, CONFIG, strlen(CONFIG), NULL));
    assert_int_equal(0, sign_oci_manifest_put(digest, src, "v1", SIGN_OCI_MT_MANIFEST, manifest,
                                              strlen(manifest), NULL));
    return src;
}

static size_t sig_layers(struct sign_oci_source *src, const char *digest)
{
    struct sign_oci_manifest m = {0};
    struct sign_sigimage *img = NULL;
    char *tag = NULL;
    size_t n;
    assert_int_equal(0, sign_cosign_tag(&tag, digest, "sig", NULL));
    assert_int_equal(0, sign_oci_manifest_get(&m, src, tag, NULL));
    assert_int_equal(0, sign_sigimage_parse(&img, m.data, m.len, NULL));
    n = sign_sigimage_count(img);
    sign_sigimage_free(img);
    sign_oci_manifest_release(&m);
    free(tag);
    return n;
}

static void test_sign_verify(void **state)
{
    char digest[SIGN_REF_DIGEST_MAX], want[4300];
    struct sign_oci_source *src = layout("cosign_image", digest);
    struct sign_key *key = NULL, *other = NULL;
    struct sign_cosign_result *res = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    const struct sign_annotation ann[] = {{"team", "a&b"}};
    int added = -1;
    size_t len = 0;
    (void)state;
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P256, NULL));
    assert_int_equal(0, sign_key_generate(&other, SIGN_KEY_ECDSA_P256, NULL));
    /* nothing signed yet */
    assert_int_equal(VOUCH_EVERIFY, sign_cosign_image_verify(&res, src, digest,
                                                             (const struct sign_key *const *)&key,
                                                             1, NULL, 0, &err));
    assert_string_equal("no signatures found", err.msg);
    assert_null(res);
    assert_int_equal(
        0, sign_cosign_image_sign(&added, src, digest, sign_oci_repo_name(src), key, ann, 1, NULL));
    assert_int_equal(1, added);
    assert_int_equal(
        0, sign_cosign_image_sign(&added, src, digest, sign_oci_repo_name(src), key, ann, 1, NULL));
    assert_int_equal(0, added); /* same payload, same key */
    assert_int_equal(1, sig_layers(src, digest));
    assert_int_equal(0, sign_cosign_image_sign(&added, src, digest, sign_oci_repo_name(src), other,
                                               ann, 1, NULL));
    assert_int_equal(1, added);
    assert_int_equal(2, sig_layers(src, digest));
    assert_int_equal(0, sign_cosign_image_verify(&res, src, digest,
                                                 (const struct sign_key *const *)&key, 1, ann, 1,
                                                 NULL));
    assert_int_equal(1, sign_cosign_result_count(res));
    snprintf(want, sizeof(want),
             "{\"critical\":{\"identity\":{\"docker-reference\":\"%s\"},\"image\":{\"docker-"
             "manifest-digest\":\"%s\"},\"type\":\"cosign container image signature\"},"
             "\"optional\":{\"team\":\"a\\u0026b\"}}",
             sign_oci_repo_name(src), digest);
    assert_string_equal(want, sign_cosign_result_payload(res, 0, &len));
    assert_int_equal(strlen(want), len);
    sign_cosign_result_free(res);
    sign_key_free(key);
    sign_key_free(other);
    sign_oci_free(src);
}

static void test_repo_names(void **state)
{
    static const struct {
        const char *image;
        const char *repo;
    } cases[] = {
        {"alpine", "index.docker.io/library/alpine"},
        {"docker.io/library/alpine:3@sha256:"
         "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
         "index.docker.io/library/alpine"},
        {"127.0.0.1:5000/a/b:v1", "127.0.0.1:5000/a/b"},
        {"oci-dir:/x/y:v1", "oci-dir:/x/y"},
        {"oci-dir:/x:1/y", "oci-dir:/x:1/y"},
        {"oci-dir:rel@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
         "oci-dir:rel"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sign_oci_source *src = NULL;
        struct vouch_error err = VOUCH_ERROR_INIT;
        if (sign_oci_open(&src, cases[i].image, NULL, &err) != 0) {
            fail_msg("%s: %s", cases[i].image, err.msg);
        }
        assert_string_equal(cases[i].repo, sign_oci_repo_name(src));
        sign_oci_free(src);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_repo_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
