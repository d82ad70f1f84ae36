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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mariner_ground_truth),
        cmocka_unit_test(test_header_fields),
        cmocka_unit_test(test_header_hostile),
        cmocka_unit_test(test_not_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
