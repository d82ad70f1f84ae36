/* SBOMs from any tool: sbom_inventory_read, sbom_convert to both formats and the HTML
 * report over the same bytes (with one finding joined by purl). */
#include "fuzz.h"
#include "sbom/convert.h"
#include "sbom/inventory.h"
#include "sbom/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_inventory *inv = NULL;
    struct sbom_convert_opts o = {.created = 1700000000, .tool_version = "0"};
    const struct sbom_report_vuln v = {"CVE-1", "high", "pkg:npm/x@1", NULL, NULL, NULL};
    struct sbom_report_opts ro = {.title = "fuzz", .vulns = &v, .nvulns = 1, .vuln_source = "v"};
    const enum sbom_format to[] = {SBOM_FMT_SPDX_JSON, SBOM_FMT_CYCLONEDX_JSON};
    for (size_t i = 0; i < 2; i++) {
        struct sbom_conversion *c = NULL;
        int rc = sbom_convert(&c, (const char *)data, size, "fuzz", to[i], &o, &err);
        fuzz_check_error(rc, &err);
        for (size_t k = 0; rc == 0 && k < sbom_conversion_note_count(c); k++) {
            size_t n = 0;
            (void)strlen(sbom_conversion_note(c, k, &n));
        }
        sbom_conversion_free(c);
        vouch_error_clear(&err);
    }
    int rc = sbom_inventory_read(&inv, (const char *)data, size, "fuzz", &err);
    fuzz_check_error(rc, &err);
    if (rc == 0) {
        struct vouch_buf b;
        vouch_buf_init(&b, (size_t)256 << 20);
        rc = sbom_report_html(&b, inv, &ro, &err);
        fuzz_check_error(rc, &err);
        vouch_buf_release(&b);
    }
    sbom_inventory_free(inv);
    return 0;
}
