/* Legacy cosign `.sig` keyless signatures: containers/image's fixture
 * dir-img-cosign-fulcio-rekor-valid (real public-good Fulcio certificate and Rekor bundle)
 * verifies against the public-good trusted root; each mutation (payload, signature, SET,
 * Rekor body, identity, another root) is refused. */
#include "testsupport.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/cosign_verify.h"
#include "sign/dirsig.h"
#include "sign/sigstore.h"
#include "sign/trustroot.h"
#include "vouch/encoding.h"

#define FIX "testvectors/containers-image-fulcio/dir-img-cosign-fulcio-rekor-valid/signature-1"
#define ROOTS "testvectors/sigstore-conformance/trusted-roots/"

struct layer {
    json_t *doc;
    unsigned char *payload;
    size_t payload_len;
    unsigned char *sig;
    size_t sig_len;
    char *cert;
    char *bundle;
};

static void layer_load(struct layer *l)
{
    size_t n = 0;
    unsigned char *raw = ts_read(ts_src(FIX), &n);
    const json_t *ann;
    const char *s;
    memset(l, 0, sizeof(*l));
    assert_true(n > 15 && memcmp(raw, "\0sigstore-json\n", 15) == 0);
    l->doc = json_loadb((const char *)raw + 15, n - 15, 0, NULL);
    assert_non_null(l->doc);
    free(raw);
    ann = json_object_get(l->doc, "annotations");
    s = json_string_value(json_object_get(l->doc, "payload"));
    assert_int_equal(vouch_base64_decode(&l->payload, &l->payload_len, s, strlen(s), NULL), 0);
    s = json_string_value(json_object_get(ann, "dev.cosignproject.cosign/signature"));
    assert_int_equal(vouch_base64_decode(&l->sig, &l->sig_len, s, strlen(s), NULL), 0);
    l->cert = strdup(json_string_value(json_object_get(ann, "dev.sigstore.cosign/certificate")));
    l->bundle = strdup(json_string_value(json_object_get(ann, "dev.sigstore.cosign/bundle")));
}

static void layer_release(struct layer *l)
{
    json_decref(l->doc);
    free(l->payload);
    free(l->sig);
    free(l->cert);
    free(l->bundle);
}

static int verify(struct layer *l, const char *root, const char *subject, const char *issuer,
                  struct sign_sigstore_result *res, struct vouch_error *err)
{
    struct sign_trustroot *tr = NULL;
    size_t n = 0;
    unsigned char *json = ts_read(ts_src(root), &n);
    struct sign_sigstore_identity id = {0};
    struct sign_sigstore_legacy in = {l->payload, l->payload_len, l->sig, l->sig_len,
                                      l->cert,    l->bundle,      NULL,   NULL};
    struct sign_sigstore_opts o = {NULL, &id, NULL, 0};
    int rc;
    assert_int_equal(sign_trustroot_parse(&tr, json, n, NULL), 0);
    free(json);
    id.subject = subject;
    id.issuer = issuer;
    o.root = tr;
    rc = sign_sigstore_verify_legacy(res, &in, &o, err);
    sign_trustroot_free(tr);
    return rc;
}

#define PG ROOTS "public-good.trusted_root.json"
#define WHO "mitr@redhat.com"
#define ISS "https://github.com/login/oauth"

static void test_valid(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_sigstore_result res;
    struct layer l;
    (void)state;
    layer_load(&l);
    if (verify(&l, PG, WHO, ISS, &res, &err) != 0) {
        fail_msg("%s", err.msg);
    }
    assert_int_equal(res.keyless, 1);
    assert_string_equal(res.subject, WHO);
    assert_string_equal(res.issuer, ISS);
    assert_int_equal(res.has_log, 1);
    assert_int_equal(res.log_index, 11605770);
    assert_int_equal(res.signed_time, 1674247893); /* 2023-01-20T20:51:33Z, in the leaf's life */
    layer_release(&l);
}

