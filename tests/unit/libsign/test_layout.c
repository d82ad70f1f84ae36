/* Unit tests for OCI layouts: write and read back, digest checks on tampered and truncated
 * blobs, tags, platform selection, referrers tag fallback, malformed input. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci/oci_internal.h"
#include "sign/oci.h"

#define CONFIG "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}"
#define LAYER "not really a tar, but bytes all the same"

struct fixture {
    char dir[4096];
    char config[SIGN_REF_DIGEST_MAX];
    char layer[SIGN_REF_DIGEST_MAX];
    char manifest[SIGN_REF_DIGEST_MAX];
    char json[2048];
};

static struct sign_oci_source *open_src(const char *dir, const char *suffix)
{
    char name[4300];
    struct sign_oci_source *src = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    snprintf(name, sizeof(name), "oci-dir:%s%s", dir, suffix);
    if (sign_oci_open(&src, name, NULL, &err) != 0) {
        fail_msg("open %s: %s", name, err.msg);
    }
    return src;
}

/* A layout with one image tagged v1: config + one layer. */
static void make_layout(struct fixture *f, const char *name)
{
    struct sign_oci_source *src;
    struct vouch_error err = VOUCH_ERROR_INIT;
    snprintf(f->dir, sizeof(f->dir), "%s/img", ts_tmpdir(name));
    assert_int_equal(0, sign_oci_digest_sha256(f->config, CONFIG, strlen(CONFIG), &err));
    assert_int_equal(0, sign_oci_digest_sha256(f->layer, LAYER, strlen(LAYER), &err));
    snprintf(f->json, sizeof(f->json),
             "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
             "\"digest\":\"%s\",\"size\":%zu},\"layers\":[{\"mediaType\":\"%s\",\"digest\":"
             "\"%s\",\"size\":%zu}]}",
             SIGN_OCI_MT_MANIFEST, SIGN_OCI_MT_CONFIG, f->config, strlen(CONFIG),
             "application/vnd.oci.image.layer.v1.tar", f->layer, strlen(LAYER));
    src = open_src(f->dir, "");
    assert_int_equal(0, sign_oci_blob_put(src, f->config, CONFIG, strlen(CONFIG), &err));
    assert_int_equal(0, sign_oci_blob_put(src, NULL, LAYER, strlen(LAYER), &err));
    assert_int_equal(0, sign_oci_manifest_put(f->manifest, src, "v1", SIGN_OCI_MT_MANIFEST, f->json,
                                              strlen(f->json), &err));
    sign_oci_free(src);
}

static void test_roundtrip(void **state)
{
    struct fixture f;
    struct sign_oci_source *src;
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char *data = NULL;
    size_t len = 0;
    (void)state;
    make_layout(&f, "layout_roundtrip");
    src = open_src(f.dir, ":v1");
    assert_int_equal(0, sign_oci_resolve(&m, src, &err));
    assert_string_equal(SIGN_OCI_MT_MANIFEST, m.media_type);
    assert_string_equal(f.manifest, m.digest);
    assert_int_equal(strlen(f.json), m.len);
    assert_memory_equal(f.json, m.data, m.len);
    sign_oci_manifest_release(&m);
    assert_int_equal(0, sign_oci_blob_read(&data, &len, src, f.layer, 1024, &err));
    assert_int_equal(strlen(LAYER), len);
    assert_memory_equal(LAYER, data, len);
    free(data);
    /* the cap is enforced */
    assert_int_equal(VOUCH_EINVAL, sign_oci_blob_read(&data, &len, src, f.layer, 8, &err));
    assert_null(data);
    sign_oci_free(src);
    /* by digest, and the only image without a tag */
    src = open_src(f.dir, "");
    assert_int_equal(0, sign_oci_resolve(&m, src, &err));
    assert_string_equal(f.manifest, m.digest);
    sign_oci_manifest_release(&m);
    assert_int_equal(0, sign_oci_manifest_get(&m, src, f.manifest, &err));
    sign_oci_manifest_release(&m);
    sign_oci_free(src);
}

