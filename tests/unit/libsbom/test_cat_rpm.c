/* rpm cataloger on the real CBL-Mariner 2.0 rpmdb.sqlite (testvectors/sbom/rpm) and the
 * header blob parser against truncated and hostile blobs. */
#include <sqlite3.h>

#include "sbom_test.h"

#include "rpm_header.h"

static struct sbom_doc *mariner(void)
{
    char buf[4096];
    const char *root = st_tmp(buf, "rpm-mariner");
    st_copy(root, "var/lib/rpm/rpmdb.sqlite", "sbom/rpm/sqlite-cbl-mariner-2.0/rpmdb.sqlite");
    return st_catalog(root);
}

static void test_mariner_ground_truth(void **state)
{
    struct sbom_doc *doc = mariner();
    const struct sbom_pkg *p;
    (void)state;
    assert_int_equal(129, sbom_doc_pkg_count(doc));
    assert_int_equal(0, sbom_doc_warning_count(doc));
    st_expect(doc, "mariner-release", "2.0-4.cm2", "noarch");
    st_expect(doc, "filesystem", "1.1-8.cm2", "x86_64");
    st_expect(doc, "glibc", "2.34-2.cm2", "x86_64");
    st_expect(doc, "curl", "7.76.0-6.cm2", "x86_64");
    p = st_pkg(doc, "curl");
    assert_string_equal("MIT", sbom_pkg_license(p, 0));
    assert_string_equal("Microsoft Corporation", sbom_pkg_supplier(p));
    assert_string_equal("curl-7.76.0-6.cm2.src.rpm", sbom_pkg_source(p));
    assert_string_equal("6.cm2", sbom_pkg_release(p));
    assert_null(sbom_pkg_epoch(p));
    assert_true(sbom_pkg_file_count(p) > 0);
    st_expect(doc, "ca-certificates-base", "1:2.0.0-1.cm2", "noarch");
    p = st_pkg(doc, "ca-certificates-base");
    assert_string_equal("1", sbom_pkg_epoch(p));
    assert_string_equal("pkg:rpm/redhat/ca-certificates-base@2.0.0-1.cm2?arch=noarch&epoch=1&"
                        "upstream=ca-certificates-2.0.0-1.cm2.src.rpm",
                        sbom_pkg_purl(p));
    sbom_doc_free(doc);
}

