/* dpkg cataloger: the real distroless status.d fixtures (testvectors/sbom/dpkg-distroless),
 * a synthetic status/info/copyright tree, and hostile control files. */
#include "sbom_test.h"

static struct sbom_doc *fixture(const char *origin)
{
    char rel[256];
    snprintf(rel, sizeof(rel), "testvectors/sbom/dpkg-distroless/%s", origin);
    return st_catalog(ts_src(rel));
}

static void deps_of(char *out, size_t outsz, const struct sbom_doc *doc, const char *name)
{
    const struct sbom_pkg *p = st_pkg(doc, name);
    out[0] = '\0';
    for (size_t i = 0; i < sbom_pkg_dep_count(p); i++) {
        size_t n = strlen(out);
        snprintf(out + n, outsz - n, "%s ", sbom_pkg_name(sbom_doc_pkg(doc, sbom_pkg_dep(p, i))));
    }
}

static void test_static_debian11(void **state)
{
    struct sbom_doc *doc = fixture("static-debian11");
    (void)state;
    assert_int_equal(3, sbom_doc_pkg_count(doc));
    st_expect(doc, "base-files", "11.1+deb11u1", "amd64");
    st_expect(doc, "netbase", "6.3", "all");
    st_expect(doc, "tzdata", "2021a-1+deb11u2", "all");
    assert_string_equal("debian", sbom_doc_distro_id(doc));
    assert_string_equal("11", sbom_doc_distro_version(doc));
    assert_string_equal("pkg:deb/debian/base-files@11.1%2Bdeb11u1?arch=amd64&distro=debian-11",
                        sbom_pkg_purl(st_pkg(doc, "base-files")));
    sbom_doc_free(doc);
}

static void test_distroless_arm64(void **state)
{
    struct sbom_doc *doc = fixture("syft-distroless-arm64");
    const struct sbom_pkg *p;
    (void)state;
    assert_int_equal(1, sbom_doc_pkg_count(doc)); /* .md5sums and .preinst are skipped */
    st_expect(doc, "libsqlite3-0", "3.34.1-3", "arm64");
    p = st_pkg(doc, "libsqlite3-0");
    assert_string_equal("sqlite3", sbom_pkg_source(p));
    assert_int_equal(6, sbom_pkg_file_count(p)); /* last line has no newline */
    assert_string_equal("usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6", sbom_pkg_file(p, 0));
    sbom_doc_free(doc);
    doc = fixture("syft-pkg-coverage");
    assert_int_equal(2, sbom_doc_pkg_count(doc));
    st_expect(doc, "dash", "0.5.8-2.4", "amd64");
    st_expect(doc, "netbase", "5.4", "all");
    sbom_doc_free(doc);
}

static void test_status_d_relationships(void **state)
{
    char buf[4096], deps[512];
    const char *root = st_tmp(buf, "dpkg-rel");
    struct sbom_doc *doc;
    (void)state;
    st_copy(root, "var/lib/dpkg/status.d/coreutils-relationships",
            "sbom/dpkg-distroless/syft-status-d/coreutils-relationships");
    doc = st_catalog(root);
    assert_int_equal(9, sbom_doc_pkg_count(doc));
    st_expect(doc, "coreutils", "9.1-1", "arm64");
    st_expect(doc, "libattr1", "1:2.5.1-4", "arm64");
    st_expect(doc, "libgmp10", "2:6.2.1+dfsg1-1.1", "arm64");
    st_expect(doc, "libc6", "2.36-9+deb12u1", "arm64");
    assert_string_equal("1", sbom_pkg_epoch(st_pkg(doc, "libattr1")));
    assert_string_equal("2", sbom_pkg_epoch(st_pkg(doc, "libgmp10")));
    deps_of(deps, sizeof(deps), doc, "coreutils");
    assert_string_equal("libacl1 libattr1 libc6 libgmp10 libselinux1 ", deps);
    deps_of(deps, sizeof(deps), doc, "libgcc-s1");
    assert_string_equal("gcc-12-base libc6 ", deps);
    sbom_doc_free(doc);
}

static void test_status_d_multiple(void **state)
{
    char buf[4096];
    const char *root = st_tmp(buf, "dpkg-multiple");
    struct sbom_doc *doc;
    const struct sbom_pkg *p;
    (void)state;
    st_copy(root, "var/lib/dpkg/status.d/multiple", "sbom/dpkg-distroless/syft-status-d/multiple");
    doc = st_catalog(root);
    assert_int_equal(3, sbom_doc_pkg_count(doc));
    p = st_pkg(doc, "no-version");
    assert_null(sbom_pkg_version(p));
    st_expect(doc, "tzdata", "2020a-0+deb10u1", "all");
    assert_string_equal("tzdata-dev", sbom_pkg_source(st_pkg(doc, "tzdata")));
    st_expect(doc, "util-linux", "2.33.1-0.1", "amd64");
    sbom_doc_free(doc);
}

