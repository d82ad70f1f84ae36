/* pkix and trusted roots: RFC 3161 tokens and Fulcio chains from the sigstore-conformance
 * suite, checked at their own times against the staging trusted root, each with a twin that
 * must fail (other data, outside the window, now instead of signing time, no authority). */
#include "testsupport.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/pkix.h"
#include "sign/trustroot.h"
#include "vouch/encoding.h"

#define CONF "testvectors/sigstore-conformance/"

static struct sign_trustroot *load_root(const char *rel, int want_rc)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_trustroot *tr = NULL;
    size_t n = 0;
    unsigned char *json = ts_read(ts_src(rel), &n);
    int rc = sign_trustroot_parse(&tr, json, n, &err);
    free(json);
    if (rc != want_rc) {
        fail_msg("%s: rc %d (%s)", rel, rc, err.msg);
    }
    return tr;
}

/* base64 member at a JSON path of a bundle: "a/b/0/c" */
static unsigned char *bundle_b64(const char *rel, const char *path, size_t *len)
{
    size_t n = 0;
    unsigned char *json = ts_read(ts_src(rel), &n);
    json_t *root = json_loadb((const char *)json, n, 0, NULL);
    const json_t *v = root;
    char buf[256];
    unsigned char *out = NULL;
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *save = NULL, *tok = strtok_r(buf, "/", &save); tok != NULL && v != NULL;
         tok = strtok_r(NULL, "/", &save)) {
        v = json_is_array(v) ? json_array_get(v, (size_t)strtoul(tok, NULL, 10))
                             : json_object_get(v, tok);
    }
    assert_non_null(v);
    assert_int_equal(
        vouch_base64_decode(&out, len, json_string_value(v), json_string_length(v), NULL), 0);
    json_decref(root);
    free(json);
    return out;
}

#define TS_PATH "verificationMaterial/timestampVerificationData/rfc3161Timestamps/0/signedTimestamp"

static int verify_ts(const char *bundle, const char *root, int64_t *when, struct vouch_error *err)
{
    struct sign_trustroot *tr = load_root(root, 0);
    struct sign_pkix_result res = {0};
    size_t tl = 0;
    size_t sl = 0;
    unsigned char *tok = bundle_b64(bundle, TS_PATH, &tl);
    unsigned char *sig = bundle_b64(bundle, "messageSignature/signature", &sl);
    int rc = sign_pkix_timestamp_verify(&res, sign_trustroot_tsas(tr), tok, tl, sig, sl, err);
    if (when != NULL) {
        *when = res.time;
    }
    free(tok);
    free(sig);
    sign_trustroot_free(tr);
    return rc;
}

static void test_timestamp_ok(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int64_t t = 0;
    (void)state;
    assert_int_equal(verify_ts(CONF "rekor2-happy-path/bundle.sigstore.json",
                               CONF "rekor2-happy-path/trusted_root.json", &t, &err),
                     0);
    assert_int_equal(t, 1749729740); /* 2025-06-12T12:02:20Z (openssl ts -reply -text) */
    /* the TSA's window ends exactly then: inclusive */
    assert_int_equal(verify_ts(CONF "trust-root-tsa-validity-end-inclusive/bundle.sigstore.json",
                               CONF "trust-root-tsa-validity-end-inclusive/trusted_root.json", NULL,
                               &err),
                     0);
    /* a token without embedded certificates, and one whose TSA certificate expired since */
    assert_int_equal(verify_ts(CONF "rekor2-timestamp-without-embedded-cert/bundle.sigstore.json",
                               CONF "rekor2-timestamp-without-embedded-cert/trusted_root.json",
                               NULL, &err),
                     0);
    assert_int_equal(verify_ts(CONF "rekor2-timestamp-with-expired-cert-chain/bundle.sigstore.json",
                               CONF "rekor2-timestamp-with-expired-cert-chain/trusted_root.json",
                               NULL, &err),
                     0);
}

static void expect_ts_fail(const char *name, const char *why)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    char b[256];
    char r[256];
    snprintf(b, sizeof(b), CONF "%s/bundle.sigstore.json", name);
    snprintf(r, sizeof(r), CONF "%s/trusted_root.json", name);
    assert_int_equal(verify_ts(b, r, NULL, &err), VOUCH_EVERIFY);
    if (strstr(err.msg, why) == NULL) {
        fail_msg("%s: '%s' lacks '%s'", name, err.msg, why);
    }
}

