/* Vulnerability report and OpenVEX readers on the real upstream documents in
 * testvectors/vuln/, each checked against the counts its README states. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsa/vuln.h"
#include "vouch/encoding.h"

#define V(f) ts_src("testvectors/vuln/" f)

static struct slsa_vuln_report *load(const char *path)
{
    size_t len = 0;
    unsigned char *text = ts_read(path, &len);
    struct slsa_vuln_report *r = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (slsa_vuln_report_parse(&r, (const char *)text, len, path, &err) != 0) {
        print_error("%s\n", err.msg);
    }
    free(text);
    assert_non_null(r);
    return r;
}

/* counts of none, low, medium, high, critical, unknown */
static void expect_counts(const struct slsa_vuln_report *r, size_t total, const size_t c[6])
{
    assert_int_equal(total, slsa_vuln_report_count(r));
    for (int s = 0; s <= SLSA_SEV_UNKNOWN; s++) {
        assert_int_equal(c[s], slsa_vuln_report_count_severity(r, (enum slsa_severity)s));
    }
}

static const struct slsa_vuln_finding *find(const struct slsa_vuln_report *r, const char *id,
                                            const char *pkg)
{
    for (size_t i = 0; i < slsa_vuln_report_count(r); i++) {
        const struct slsa_vuln_finding *f = slsa_vuln_report_at(r, i);
        if (strcmp(f->id, id) == 0 && (pkg == NULL || strcmp(f->package, pkg) == 0)) {
            return f;
        }
    }
    fail_msg("no finding %s", id);
    return NULL;
}

static void test_trivy(void **state)
{
    struct slsa_vuln_report *r = load(V("trivy/alpine-39.json"));
    const struct slsa_vuln_finding *f = find(r, "CVE-2019-14697", "musl");
    (void)state;
    expect_counts(r, 6, (size_t[]){0, 0, 4, 0, 2, 0});
    assert_int_equal(SLSA_VULN_TRIVY, slsa_vuln_report_format(r));
    assert_string_equal("1.1.20-r4", f->version);
    assert_string_equal("1.1.20-r5", f->fixed);
    assert_int_equal(SLSA_SEV_CRITICAL, f->severity);
    assert_int_equal(SLSA_SEV_MEDIUM, find(r, "CVE-2019-1549", "libssl1.1")->severity);
    slsa_vuln_report_free(r);

    r = load(V("trivy/centos-7.json"));
    expect_counts(r, 3, (size_t[]){0, 2, 1, 0, 0, 0});
    f = find(r, "CVE-2019-1559", "openssl-libs");
    assert_string_equal("1:1.0.2k-16.el7", f->version);
    assert_string_equal("1:1.0.2k-19.el7", f->fixed);
    assert_null(find(r, "CVE-2019-18276", "bash")->fixed);
    slsa_vuln_report_free(r);

    r = load(V("trivy/fluentd-multiple-lockfiles.json"));
    expect_counts(r, 3, (size_t[]){0, 1, 0, 1, 1, 0});
    f = find(r, "CVE-2020-8165", "activesupport");
    assert_string_equal("6.0.2.1", f->version);
    assert_string_equal("6.0.3.1, 5.2.4.3", f->fixed);
    slsa_vuln_report_free(r);

    r = load(V("trivy/debian-buster.json"));
    expect_counts(r, 2, (size_t[]){0, 1, 0, 0, 1, 0});
    assert_string_equal("2.0.5-1", find(r, "CVE-2019-18224", "libidn2-0")->version);
    assert_string_equal("5.0-4", find(r, "CVE-2019-18276", "bash")->version);
    slsa_vuln_report_free(r);

    r = load(V("trivy/cosign-spec-alpine-3.12-trivy.json"));
    expect_counts(r, 2, (size_t[]){0, 0, 0, 2, 0, 0});
    assert_string_equal("1.32.1-r4", find(r, "CVE-2021-28831", "busybox")->fixed);
    assert_string_equal("1.31.1-r21", find(r, "CVE-2021-28831", "ssl_client")->version);
    slsa_vuln_report_free(r);
}