static const char status[] = "Package: hello\n"
                             "Status: install ok installed\n"
                             "Architecture: amd64\n"
                             "Source: hello-src (2.10-3)\n"
                             "Version: 2.10-3\n"
                             "Depends: libc6 (>= 2.34) | libc6.1, gone\n"
                             "Description: x\n continuation\n\n"
                             "Package: old\n"
                             "Status: deinstall ok config-files\n"
                             "Version: 1\n\n"
                             "Package: libc6\n"
                             "Status: install ok installed\n"
                             "Architecture: amd64\n"
                             "Version: 2.36-9\n";

static const char list[] = "/.\n/usr\n/usr/bin\n/usr/bin/hello\n/usr/share/doc/hello/copyright\n";

static const char dep5[] =
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    "\nFiles: *\nLicense: GPL-3+\n\nFiles: lib/*\nLicense: Expat\n"
    "\nLicense: GPL-3+\n text\n";

static void test_status_files_licenses(void **state)
{
    char buf[4096], deps[128];
    const char *root = st_tmp(buf, "dpkg-tree");
    struct sbom_doc *doc;
    const struct sbom_pkg *p;
    (void)state;
    st_put(root, "var/lib/dpkg/status", status, sizeof(status) - 1);
    st_put(root, "var/lib/dpkg/info/hello.list", list, sizeof(list) - 1);
    st_put(root, "usr/bin/hello", "ELF", 3);
    st_put(root, "usr/share/doc/hello/copyright", dep5, sizeof(dep5) - 1);
    st_put(root, "usr/share/doc/libc6/copyright", "see /usr/share/common-licenses/LGPL-2.1.\n", 41);
    doc = st_catalog(root);
    assert_int_equal(2, sbom_doc_pkg_count(doc)); /* config-files only: not installed */
    p = st_pkg(doc, "hello");
    assert_string_equal("hello-src", sbom_pkg_source(p));
    assert_int_equal(2, sbom_pkg_file_count(p));
    assert_string_equal("usr/bin/hello", sbom_pkg_file(p, 0));
    assert_int_equal(2, sbom_pkg_license_count(p));
    assert_string_equal("GPL-3+", sbom_pkg_license(p, 0));
    assert_string_equal("Expat", sbom_pkg_license(p, 1));
    assert_string_equal("LGPL-2.1", sbom_pkg_license(st_pkg(doc, "libc6"), 0));
    deps_of(deps, sizeof(deps), doc, "hello");
    assert_string_equal("libc6 ", deps);
    assert_string_equal("pkg:deb/debian/hello@2.10-3?arch=amd64&upstream=hello-src",
                        sbom_pkg_purl(p));
    assert_int_equal(3, sbom_doc_file_count(doc) - 2); /* + status and hello.list */
    sbom_doc_free(doc);
}

/* A 4 MiB one-line field, 300 fields in a paragraph, no final newline: bounded, no crash. */
static void test_hostile_control(void **state)
{
    char buf[4096];
    const char *root = st_tmp(buf, "dpkg-hostile");
    size_t big = (size_t)4 << 20, n = 0;
    char *d = malloc(big + 16384);
    struct sbom_doc *doc;
    (void)state;
    assert_non_null(d);
    n += (size_t)snprintf(d, 64, "Package: big\nDescription: ");
    memset(d + n, 'x', big);
    n += big;
    n += (size_t)snprintf(d + n, 64, "\n\nPackage: many\n");
    for (int i = 0; i < 300; i++) {
        n += (size_t)snprintf(d + n, 32, "F%d: v\n", i);
    }
    n += (size_t)snprintf(d + n, 64, "Version: 1");
    st_put(root, "var/lib/dpkg/status.d/x", d, n);
    doc = st_catalog(root);
    assert_int_equal(2, sbom_doc_pkg_count(doc));
    st_expect(doc, "many", "", NULL); /* Version is past the 64-field cap: dropped */
    sbom_doc_free(doc);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_debian11),        cmocka_unit_test(test_distroless_arm64),
        cmocka_unit_test(test_status_d_relationships), cmocka_unit_test(test_status_d_multiple),
        cmocka_unit_test(test_status_files_licenses),  cmocka_unit_test(test_hostile_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