/* The blob of package name from the fixture (malloc'd). */
static unsigned char *blob_of(const char *name, size_t *len)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    unsigned char *out = NULL;
    assert_int_equal(SQLITE_OK,
                     sqlite3_open_v2(ts_src("testvectors/sbom/rpm/sqlite-cbl-mariner-2.0/"
                                            "rpmdb.sqlite"),
                                     &db, SQLITE_OPEN_READONLY, NULL));
    assert_int_equal(SQLITE_OK, sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &st, NULL));
    while (out == NULL && sqlite3_step(st) == SQLITE_ROW) {
        struct rpm_info in;
        const void *b = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (rpm_header_parse(&in, b, n, NULL) == 0) {
            if (strcmp(in.name, name) == 0) {
                out = malloc(n);
                memcpy(out, b, n);
                *len = n;
            }
            rpm_info_release(&in);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_non_null(out);
    return out;
}

static void test_header_fields(void **state)
{
    size_t n;
    unsigned char *b = blob_of("curl", &n);
    struct rpm_info in;
    (void)state;
    assert_int_equal(0, rpm_header_parse(&in, b, n, NULL));
    assert_string_equal("7.76.0", in.version);
    assert_string_equal("x86_64", in.arch);
    assert_int_equal(0, in.has_epoch);
    assert_true(in.files.n > 3);
    assert_string_equal("usr/bin/curl", in.files.v[0]);
    rpm_info_release(&in);
    free(b);
}

/* Every truncation and a sweep of single-byte corruptions: parse or EPARSE, never crash. */
static void test_header_hostile(void **state)
{
    size_t n;
    unsigned char *b = blob_of("curl", &n);
    struct rpm_info in;
    (void)state;
    for (size_t len = 0; len < n; len += len < 64 ? 1 : 37) {
        assert_int_equal(VOUCH_EPARSE, rpm_header_parse(&in, b, len, NULL));
    }
    for (size_t i = 0; i < n; i += 7) {
        unsigned char save = b[i];
        b[i] ^= 0xff;
        if (rpm_header_parse(&in, b, n, NULL) == 0) {
            rpm_info_release(&in);
        }
        b[i] = save;
    }
    /* absurd index/data lengths */
    memcpy(b, "\xff\xff\xff\xff\x7f\xff\xff\xff", 8);
    assert_int_equal(VOUCH_EPARSE, rpm_header_parse(&in, b, n, NULL));
    free(b);
}

/* A file named rpmdb.sqlite that is not sqlite: a warning, no packages, no failure. */
static void test_not_sqlite(void **state)
{
    char buf[4096];
    const char *root = st_tmp(buf, "rpm-junk");
    struct sbom_doc *doc;
    (void)state;
    st_put(root, "var/lib/rpm/rpmdb.sqlite", "SQLite format 3\0garbage", 24);
    doc = st_catalog(root);
    assert_int_equal(0, sbom_doc_pkg_count(doc));
    assert_int_equal(1, sbom_doc_warning_count(doc));
    sbom_doc_free(doc);
}

static struct sbom_doc *bdb(const char *fixture)
{
    char buf[4096], vec[256];
    const char *root = st_tmp(buf, "rpm-bdb");
    snprintf(vec, sizeof(vec), "sbom/rpm/%s/Packages", fixture);
    st_copy(root, "var/lib/rpm/Packages", vec);
    return st_catalog(root);
}

static void test_bdb_ground_truth(void **state)
{
    struct sbom_doc *doc = bdb("bdb-rhel8-libuuid");
    const struct sbom_pkg *p;
    (void)state;
    assert_int_equal(1, sbom_doc_pkg_count(doc));
    st_expect(doc, "libuuid", "2.32.1-42.el8_8", "x86_64");
    p = st_pkg(doc, "libuuid");
    assert_null(sbom_pkg_epoch(p));
    assert_string_equal("Red Hat, Inc.", sbom_pkg_supplier(p));
    assert_string_equal("util-linux-2.32.1-42.el8_8.src.rpm", sbom_pkg_source(p));
    assert_int_equal(5, sbom_pkg_file_count(p));
    assert_string_equal("usr/lib64/libuuid.so.1.3.0", sbom_pkg_file(p, 2)); /* dirs dropped */
    sbom_doc_free(doc);
    doc = bdb("bdb-syft-small");
    assert_int_equal(1, sbom_doc_pkg_count(doc));
    st_expect(doc, "dive", "0.9.2-1", "x86_64");
    assert_null(sbom_pkg_epoch(st_pkg(doc, "dive")));
    sbom_doc_free(doc);
    doc = bdb("bdb-osv-scalibr-epoch");
    assert_int_equal(1, sbom_doc_pkg_count(doc));
    st_expect(doc, "hello", "1:0.0.1-rls", "x86_64");
    assert_string_equal("1", sbom_pkg_epoch(st_pkg(doc, "hello")));
    sbom_doc_free(doc);
}

/* Truncations and corruptions of a real Berkeley DB: warnings or fewer packages, no crash. */
static void test_bdb_hostile(void **state)
{
    char buf[4096], path[4200];
    const char *root = st_tmp(buf, "rpm-bdb-hostile");
    size_t n;
    unsigned char *d = ts_read(ts_src("testvectors/sbom/rpm/bdb-rhel8-libuuid/Packages"), &n);
    (void)state;
    snprintf(path, sizeof(path), "%s/var/lib/rpm", root);
    for (size_t cut = 0; cut < n; cut += 4096 + 13) {
        struct sbom_doc *doc;
        st_put(root, "var/lib/rpm/Packages", d, cut);
        doc = st_catalog(root);
        assert_true(sbom_doc_pkg_count(doc) <= 1);
        sbom_doc_free(doc);
    }
    for (size_t i = 0; i < n; i += 509) {
        struct sbom_doc *doc;
        unsigned char save = d[i];
        d[i] ^= 0x5a;
        st_put(root, "var/lib/rpm/Packages", d, n);
        doc = st_catalog(root);
        assert_true(sbom_doc_pkg_count(doc) <= 1);
        sbom_doc_free(doc);
        d[i] = save;
    }
    free(d);
}

static void test_ndb_ground_truth(void **state)
{
    char buf[4096];
    const char *root = st_tmp(buf, "rpm-ndb");
    struct sbom_doc *doc;
    (void)state;
    st_copy(root, "usr/lib/sysimage/rpm/Packages.db", "sbom/rpm/ndb-sle15-bci/Packages.db");
    doc = st_catalog(root);
    assert_int_equal(35, sbom_doc_pkg_count(doc));
    assert_int_equal(0, sbom_doc_warning_count(doc));
    st_expect(doc, "system-user-root", "20190513-3.3.1", "noarch");
    st_expect(doc, "filesystem", "15.0-11.3.2", "x86_64");
    st_expect(doc, "glibc", "2.31-9.3.2", "x86_64");
    st_expect(doc, "bash", "4.4-19.6.1", "x86_64");
    st_expect(doc, "rpm-ndb", "4.14.3-40.1", "x86_64");
    /* the fixtures' README says epoch 1, but this header has no EPOCH tag (1003) */
    st_expect(doc, "rpm-config-SUSE", "1-5.6.1", "noarch");
    assert_null(sbom_pkg_epoch(st_pkg(doc, "rpm-config-SUSE")));
    sbom_doc_free(doc);
}

static void test_ndb_hostile(void **state)
{
    char buf[4096];
    const char *root = st_tmp(buf, "rpm-ndb-hostile");
    size_t n;
    unsigned char *d = ts_read(ts_src("testvectors/sbom/rpm/ndb-sle15-bci/Packages.db"), &n);
    (void)state;
    for (size_t cut = 0; cut < n; cut += 65536 + 7) {
        struct sbom_doc *doc;
        st_put(root, "var/lib/rpm/Packages.db", d, cut);
        doc = st_catalog(root);
        assert_true(sbom_doc_pkg_count(doc) <= 35);
        sbom_doc_free(doc);
    }
    memset(d + 40, 0xff, 8); /* slot 1 points far outside the file */
    st_put(root, "var/lib/rpm/Packages.db", d, n);
    struct sbom_doc *doc = st_catalog(root);
    assert_int_equal(34, sbom_doc_pkg_count(doc));
    assert_true(sbom_doc_warning_count(doc) >= 1);
    sbom_doc_free(doc);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mariner_ground_truth), cmocka_unit_test(test_header_fields),
        cmocka_unit_test(test_header_hostile),       cmocka_unit_test(test_not_sqlite),
        cmocka_unit_test(test_bdb_ground_truth),     cmocka_unit_test(test_bdb_hostile),
        cmocka_unit_test(test_ndb_ground_truth),     cmocka_unit_test(test_ndb_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
