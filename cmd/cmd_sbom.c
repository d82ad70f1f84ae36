/* vouch sbom: catalogue a source once and write one or more SBOM formats. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd.h"
#include "out.h"
#include "progress.h"
#include "sbom_attest.h"
#include "sbom_tools.h"
#include "sbom/catalog.h"
#include "sbom/doc.h"
#include "sbom/format.h"
#include "sbom/root.h"
#include "vouch/io.h"

const char cmd_sbom_usage[] =
    "usage: vouch sbom [scan] SOURCE [-o FORMAT[=FILE]]... [--scope squashed|all-layers]\n"
    "                  [--platform OS/ARCH] [--select-catalogers EXPR]... [--exclude GLOB]...\n"
    "                  [--quiet]\n"
    "                  [--attest --key KEY [--attest-format FORMAT] [--replace]]\n"
    "\n"
    "Generate an SBOM of SOURCE: the OS packages (dpkg, apk, rpm) and every regular file\n"
    "with its SHA-256 and SHA-1. The source is read once, whatever the number of outputs.\n"
    "\n"
    "SOURCE:\n"
    "  dir:PATH        a directory (symlinks are resolved inside it, never on the host)\n"
    "  file:ARCHIVE    a tar, tar.gz, tar.zst, tar.xz or zip archive, streamed once\n"
    "  oci-dir:PATH[:TAG]  oci-archive:TAR  docker-archive:TAR  registry:REF\n"
    "                  a container image: layers streamed and squashed (whiteouts\n"
    "                  honoured); each package records the layer that introduced it\n"
    "  PATH or REF     guessed: a directory is dir:, a file is file:, else an image\n"
    "\n"
    "Subcommands for SBOMs made by any tool: `vouch sbom validate FILE...` (official\n"
    "schemas plus semantic checks), `vouch sbom diff A B` (packages added, removed,\n"
    "changed), `vouch sbom query FILE [--ecosystem T] [--license GLOB] [--name GLOB]`,\n"
    "`vouch sbom convert FILE -o FORMAT[=OUT]` (SPDX <-> CycloneDX), `vouch sbom report FILE\n"
    "[--vulns REPORT] -o OUT.html` (one self-contained HTML page).\n"
    "\n"
    "SOURCE_DATE_EPOCH, when set, fixes the creation time and derives serial numbers and\n"
    "namespaces from the content, so the same input gives the same bytes.\n";

enum { O_OUTPUT = 1, O_SCOPE, O_PLATFORM, O_SELECT, O_EXCLUDE, O_QUIET };

static const struct opt_spec sbom_specs[] = {
    {"output", 'o', "FORMAT[=FILE]",
     "spdx-json, cyclonedx-json or table (default: table on\n"
     "stdout); FILE is written atomically",
     OPT_REPEAT, O_OUTPUT, "spdx-json|cyclonedx-json|table"},
    {"scope", 0, "SCOPE",
     "squashed (default) or all-layers (image sources:\n"
     "also what later layers deleted)",
     0, O_SCOPE, "squashed|all-layers"},
    {"platform", 0, "OS/ARCH[/VAR]", "the image of a multi-platform index to read", 0, O_PLATFORM,
     NULL},
    {"select-catalogers", 0, "EXPR",
     "catalogers by name or tag (python, os, declared...);\n"
     "+NAME adds, -NAME removes (docs/sbom.md)",
     OPT_REPEAT, O_SELECT, NULL},
    {"exclude", 0, "GLOB", "paths left out of the source (./node_modules/**)", OPT_REPEAT,
     O_EXCLUDE, NULL},
    {"quiet", 'q', NULL, "no progress or warnings on stderr", 0, O_QUIET, NULL},
    {0},
};

const struct opt_group cmd_sbom_opts[] = {
    {NULL, sbom_specs, NULL},
    {"attestation options", sbom_attest_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_NOTE},
    {0},
};

#define MAX_OUTPUTS 8
#define MAX_EXCLUDES 64
#define SELECT_MAX 1024

struct output {
    enum sbom_format fmt;
    const char *file;        /* NULL: stdout */
    struct vouch_outfile of; /* file: its temporary name until every output is rendered */
    FILE *spool;             /* stdout: an unlinked temporary file, copied out at the end */
};

struct sbom_args {
    const char *source;
    const char *platform;
    struct output out[MAX_OUTPUTS];
    int nout;
    int quiet;
    int all_layers;
    const char *exclude[MAX_EXCLUDES];
    size_t nexclude;
    char select[SELECT_MAX]; /* every --select-catalogers, joined with ',' */
    struct sbom_attest att;
};

