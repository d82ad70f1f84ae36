/* vouch sbom convert IN -o FORMAT[=OUT]: SPDX <-> CycloneDX (libsbom sbom/convert.h); what
 * the target cannot hold goes to stderr, every output is checked against the official
 * schema before anything is written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "opt.h"
#include "out.h"
#include "sbom/convert.h"
#include "sbom/validate.h"
#include "sbom_tools.h"
#include "vouch/io.h"

#define CONVERT_INPUT_MAX ((size_t)512 << 20)
#define CONVERT_OUT_MAX 2

const char cmd_sbom_convert_usage[] =
    "usage: vouch sbom convert FILE -o FORMAT[=OUT]... [--quiet]\n"
    "\n"
    "Convert an SPDX 2.2/2.3 or CycloneDX 1.4-1.6 JSON SBOM (from any tool) to spdx-json\n"
    "(SPDX 2.3) or cyclonedx-json (CycloneDX 1.6), keeping packages, purls, versions,\n"
    "licenses (declared and concluded), checksums, files and dependency edges. What the\n"
    "target format cannot hold is listed on stderr, one line each. The output is checked\n"
    "against the official schema before it is written (atomically; without =OUT, stdout).\n"
    "Exit: 0 converted, 1 the result would not validate, 2 usage or a file that is not an\n"
    "SBOM, 3 I/O errors.\n";

enum { O_OUT = 1, O_QUIET };

static const struct opt_spec convert_specs[] = {
    {"output", 'o', "FORMAT[=OUT]", "spdx-json or cyclonedx-json, to OUT (default stdout)",
     OPT_REPEAT, O_OUT, "spdx-json|cyclonedx-json"},
    {"quiet", 'q', NULL, "do not list what the target format cannot hold", 0, O_QUIET, NULL},
    {0},
};
const struct opt_group cmd_sbom_convert_opts[] = {{NULL, convert_specs, NULL}, {0}};

struct conv_out {
    enum sbom_format fmt;
    const char *name; /* "spdx-json" */
    const char *file; /* NULL: stdout */
    struct sbom_conversion *res;
    struct vouch_outfile of;
};

struct conv_args {
    struct conv_out out[CONVERT_OUT_MAX];
    int nout, quiet;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct conv_args *a = ctx;
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct conv_out *co;
    const char *eq = strchr(v, '=');
    char name[32];
    if (o->id == O_QUIET) {
        a->quiet = opt_on(v);
        return EXIT_OK;
    }
    if (a->nout == CONVERT_OUT_MAX) {
        return out_usage("sbom convert", "too many outputs (at most %d)", CONVERT_OUT_MAX);
    }
    co = &a->out[a->nout];
    snprintf(name, sizeof(name), "%.*s", (int)(eq != NULL ? (size_t)(eq - v) : strlen(v)), v);
    if (sbom_format_parse(&co->fmt, name, &err) != 0 || co->fmt == SBOM_FMT_TABLE) {
        return out_usage("sbom convert", "unknown format '%s' (spdx-json, cyclonedx-json)", name);
    }
    if (eq != NULL && eq[1] == '\0') {
        return out_usage("sbom convert", "empty file name in '-o %s'", v);
    }
    co->name = sbom_format_name(co->fmt);
    co->file = eq != NULL ? eq + 1 : NULL;
    for (int i = 0; i < a->nout; i++) {
        if (a->out[i].file == NULL && co->file == NULL) {
            return out_usage("sbom convert", "only one output can go to stdout");
        }
    }
    a->nout++;
    return EXIT_OK;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org) when the input has no creation time */
static int created(int64_t *t)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;
    *t = (int64_t)time(NULL);
    if (sde == NULL || sde[0] == '\0') {
        return EXIT_OK;
    }
    errno = 0;
    v = strtoll(sde, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL) {
        out_msg("invalid SOURCE_DATE_EPOCH '%s'", sde);
        return EXIT_USAGE;
    }
    *t = (int64_t)v;
    return EXIT_OK;
}

