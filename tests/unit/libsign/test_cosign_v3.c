/* Unit tests for cosign v3 bundle signatures (sign/cosign_v3.h) and the `.att` image
 * (sign/cosign_att.h) on an OCI layout: exact statement bytes, the referrer manifest and
 * the "sha256-<hex>" referrers tag, verification verdicts, and `.att` layer replacement. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/bundle.h"
#include "sign/cosign_att.h"
#include "sign/cosign_image.h"
#include "sign/cosign_v3.h"
#include "sign/dsse.h"

#define LAYER "hello, layer"

/* A one-layer image (config "{}") tagged v1 in a fresh layout; digest gets its digest. */
static struct sign_oci_source *image_new(const char *name, char *digest)
{
    static char spec[4200];
    char empty[SIGN_REF_DIGEST_MAX], layer[SIGN_REF_DIGEST_MAX], man[1024];
    struct sign_oci_source *src = NULL;
    snprintf(spec, sizeof(spec), "oci-dir:%s/img:v1", ts_tmpdir(name));
    assert_int_equal(0, sign_oci_open(&src, spec, NULL, NULL));
    assert_int_equal(0, sign_cosign_image_put_blob(empty, src, "{}", 2, NULL));
    assert_int_equal(0, sign_cosign_image_put_blob(layer, src, LAYER, strlen(LAYER), NULL));
    snprintf(man, sizeof(man),
             "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
             "\"digest\":\"%s\",\"size\":2},\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\","
             "\"size\":%zu}]}",
             SIGN_OCI_MT_MANIFEST, SIGN_OCI_MT_CONFIG, empty, SIGN_OCI_MT_LAYER_TAR, layer,
             strlen(LAYER));
    assert_int_equal(
        0, sign_oci_manifest_put(digest, src, "v1", SIGN_OCI_MT_MANIFEST, man, strlen(man), NULL));
    return src;
}

static const char *statement_want(char *buf, size_t size, const char *digest, const char *ann)
{
    snprintf(buf, size,
             "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":"
             "\"%s\"}%s}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\","
             "\"predicate\":{}}",
             digest + 7, ann);
    return buf;
}

static void test_statement(void **state)
{
    static const char *digest =
        "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
    const struct sign_annotation ann[] = {{"team", "core"}, {"env", "prod"}};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char want[1024], *out = NULL;
    size_t len = 0;
    (void)state;
    assert_int_equal(0, sign_cosign_v3_statement(&out, &len, digest, NULL, 0, NULL));
    assert_string_equal(statement_want(want, sizeof(want), digest, ""), out);
    assert_int_equal(strlen(want), len);
    free(out);
    assert_int_equal(0, sign_cosign_v3_statement(&out, &len, digest, ann, 2, NULL));
    statement_want(want, sizeof(want), digest,
                   ",\"annotations\":{\"team\":\"core\",\"env\":\"prod\"}");
    assert_string_equal(want, out);
    free(out);
    assert_int_equal(VOUCH_EUNSUPPORTED,
                     sign_cosign_v3_statement(&out, &len, "sha512:00", NULL, 0, &err));
    assert_null(out);
    assert_string_equal("image digest 'sha512:00' is not sha256", err.msg);
}

/* The referrers tag index of digest: its manifests' count; the first one's digest. */
static size_t tag_index(struct sign_oci_source *src, const char *digest, const char *first)
{
    struct sign_oci_manifest m = {0};
    char *tag = NULL;
    json_t *idx, *ms;
    size_t n;
    assert_int_equal(0, sign_cosign_tag(&tag, digest, "", NULL));
    assert_int_equal(strlen(digest), strlen(tag));
    assert_int_equal(0, strncmp(tag, "sha256-", 7));
    assert_int_equal(0, sign_oci_manifest_get(&m, src, tag, NULL));
    assert_string_equal(SIGN_OCI_MT_INDEX, m.media_type);
    idx = json_loadb((const char *)m.data, m.len, 0, NULL);
    ms = json_object_get(idx, "manifests");
    n = json_array_size(ms);
    assert_string_equal(first, json_string_value(json_object_get(json_array_get(ms, 0), "digest")));
    assert_string_equal(SIGN_COSIGN_BUNDLE_MT,
                        json_string_value(json_object_get(json_array_get(ms, 0), "artifactType")));
    json_decref(idx);
    sign_oci_manifest_release(&m);
    free(tag);
    return n;
}

/* The referrer manifest: its subject is digest and its one layer the bundle. */
static void check_referrer(struct sign_oci_source *src, const char *ref, const char *digest)
{
    struct sign_oci_manifest m = {0};
    json_t *root;
    assert_int_equal(0, sign_oci_manifest_get(&m, src, ref, NULL));
    root = json_loadb((const char *)m.data, m.len, 0, NULL);
    assert_string_equal(SIGN_COSIGN_BUNDLE_MT,
                        json_string_value(json_object_get(root, "artifactType")));
    assert_string_equal(
        digest, json_string_value(json_object_get(json_object_get(root, "subject"), "digest")));
    assert_string_equal(SIGN_COSIGN_V3_PREDICATE,
                        json_string_value(json_object_get(json_object_get(root, "annotations"),
                                                          "dev.sigstore.bundle.predicateType")));
    assert_int_equal(1, json_array_size(json_object_get(root, "layers")));
    json_decref(root);
    sign_oci_manifest_release(&m);
}