static void expect(struct layer *l, const char *root, const char *who, int want, const char *why)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_sigstore_result res;
    assert_int_equal(verify(l, root, who, ISS, &res, &err), want);
    if (strstr(err.msg, why) == NULL) {
        fail_msg("'%s' lacks '%s'", err.msg, why);
    }
}

static void test_mutated(void **state)
{
    struct layer l;
    char *p;
    (void)state;
    layer_load(&l);
    expect(&l, PG, "someone@example.com", VOUCH_EPOLICY, "does not match the expected identity");
    expect(&l, ROOTS "staging.trusted_root.json", WHO, VOUCH_EVERIFY, "does not list");
    l.payload[l.payload_len - 3] ^= 1; /* "optional":null -> nulm */
    expect(&l, PG, WHO, VOUCH_EVERIFY, "signature does not verify over the payload");
    l.payload[l.payload_len - 3] ^= 1;
    l.sig[10] ^= 1;
    expect(&l, PG, WHO, VOUCH_EVERIFY, "signature does not verify");
    l.sig[10] ^= 1;
    p = strstr(l.bundle, "\"SignedEntryTimestamp\":\"") + 30;
    *p = *p == 'A' ? 'B' : 'A';
    expect(&l, PG, WHO, VOUCH_EVERIFY, "signed entry timestamp does not verify");
    *p = *p == 'A' ? 'B' : 'A';
    p = strstr(l.bundle, "\"integratedTime\":") + 20;
    *p = *p == '1' ? '2' : '1';
    expect(&l, PG, WHO, VOUCH_EVERIFY, "signed entry timestamp does not verify");
    layer_release(&l);
}

/* the whole dir: image through the .sig layer verifier, claims included */
static void test_dir_image(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_dirsig *d = NULL;
    struct sign_cosign_result *r = NULL;
    struct sign_trustroot *tr = NULL;
    struct sign_sigstore_identity id = {WHO, NULL, ISS, NULL, NULL, NULL, NULL, NULL, NULL};
    struct sign_sigstore_opts o = {NULL, &id, NULL, 0};
    size_t n = 0;
    unsigned char *json = ts_read(ts_src(PG), &n);
    (void)state;
    assert_int_equal(sign_trustroot_parse(&tr, json, n, NULL), 0);
    free(json);
    o.root = tr;
    assert_int_equal(sign_dirsig_load(&d,
                                      ts_src("testvectors/containers-image-fulcio/"
                                             "dir-img-cosign-fulcio-rekor-valid"),
                                      &err),
                     0);
    assert_string_equal(sign_dirsig_manifest_digest(d), "sha256:0489474da8ea22426ece86ace6c1c0026a"
                                                        "b2fd3cdfbbd62b7e94650266c37d9a");
    assert_int_equal(sign_cosign_verify_sigstore(&r, sign_dirsig_image(d), sign_dirsig_fetch, d, &o,
                                                 sign_dirsig_manifest_digest(d), NULL, 0, &err),
                     0);
    assert_int_equal(sign_cosign_result_count(r), 1);
    sign_cosign_result_free(r);
    /* the signature is for that manifest only */
    assert_int_equal(sign_cosign_verify_sigstore(&r, sign_dirsig_image(d), sign_dirsig_fetch, d, &o,
                                                 "sha256:1489474da8ea22426ece86ace6c1c0026ab2fd3cd"
                                                 "fbbd62b7e94650266c37d9a",
                                                 NULL, 0, &err),
                     VOUCH_EVERIFY);
    sign_cosign_result_free(r);
    vouch_error_clear(&err);
    id.issuer = "https://accounts.google.com";
    assert_int_equal(sign_cosign_verify_sigstore(&r, sign_dirsig_image(d), sign_dirsig_fetch, d, &o,
                                                 sign_dirsig_manifest_digest(d), NULL, 0, &err),
                     VOUCH_EVERIFY);
    assert_non_null(strstr(err.msg, "does not match the expected issuer"));
    sign_cosign_result_free(r);
    sign_dirsig_free(d);
    sign_trustroot_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_mutated),
        cmocka_unit_test(test_dir_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
