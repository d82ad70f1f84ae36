/* Readers for Trivy JSON (SchemaVersion 2), Grype JSON, SARIF 2.1.0 and in-toto vulns
 * predicates. Each maps its severity vocabulary onto enum slsa_severity. */
#include <stdlib.h>
#include <string.h>

#include "vuln_internal.h"

static enum slsa_severity sev_of(const char *s)
{
    enum slsa_severity v = SLSA_SEV_UNKNOWN;
    if (s == NULL || slsa_severity_from_name(&v, s, NULL) != 0) {
        return SLSA_SEV_UNKNOWN;
    }
    return v;
}

/* CVSS-style score (SARIF security-severity, in-toto cvss_score) to a severity band. */
static enum slsa_severity sev_of_score(double x)
{
    return x >= 9.0   ? SLSA_SEV_CRITICAL
           : x >= 7.0 ? SLSA_SEV_HIGH
           : x >= 4.0 ? SLSA_SEV_MEDIUM
           : x > 0.0  ? SLSA_SEV_LOW
                      : SLSA_SEV_NONE;
}

static int score_parse(const char *s, double *out)
{
    char *end;
    if (s == NULL) {
        return -1;
    }
    *out = strtod(s, &end);
    return *end == '\0' && end != s && *out >= 0.0 && *out <= 10.0 ? 0 : -1;
}

int vuln_read_trivy(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err)
{
    const json_t *results = json_object_get(doc, "Results"), *res, *v;
    size_t i, j;
    if (json_integer_value(json_object_get(doc, "SchemaVersion")) != 2) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "trivy SchemaVersion is not 2");
    }
    if (results != NULL && !json_is_array(results)) {
        return vouch_error_set(err, VOUCH_EPARSE, "trivy Results is not a list");
    }
    json_array_foreach(results, i, res)
    {
        const json_t *vulns = json_object_get(res, "Vulnerabilities");
        if (vulns != NULL && !json_is_array(vulns) && !json_is_null(vulns)) {
            return vouch_error_set(err, VOUCH_EPARSE, "trivy Vulnerabilities is not a list");
        }
        json_array_foreach(vulns, j, v)
        {
            struct slsa_vuln_finding f = {
                .id = vuln_str(v, "VulnerabilityID"),
                .package = vuln_str(v, "PkgName"),
                .version = vuln_str(v, "InstalledVersion"),
                .fixed = vuln_str(v, "FixedVersion"),
                .purl = vuln_str(json_object_get(v, "PkgIdentifier"), "PURL"),
                .severity = sev_of(vuln_str(v, "Severity")),
            };
            /* Trivy lists FixedVersion exactly when a fix exists (its --ignore-unfixed) */
            f.fix = f.fixed != NULL ? SLSA_FIX_YES : SLSA_FIX_NO;
            int rc = vuln_add(r, &f, err);
            if (rc != 0) {
                return rc;
            }
        }
    }
    return 0;
}

/* grype's fix.state: fixed, not-fixed, wont-fix, unknown */
static enum slsa_vuln_fix grype_fix(const char *state)
{
    if (state == NULL || strcmp(state, "unknown") == 0) {
        return SLSA_FIX_UNKNOWN;
    }
    return strcmp(state, "fixed") == 0 ? SLSA_FIX_YES : SLSA_FIX_NO;
}