static void test_grype(void **state)
{
    struct slsa_vuln_report *r = load(V("grype/keycloak-test.json"));
    (void)state;
    assert_int_equal(SLSA_VULN_GRYPE, slsa_vuln_report_format(r));
    expect_counts(r, 6, (size_t[]){0, 6, 0, 0, 0, 0});
    assert_string_equal("3.79.0-17.el9_1", find(r, "CVE-2020-12413", "nss")->version);
    assert_string_equal("4.34.0-17.el9_1", find(r, "CVE-2020-12413", "nspr")->version);
    slsa_vuln_report_free(r);

    r = load(V("grype/chainguard-ruby-test.json"));
    expect_counts(r, 3, (size_t[]){0, 0, 0, 3, 0, 0});
    assert_string_equal("3.0.4-r1", find(r, "CVE-2023-28755", "ruby-3.0")->version);
    assert_string_equal("0.10.1", find(r, "GHSA-hv5j-3h9f-99c2", "uri")->version);
    slsa_vuln_report_free(r);

    r = load(V("grype/ghsa-test.json"));
    expect_counts(r, 2, (size_t[]){0, 0, 2, 0, 0, 0});
    assert_string_equal("4.1.1", find(r, "GHSA-cfh5-3ghh-wfjx", "httpclient")->version);
    assert_string_equal("4.1.1", find(r, "CVE-2014-3577", "httpclient")->version);
    slsa_vuln_report_free(r);
}

static size_t count_level(const struct slsa_vuln_report *r, const char *level)
{
    size_t n = 0;
    for (size_t i = 0; i < slsa_vuln_report_count(r); i++) {
        n += strcmp(slsa_vuln_report_at(r, i)->level, level) == 0;
    }
    return n;
}

static void test_sarif(void **state)
{
    struct slsa_vuln_report *r = load(V("trivy/alpine-310.sarif"));
    (void)state;
    assert_int_equal(SLSA_VULN_SARIF, slsa_vuln_report_format(r));
    /* 4 results, all "warning"; rules carry security-severity 5.3 = MEDIUM */
    expect_counts(r, 4, (size_t[]){0, 0, 4, 0, 0, 0});
    assert_int_equal(4, count_level(r, "warning"));
    assert_string_equal("CVE-2019-1549", slsa_vuln_report_at(r, 0)->id);
    slsa_vuln_report_free(r);

    r = load(V("trivy/trivy-action-config-report.sarif"));
    assert_int_equal(8, slsa_vuln_report_count(r));
    assert_int_equal(5, count_level(r, "error"));
    assert_int_equal(1, count_level(r, "warning"));
    assert_int_equal(2, count_level(r, "note"));
    assert_string_equal("AWS-0086", slsa_vuln_report_at(r, 0)->id);
    slsa_vuln_report_free(r);

    r = load(V("grype/grype-sarif-image.sarif"));
    assert_int_equal(2, slsa_vuln_report_count(r));
    assert_string_equal("note", find(r, "CVE-1999-0001-package-1", NULL)->level);
    assert_string_equal("error", find(r, "CVE-1999-0002-package-2", NULL)->level);
    /* security-severity 8.2 and 8.5 */
    expect_counts(r, 2, (size_t[]){0, 0, 0, 2, 0, 0});
    assert_string_equal("pkg:deb/package-2@2.2.2", find(r, "CVE-1999-0002-package-2", NULL)->purl);
    slsa_vuln_report_free(r);
}

