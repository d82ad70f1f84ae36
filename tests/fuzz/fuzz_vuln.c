/* Vulnerability reports (Trivy, Grype, SARIF, cosign vuln predicates): slsa_vuln_report_parse
 * and every finding. */
#include "fuzz.h"
#include "slsa/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_vuln_report *r = NULL;
    int rc = slsa_vuln_report_parse(&r, (const char *)data, size, "fuzz", &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        return 0;
    }
    (void)slsa_vuln_format_name(slsa_vuln_report_format(r));
    (void)slsa_vuln_report_name(r);
    for (size_t i = 0; i < slsa_vuln_report_count(r); i++) {
        const struct slsa_vuln_finding *f = slsa_vuln_report_at(r, i);
        (void)strlen(f->id);
        (void)slsa_severity_name(f->severity);
    }
    for (int s = SLSA_SEV_NONE; s <= SLSA_SEV_UNKNOWN; s++) {
        (void)slsa_vuln_report_count_severity(r, (enum slsa_severity)s);
    }
    slsa_vuln_report_free(r);
    return 0;
}