static int parse_output(struct sbom_args *a, const char *spec)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char *eq = strchr(spec, '=');
    char name[64];
    struct output *o;
    if (a->nout == MAX_OUTPUTS) {
        return out_usage("sbom", "too many outputs (at most %d)", MAX_OUTPUTS);
    }
    o = &a->out[a->nout];
    snprintf(name, sizeof(name), "%.*s", eq != NULL ? (int)(eq - spec) : (int)strlen(spec), spec);
    if (eq != NULL && eq[1] == '\0') {
        return out_usage("sbom", "empty file name in '-o %s='", name);
    }
    if (sbom_format_parse(&o->fmt, name, &err) != 0) {
        return out_usage("sbom", "%s", err.msg);
    }
    o->file = eq != NULL ? eq + 1 : NULL;
    for (int i = 0; o->file == NULL && i < a->nout; i++) {
        if (a->out[i].file == NULL) {
            return out_usage("sbom", "only one output can go to stdout");
        }
    }
    a->nout++;
    return EXIT_OK;
}

static int parse_scope(struct sbom_args *a, const char *v)
{
    if (v == NULL || (strcmp(v, "squashed") != 0 && strcmp(v, "all-layers") != 0)) {
        return out_usage("sbom", "--scope must be squashed or all-layers");
    }
    a->all_layers = strcmp(v, "all-layers") == 0;
    return EXIT_OK;
}

static int add_select(struct sbom_args *a, const char *v)
{
    size_t n = strlen(a->select);
    int m = snprintf(a->select + n, sizeof(a->select) - n, "%s%s", n ? "," : "", v);
    if (m < 0 || (size_t)m >= sizeof(a->select) - n) {
        return out_usage("sbom", "--select-catalogers is too long");
    }
    return EXIT_OK;
}

static int add_exclude(struct sbom_args *a, const char *v)
{
    if (a->nexclude == MAX_EXCLUDES) {
        return out_usage("sbom", "too many --exclude (at most %d)", MAX_EXCLUDES);
    }
    if (v[0] == '\0') {
        return out_usage("sbom", "empty --exclude");
    }
    a->exclude[a->nexclude++] = v;
    return EXIT_OK;
}

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct sbom_args *a = ctx;
    switch (o->id) {
    case O_OUTPUT:
        return parse_output(a, v);
    case O_SCOPE:
        return parse_scope(a, v);
    case O_PLATFORM:
        a->platform = v;
        return EXIT_OK;
    case O_SELECT:
        return add_select(a, v);
    case O_EXCLUDE:
        return add_exclude(a, v);
    case O_QUIET:
        a->quiet = opt_on(v);
        return EXIT_OK;
    default:
        return sbom_attest_take(&a->att, o, v);
    }
}

/* Daemon and runtime sources syft reads that vouch does not: refused with the way to get
 * the same image as an archive, never guessed as a registry reference. */
static const char *const daemon_schemes[] = {"docker:", "podman:", "containerd:", "singularity:"};

static int refuse_daemon(const char *src)
{
    for (size_t i = 0; i < sizeof(daemon_schemes) / sizeof(daemon_schemes[0]); i++) {
        size_t n = strlen(daemon_schemes[i]);
        if (strncmp(src, daemon_schemes[i], n) == 0) {
            return out_usage("sbom",
                             "'%s': %.*s sources are not supported: save the image (docker save "
                             "-o image.tar %s) and give docker-archive:image.tar, or give "
                             "registry:%s",
                             src, (int)n - 1, src, src + n, src + n);
        }
    }
    return EXIT_OK;
}

/* SOURCE, or syft's `scan SOURCE`. */
static int parse_args(struct sbom_args *a, int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    int n = 0;
    int rc = opt_parse("sbom", cmd_sbom_opts, argc, argv, take, a, pos, 2, &n);
    if (rc == EXIT_OK && n == 2 && strcmp(pos[0], "scan") != 0) {
        rc = out_usage("sbom", "unexpected argument '%s'", pos[1]);
    }
    a->source = n == 2 ? pos[1] : pos[0];
    if (rc == EXIT_OK && a->source != NULL) {
        rc = refuse_daemon(a->source);
    }
    if (rc == EXIT_OK && a->source == NULL) {
        rc = out_usage("sbom", "missing SOURCE");
    }
    if (rc == EXIT_OK && a->nout == 0) {
        a->out[0].fmt = SBOM_FMT_TABLE;
        a->nout = 1;
    }
    return rc;
}

static const char *const image_schemes[] = {
    "oci-dir:", "oci-archive:", "docker-archive:", "registry:"};

