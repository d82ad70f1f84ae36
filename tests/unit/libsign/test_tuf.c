/* The TUF client's pieces: OLPC canonical JSON, metadata fields, signature thresholds
 * (on Sigstore's real root v15 and on roots made here), hashes, and the trusted root
 * lookup order. The whole client runs in tests/interop/test_tuf_update.sh. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/key.h"
#include "sign/tuf.h"
#include "tuf_internal.h"
#include "vouch/encoding.h"

static char *cjson_of(const char *text, int *rc)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct vouch_buf b;
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    vouch_buf_init(&b, 0);
    *rc = tuf_cjson(&b, v, &err);
    json_decref(v);
    if (*rc != 0) {
        vouch_buf_release(&b);
        return NULL;
    }
    vouch_buf_append(&b, "", 0, NULL);
    return (char *)vouch_buf_steal(&b, NULL);
}

static void test_cjson(void **state)
{
    int rc = 0;
    char *s;
    (void)state;
    /* keys sorted by bytes at every level, no spaces, only '"' and '\' escaped */
    s = cjson_of("{ \"b\": [1, true, null, \"q\\\"\\\\\"], \"a\": {\"z\": -5, \"y\": "
                 "\"\\u00e9\\n\\t\"}, \"B\": {}, \"a0\": []}",
                 &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(s, "{\"B\":{},\"a\":{\"y\":\"\xc3\xa9\n\t\",\"z\":-5},\"a0\":[],"
                           "\"b\":[1,true,null,\"q\\\"\\\\\"]}");
    free(s);
    s = cjson_of("{\"x\": 1.5}", &rc);
    assert_null(s);
    assert_int_equal(rc, VOUCH_EPARSE);
    s = cjson_of("\"<&>\\u2028\"", &rc); /* no Go-style escaping */
    assert_string_equal(s, "\"<&>\xe2\x80\xa8\"");
    free(s);
}

static void test_time(void **state)
{
    long long t = 0;
    (void)state;
    assert_int_equal(tuf_time_parse(&t, "2030-01-01T00:00:00Z"), 0);
    assert_true(t == 1893456000LL);
    assert_int_equal(tuf_time_parse(&t, "2026-11-20T13:58:18Z"), 0);
    assert_true(t == 1795183098LL);
    assert_int_equal(tuf_time_parse(&t, "2021-12-18T13:28:12.99008-06:00"), VOUCH_EPARSE);
    assert_int_equal(tuf_time_parse(&t, "2030-01-01 00:00:00Z"), VOUCH_EPARSE);
    assert_int_equal(tuf_time_parse(&t, "2030-13-01T00:00:00Z"), VOUCH_EPARSE);
    assert_int_equal(tuf_time_parse(&t, "2030-01-01T00:00:00"), VOUCH_EPARSE);
}

static struct tuf_root *load_root(const char *path, int *rc, struct vouch_error *err)
{
    static struct tuf_root r;
    size_t n = 0;
    unsigned char *data = ts_read(path, &n);
    *rc = tuf_root_parse(&r, data, n, "root.json", err);
    free(data);
    return &r;
}

/* Sigstore's root v15 (data/tuf-root.json): 5 of its 5 root keys signed it, threshold 3 */
static void test_sigstore_root(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = 0;
    size_t valid = 9;
    struct tuf_root *r = load_root(ts_src("data/tuf-root.json"), &rc, &err);
    (void)state;
    assert_int_equal(rc, 0);
    assert_true(r->md.version == 15);
    assert_true(r->consistent_snapshot);
    assert_true(r->roles[TUF_ROLE_ROOT].threshold == 3);
    assert_int_equal(tuf_verify_role(&valid, r, TUF_ROLE_ROOT, &r->md, &err), 0);
    assert_int_equal(valid, 5);
    /* the root is not signed by the timestamp role */
    assert_int_equal(tuf_verify_role(&valid, r, TUF_ROLE_TIMESTAMP, &r->md, &err), VOUCH_EVERIFY);
    assert_int_equal(valid, 0);
    assert_string_equal(err.msg,
                        "root.json (version 15): 0 of 1 required signatures of the timestamp "
                        "role of root v15");
    /* one signature repeated five times counts once */
    json_t *sigs = json_object_get(r->md.doc, "signatures");
    json_t *first = json_incref(json_array_get(sigs, 0));
    json_array_clear(sigs);
    for (int i = 0; i < 5; i++) {
        json_array_append(sigs, first);
    }
    json_decref(first);
    vouch_error_clear(&err);
    assert_int_equal(tuf_verify_role(&valid, r, TUF_ROLE_ROOT, &r->md, &err), VOUCH_EVERIFY);
    assert_int_equal(valid, 1);
    assert_string_equal(err.msg, "root.json (version 15): 1 of 3 required signatures of the root "
                                 "role of root v15");
    /* a changed signed part breaks every signature */
    json_array_clear(sigs);
    tuf_root_release(r);
    r = load_root(ts_src("data/tuf-root.json"), &rc, &err);
    r->md.cjson.data[r->md.cjson.len - 2] ^= 1;
    assert_int_equal(tuf_verify_role(&valid, r, TUF_ROLE_ROOT, &r->md, NULL), VOUCH_EVERIFY);
    assert_int_equal(valid, 0);
    tuf_root_release(r);
}