static void test_cosign(void **state)
{
    struct slsa_vuln_report *r = load(V("cosign/vuln-predicate-minimal.json"));
    size_t len = 0, plen = 0;
    unsigned char *env, *payload = NULL;
    const char *b64, *end;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(SLSA_VULN_COSIGN, slsa_vuln_report_format(r));
    assert_int_equal(0, slsa_vuln_report_count(r)); /* scanner.result is null */
    slsa_vuln_report_free(r);

    r = load(V("cosign/cosign-spec-vuln-predicate-trivy.json"));
    assert_int_equal(SLSA_VULN_COSIGN, slsa_vuln_report_format(r));
    expect_counts(r, 2, (size_t[]){0, 0, 0, 2, 0, 0});
    slsa_vuln_report_free(r);

    /* the DSSE envelope's payload is an in-toto v0.1 statement with a vuln predicate */
    env = ts_read(V("cosign/vuln-attestation-dsse-envelope.json"), &len);
    b64 = strstr((char *)env, "\"payload\":\"");
    assert_non_null(b64);
    b64 += 11;
    end = strchr(b64, '"');
    assert_int_equal(0, vouch_base64_decode(&payload, &plen, b64, (size_t)(end - b64), &err));
    assert_non_null(strstr((char *)payload, "registry.local:5000/knative/demo"));
    assert_non_null(strstr((char *)payload, "3c19aa980a9c5709a2c96c2d0779febf6e5e453b92b172ce"
                                            "84cb85fdaf695373"));
    assert_int_equal(0, slsa_vuln_report_parse(&r, (char *)payload, plen, "envelope", &err));
    assert_int_equal(SLSA_VULN_COSIGN, slsa_vuln_report_format(r));
    assert_int_equal(0, slsa_vuln_report_count(r));
    slsa_vuln_report_free(r);
    free(payload);
    free(env);
}

static void test_ecr(void **state)
{
    struct slsa_vuln_report *r = load(V("ecr/basic-aws-cli-example.json"));
    const struct slsa_vuln_finding *f = find(r, "CVE-2019-5188", "e2fsprogs");
    (void)state;
    assert_int_equal(SLSA_VULN_ECR, slsa_vuln_report_format(r));
    assert_string_equal("ecr", slsa_vuln_format_name(slsa_vuln_report_format(r)));
    expect_counts(r, 1, (size_t[]){0, 0, 1, 0, 0, 0});
    assert_string_equal("1.44.1-1ubuntu1.1", f->version);
    assert_null(f->fixed);
    assert_int_equal(SLSA_FIX_UNKNOWN, f->fix);
    assert_true(f->has_score);
    assert_true(f->score > 4.59 && f->score < 4.61);
    slsa_vuln_report_free(r);

    /* SUPPRESSED is left out; one finding per vulnerable package; UNTRIAGED is unknown */
    r = load(V("ecr/enhanced-api-shape.json"));
    expect_counts(r, 6, (size_t[]){0, 0, 2, 2, 1, 1});
    f = find(r, "CVE-2023-3446", "libssl3");
    assert_string_equal("3.0.9-1~deb12u1", f->version);
    assert_string_equal("0:3.0.10-1~deb12u1", f->fixed);
    assert_int_equal(SLSA_FIX_YES, f->fix);
    f = find(r, "CVE-2022-37434", "zlib");
    assert_string_equal("1:1.2.11-19.el8", f->version);
    assert_int_equal(SLSA_FIX_NO, f->fix);
    assert_int_equal(SLSA_SEV_CRITICAL, f->severity);
    assert_true(f->has_score && f->score > 9.79 && f->score < 9.81);
    /* PARTIAL: each package says for itself */
    for (size_t i = 0; i < slsa_vuln_report_count(r); i++) {
        f = slsa_vuln_report_at(r, i);
        if (strcmp(f->id, "GHSA-93q8-gq69-wqmw") == 0) {
            assert_int_equal(strcmp(f->version, "5.0.0") == 0 ? SLSA_FIX_YES : SLSA_FIX_NO, f->fix);
        }
    }
    assert_int_equal(SLSA_SEV_UNKNOWN, find(r, "CVE-2024-99999", "tar")->severity);
    assert_string_equal("1.34-1+deb12u1", find(r, "CVE-2024-99999", "tar")->version);
    slsa_vuln_report_free(r);

    /* fix state from Trivy and Grype too */
    r = load(V("trivy/centos-7.json"));
    assert_int_equal(SLSA_FIX_NO, find(r, "CVE-2019-18276", "bash")->fix);
    assert_int_equal(SLSA_FIX_YES, find(r, "CVE-2019-1559", "openssl-libs")->fix);
    slsa_vuln_report_free(r);
}