/* the converted document against its official schema: a converter bug or an input value
 * the converter let through must not reach a file */
static int check(const struct conv_out *co, const char *in, const char *schemas)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_validation *v = NULL;
    size_t len;
    const char *data = sbom_conversion_data(co->res, &len);
    int rc = sbom_validate(&v, schemas, data, len, co->name, &err);
    if (rc != 0) {
        sbom_validation_free(v);
        return out_fail(rc, &err);
    }
    if (sbom_validation_count(v) > 0) {
        const char *ptr = sbom_validation_pointer(v, 0);
        out_msg("'%s': the %s conversion would not validate: %s: %s", in, co->name,
                ptr[0] != '\0' ? ptr : "(document)", sbom_validation_reason(v, 0));
        rc = EXIT_REJECTED;
    }
    sbom_validation_free(v);
    return rc;
}

static int write_all(struct conv_args *a)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = 0;
    for (int i = 0; rc == 0 && i < a->nout; i++) {
        struct conv_out *co = &a->out[i];
        size_t len;
        const char *data = sbom_conversion_data(co->res, &len);
        if (co->file == NULL) {
            continue;
        }
        rc = vouch_outfile_open(&co->of, co->file, 0644, 0, &err);
        if (rc == 0 && fwrite(data, 1, len, co->of.fp) != len) {
            rc = vouch_error_sys(&err, VOUCH_EIO, errno, "cannot write '%s'", co->file);
        }
    }
    for (int i = 0; rc == 0 && i < a->nout; i++) {
        struct conv_out *co = &a->out[i];
        size_t len;
        const char *data = sbom_conversion_data(co->res, &len);
        if (co->file != NULL) {
            rc = vouch_outfile_commit(&co->of, &err);
        } else if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            rc = vouch_error_sys(&err, VOUCH_EIO, errno, "cannot write to stdout");
        }
    }
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}

static void print_notes(const struct conv_out *co)
{
    for (size_t i = 0; i < sbom_conversion_note_count(co->res); i++) {
        size_t n = 0;
        const char *s = sbom_conversion_note(co->res, i, &n);
        out_msg("not in %s: %s (%zu)", co->name, s, n);
    }
}

int cmd_sbom_convert(int argc, char **argv)
{
    struct conv_args a;
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_convert_opts o = {0};
    unsigned char *text = NULL;
    size_t len = 0;
    const char *in = NULL;
    int n = 0, rc;
    memset(&a, 0, sizeof(a));
    rc = opt_parse("sbom convert", cmd_sbom_convert_opts, argc, argv, take, &a, &in, 1, &n);
    if (rc == EXIT_OK && n != 1) {
        rc = out_usage("sbom convert", "one SBOM file is required");
    }
    if (rc == EXIT_OK && a.nout == 0) {
        rc = out_usage("sbom convert", "-o FORMAT[=OUT] is required");
    }
    rc = rc ? rc : created(&o.created);
    if (rc == EXIT_OK && vouch_file_read(&text, &len, in, CONVERT_INPUT_MAX, &err) != 0) {
        rc = out_fail(err.code, &err);
    }
    for (int i = 0; rc == EXIT_OK && i < a.nout; i++) {
        int r = sbom_convert(&a.out[i].res, (const char *)text, len, in, a.out[i].fmt, &o, &err);
        rc = r == 0 ? check(&a.out[i], in, sbom_tools_schema_dir()) : out_fail(r, &err);
    }
    free(text);
    rc = rc ? rc : write_all(&a);
    for (int i = 0; i < a.nout; i++) {
        if (rc == EXIT_OK && !a.quiet) {
            print_notes(&a.out[i]);
        }
        vouch_outfile_abort(&a.out[i].of);
        sbom_conversion_free(a.out[i].res);
    }
    return rc;
}
