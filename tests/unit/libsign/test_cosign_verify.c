/* Verification of real cosign/skopeo image signatures: containers/image `dir:` fixtures
 * made by cosign, and a registry repository signed by skopeo 1.13 and by hand. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/cosign_verify.h"
#include "sign/dirsig.h"
#include "sign/key.h"
#include "vouch/io.h"

#define CI_DIR "testvectors/cosign-image/containers-image/"
#define REG_DIR "testvectors/cosign-image/registry/signed/blobs/sha256/"
#define IMAGE_DIGEST "sha256:ffe6487ee12e4a4065e29c7385a50f30d709bc15ca78bf8060e9c249a57a81db"

static struct sign_key *load_pub(const char *rel)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *k = NULL;
    size_t n = 0;
    unsigned char *pem = ts_read(ts_src(rel), &n);
    if (sign_key_load_public(&k, pem, n, rel, &err) != 0) {
        fail_msg("%s", err.msg);
    }
    free(pem);
    return k;
}

static int verify_dir(const char *fixture, const char *pub, struct sign_cosign_result **res,
                      struct vouch_error *err)
{
    struct sign_dirsig *d = NULL;
    struct sign_key *k = load_pub(pub);
    char dir[4096];
    int rc;
    snprintf(dir, sizeof(dir), "%s", ts_src(fixture));
    assert_int_equal(0, sign_dirsig_load(&d, dir, err));
    rc = sign_cosign_verify(res, sign_dirsig_image(d), sign_dirsig_fetch, d,
                            (const struct sign_key *const *)&k, 1, sign_dirsig_manifest_digest(d),
                            NULL, 0, err);
    sign_key_free(k);
    sign_dirsig_free(d);
    return rc;
}

static void test_cosign_made_dir_signatures(void **state)
{
    static const struct {
        const char *fixture;
        const char *key;
    } good[] = {
        {CI_DIR "dir-img-cosign-valid", CI_DIR "cosign.pub"},
        {CI_DIR "dir-img-cosign-valid-with-tag", CI_DIR "cosign.pub"},
        {CI_DIR "dir-img-cosign-key-rekor-valid", CI_DIR "cosign2.pub"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct sign_cosign_result *res = NULL;
        assert_int_equal(0, verify_dir(good[i].fixture, good[i].key, &res, &err));
        assert_int_equal(1, sign_cosign_result_count(res));
        sign_cosign_result_free(res);
    }
}

static void test_wrong_key_refused(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_cosign_result *res = NULL;
    (void)state;
    assert_int_equal(VOUCH_EVERIFY,
                     verify_dir(CI_DIR "dir-img-cosign-valid", CI_DIR "cosign2.pub", &res, &err));
    assert_int_equal(0, sign_cosign_result_count(res));
    assert_int_equal(1, sign_cosign_result_refused(res));
    assert_string_equal("signature 1: signature does not verify with the key",
                        sign_cosign_result_reason(res, 0));
    sign_cosign_result_free(res);
}

/* blob fetcher over a recorded registry repository's blobs/sha256 folder */
static int fetch_reg(void *ctx, const char *digest, size_t max, unsigned char **out,
                     size_t *out_len, struct vouch_error *err)
{
    char path[4096];
    (void)ctx;
    snprintf(path, sizeof(path), "%s%s", ts_src(REG_DIR), digest + 7);
    return vouch_file_read(out, out_len, path, max, err);
}

static struct sign_sigimage *registry_sigimage(void)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_sigimage *img = NULL;
    size_t n = 0;
    unsigned char *m = ts_read(ts_src(REG_DIR "b6a6cb834a04eab082ceda05bb8d6de135b4c00ea68ea02d5"
                                              "41c99a526cd7b7f"),
                               &n);
    assert_int_equal(0, sign_sigimage_parse(&img, m, n, &err));
    free(m);
    return img;
}

static void test_registry_two_signers(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_cosign_result *res = NULL;
    struct sign_sigimage *img = registry_sigimage();
    struct sign_key *keys[2];
    (void)state;
    keys[0] = load_pub("testvectors/cosign-image/handmade-openssl-cosign.pub");
    keys[1] = load_pub("testvectors/cosign-image/skopeo-sk.pub");
    assert_int_equal(0, sign_cosign_verify(&res, img, fetch_reg, NULL,
                                           (const struct sign_key *const *)keys, 2, IMAGE_DIGEST,
                                           NULL, 0, &err));
    assert_int_equal(2, sign_cosign_result_count(res));
    /* layer 1 was signed by skopeo (key 1), layer 2 by hand (key 0) */
    assert_int_equal(1, sign_cosign_result_key(res, 0));
    assert_int_equal(0, sign_cosign_result_key(res, 1));
    sign_cosign_result_free(res);
    /* only the hand-made key: one verifies, one refused */
    err.code = 0;
    assert_int_equal(0, sign_cosign_verify(&res, img, fetch_reg, NULL,
                                           (const struct sign_key *const *)keys, 1, IMAGE_DIGEST,
                                           NULL, 0, &err));
    assert_int_equal(1, sign_cosign_result_count(res));
    assert_int_equal(1, sign_cosign_result_refused(res));
    sign_cosign_result_free(res);
    /* another image's digest: every payload is refused */
    err.code = 0;
    assert_int_equal(VOUCH_EVERIFY,
                     sign_cosign_verify(&res, img, fetch_reg, NULL,
                                        (const struct sign_key *const *)keys, 2,
                                        "sha256:0000000000000000000000000000000000000000000000000"
                                        "000000000000000",
                                        NULL, 0, &err));
    assert_non_null(strstr(err.msg, "payload signs digest"));
    sign_cosign_result_free(res);
    sign_key_free(keys[0]);
    sign_key_free(keys[1]);
    sign_sigimage_free(img);
}

/* a tampered payload (wrong bytes for the layer digest) never verifies */
static int fetch_tampered(void *ctx, const char *digest, size_t max, unsigned char **out,
                          size_t *out_len, struct vouch_error *err)
{
    int rc = fetch_reg(ctx, digest, max, out, out_len, err);
    if (rc == 0 && *out_len > 10) {
        (*out)[10] ^= 1;
    }
    return rc;
}

static void test_tampered_payload(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_cosign_result *res = NULL;
    struct sign_sigimage *img = registry_sigimage();
    struct sign_key *k = load_pub("testvectors/cosign-image/skopeo-sk.pub");
    (void)state;
    assert_int_equal(VOUCH_EVERIFY, sign_cosign_verify(&res, img, fetch_tampered, NULL,
                                                       (const struct sign_key *const *)&k, 1,
                                                       IMAGE_DIGEST, NULL, 0, &err));
    assert_non_null(strstr(sign_cosign_result_reason(res, 0), "does not match its digest"));
    sign_cosign_result_free(res);
    /* required annotation absent */
    {
        const struct sign_annotation want = {"env", "prod"};
        err.code = 0;
        assert_int_equal(VOUCH_EVERIFY, sign_cosign_verify(&res, img, fetch_reg, NULL,
                                                           (const struct sign_key *const *)&k, 1,
                                                           IMAGE_DIGEST, &want, 1, &err));
        sign_cosign_result_free(res);
    }
    sign_key_free(k);
    sign_sigimage_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cosign_made_dir_signatures),
        cmocka_unit_test(test_wrong_key_refused),
        cmocka_unit_test(test_registry_two_signers),
        cmocka_unit_test(test_tampered_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
