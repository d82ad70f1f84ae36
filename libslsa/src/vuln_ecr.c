/* Amazon ECR image scan findings, as `aws ecr describe-image-scan-findings` prints them:
 * basic scanning (imageScanFindings.findings, attributes package_name/package_version/
 * CVSS*_SCORE) and enhanced scanning by Amazon Inspector (imageScanFindings.enhancedFindings
 * with packageVulnerabilityDetails, fixAvailable and the Inspector score). Field names follow
 * the ECR API reference (DescribeImageScanFindings, ImageScanFinding,
 * EnhancedImageScanFinding, PackageVulnerabilityDetails, VulnerablePackage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vouch/mem.h"
#include "vuln_internal.h"

static enum slsa_severity ecr_sev(const char *s)
{
    enum slsa_severity v = SLSA_SEV_UNKNOWN;
    if (s == NULL || slsa_severity_from_name(&v, s, NULL) != 0) {
        return SLSA_SEV_UNKNOWN; /* UNDEFINED, UNTRIAGED and anything new fail closed */
    }
    return v;
}

static int ecr_score(const json_t *v, double *out)
{
    char *end;
    const char *s = json_string_value(v);
    if (json_is_number(v)) {
        *out = json_number_value(v);
    } else if (s != NULL) {
        *out = strtod(s, &end);
        if (end == s || *end != '\0') {
            return -1;
        }
    } else {
        return -1;
    }
    return *out >= 0.0 && *out <= 10.0 ? 0 : -1;
}

static const char *attr(const json_t *attrs, const char *key)
{
    const json_t *a;
    size_t i;
    json_array_foreach(attrs, i, a)
    {
        const char *k = vuln_str(a, "key");
        if (k != NULL && strcmp(k, key) == 0) {
            return vuln_str(a, "value");
        }
    }
    return NULL;
}

