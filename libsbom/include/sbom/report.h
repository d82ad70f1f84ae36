/* One self-contained HTML page about an SBOM (sbom/inventory.h): counts by ecosystem and
 * layer, a license chart, a filterable package table, the dependency tree of a selected
 * package and the vulnerabilities joined to it. No network, no external assets. */
#ifndef SBOM_REPORT_H
#define SBOM_REPORT_H

#include <stddef.h>

#include "sbom/inventory.h"
#include "vouch/buf.h"
#include "vouch/error.h"

/** One vulnerability finding to join by purl (the caller reads the scanner's report). */
struct sbom_report_vuln {
    const char *id;       /* CVE-..., GHSA-... */
    const char *severity; /* "critical", "high", ... */
    const char *purl;     /* the package's purl, or NULL */
    const char *name;     /* package name and version, used when purl is NULL */
    const char *version;
    const char *fixed; /* fixed version, or NULL */
};

struct sbom_report_opts {
    const char *title;                    /* the SBOM's file name */
    const struct sbom_report_vuln *vulns; /* may be NULL */
    size_t nvulns;
    const char *vuln_source; /* the report's name, or NULL when none was given */
};

/**
 * Append the HTML page to out. Every string of the SBOM and of the findings is HTML-escaped
 * (control characters shown as '?'); the page's one script is allowed by its SHA-256 in the
 * page's Content-Security-Policy, which allows nothing else (no network, no other script).
 * A finding belongs to a package when their purls agree without qualifiers and subpath
 * (else on name and version when the finding has no purl).
 */
int sbom_report_html(struct vouch_buf *out, const struct sbom_inventory *inv,
                     const struct sbom_report_opts *o, struct vouch_error *err);

#endif