/* broken copies of the ECR reports: each refused with its own reason */
static void test_ecr_reject(void **state)
{
    static const struct {
        const char *doc;
        int code;
        const char *msg;
    } cases[] = {
        {"{\"imageScanFindings\":{\"findings\":[]},\"imageScanStatus\":{\"status\":"
         "\"FAILED\"}}",
         VOUCH_EUNSUPPORTED, "ecr scan status is 'FAILED', not COMPLETE or ACTIVE"},
        {"{\"imageScanFindings\":{\"findings\":[]},\"imageScanStatus\":{\"status\":"
         "\"IN_PROGRESS\"}}",
         VOUCH_EUNSUPPORTED, "ecr scan status is 'IN_PROGRESS', not COMPLETE or ACTIVE"},
        {"{\"imageScanFindings\":{}}", VOUCH_EPARSE, "ecr imageScanFindings has no findings"},
        {"{\"imageScanFindings\":{\"findings\":{}}}", VOUCH_EPARSE,
         "ecr imageScanFindings.findings is not a list"},
        {"{\"imageScanFindings\":{\"enhancedFindings\":7}}", VOUCH_EPARSE,
         "ecr enhancedFindings is not a list"},
        {"{\"imageScanFindings\":{\"findings\":[],\"findingSeverityCounts\":{\"HIGH\":2}}}",
         VOUCH_EPARSE,
         "ecr report holds fewer findings than findingSeverityCounts (one page of a paginated "
         "answer?)"},
        {"{\"imageScanFindings\":{\"findings\":[]},\"nextToken\":\"abc\"}", VOUCH_EPARSE,
         "ecr report holds fewer findings than findingSeverityCounts (one page of a paginated "
         "answer?)"},
        {"{\"imageScanFindings\":{\"findings\":[{\"severity\":\"HIGH\"}]}}", VOUCH_EPARSE,
         "a finding has no vulnerability id"},
        {"{\"imageScanFindings\":{\"enhancedFindings\":[{\"packageVulnerabilityDetails\":"
         "{\"vulnerabilityId\":\"CVE-1\",\"vulnerablePackages\":{}}}]}}",
         VOUCH_EPARSE, "ecr vulnerablePackages is not a list"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct slsa_vuln_report *r = NULL;
        struct vouch_error err = VOUCH_ERROR_INIT;
        char want[300];
        assert_int_equal(
            cases[i].code,
            slsa_vuln_report_parse(&r, cases[i].doc, strlen(cases[i].doc), "e.json", &err));
        snprintf(want, sizeof(want), "'e.json': %s", cases[i].msg);
        assert_string_equal(want, err.msg);
        assert_null(r);
    }
}

static void test_reject(void **state)
{
    struct slsa_vuln_report *r = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char *v1 = "{\"SchemaVersion\":1,\"ArtifactName\":\"x\"}";
    const char *other = "{\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}";
    (void)state;
    assert_int_equal(VOUCH_EPARSE, slsa_vuln_report_parse(&r, "{\"Sche", 6, "t.json", &err));
    assert_int_equal(VOUCH_EUNSUPPORTED, slsa_vuln_report_parse(&r, "{}", 2, "e.json", NULL));
    assert_int_equal(VOUCH_EUNSUPPORTED,
                     slsa_vuln_report_parse(&r, other, strlen(other), "p.json", NULL));
    assert_int_equal(VOUCH_EUNSUPPORTED,
                     slsa_vuln_report_parse(&r, v1, strlen(v1), "v1.json", NULL));
    assert_null(r);
}

static struct slsa_vex *vex(const char *path)
{
    size_t len = 0;
    unsigned char *text = ts_read(path, &len);
    struct slsa_vex *v = NULL;
    assert_int_equal(0, slsa_vex_parse(&v, (const char *)text, len, path, NULL));
    free(text);
    return v;
}

#define ALPINE_DIGEST "sha256:124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126"

static void test_openvex(void **state)
{
    const char *just = NULL;
    struct slsa_vex *v = vex(V("openvex/trivy-openvex.json"));
    (void)state;
    assert_int_equal(1, slsa_vex_count(v));
    assert_string_equal("not_affected",
                        slsa_vex_status(v, "CVE-2021-44228",
                                        "pkg:maven/org.springframework.boot/spring-boot@2.6.0",
                                        NULL, NULL, &just));
    assert_string_equal("vulnerable_code_not_in_execute_path", just);
    assert_null(slsa_vex_status(v, "CVE-2021-44228",
                                "pkg:maven/org.springframework.boot/spring-boot@2.7.0", NULL, NULL,
                                NULL));
    assert_null(slsa_vex_status(v, "CVE-2021-0000",
                                "pkg:maven/org.springframework.boot/spring-boot@2.6.0", NULL, NULL,
                                NULL));
    slsa_vex_free(v);

    v = vex(V("openvex/trivy-openvex-oci.json"));
    assert_string_equal("not_affected",
                        slsa_vex_status(v, "CVE-2022-3715", "pkg:deb/debian/bash@5.0-4",
                                        "docker.io/library/debian", NULL, NULL));
    assert_null(slsa_vex_status(v, "CVE-2022-3715", "pkg:deb/debian/bash@5.0-4",
                                "docker.io/library/ubuntu", NULL, NULL));
    slsa_vex_free(v);

    v = vex(V("openvex/trivy-openvex-multiple.json"));
    assert_int_equal(2, slsa_vex_count(v));
    assert_string_equal("not_affected",
                        slsa_vex_status(v, "CVE-2021-44228",
                                        "pkg:maven/org.springframework.boot/spring-boot@2.6.0",
                                        NULL, NULL, NULL));
    slsa_vex_free(v);

    v = vex(V("openvex/grype-processors-openvex.json"));
    assert_string_equal(
        "fixed",
        slsa_vex_status(v, "CVE-2023-45803", "pkg:pypi/urllib3@1.26.16+cgr.1", NULL, NULL, NULL));
    slsa_vex_free(v);

    v = vex(V("openvex/grype-openvex-demo2.json"));
    assert_int_equal(5, slsa_vex_count(v));
    assert_string_equal("not_affected",
                        slsa_vex_status(v, "CVE-2023-3446", "pkg:apk/alpine/libssl3@3.0.8-r3",
                                        "docker.io/library/alpine", ALPINE_DIGEST, NULL));
    assert_string_equal("fixed",
                        slsa_vex_status(v, "CVE-2023-1255", "pkg:apk/alpine/libcrypto3@3.0.8-r3",
                                        "docker.io/library/alpine", ALPINE_DIGEST, NULL));
    /* another image digest: the statements do not apply */
    assert_null(slsa_vex_status(
        v, "CVE-2023-3446", "pkg:apk/alpine/libssl3@3.0.8-r3", "docker.io/library/alpine",
        "sha256:0000000000000000000000000000000000000000000000000000000000000000", NULL));
    slsa_vex_free(v);

    v = vex(V("openvex/grype-openvex-debian.json"));
    assert_string_equal("fixed", slsa_vex_status(v, "CVE-2014-fake-1", NULL,
                                                 "docker.io/library/debian", ALPINE_DIGEST, NULL));
    slsa_vex_free(v);
    v = vex(V("openvex/grype-openvex-demo1.json"));
    assert_int_equal(1, slsa_vex_count(v));
    slsa_vex_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trivy),  cmocka_unit_test(test_grype),
        cmocka_unit_test(test_sarif),  cmocka_unit_test(test_cosign),
        cmocka_unit_test(test_ecr),    cmocka_unit_test(test_ecr_reject),
        cmocka_unit_test(test_reject), cmocka_unit_test(test_openvex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