/* The source kind: "dir", "file" or "image" (bare arguments guessed as syft does: an
 * existing directory or file, a path-like name, else an image reference). */
static const char *source_kind(const char **path, const char *src)
{
    struct stat st;
    for (size_t i = 0; i < sizeof(image_schemes) / sizeof(image_schemes[0]); i++) {
        if (strncmp(src, image_schemes[i], strlen(image_schemes[i])) == 0) {
            *path = src;
            return "image";
        }
    }
    if (strncmp(src, "dir:", 4) == 0 || strncmp(src, "file:", 5) == 0) {
        *path = strchr(src, ':') + 1;
        return src[0] == 'd' ? "dir" : "file";
    }
    *path = src;
    if (stat(src, &st) == 0) {
        return S_ISDIR(st.st_mode) ? "dir" : "file";
    }
    return src[0] == '/' || src[0] == '.' ? NULL : "image";
}

/* --attest: checked, key loaded and image opened before the walk (fail fast). */
static int attest_begin(struct sbom_args *a)
{
    const char *path = NULL, *kind = source_kind(&path, a->source);
    if (kind != NULL && strcmp(kind, "image") == 0 && !a->att.on) {
        int rc = sbom_attest_begin(&a->att, kind, a->source); /* refuses --key alone */
        return rc ? rc : regopts_finish(&a->att.ro, "sbom");  /* the registry options */
    }
    return kind != NULL || !a->att.on ? sbom_attest_begin(&a->att, kind ? kind : "", a->source)
                                      : out_usage("sbom", "cannot find source '%s'", a->source);
}

/* Open the source as a root and catalogue it into a new document. */
static int catalog_source(struct sbom_doc **doc, const struct sbom_args *a,
                          const struct sbom_select *sel, const struct sbom_progress *prog,
                          struct vouch_error *err)
{
    struct sbom_root_opts o = {.want = sbom_catalog_want,
                               .want_ctx = (void *)sel,
                               .progress = prog,
                               .exclude = a->exclude,
                               .nexclude = a->nexclude};
    struct sbom_image_opts io = {
        .platform = a->platform, .all_layers = a->all_layers, .oci = &a->att.ro.opts};
    struct sbom_layers *layers = NULL;
    struct sbom_root *r = NULL;
    const char *path = NULL, *kind = source_kind(&path, a->source);
    int rc;
    if (kind == NULL) {
        return vouch_error_sys(err, VOUCH_ENOTFOUND, errno, "cannot find source '%s'", a->source);
    }
    if (strcmp(kind, "image") == 0) {
        rc = sbom_layers_new(&layers, a->all_layers, err);
        if (rc == 0) {
            sbom_layers_select(layers, sel);
        }
        io.on_layer = sbom_layers_on_layer;
        io.ctx = layers;
        rc = rc ? rc : sbom_root_open_image(&r, path, &io, &o, err);
    } else if (strcmp(kind, "dir") == 0) {
        rc = sbom_root_open_dir(&r, path, &o, err);
    } else {
        rc = sbom_root_open_archive(&r, path, &o, err);
    }
    rc = rc ? rc : sbom_doc_new(doc, kind, path, err);
    if (rc == 0) {
        sbom_catalog_select(*doc, sel);
        rc = layers != NULL ? sbom_catalog_run_image(*doc, r, layers, err)
                            : sbom_catalog_run(*doc, r, err);
    }
    sbom_layers_free(layers);
    sbom_root_free(r);
    return rc;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org): creation time and content-derived ids. */
static int write_opts(struct sbom_write_opts *wo)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    memset(wo, 0, sizeof(*wo));
    wo->tool_version = VOUCH_VERSION;
    if (sde == NULL || sde[0] == '\0') {
        wo->created = (int64_t)time(NULL);
        return EXIT_OK;
    }
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL) {
        out_msg("invalid SOURCE_DATE_EPOCH '%s'", sde);
        return EXIT_USAGE;
    }
    wo->created = (int64_t)v;
    wo->deterministic = 1;
    return EXIT_OK;
}

static int sink_output(const void *p, size_t n, void *ctx, struct vouch_error *err)
{
    struct output *o = ctx;
    if (fwrite(p, 1, n, o->file != NULL ? o->of.fp : o->spool) != n) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot write '%s'",
                               o->file != NULL ? o->file : "(temporary file)");
    }
    return 0;
}