static void test_index_json(void **state)
{
    struct fixture f;
    char path[4200];
    unsigned char *idx;
    size_t n;
    char want[1024];
    (void)state;
    make_layout(&f, "layout_index");
    snprintf(path, sizeof(path), "%s/index.json", f.dir);
    idx = ts_read(path, &n);
    snprintf(want, sizeof(want),
             "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[{\"mediaType\":\"%s\","
             "\"digest\":\"%s\",\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref."
             "name\":\"v1\"}}]}",
             SIGN_OCI_MT_INDEX, SIGN_OCI_MT_MANIFEST, f.manifest, strlen(f.json));
    assert_string_equal(want, (char *)idx);
    free(idx);
    snprintf(path, sizeof(path), "%s/oci-layout", f.dir);
    idx = ts_read(path, &n);
    assert_string_equal("{\"imageLayoutVersion\":\"1.0.0\"}", (char *)idx);
    free(idx);
}

/* Overwrite the layer blob in place with data (same name, other bytes). */
static void tamper(const struct fixture *f, const char *data)
{
    char path[4300];
    snprintf(path, sizeof(path), "%s/blobs/sha256/%s", f->dir, f->layer + 7);
    ts_write(path, data, strlen(data));
}

static int stream_all(struct sign_oci_source *src, const char *digest, size_t *total,
                      struct vouch_error *err)
{
    struct sign_oci_blob *b = NULL;
    unsigned char buf[7];
    size_t got = 0;
    int rc = sign_oci_blob_open(&b, src, digest, err);
    *total = 0;
    while (rc == 0) {
        rc = sign_oci_blob_read_some(&got, b, buf, sizeof(buf), err);
        if (rc != 0 || got == 0) {
            break;
        }
        *total += got;
    }
    sign_oci_blob_free(b);
    return rc;
}

static void test_tampered_and_truncated(void **state)
{
    struct fixture f;
    struct sign_oci_source *src;
    struct vouch_error err = VOUCH_ERROR_INIT;
    size_t total = 0;
    (void)state;
    make_layout(&f, "layout_tamper");
    src = open_src(f.dir, ":v1");
    assert_int_equal(0, stream_all(src, f.layer, &total, &err));
    assert_int_equal(strlen(LAYER), total);
    tamper(&f, "not really a tar, but bytes all the samE");
    assert_int_equal(VOUCH_EVERIFY, stream_all(src, f.layer, &total, &err));
    assert_non_null(strstr(err.msg, "digest mismatch for blob sha256:"));
    vouch_error_clear(&err);
    tamper(&f, "not really a tar");
    assert_int_equal(VOUCH_EVERIFY, stream_all(src, f.layer, &total, &err));
    assert_non_null(strstr(err.msg, "(16 bytes read)"));
    sign_oci_free(src);
}

static void test_not_found(void **state)
{
    struct fixture f;
    struct sign_oci_source *src;
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char msg[4400];
    (void)state;
    make_layout(&f, "layout_notfound");
    src = open_src(f.dir, ":v2");
    assert_int_equal(VOUCH_ENOTFOUND, sign_oci_resolve(&m, src, &err));
    snprintf(msg, sizeof(msg), "tag 'v2' not found in '%s'", f.dir);
    assert_string_equal(msg, err.msg);
    sign_oci_free(src);
    vouch_error_clear(&err);
    src = open_src(f.dir, "/nope:v1");
    assert_int_equal(VOUCH_ENOTFOUND, sign_oci_resolve(&m, src, &err));
    snprintf(msg, sizeof(msg), "'%s/nope' is not an OCI layout (no index.json)", f.dir);
    assert_string_equal(msg, err.msg);
    sign_oci_free(src);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EINVAL, sign_oci_open(&src, "oci-dir:x@sha256:12", NULL, &err));
    assert_null(src);
}

static void test_malformed_manifest(void **state)
{
    struct fixture f;
    struct sign_oci_source *src;
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    static const char *const bad[] = {"{\"schemaVersion\":2", "[]", "{\"schemaVersion\":1}"};
    (void)state;
    make_layout(&f, "layout_malformed");
    for (size_t i = 0; i < 3; i++) {
        char tag[8];
        snprintf(tag, sizeof(tag), ":b%zu", i);
        src = open_src(f.dir, "");
        vouch_error_clear(&err);
        assert_int_equal(VOUCH_EUNSUPPORTED,
                         sign_oci_manifest_put(NULL, src, "x", "text/plain", bad[i], 3, &err));
        /* stored as a valid type, but the bytes are not a manifest */
        assert_int_equal(0, sign_oci_manifest_put(NULL, src, tag + 1, SIGN_OCI_MT_MANIFEST, bad[i],
                                                  strlen(bad[i]), NULL));
        sign_oci_free(src);
        src = open_src(f.dir, tag);
        vouch_error_clear(&err);
        assert_int_equal(VOUCH_EPARSE, sign_oci_resolve(&m, src, &err));
        assert_non_null(strstr(err.msg, "malformed manifest for 'sha256:"));
        sign_oci_free(src);
    }
}

