/* Writers: byte-identical output for the same input, content-derived UUIDs, licenses and
 * purls as the specs want them, and the table. */
#include <regex.h>

#include "sbom_test.h"

#include "cat_internal.h"
#include "sbom/format.h"

static struct sbom_doc *sample(void)
{
    return st_catalog(ts_src("testvectors/sbom/dpkg-distroless/static-debian11"));
}

static char *render(const struct sbom_doc *doc, enum sbom_format f, int64_t t, int det)
{
    struct sbom_write_opts o = {.created = t, .deterministic = det, .tool_version = "9.9.9"};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct vouch_buf b;
    vouch_buf_init(&b, 0);
    if (sbom_doc_write(&b, doc, f, &o, &err) != 0) {
        fail_msg("write: %s", err.msg);
    }
    return (char *)vouch_buf_steal(&b, NULL);
}

static void expect_match(const char *s, const char *re)
{
    regex_t rx;
    assert_int_equal(0, regcomp(&rx, re, REG_EXTENDED | REG_NOSUB));
    if (regexec(&rx, s, 0, NULL, 0) != 0) {
        fail_msg("no match for /%s/", re);
    }
    regfree(&rx);
}

static void test_deterministic(void **state)
{
    struct sbom_doc *doc = sample(), *doc2 = sample();
    (void)state;
    for (int f = SBOM_FMT_SPDX_JSON; f <= SBOM_FMT_CYCLONEDX_JSON; f++) {
        char *a = render(doc, (enum sbom_format)f, 1700000000, 1);
        char *b = render(doc2, (enum sbom_format)f, 1700000000, 1);
        char *c = render(doc, (enum sbom_format)f, 1700000000, 0);
        assert_string_equal(a, b);
        assert_string_not_equal(a, c); /* random UUID without SOURCE_DATE_EPOCH */
        expect_match(a, "2023-11-14T22:13:20Z");
        free(a);
        free(b);
        free(c);
    }
    sbom_doc_free(doc);
    sbom_doc_free(doc2);
}

static void test_cyclonedx(void **state)
{
    struct sbom_doc *doc = sample();
    char *s = render(doc, SBOM_FMT_CYCLONEDX_JSON, 0, 1);
    (void)state;
    expect_match(
        s, "\"serialNumber\":\"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
           "[0-9a-f]{12}\"");
    expect_match(s, "^\\{\"\\$schema\":\"http://cyclonedx.org/schema/bom-1.6.schema.json\","
                    "\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"");
    expect_match(s, "\"timestamp\":\"1970-01-01T00:00:00Z\"");
    expect_match(s, "\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"11\"");
    expect_match(s, "\"bom-ref\":\"pkg:deb/debian/netbase@6.3\\?arch=all&distro=debian-11\"");
    expect_match(s, "\"ref\":\"vouch:source\",\"dependsOn\":\\[\"pkg:deb/debian/base-files@");
    free(s);
    sbom_doc_free(doc);
}

static void test_spdx(void **state)
{
    struct sbom_doc *doc = sample();
    char *s = render(doc, SBOM_FMT_SPDX_JSON, 0, 1);
    (void)state;
    expect_match(s, "^\\{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\","
                    "\"SPDXID\":\"SPDXRef-DOCUMENT\"");
    expect_match(s, "\"documentNamespace\":\"https://vouch.dev/spdxdocs/dir/[^\"]*-"
                    "[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"");
    expect_match(s,
                 "\"creators\":\\[\"Tool: vouch-9.9.9\"\\],\"created\":\"1970-01-01T00:00:00Z\"");
    expect_match(s, "\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":\"DESCRIBES\"");
    expect_match(s, "\"referenceLocator\":\"pkg:deb/debian/tzdata@2021a-1%2Bdeb11u2\\?arch=all&"
                    "distro=debian-11\"");
    free(s);
    sbom_doc_free(doc);
}

static void test_table(void **state)
{
    struct sbom_doc *doc = sample();
    char *s = render(doc, SBOM_FMT_TABLE, 0, 1);
    (void)state;
    assert_string_equal("NAME        VERSION          TYPE\n"
                        "base-files  11.1+deb11u1     deb\n"
                        "netbase     6.3              deb\n"
                        "tzdata      2021a-1+deb11u2  deb\n",
                        s);
    free(s);
    sbom_doc_free(doc);
}

static void test_licenses(void **state)
{
    char out[256];
    (void)state;
    assert_int_equal(1, lic_spdx_expr(out, sizeof(out), "GPL-2+ or Artistic"));
    assert_string_equal("GPL-2.0-or-later OR Artistic-1.0", out);
    assert_int_equal(1, lic_spdx_expr(out, sizeof(out), "MIT AND (bsd-2-clause OR Zlib)"));
    assert_string_equal("MIT AND (BSD-2-Clause OR Zlib)", out);
    assert_int_equal(1, lic_spdx_expr(out, sizeof(out), "Expat"));
    assert_string_equal("MIT", out);
    assert_int_equal(0, lic_spdx_expr(out, sizeof(out), "public-domain"));
    assert_int_equal(0, lic_spdx_expr(out, sizeof(out), "MPLv2.0"));
    assert_int_equal(0, lic_spdx_expr(out, sizeof(out), ""));
}

static void test_format_names(void **state)
{
    enum sbom_format f;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(0, sbom_format_parse(&f, "cyclonedx-json", NULL));
    assert_int_equal(SBOM_FMT_CYCLONEDX_JSON, f);
    assert_int_equal(VOUCH_EINVAL, sbom_format_parse(&f, "xml", &err));
    assert_non_null(strstr(err.msg, "'xml'"));
    assert_string_equal("spdx-json", sbom_format_name(SBOM_FMT_SPDX_JSON));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic), cmocka_unit_test(test_cyclonedx),
        cmocka_unit_test(test_spdx),          cmocka_unit_test(test_table),
        cmocka_unit_test(test_licenses),      cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