static int copy_to_stdout(FILE *spool, struct vouch_error *err)
{
    char chunk[65536];
    size_t n;
    if (fflush(spool) != 0 || fseek(spool, 0, SEEK_SET) != 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot read back the SBOM");
    }
    while ((n = fread(chunk, 1, sizeof(chunk), spool)) > 0) {
        if (fwrite(chunk, 1, n, stdout) != n) {
            return vouch_error_sys(err, VOUCH_EIO, errno, "cannot write to stdout");
        }
    }
    if (ferror(spool) || fflush(stdout) != 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot write to stdout");
    }
    return 0;
}

/* Render every output to a temporary file first (streamed: memory does not grow with the
 * output), then commit them all: a failure leaves no output file and nothing on stdout. */
static int emit(struct sbom_args *a, const struct sbom_doc *doc, const struct sbom_write_opts *wo,
                struct vouch_error *err)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < a->nout; i++) {
        struct output *o = &a->out[i];
        if (o->file != NULL) {
            rc = vouch_outfile_open(&o->of, o->file, 0644, 0, err);
        } else if ((o->spool = tmpfile()) == NULL) {
            rc = vouch_error_sys(err, VOUCH_EIO, errno, "cannot create a temporary file in '%s'",
                                 P_tmpdir);
        }
        rc = rc ? rc : sbom_doc_write_to(doc, o->fmt, wo, sink_output, o, err);
    }
    for (int i = 0; rc == 0 && i < a->nout; i++) {
        struct output *o = &a->out[i];
        rc = o->file != NULL ? vouch_outfile_commit(&o->of, err) : copy_to_stdout(o->spool, err);
    }
    return rc;
}

static void print_warnings(const struct sbom_doc *doc, int quiet)
{
    size_t n = sbom_doc_warning_count(doc);
    for (size_t i = 0; !quiet && i < n; i++) {
        out_msg("warning: %s", sbom_doc_warning(doc, i));
    }
}

/* The subcommands for SBOMs made by any tool (help, man pages and completion list them). */
const struct cmd cmd_sbom_subcommands[] = {
    {"validate", cmd_sbom_validate, "check SBOMs against the official schemas and for consistency",
     cmd_sbom_validate_usage, cmd_sbom_validate_opts},
    {"diff", cmd_sbom_diff, "compare the packages of two SBOMs", cmd_sbom_diff_usage,
     cmd_sbom_diff_opts},
    {"query", cmd_sbom_query, "list the packages of an SBOM that match filters",
     cmd_sbom_query_usage, cmd_sbom_query_opts},
    {NULL, NULL, NULL, NULL, NULL},
};

int cmd_sbom(int argc, char **argv)
{
    struct sbom_args a;
    struct sbom_write_opts wo;
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_doc *doc = NULL;
    struct sbom_select *sel = NULL;
    struct progress pg;
    struct sbom_progress prog = {progress_sbom, &pg};
    int rc, ex;
    for (const struct cmd *s = cmd_sbom_subcommands; argc > 1 && s->name != NULL; s++) {
        if (strcmp(argv[1], s->name) == 0) {
            return s->run(argc - 1, argv + 1);
        }
    }
    if (argc > 1 && strcmp(argv[1], "convert") == 0) {
        return cmd_sbom_convert(argc - 1, argv + 1);
    }
    if (argc > 1 && strcmp(argv[1], "report") == 0) {
        return cmd_sbom_report(argc - 1, argv + 1);
    }
    memset(&a, 0, sizeof(a));
    sbom_attest_init(&a.att);
    if ((ex = parse_args(&a, argc, argv)) != EXIT_OK || (ex = write_opts(&wo)) != EXIT_OK ||
        (ex = attest_begin(&a)) != EXIT_OK) {
        sbom_attest_release(&a.att);
        return ex;
    }
    if (a.select[0] != '\0' && sbom_select_parse(&sel, a.select, &err) != 0) {
        sbom_attest_release(&a.att);
        return out_usage("sbom", "--select-catalogers: %s", err.msg);
    }
    progress_init(&pg, a.quiet);
    rc = catalog_source(&doc, &a, sel, pg.on ? &prog : NULL, &err);
    progress_end(&pg);
    if (rc == 0) {
        print_warnings(doc, a.quiet);
        rc = sbom_attest_run(&a.att, doc, &wo, &err);
        rc = rc ? rc : emit(&a, doc, &wo, &err);
    }
    ex = rc == 0 ? EXIT_OK : out_fail(rc, &err);
    sbom_attest_release(&a.att);
    for (int i = 0; i < a.nout; i++) {
        vouch_outfile_abort(&a.out[i].of);
        if (a.out[i].spool != NULL) {
            fclose(a.out[i].spool);
        }
    }
    sbom_doc_free(doc);
    sbom_select_free(sel);
    return ex;
}