int vuln_read_grype(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err)
{
    const json_t *m;
    size_t i;
    json_array_foreach(json_object_get(doc, "matches"), i, m)
    {
        const json_t *v = json_object_get(m, "vulnerability");
        const json_t *a = json_object_get(m, "artifact");
        const json_t *fixv = json_object_get(json_object_get(v, "fix"), "versions");
        struct slsa_vuln_finding f = {
            .id = vuln_str(v, "id"),
            .package = vuln_str(a, "name"),
            .version = vuln_str(a, "version"),
            .fixed = json_string_value(json_array_get(fixv, 0)),
            .purl = vuln_str(a, "purl"),
            .severity = sev_of(vuln_str(v, "severity")),
            .fix = grype_fix(vuln_str(json_object_get(v, "fix"), "state")),
        };
        int rc = vuln_add(r, &f, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static const json_t *sarif_rule(const json_t *rules, const json_t *res)
{
    const json_t *idx = json_object_get(res, "ruleIndex"), *rule;
    const char *id = vuln_str(res, "ruleId");
    size_t i;
    if (json_is_integer(idx)) {
        rule = json_array_get(rules, (size_t)json_integer_value(idx));
        if (rule != NULL && (id == NULL || json_equal(json_object_get(rule, "id"),
                                                      json_object_get(res, "ruleId")))) {
            return rule;
        }
    }
    json_array_foreach(rules, i, rule)
    {
        if (id != NULL && json_equal(json_object_get(rule, "id"), json_object_get(res, "ruleId"))) {
            return rule;
        }
    }
    return NULL;
}

static int sarif_result(struct slsa_vuln_report *r, const json_t *rules, const json_t *res,
                        struct vouch_error *err)
{
    const json_t *rule = sarif_rule(rules, res);
    const json_t *props = json_object_get(rule, "properties");
    const char *level = vuln_str(res, "level");
    double score;
    struct slsa_vuln_finding f = {.id = vuln_str(res, "ruleId")};
    if (level == NULL) {
        level = vuln_str(json_object_get(rule, "defaultConfiguration"), "level");
    }
    f.level = level != NULL ? level : "warning"; /* SARIF 2.1.0 §3.27.10 default */
    f.purl = json_string_value(json_array_get(json_object_get(props, "purls"), 0));
    if (score_parse(vuln_str(props, "security-severity"), &score) == 0) {
        f.severity = sev_of_score(score);
    } else {
        f.severity = strcmp(f.level, "error") == 0     ? SLSA_SEV_HIGH
                     : strcmp(f.level, "warning") == 0 ? SLSA_SEV_MEDIUM
                     : strcmp(f.level, "note") == 0    ? SLSA_SEV_LOW
                     : strcmp(f.level, "none") == 0    ? SLSA_SEV_NONE
                                                       : SLSA_SEV_UNKNOWN;
    }
    return vuln_add(r, &f, err);
}

int vuln_read_sarif(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err)
{
    const json_t *run, *res;
    size_t i, j;
    if (strcmp(vuln_str(doc, "version"), "2.1.0") != 0) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "SARIF version is not 2.1.0");
    }
    json_array_foreach(json_object_get(doc, "runs"), i, run)
    {
        const json_t *rules =
            json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
        json_array_foreach(json_object_get(run, "results"), j, res)
        {
            int rc = sarif_result(r, rules, res, err);
            if (rc != 0) {
                return rc;
            }
        }
    }
    return 0;
}

/* https://in-toto.io/attestation/vulns/v0.2: result[]{id, severity[]{method, score}} */
int vuln_read_intoto(struct slsa_vuln_report *r, const json_t *pred, struct vouch_error *err)
{
    const json_t *res, *sv;
    size_t i, j;
    r->format = SLSA_VULN_COSIGN;
    json_array_foreach(json_object_get(json_object_get(pred, "scanner"), "result"), i, res)
    {
        struct slsa_vuln_finding f = {.id = vuln_str(res, "id"), .severity = SLSA_SEV_UNKNOWN};
        json_array_foreach(json_object_get(res, "severity"), j, sv)
        {
            double score;
            enum slsa_severity s = sev_of(vuln_str(sv, "score"));
            if (s == SLSA_SEV_UNKNOWN && score_parse(vuln_str(sv, "score"), &score) == 0) {
                s = sev_of_score(score);
            }
            if (s != SLSA_SEV_UNKNOWN && (f.severity == SLSA_SEV_UNKNOWN || s > f.severity)) {
                f.severity = s;
            }
        }
        int rc = vuln_add(r, &f, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}
