/* vouch sbom report FILE [--vulns REPORT] -o report.html: one self-contained HTML page about
 * an SBOM from any tool (libsbom sbom/report.h), with the findings of a Trivy or Grype
 * report (libslsa slsa/vuln.h) joined to its packages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "opt.h"
#include "out.h"
#include "sbom/inventory.h"
#include "sbom/report.h"
#include "sbom_tools.h"
#include "slsa/vuln.h"
#include "vouch/io.h"

#define REPORT_INPUT_MAX ((size_t)512 << 20)
#define REPORT_OUTPUT_MAX ((size_t)1 << 30)

const char cmd_sbom_report_usage[] =
    "usage: vouch sbom report FILE [--vulns REPORT] [-o OUT.html]\n"
    "\n"
    "Write one self-contained HTML page (no network, no external assets) about an SPDX or\n"
    "CycloneDX JSON SBOM from any tool: packages by ecosystem and by layer, a license chart,\n"
    "a filterable package table, the dependency tree of the package clicked, and, with\n"
    "--vulns, the findings of a Trivy, Grype, SARIF or cosign vulnerability report joined to\n"
    "the packages by purl. The page reads ?q=TEXT, ?eco=TYPE and ?pkg=NAME from its address.\n"
    "Without -o the page goes to stdout. Exit: 0, 2 a file that cannot be read, 3 I/O.\n";

enum { O_OUT = 1, O_VULNS };

static const struct opt_spec report_specs[] = {
    {"vulns", 0, "REPORT", "a Trivy/Grype JSON (or SARIF, cosign) vulnerability report", 0, O_VULNS,
     "file"},
    {"output", 'o', "OUT", "the HTML file (default stdout)", 0, O_OUT, "file"},
    {0},
};
const struct opt_group cmd_sbom_report_opts[] = {{NULL, report_specs, NULL}, {0}};

struct report_args {
    const char *out, *vulns;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct report_args *a = ctx;
    if (o->id == O_OUT) {
        a->out = v;
    } else {
        a->vulns = v;
    }
    return EXIT_OK;
}

static int read_inputs(struct sbom_inventory **inv, struct slsa_vuln_report **vr, const char *file,
                       const char *vulns, struct vouch_error *err)
{
    unsigned char *text = NULL;
    size_t len = 0;
    int rc = vouch_file_read(&text, &len, file, REPORT_INPUT_MAX, err);
    rc = rc ? rc : sbom_inventory_read(inv, (const char *)text, len, file, err);
    free(text);
    text = NULL;
    if (rc == 0 && vulns != NULL) {
        rc = vouch_file_read(&text, &len, vulns, REPORT_INPUT_MAX, err);
        rc = rc ? rc : slsa_vuln_report_parse(vr, (const char *)text, len, vulns, err);
        free(text);
    }
    return rc;
}

static int render(struct vouch_buf *html, const struct sbom_inventory *inv,
                  const struct slsa_vuln_report *vr, const struct report_args *a, const char *file,
                  struct vouch_error *err)
{
    size_t n = vr != NULL ? slsa_vuln_report_count(vr) : 0;
    struct sbom_report_vuln *v = calloc(n + 1, sizeof(*v));
    struct sbom_report_opts o = {.title = file, .vulns = v, .nvulns = n, .vuln_source = a->vulns};
    int rc;
    if (v == NULL) {
        return VOUCH_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct slsa_vuln_finding *f = slsa_vuln_report_at(vr, i);
        v[i] = (struct sbom_report_vuln){
            f->id, slsa_severity_name(f->severity), f->purl, f->package, f->version, f->fixed};
    }
    rc = sbom_report_html(html, inv, &o, err);
    free(v);
    return rc;
}

int cmd_sbom_report(int argc, char **argv)
{
    struct report_args a = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_inventory *inv = NULL;
    struct slsa_vuln_report *vr = NULL;
    struct vouch_buf html;
    const char *file = NULL;
    int n = 0,
        rc = opt_parse("sbom report", cmd_sbom_report_opts, argc, argv, take, &a, &file, 1, &n);
    if (rc == EXIT_OK && n != 1) {
        rc = out_usage("sbom report", "one SBOM file is required");
    }
    if (rc != EXIT_OK) {
        return rc;
    }
    vouch_buf_init(&html, REPORT_OUTPUT_MAX);
    rc = read_inputs(&inv, &vr, file, a.vulns, &err);
    rc = rc ? rc : render(&html, inv, vr, &a, file, &err);
    if (rc == 0 && a.out != NULL) {
        rc = vouch_file_write(a.out, html.data, html.len, 0644, 0, &err);
    } else if (rc == 0 && (fwrite(html.data, 1, html.len, stdout) != html.len || fflush(stdout))) {
        rc = vouch_error_set(&err, VOUCH_EIO, "cannot write to stdout");
    }
    vouch_buf_release(&html);
    slsa_vuln_report_free(vr);
    sbom_inventory_free(inv);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}