static void verify_one(struct sign_oci_source *src, const char *digest, const struct sign_key *key,
                       const struct sign_annotation *ann, size_t n_ann, size_t n, size_t seen,
                       const char *reasons)
{
    struct sign_cosign_v3_result r;
    assert_int_equal(0, sign_cosign_v3_verify(&r, src, digest, key, ann, n_ann, NULL));
    assert_int_equal(n, r.n);
    assert_int_equal(seen, r.seen);
    assert_string_equal(reasons, r.reasons);
    if (n > 0) {
        char want[1024];
        statement_want(want, sizeof(want), digest, ",\"annotations\":{\"team\":\"core\"}");
        assert_int_equal(strlen(want), r.len[0]);
        assert_memory_equal(want, r.stmt[0], r.len[0]);
    }
    sign_cosign_v3_result_release(&r);
    assert_int_equal(0, r.n);
}

static void test_sign_verify(void **state)
{
    char digest[SIGN_REF_DIGEST_MAX], ref[SIGN_REF_DIGEST_MAX], ref2[SIGN_REF_DIGEST_MAX];
    struct sign_oci_source *src = image_new("cosign_v3", digest);
    struct sign_key *key = NULL, *other = NULL;
    const struct sign_annotation ann[] = {{"team", "core"}}, bad[] = {{"team", "edge"}};
    (void)state;
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P256, NULL));
    assert_int_equal(0, sign_key_generate(&other, SIGN_KEY_ECDSA_P256, NULL));
    verify_one(src, digest, key, NULL, 0, 0, 0, "");
    assert_int_equal(0, sign_cosign_v3_sign(ref, src, digest, key, ann, 1, NULL));
    check_referrer(src, ref, digest);
    assert_int_equal(1, tag_index(src, digest, ref));
    verify_one(src, digest, key, ann, 1, 1, 1, "");
    verify_one(src, digest, key, bad, 1, 0, 1, "bundle: annotations do not match");
    assert_int_equal(0, sign_cosign_v3_sign(ref2, src, digest, other, ann, 1, NULL));
    assert_int_equal(2, tag_index(src, digest, ref));
    verify_one(src, digest, other, NULL, 0, 1, 2,
               "bundle: dsse signature verification failed: 0 of 1 required keys verified");
    sign_key_free(key);
    sign_key_free(other);
    sign_oci_free(src);
}

struct layers {
    size_t n;
    char seen[4][32];
};

static int collect(void *ctx, const unsigned char *data, size_t len, struct vouch_error *err)
{
    struct layers *l = ctx;
    (void)err;
    assert_true(l->n < 4 && len < sizeof(l->seen[0]));
    memcpy(l->seen[l->n], data, len);
    l->seen[l->n++][len] = '\0';
    return 0;
}

static void test_att(void **state)
{
    char digest[SIGN_REF_DIGEST_MAX];
    struct sign_oci_source *src = image_new("cosign_att", digest);
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct layers l = {0};
    size_t count = 9;
    (void)state;
    assert_int_equal(VOUCH_ENOTFOUND, sign_cosign_att_each(&count, src, digest, collect, &l, &err));
    assert_int_equal(0, sign_cosign_att_attach(src, digest, "{\"a\":1}", 7, "A", 0, NULL));
    assert_int_equal(0, sign_cosign_att_attach(src, digest, "{\"b\":2}", 7, "B", 0, NULL));
    assert_int_equal(0, sign_cosign_att_attach(src, digest, "{\"a\":3}", 7, "A", 1, NULL));
    assert_int_equal(0, sign_cosign_att_each(&count, src, digest, collect, &l, NULL));
    assert_int_equal(2, count);
    assert_int_equal(2, l.n);
    assert_string_equal("{\"b\":2}", l.seen[0]);
    assert_string_equal("{\"a\":3}", l.seen[1]);
    count = 9;
    assert_int_equal(0, sign_cosign_att_each_bundle(&count, src, digest, collect, &l, NULL));
    assert_int_equal(0, count);
    sign_oci_free(src);
}

/* sign_bundle_sign_statement: an envelope and a bundle that verify to the same bytes. */
static void test_sign_statement(void **state)
{
    static const char stmt[] = "{\"_type\":\"https://in-toto.io/Statement/v1\"}";
    struct sign_key *key = NULL;
    struct sign_dsse *env = NULL;
    struct sign_bundle *b = NULL;
    char *out = NULL;
    unsigned char *payload = NULL;
    size_t len = 0, plen = 0;
    (void)state;
    assert_int_equal(0, sign_key_generate(&key, SIGN_KEY_ECDSA_P256, NULL));
    assert_int_equal(0, sign_bundle_sign_statement(&out, &len, stmt, strlen(stmt), key, 0, NULL));
    assert_int_equal(0, sign_dsse_parse(&env, (unsigned char *)out, len, NULL));
    assert_string_equal(SIGN_INTOTO_PAYLOAD_TYPE, sign_dsse_payload_type(env));
    assert_int_equal(0, sign_dsse_verify(&payload, &plen, env, (const struct sign_key *const *)&key,
                                         1, 1, NULL));
    assert_int_equal(strlen(stmt), plen);
    assert_memory_equal(stmt, payload, plen);
    free(payload);
    free(out);
    assert_int_equal(0, sign_bundle_sign_statement(&out, &len, stmt, strlen(stmt), key, 1, NULL));
    assert_int_equal(0, sign_bundle_parse(&b, (unsigned char *)out, len, NULL));
    assert_int_equal(0, sign_bundle_verify_dsse(&payload, &plen, b, key, NULL));
    assert_memory_equal(stmt, payload, plen);
    assert_string_equal(SIGN_INTOTO_PAYLOAD_TYPE, sign_dsse_payload_type(sign_bundle_dsse(b)));
    free(payload);
    free(out);
    sign_bundle_free(b);
    sign_dsse_free(env);
    sign_key_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statement),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_att),
        cmocka_unit_test(test_sign_statement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
