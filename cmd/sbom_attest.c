/* `vouch sbom --attest`: option parsing, the key loaded and the image opened before the
 * walk, then the rendered SBOM signed as an in-toto statement and attached to the image. */
#include <string.h>

#include "attest_image.h"
#include "cmd.h"
#include "image.h"
#include "keyfile.h"
#include "out.h"
#include "sbom_attest.h"
#include "slsa/statement.h"
#include "vouch/buf.h"

/* The largest SBOM put in a predicate (cosign's attachment limit is 128 MiB). */
#define SBOM_ATTEST_MAX ((size_t)64 << 20)

void sbom_attest_init(struct sbom_attest *at)
{
    memset(at, 0, sizeof(*at));
    at->fmt = SBOM_FMT_CYCLONEDX_JSON;
    regopts_init(&at->ro);
}

static int set_format(struct sbom_attest *at, const char *v)
{
    if (v != NULL && strcmp(v, "cyclonedx-json") == 0) {
        at->fmt = SBOM_FMT_CYCLONEDX_JSON;
    } else if (v != NULL && strcmp(v, "spdx-json") == 0) {
        at->fmt = SBOM_FMT_SPDX_JSON;
    } else {
        return out_usage("sbom", "--attest-format must be cyclonedx-json or spdx-json");
    }
    at->fmt_set = 1;
    return EXIT_OK;
}

enum { O_ATTEST = SBOM_ATTEST_FIRST, O_KEY, O_FORMAT, O_REPLACE };

const struct opt_spec sbom_attest_specs[] = {
    {"attest", 0, NULL,
     "also attach the SBOM to the image as a signed in-toto\n"
     "attestation (as vouch attest; image sources only)",
     0, O_ATTEST, NULL},
    {"key", 0, "KEY", "the private key for --attest (password asked first)", 0, O_KEY, "file"},
    {"attest-format", 0, "FORMAT", "cyclonedx-json (default) or spdx-json", 0, O_FORMAT,
     "cyclonedx-json|spdx-json"},
    {"replace", 0, NULL, "first remove attestations of the same predicate type", 0, O_REPLACE,
     NULL},
    {0},
};

int sbom_attest_take(struct sbom_attest *at, const struct opt_spec *o, const char *value)
{
    switch (o->id) {
    case O_ATTEST:
        at->on = opt_on(value);
        return EXIT_OK;
    case O_REPLACE:
        at->replace = opt_on(value);
        return EXIT_OK;
    case O_KEY:
        at->key_path = value;
        return EXIT_OK;
    case O_FORMAT:
        return set_format(at, value);
    default:
        return regopts_take(&at->ro, o, value, "sbom");
    }
}

static int check_args(const struct sbom_attest *at, const char *kind, const char *source)
{
    if (!at->on) {
        return at->key_path || at->fmt_set || at->replace
                   ? out_usage("sbom", "--key, --attest-format and --replace need --attest")
                   : EXIT_OK;
    }
    if (at->key_path == NULL) {
        return out_usage("sbom", "--attest needs --key KEY");
    }
    if (strcmp(kind, "image") != 0) {
        return out_usage("sbom",
                         "--attest needs an image source: '%s' is a %s, which has no "
                         "image to attach an attestation to",
                         source, strcmp(kind, "dir") == 0 ? "directory" : "file archive");
    }
    if (strncmp(source, "oci-archive:", 12) == 0 || strncmp(source, "docker-archive:", 15) == 0) {
        return out_usage("sbom",
                         "--attest cannot write into the archive '%s': use a registry "
                         "or an oci-dir: layout",
                         source);
    }
    return EXIT_OK;
}

int sbom_attest_begin(struct sbom_attest *at, const char *kind, const char *source)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = check_args(at, kind, source);
    if (rc != EXIT_OK || !at->on) {
        return rc;
    }
    rc = cli_load_private_key(&at->key, at->key_path, &err);
    if (rc != 0) {
        return out_fail(rc, &err);
    }
    rc = regopts_finish(&at->ro, "sbom");
    return rc ? rc : image_open(&at->src, source, &at->ro);
}

int sbom_attest_run(struct sbom_attest *at, const struct sbom_doc *doc,
                    const struct sbom_write_opts *wo, struct vouch_error *err)
{
    struct vouch_buf pred;
    struct slsa_statement *st = NULL;
    const char *uri = NULL;
    int rc;
    if (!at->on) {
        return 0;
    }
    vouch_buf_init(&pred, SBOM_ATTEST_MAX);
    rc = sbom_doc_write(&pred, doc, at->fmt, wo, err);
    rc = rc ? rc
            : slsa_predicate_type_from_name(
                  &uri, at->fmt == SBOM_FMT_SPDX_JSON ? "spdxjson" : "cyclonedx", err);
    rc = rc ? rc : slsa_statement_new(&st, uri, err);
    rc = rc ? rc : slsa_statement_set_predicate(st, (const char *)pred.data, pred.len, err);
    rc = rc ? rc : attest_image_sign_attach(at->src, &at->ro, st, at->key, at->replace, err);
    slsa_statement_free(st);
    vouch_buf_release(&pred);
    return rc;
}

void sbom_attest_release(struct sbom_attest *at)
{
    sign_key_free(at->key);
    sign_oci_free(at->src);
    regopts_release(&at->ro);
    at->key = NULL;
    at->src = NULL;
}