static void test_timestamp_fail(void **state)
{
    (void)state;
    expect_ts_fail("rekor2-timestamp-payload-mismatch_fail", "not verified by");
    expect_ts_fail("rekor2-timestamp-outside-trust-root-tsa-validity_fail",
                   "no trusted timestamp authority is valid");
    expect_ts_fail("rekor2-timestamp-outside-tsa-cert-validity_fail", "not verified by");
    expect_ts_fail("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", "not verified by");
    expect_ts_fail("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", "not verified by");
}

static void test_timestamp_malformed(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_pkix_set *set = NULL;
    const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    (void)state;
    assert_int_equal(sign_pkix_set_new(&set, &err), 0);
    assert_int_equal(sign_pkix_timestamp_verify(NULL, set, junk, sizeof(junk), junk, 1, &err),
                     VOUCH_EPARSE);
    sign_pkix_set_free(set);
}

static void test_chain_at(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_trustroot *tr = load_root(CONF "rekor2-happy-path/trusted_root.json", 0);
    struct sign_pkix_result res = {0};
    size_t n = 0;
    unsigned char *leaf = bundle_b64(CONF "rekor2-happy-path/bundle.sigstore.json",
                                     "verificationMaterial/certificate/rawBytes", &n);
    const struct sign_pkix_set *ca = sign_trustroot_fulcio(tr);
    (void)state;
    assert_int_equal(sign_pkix_verify_at(&res, ca, leaf, n, NULL, NULL, 0, 1749729740,
                                         SIGN_PKIX_EKU_CODE_SIGNING, &err),
                     0);
    assert_string_equal(sign_pkix_set_name(ca, res.authority), "https://fulcio.sigstage.dev");
    /* ten minutes later the leaf has expired */
    assert_int_equal(sign_pkix_verify_at(NULL, ca, leaf, n, NULL, NULL, 0, 1749729740 + 3600,
                                         SIGN_PKIX_EKU_CODE_SIGNING, &err),
                     VOUCH_EVERIFY);
    assert_non_null(strstr(err.msg, "certificate has expired"));
    vouch_error_clear(&err);
    /* a Fulcio leaf is no TSA certificate */
    assert_int_equal(sign_pkix_verify_at(NULL, ca, leaf, n, NULL, NULL, 0, 1749729740,
                                         SIGN_PKIX_EKU_TIMESTAMPING, &err),
                     VOUCH_EVERIFY);
    vouch_error_clear(&err);
    /* the TSAs do not issue Fulcio leaves */
    assert_int_equal(sign_pkix_verify_at(NULL, sign_trustroot_tsas(tr), leaf, n, NULL, NULL, 0,
                                         1749729740, SIGN_PKIX_EKU_ANY, &err),
                     VOUCH_EVERIFY);
    free(leaf);
    sign_trustroot_free(tr);
}

static void test_trustroot(void **state)
{
    struct sign_trustroot *tr = load_root(CONF "trusted-roots/public-good.trusted_root.json", 0);
    const struct sign_trustroot_log *l;
    (void)state;
    assert_int_equal(sign_trustroot_log_count(tr, 0), 2);
    assert_int_equal(sign_trustroot_log_count(tr, 1), 2);
    assert_int_equal(sign_pkix_set_count(sign_trustroot_fulcio(tr)), 2);
    assert_int_equal(sign_pkix_set_count(sign_trustroot_tsas(tr)), 1);
    l = sign_trustroot_log(tr, 0, 1);
    assert_string_equal(l->origin, "log2025-1.rekor.sigstore.dev");
    assert_int_equal(l->start, 1758585600); /* 2025-09-23T00:00:00Z */
    assert_int_equal(l->end, SIGN_PKIX_OPEN);
    assert_ptr_equal(sign_trustroot_log_by_id(tr, 0, l->log_id, l->log_id_len), l);
    l = sign_trustroot_log(tr, 1, 0);
    assert_int_equal(l->end, 1667260799); /* 2022-10-31T23:59:59.999Z, fraction dropped */
    sign_trustroot_free(tr);
    /* start is required */
    assert_null(load_root(CONF "trust-root-tlog-missing-validity-start_fail/trusted_root.json",
                          VOUCH_EPARSE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timestamp_ok),        cmocka_unit_test(test_timestamp_fail),
        cmocka_unit_test(test_timestamp_malformed), cmocka_unit_test(test_chain_at),
        cmocka_unit_test(test_trustroot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
