/* apk cataloger on the real Alpine/Wolfi databases of testvectors/sbom/apk: every ground
 * truth of the fixtures' README (record counts, first/last and named packages). */
#include "sbom_test.h"

static struct sbom_doc *apk_doc(const char *name, const char *dbpath)
{
    char vec[256], buf[4096];
    const char *root = st_tmp(buf, name);
    snprintf(vec, sizeof(vec), "sbom/apk/%s", name);
    st_copy(root, dbpath, vec);
    return st_catalog(root);
}

struct apk_truth {
    const char *file;
    size_t count;
    const char *first[3]; /* name, version, arch */
    const char *last[3];
};

static const struct apk_truth truths[] = {
    {"alpine-3.10-armv7-163pkgs.installed",
     163,
     {"musl", "1.1.22-r4", "armv7"},
     {"openbox", "3.6.1-r2", "armv7"}},
    {"wolfi-base.installed",
     15,
     {"wolfi-baselayout", "20230201-r23", "x86_64"},
     {"wolfi-base", "1-r7", "x86_64"}},
    {"alpine-aarch64-apko-root.installed",
     14,
     {"alpine-baselayout-data", "3.2.0-r22", "aarch64"},
     {"libc-utils", "0.7.2-r3", NULL}},
    {"syft-multiple-2.installed",
     14,
     {"alpine-baselayout-data", "3.2.0-r22", "x86_64"},
     {"libc-utils", "0.7.2-r3", "x86_64"}},
    {"syft-multiple-1.installed",
     4,
     {"bash", "5.2.21-r0", "x86_64"},
     {"readline", "8.2.1-r2", "x86_64"}},
    {"trivy-analyzer-apk.installed", 16, {"musl", "1.1.14-r10", "x86_64"}, {NULL, NULL, NULL}},
    {"osv-scalibr.installed",
     15,
     {"alpine-baselayout", "3.4.3-r1", "x86_64"},
     {"zlib", "1.2.13-r1", "x86_64"}},
    {"osv-scalibr-different-arch.installed",
     1,
     {"alpine-baselayout-data", "3.4.3-r1", "noarch"},
     {NULL, NULL, NULL}},
};

static void test_ground_truths(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(truths) / sizeof(truths[0]); i++) {
        const struct apk_truth *t = &truths[i];
        struct sbom_doc *doc = apk_doc(t->file, "lib/apk/db/installed");
        assert_int_equal(t->count, sbom_doc_pkg_count(doc));
        assert_int_equal(0, sbom_doc_warning_count(doc));
        st_expect(doc, t->first[0], t->first[1], t->first[2]);
        if (t->last[0] != NULL) {
            st_expect(doc, t->last[0], t->last[1], t->last[2]);
        }
        sbom_doc_free(doc);
    }
}

static void test_named_packages(void **state)
{
    struct sbom_doc *doc = apk_doc("alpine-3.10-armv7-163pkgs.installed", "lib/apk/db/installed");
    const struct sbom_pkg *p;
    (void)state;
    st_expect(doc, "bash", "5.0.0-r0", "armv7");
    st_expect(doc, "xorg-server", "1.20.5-r3", "armv7");
    st_expect(doc, "libx11", "1.6.12-r0", "armv7");
    p = st_pkg(doc, "musl");
    assert_string_equal("MIT", sbom_pkg_license(p, 0));
    assert_string_equal("musl", sbom_pkg_source(p));
    assert_true(sbom_pkg_file_count(p) > 0);
    sbom_doc_free(doc);
    doc = apk_doc("wolfi-base.installed", "lib/apk/db/installed");
    st_expect(doc, "glibc", "2.41-r55", "x86_64");
    st_expect(doc, "busybox", "1.37.0-r47", "x86_64");
    st_expect(doc, "apk-tools", "2.14.10-r6", "x86_64");
    sbom_doc_free(doc);
}

/* The apko root keeps its db under usr/lib/apk/db/installed. */
static void test_usr_lib_path(void **state)
{
    struct sbom_doc *doc =
        apk_doc("alpine-aarch64-apko-root.installed", "usr/lib/apk/db/installed");
    (void)state;
    assert_int_equal(14, sbom_doc_pkg_count(doc));
    st_expect(doc, "musl", "1.2.3-r0", "aarch64");
    st_expect(doc, "zlib", "1.2.12-r3", "aarch64");
    assert_string_equal("pkg:apk/alpine/musl@1.2.3-r0?arch=aarch64",
                        sbom_pkg_purl(st_pkg(doc, "musl")));
    sbom_doc_free(doc);
}

static void test_corrupt(void **state)
{
    struct sbom_doc *doc = apk_doc("syft-corrupt.installed", "lib/apk/db/installed");
    (void)state;
    assert_int_equal(1, sbom_doc_pkg_count(doc));
    st_expect(doc, "alpine-baselayout-data", "3.2.0-r22", "x86_64");
    assert_int_equal(1, sbom_doc_warning_count(doc));
    assert_non_null(strstr(sbom_doc_warning(doc, 0), "malformed record"));
    sbom_doc_free(doc);
}

/* Dependencies: bash needs /bin/sh (provided by busybox-binsh) and readline's soname. */
static void test_depends(void **state)
{
    struct sbom_doc *doc = apk_doc("syft-multiple-1.installed", "lib/apk/db/installed");
    const struct sbom_pkg *bash;
    char deps[256] = "";
    (void)state;
    bash = st_pkg(doc, "bash");
    for (size_t i = 0; i < sbom_pkg_dep_count(bash); i++) {
        strcat(deps, sbom_pkg_name(sbom_doc_pkg(doc, sbom_pkg_dep(bash, i))));
        strcat(deps, " ");
    }
    assert_string_equal("busybox-binsh musl readline ", deps);
    sbom_doc_free(doc);
}

/* Hostile inputs: no trailing newline, huge lines, binary junk; bounded, no crash. */
static void test_hostile(void **state)
{
    char buf[4096];
    const char *root = st_tmp(buf, "apk-hostile");
    size_t big = (size_t)1 << 20;
    char *junk = malloc(big);
    struct sbom_doc *doc;
    (void)state;
    assert_non_null(junk);
    memset(junk, 'A', big);
    memcpy(junk, "P:", 2);
    junk[big - 1] = '\0';
    st_put(root, "lib/apk/db/installed", junk, big - 1);
    doc = st_catalog(root);
    assert_int_equal(1, sbom_doc_pkg_count(doc));
    sbom_doc_free(doc);
    for (size_t i = 0; i < big; i++) {
        junk[i] = (char)(i * 131 + (i >> 7));
    }
    st_put(root, "lib/apk/db/installed", junk, big);
    doc = st_catalog(root);
    assert_true(sbom_doc_pkg_count(doc) < 64);
    sbom_doc_free(doc);
    st_put(root, "lib/apk/db/installed", "P:x\nV:1", 7);
    doc = st_catalog(root);
    st_expect(doc, "x", "1", NULL);
    sbom_doc_free(doc);
    free(junk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ground_truths), cmocka_unit_test(test_named_packages),
        cmocka_unit_test(test_usr_lib_path),  cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_depends),       cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