static int read_basic(struct slsa_vuln_report *r, const json_t *list, struct vouch_error *err)
{
    const json_t *f;
    size_t i;
    if (list != NULL && !json_is_array(list)) {
        return vouch_error_set(err, VOUCH_EPARSE, "ecr imageScanFindings.findings is not a list");
    }
    json_array_foreach(list, i, f)
    {
        const json_t *attrs = json_object_get(f, "attributes");
        const char *s3 = attr(attrs, "CVSS3_SCORE"), *s2 = attr(attrs, "CVSS2_SCORE");
        json_t *sc = json_string(s3 != NULL ? s3 : s2 != NULL ? s2 : "");
        struct slsa_vuln_finding nf = {
            .id = vuln_str(f, "name"),
            .package = attr(attrs, "package_name"),
            .version = attr(attrs, "package_version"),
            .severity = ecr_sev(vuln_str(f, "severity")),
        };
        int rc;
        nf.has_score = sc != NULL && ecr_score(sc, &nf.score) == 0;
        json_decref(sc);
        rc = vuln_add(r, &nf, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* [epoch:]version[-release], as the package managers Inspector reports for write them */
static const char *pkg_version(struct slsa_vuln_report *r, const json_t *p)
{
    const char *v = vuln_str(p, "version"), *rel = vuln_str(p, "release");
    json_int_t epoch = json_integer_value(json_object_get(p, "epoch"));
    char buf[512];
    if (v == NULL || (rel == NULL && epoch <= 0)) {
        return v;
    }
    if (epoch > 0) {
        snprintf(buf, sizeof(buf), "%lld:%s%s%s", (long long)epoch, v, rel ? "-" : "",
                 rel ? rel : "");
    } else {
        snprintf(buf, sizeof(buf), "%s-%s", v, rel);
    }
    return vuln_own_str(r, buf);
}

static enum slsa_vuln_fix fix_of(const char *s)
{
    static const struct {
        const char *name;
        enum slsa_vuln_fix fix;
    } rows[] = {{"YES", SLSA_FIX_YES}, {"PARTIAL", SLSA_FIX_PARTIAL}, {"NO", SLSA_FIX_NO}};
    for (size_t i = 0; s != NULL && i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (strcmp(s, rows[i].name) == 0) {
            return rows[i].fix;
        }
    }
    return SLSA_FIX_UNKNOWN;
}

/* One enhanced finding: one model finding per vulnerable package (a finding names the
 * packages it affects), or one without a package when none is listed. */
static int read_enhanced_one(struct slsa_vuln_report *r, const json_t *f, struct vouch_error *err)
{
    const json_t *d = json_object_get(f, "packageVulnerabilityDetails");
    const json_t *pkgs = json_object_get(d, "vulnerablePackages"), *p;
    const char *status = vuln_str(f, "status");
    struct slsa_vuln_finding nf = {
        .id = vuln_str(d, "vulnerabilityId"),
        .severity = ecr_sev(vuln_str(f, "severity")),
        .fix = fix_of(vuln_str(f, "fixAvailable")),
    };
    size_t i;
    int rc = 0;
    if (status != NULL && (strcmp(status, "CLOSED") == 0 || strcmp(status, "SUPPRESSED") == 0)) {
        return 0; /* remediated, or suppressed by the account's own Inspector rule */
    }
    if (nf.id == NULL) {
        nf.id = vuln_str(f, "title");
    }
    nf.has_score = ecr_score(json_object_get(f, "score"), &nf.score) == 0;
    if (pkgs != NULL && !json_is_array(pkgs)) {
        return vouch_error_set(err, VOUCH_EPARSE, "ecr vulnerablePackages is not a list");
    }
    if (json_array_size(pkgs) == 0) {
        return vuln_add(r, &nf, err);
    }
    json_array_foreach(pkgs, i, p)
    {
        struct slsa_vuln_finding pf = nf;
        pf.package = vuln_str(p, "name");
        pf.version = pkg_version(r, p);
        pf.fixed = vuln_str(p, "fixedInVersion");
        if (pf.fix == SLSA_FIX_PARTIAL) {
            pf.fix = pf.fixed != NULL ? SLSA_FIX_YES : SLSA_FIX_NO;
        }
        rc = vuln_str(p, "version") != NULL && pf.version == NULL ? vouch_enomem(err)
                                                                  : vuln_add(r, &pf, err);
        if (rc != 0) {
            break;
        }
    }
    return rc;
}

/* Sum of findingSeverityCounts, and how many findings the answer lists: a report cut by
 * --max-items or a lost page must not pass for a clean one. */
static json_int_t counted(const json_t *isf)
{
    json_t *counts = json_object_get(isf, "findingSeverityCounts"), *v;
    const char *k;
    json_int_t n = 0;
    json_object_foreach(counts, k, v)
    {
        (void)k;
        n += json_integer_value(v) > 0 ? json_integer_value(v) : 0;
    }
    return n;
}

static json_int_t listed(const json_t *isf)
{
    return (json_int_t)(json_array_size(json_object_get(isf, "findings")) +
                        json_array_size(json_object_get(isf, "enhancedFindings")));
}

int vuln_read_ecr(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err)
{
    const json_t *isf = json_object_get(doc, "imageScanFindings");
    const json_t *enh = json_object_get(isf, "enhancedFindings"), *f;
    const char *status = vuln_str(json_object_get(doc, "imageScanStatus"), "status");
    size_t i;
    int rc;
    if (status != NULL && strcmp(status, "COMPLETE") != 0 && strcmp(status, "ACTIVE") != 0) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "ecr scan status is '%s', not COMPLETE or ACTIVE", status);
    }
    if (json_object_get(isf, "findings") == NULL && enh == NULL &&
        json_object_get(isf, "findingSeverityCounts") == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "ecr imageScanFindings has no findings");
    }
    if (vuln_str(doc, "nextToken") != NULL || counted(isf) > listed(isf)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "ecr report holds fewer findings than findingSeverityCounts "
                               "(one page of a paginated answer?)");
    }
    rc = read_basic(r, json_object_get(isf, "findings"), err);
    if (rc == 0 && enh != NULL && !json_is_array(enh)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "ecr enhancedFindings is not a list");
    }
    json_array_foreach(enh, i, f)
    {
        rc = rc ? rc : read_enhanced_one(r, f, err);
    }
    return rc;
}