/* A root made here: keys (ed25519 hex), keyids, threshold 2 over the named signers. */
static char *ed25519_hex(const struct sign_key *k)
{
    unsigned char *der = NULL;
    size_t n = 0;
    char *hex = malloc(65);
    assert_int_equal(sign_key_public_der(&der, &n, k, NULL), 0);
    assert_int_equal(n, 44);
    vouch_hex_encode(hex, der + 12, 32);
    free(der);
    return hex;
}

static void sign_into(json_t *doc, const char *keyid, const struct sign_key *k)
{
    struct vouch_buf b;
    unsigned char *sig = NULL;
    size_t n = 0;
    char hex[2 * 64 + 1];
    vouch_buf_init(&b, 0);
    assert_int_equal(tuf_cjson(&b, json_object_get(doc, "signed"), NULL), 0);
    assert_int_equal(sign_key_sign_msg(&sig, &n, k, SIGN_HASH_SHA512, b.data, b.len, NULL), 0);
    vouch_hex_encode(hex, sig, n);
    json_array_append_new(json_object_get(doc, "signatures"),
                          json_pack("{s:s,s:s}", "keyid", keyid, "sig", hex));
    free(sig);
    vouch_buf_release(&b);
}

static int made_root(size_t *valid, const char *pub_b, const struct sign_key *ka,
                     const struct sign_key *kb)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct tuf_root r;
    char *pa = ed25519_hex(ka), *text;
    json_t *role = json_pack("{s:[s,s],s:i}", "keyids", "aa", "bb", "threshold", 2);
    json_t *doc = json_pack(
        "{s:{s:s,s:s,s:i,s:s,s:b,s:{s:{s:s,s:s,s:{s:s}},s:{s:s,s:s,s:{s:s}}},s:{s:O,s:O,s:O,"
        "s:O}},s:[]}",
        "signed", "_type", "root", "spec_version", "1.0", "version", 1, "expires",
        "2031-01-01T00:00:00Z", "consistent_snapshot", 1, "keys", "aa", "keytype", "ed25519",
        "scheme", "ed25519", "keyval", "public", pa, "bb", "keytype", "ed25519", "scheme",
        "ed25519", "keyval", "public", pub_b, "roles", "root", role, "timestamp", role, "snapshot",
        role, "targets", role, "signatures");
    int rc;
    assert_non_null(doc);
    sign_into(doc, "aa", ka);
    sign_into(doc, "bb", kb);
    text = json_dumps(doc, JSON_INDENT(2));
    rc = tuf_root_parse(&r, (unsigned char *)text, strlen(text), "made.json", &err);
    assert_int_equal(rc, 0);
    assert_int_equal(r.nkeys, 2);
    rc = tuf_verify_role(valid, &r, TUF_ROLE_ROOT, &r.md, &err);
    tuf_root_release(&r);
    free(text);
    free(pa);
    json_decref(role);
    json_decref(doc);
    return rc;
}

static void test_threshold(void **state)
{
    struct sign_key *a = NULL, *b = NULL;
    size_t valid = 0;
    char *pb, *pa;
    (void)state;
    assert_int_equal(sign_key_generate(&a, SIGN_KEY_ED25519, NULL), 0);
    assert_int_equal(sign_key_generate(&b, SIGN_KEY_ED25519, NULL), 0);
    pb = ed25519_hex(b);
    pa = ed25519_hex(a);
    /* two keys, two signatures: 2 of 2 */
    assert_int_equal(made_root(&valid, pb, a, b), 0);
    assert_int_equal(valid, 2);
    /* "bb" is the same key as "aa": one key under two ids counts once */
    assert_int_equal(made_root(&valid, pa, a, a), VOUCH_EVERIFY);
    assert_int_equal(valid, 1);
    /* "bb" signed by a key that is not bb's */
    assert_int_equal(made_root(&valid, pb, a, a), VOUCH_EVERIFY);
    assert_int_equal(valid, 1);
    free(pa);
    free(pb);
    sign_key_free(a);
    sign_key_free(b);
}

