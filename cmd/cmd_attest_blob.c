/* vouch attest-blob: wrap a predicate file in an in-toto statement about a file and sign
 * it, as cosign attest-blob does (--type names as cosign's, signing.md §2.1). */
#include <stdlib.h>
#include <string.h>

#include "attest_util.h"
#include "cmd.h"
#include "keyfile.h"
#include "out.h"
#include "sign/bundle.h"

const char cmd_attest_blob_usage[] =
    "usage: vouch attest-blob --key KEY --predicate FILE [--type TYPE] [--bundle FILE]\n"
    "                         [-o FILE] BLOB\n"
    "\n"
    "Sign an in-toto Statement v1 whose subject is BLOB (its name and SHA-256) and whose\n"
    "predicate is the JSON in --predicate. TYPE is a cosign name (custom, the default,\n"
    "slsaprovenance, slsaprovenance02, slsaprovenance1, spdx, spdxjson, cyclonedx, vuln,\n"
    "openvex, link) or a predicate type URI; with custom the predicate file's text is\n"
    "wrapped as {\"Data\":TEXT,\"Timestamp\":NOW}.\n"
    "\n"
    "The DSSE envelope is written on one line to -o FILE (default: standard output); with\n"
    "--bundle a sigstore bundle holding the envelope is written to that file as well.\n";

enum { O_KEY = 1, O_PREDICATE, O_TYPE, O_BUNDLE, O_OUTPUT };

static const struct opt_spec attest_blob_specs[] = {
    ATTEST_ROWS_KEY_PREDICATE_TYPE(O_KEY, O_PREDICATE, O_TYPE),
    {"bundle", 0, "FILE", "also write a sigstore bundle to FILE", 0, O_BUNDLE, "file"},
    {"output", 'o', "FILE", "write the envelope to FILE (default: standard output)", 0, O_OUTPUT,
     "file"},
    {"output-attestation", 0, "FILE", "cosign's name for --output", 0, O_OUTPUT, "file"},
    {0},
};

const struct opt_group cmd_attest_blob_opts[] = {{NULL, attest_blob_specs, NULL}, {0}};

struct ab_args {
    const char *key, *pred, *type, *bundle, *output;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct ab_args *a = ctx;
    const char **slot[] = {[O_KEY] = &a->key,
                           [O_PREDICATE] = &a->pred,
                           [O_TYPE] = &a->type,
                           [O_BUNDLE] = &a->bundle,
                           [O_OUTPUT] = &a->output};
    *slot[o->id] = v;
    return EXIT_OK;
}

static int build(char **out, size_t *len, const char *type, const char *pred_path, const char *blob,
                 struct vouch_error *err)
{
    struct slsa_statement *st = NULL;
    int rc = attest_statement_new(&st, type, pred_path, err);
    rc = rc ? rc : attest_add_file_subject(st, blob, 0, err);
    rc = rc ? rc : slsa_statement_write(out, len, st, SLSA_JSON_COMPACT, err);
    slsa_statement_free(st);
    return rc;
}

static int run(const char *key_path, const char *type, const char *pred, const char *bundle,
               const char *output, const char *blob, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    char *stmt = NULL, *env = NULL, *bun = NULL;
    size_t len = 0, env_len = 0, bun_len = 0;
    int rc = build(&stmt, &len, type, pred, blob, err);
    rc = rc ? rc : cli_load_private_key(&key, key_path, err);
    rc = rc ? rc : sign_bundle_sign_statement(&env, &env_len, stmt, len, key, 0, err);
    if (rc == 0 && bundle != NULL) {
        rc = sign_bundle_sign_statement(&bun, &bun_len, stmt, len, key, 1, err);
        rc = rc ? rc : attest_emit(bundle, bun, bun_len, err);
    }
    rc = rc ? rc : attest_emit(output, env, env_len, err);
    sign_key_free(key);
    free(stmt);
    free(env);
    free(bun);
    return rc;
}

int cmd_attest_blob(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct ab_args a = {.type = "custom"};
    const char *pos[1];
    int npos = 0;
    int rc = opt_parse("attest-blob", cmd_attest_blob_opts, argc, argv, take, &a, pos, 1, &npos);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (a.key == NULL || a.pred == NULL || npos != 1) {
        return out_usage("attest-blob", "give --key, --predicate and one BLOB");
    }
    rc = run(a.key, a.type, a.pred, a.bundle, a.output, pos[0], &err);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}