static void test_tags_and_referrers(void **state)
{
    struct fixture f;
    struct sign_oci_source *src;
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char **tags = NULL;
    size_t n = 0;
    char idx[1024], tag[SIGN_REF_DIGEST_MAX];
    (void)state;
    make_layout(&f, "layout_tags");
    src = open_src(f.dir, "");
    assert_int_equal(0, sign_oci_referrers(&m, src, f.manifest, NULL, &err));
    assert_string_equal(oci_empty_index, (char *)m.data);
    sign_oci_manifest_release(&m);
    snprintf(idx, sizeof(idx),
             "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[{\"mediaType\":\"%s\","
             "\"digest\":\"%s\",\"size\":1,\"artifactType\":\"a/b\"},{\"mediaType\":\"%s\","
             "\"digest\":\"%s\",\"size\":2,\"artifactType\":\"c/d\"}]}",
             SIGN_OCI_MT_INDEX, SIGN_OCI_MT_MANIFEST, f.config, SIGN_OCI_MT_MANIFEST, f.layer);
    snprintf(tag, sizeof(tag), "sha256-%.64s", f.manifest + 7);
    assert_int_equal(
        0, sign_oci_manifest_put(NULL, src, tag, SIGN_OCI_MT_INDEX, idx, strlen(idx), &err));
    assert_int_equal(0, sign_oci_referrers(&m, src, f.manifest, NULL, &err));
    assert_string_equal(idx, (char *)m.data);
    sign_oci_manifest_release(&m);
    assert_int_equal(0, sign_oci_referrers(&m, src, f.manifest, "c/d", &err));
    assert_null(strstr((char *)m.data, "a/b"));
    assert_non_null(strstr((char *)m.data, f.layer));
    sign_oci_manifest_release(&m);
    assert_int_equal(0, sign_oci_tags(&tags, &n, src, &err));
    assert_int_equal(2, n);
    assert_string_equal("v1", tags[0]);
    assert_string_equal(tag, tags[1]);
    sign_oci_strv_free(tags, n);
    sign_oci_free(src);
}

static void test_platform(void **state)
{
    struct fixture f;
    struct sign_oci_source *src;
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char idx[2048];
    (void)state;
    make_layout(&f, "layout_platform");
    snprintf(idx, sizeof(idx),
             "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
             "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":9,\"platform\":{\"os\":\"linux\","
             "\"architecture\":\"arm\",\"variant\":\"v7\"}},"
             "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":9,\"platform\":{\"os\":\"linux\","
             "\"architecture\":\"s390x\"}}]}",
             SIGN_OCI_MT_INDEX, SIGN_OCI_MT_MANIFEST, f.manifest, SIGN_OCI_MT_MANIFEST, f.config);
    src = open_src(f.dir, "");
    assert_int_equal(
        0, sign_oci_manifest_put(NULL, src, "multi", SIGN_OCI_MT_INDEX, idx, strlen(idx), &err));
    sign_oci_free(src);
    src = open_src(f.dir, ":multi");
    assert_int_equal(0, sign_oci_image_manifest(&m, src, "linux/arm/v7", &err));
    assert_string_equal(f.manifest, m.digest);
    sign_oci_manifest_release(&m);
    assert_int_equal(0, sign_oci_image_manifest(&m, src, "linux/arm", &err));
    assert_string_equal(f.manifest, m.digest);
    sign_oci_manifest_release(&m);
    assert_int_equal(VOUCH_ENOTFOUND, sign_oci_image_manifest(&m, src, "linux/arm/v6", &err));
    assert_non_null(strstr(err.msg, "no image for platform linux/arm/v6 in"));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EINVAL, sign_oci_image_manifest(&m, src, "linux", &err));
    vouch_error_clear(&err);
    /* s390x points at the config blob: not a manifest */
    assert_int_equal(VOUCH_EPARSE, sign_oci_image_manifest(&m, src, "linux/s390x", &err));
    sign_oci_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_index_json),
        cmocka_unit_test(test_tampered_and_truncated),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_malformed_manifest),
        cmocka_unit_test(test_tags_and_referrers),
        cmocka_unit_test(test_platform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