static void test_md_fields(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct tuf_md md;
    const char *bad[][2] = {
        {"{\"signed\":{\"_type\":\"snapshot\"},\"signatures\":[]}",
         "x.json: _type is not 'timestamp'"},
        {"{\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"2.0\"},\"signatures\":[]}",
         "x.json: unsupported spec_version '2.0'"},
        {"{\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0\",\"version\":0,"
         "\"expires\":\"2030-01-01T00:00:00Z\"},\"signatures\":[]}",
         "x.json: version 0 is not positive"},
        {"{\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0\",\"version\":1,"
         "\"expires\":\"2030\"},\"signatures\":[]}",
         "x.json: 'expires' is missing or not YYYY-MM-DDTHH:MM:SSZ"},
        {"{\"signed\":{},\"signed\":{}}", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        vouch_error_clear(&err);
        assert_int_not_equal(tuf_md_parse(&md, (const unsigned char *)bad[i][0], strlen(bad[i][0]),
                                          TUF_ROLE_TIMESTAMP, "x.json", &err),
                             0);
        if (bad[i][1] != NULL) {
            assert_string_equal(err.msg, bad[i][1]);
        }
    }
}

static void test_hashes(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    json_t *h = json_pack("{s:s}", "sha256",
                          "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    json_t *other = json_pack("{s:s}", "md5", "5d41402abc4b2a76b9719d911017c592");
    const unsigned char *hello = (const unsigned char *)"hello";
    (void)state;
    assert_int_equal(tuf_check_hashes(hello, 5, 5, h, 1, "t", &err), 0);
    assert_int_equal(tuf_check_hashes(hello, 5, 4, h, 1, "t", &err), VOUCH_EVERIFY);
    assert_string_equal(err.msg, "t: length 5, expected 4");
    vouch_error_clear(&err);
    assert_int_equal(tuf_check_hashes((const unsigned char *)"hellO", 5, -1, h, 1, "t", &err),
                     VOUCH_EVERIFY);
    assert_string_equal(err.msg, "t: sha256 hash mismatch");
    assert_int_equal(tuf_check_hashes(hello, 5, 5, other, 1, "t", NULL), VOUCH_EUNSUPPORTED);
    assert_int_equal(tuf_check_hashes(hello, 5, 5, NULL, 0, "t", NULL), 0);
    json_decref(h);
    json_decref(other);
}

static void test_find(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_trusted_root_search s;
    enum sign_trusted_root_source src;
    char cache[512], data[512], cached[600], want[600];
    const char *dirs[3];
    char *out = NULL;
    (void)state;
    snprintf(cache, sizeof(cache), "%s", ts_tmpdir("tuf-cache"));
    snprintf(data, sizeof(data), "%s", ts_src("data"));
    dirs[0] = "/nonexistent";
    dirs[1] = data;
    dirs[2] = NULL;
    memset(&s, 0, sizeof(s));
    s.cache_dir = cache;
    s.data_dirs = dirs;
    assert_int_equal(sign_trusted_root_find(&out, &src, &s, &err), 0);
    snprintf(want, sizeof(want), "%s/trusted_root.json", data);
    assert_string_equal(out, want);
    assert_int_equal(src, SIGN_TRUSTED_ROOT_FROM_DATA);
    free(out);
    snprintf(cached, sizeof(cached), "%s/trusted_root.json", cache);
    ts_write(cached, "{}", 2);
    assert_int_equal(sign_trusted_root_find(&out, &src, &s, &err), 0);
    assert_string_equal(out, cached);
    assert_int_equal(src, SIGN_TRUSTED_ROOT_FROM_CACHE);
    free(out);
    s.file = want;
    assert_int_equal(sign_trusted_root_find(&out, &src, &s, &err), 0);
    assert_string_equal(out, want);
    assert_int_equal(src, SIGN_TRUSTED_ROOT_FROM_FILE);
    free(out);
    s.file = "/nonexistent/root.json";
    assert_int_equal(sign_trusted_root_find(&out, &src, &s, &err), VOUCH_ENOTFOUND);
    assert_string_equal(err.msg, "trusted root '/nonexistent/root.json' does not exist");
    s.file = NULL;
    s.cache_dir = NULL;
    dirs[1] = NULL;
    assert_int_equal(sign_trusted_root_find(&out, &src, &s, NULL), VOUCH_ENOTFOUND);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cjson),         cmocka_unit_test(test_time),
        cmocka_unit_test(test_sigstore_root), cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_md_fields),     cmocka_unit_test(test_hashes),
        cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
