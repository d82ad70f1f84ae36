/* Vulnerability reports (Trivy JSON, Grype JSON, SARIF 2.1.0, cosign vuln predicates and
 * in-toto statements wrapping them) and OpenVEX documents, read into one model. */
#ifndef SLSA_VULN_H
#define SLSA_VULN_H

#include <stddef.h>

#include "vouch/error.h"

/** Severities, ordered. UNKNOWN ranks above CRITICAL so that gates fail closed. */
enum slsa_severity {
    SLSA_SEV_NONE = 0,
    SLSA_SEV_LOW,
    SLSA_SEV_MEDIUM,
    SLSA_SEV_HIGH,
    SLSA_SEV_CRITICAL,
    SLSA_SEV_UNKNOWN,
};

enum slsa_vuln_format {
    SLSA_VULN_TRIVY = 0,
    SLSA_VULN_GRYPE,
    SLSA_VULN_SARIF,
    SLSA_VULN_COSIGN, /* cosign vuln/v1 predicate (its scanner.result read as above) */
    SLSA_VULN_ECR,    /* aws ecr describe-image-scan-findings (basic and enhanced) */
};

/** What a report says of a fix for a finding. */
enum slsa_vuln_fix {
    SLSA_FIX_UNKNOWN = 0, /* the report does not say */
    SLSA_FIX_YES,         /* a fixed version exists */
    SLSA_FIX_PARTIAL,     /* ECR/Inspector: some of the affected packages have a fix */
    SLSA_FIX_NO,          /* the report says no fix is available */
};

/** One finding. Strings are owned by the report; any but id may be NULL. */
struct slsa_vuln_finding {
    const char *id;      /* CVE-…, GHSA-…, or a SARIF ruleId */
    const char *package; /* package name */
    const char *version; /* installed version */
    const char *fixed;   /* fixed version, if known */
    const char *purl;    /* package URL, if the report has one */
    const char *level;   /* SARIF result level (error|warning|note|none), else NULL */
    enum slsa_severity severity;
    enum slsa_vuln_fix fix; /* Trivy, Grype and ECR enhanced say; others UNKNOWN */
    int has_score;          /* score holds a CVSS-style score (0..10) */
    double score;           /* ECR: Inspector score, else the CVSS score the report gives */
};

/** A parsed report (opaque). */
struct slsa_vuln_report;

/**
 * Parse a report, detecting its format from its content (Trivy SchemaVersion 2, Grype
 * "matches", SARIF "runs", cosign {"predicate"|statement with vuln predicateType}, ECR
 * {"imageScanFindings": {"findings"|"enhancedFindings"}}). An ECR report whose
 * imageScanStatus is neither COMPLETE nor ACTIVE is VOUCH_EUNSUPPORTED (no verdict on a
 * scan that did not finish).
 * name is used in error messages. Unknown shapes are VOUCH_EUNSUPPORTED, malformed ones
 * VOUCH_EPARSE. A cosign predicate whose scanner.result is null has zero findings.
 */
int slsa_vuln_report_parse(struct slsa_vuln_report **out, const char *data, size_t len,
                           const char *name, struct vouch_error *err);

/** Free a report; accepts NULL. */
void slsa_vuln_report_free(struct slsa_vuln_report *r);

/** Format of the report. */
enum slsa_vuln_format slsa_vuln_report_format(const struct slsa_vuln_report *r);
/** Static name of a format ("trivy", "grype", "sarif", "cosign-vuln", "ecr"). */
const char *slsa_vuln_format_name(enum slsa_vuln_format f);
/** Name the report was parsed with (borrowed). */
const char *slsa_vuln_report_name(const struct slsa_vuln_report *r);
/** Number of findings. */
size_t slsa_vuln_report_count(const struct slsa_vuln_report *r);
/** Finding i (borrowed), or NULL past the end. */
const struct slsa_vuln_finding *slsa_vuln_report_at(const struct slsa_vuln_report *r, size_t i);
/** Number of findings of the given severity. */
size_t slsa_vuln_report_count_severity(const struct slsa_vuln_report *r, enum slsa_severity s);

/** Static lowercase name of a severity ("none", "low", …, "unknown"). */
const char *slsa_severity_name(enum slsa_severity s);
/** Parse a severity name, case-insensitive ("Low", "HIGH", "negligible" = low). */
int slsa_severity_from_name(enum slsa_severity *out, const char *name, struct vouch_error *err);

/** An OpenVEX document (opaque). */
struct slsa_vex;

/** Parse an OpenVEX (v0.2.0 or unversioned https://openvex.dev/ns) document. */
int slsa_vex_parse(struct slsa_vex **out, const char *data, size_t len, const char *name,
                   struct vouch_error *err);
/** Free; accepts NULL. */
void slsa_vex_free(struct slsa_vex *v);
/** Number of statements. */
size_t slsa_vex_count(const struct slsa_vex *v);

/**
 * The effective status ("not_affected", "affected", "fixed", "under_investigation") that
 * the document gives vuln for a finding with package URL purl (may be NULL) in the image
 * whose repository is repo and digest is digest (either may be NULL), or NULL when no
 * statement applies. Later statements supersede earlier ones. A statement applies when
 * one of its products or subcomponents names purl (type/namespace/name, and version when
 * both carry one), or names the image itself (pkg:oci/NAME with the image's digest, or
 * without a version and NAME equal to the repository's last path element).
 * *justification (may be NULL) receives the statement's justification (borrowed).
 */
const char *slsa_vex_status(const struct slsa_vex *v, const char *vuln, const char *purl,
                            const char *repo, const char *digest, const char **justification);

#endif
