/* vouch attest-blob: wrap a predicate file in an in-toto statement about a file and sign
 * it, as cosign attest-blob does (--type names as cosign's, signing.md §2.1). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "attest_util.h"
#include "cmd.h"
#include "keyfile.h"
#include "out.h"
#include "vouch/io.h"

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

#define PREDICATE_MAX ((size_t)32 << 20)

/* cosign's custom predicate: {"Data": file text, "Timestamp": RFC 3339 UTC now}. */
static int custom_predicate(char **out, const unsigned char *data, size_t len,
                            struct vouch_error *err)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    json_t *o;
    if (gmtime_r(&t, &tm) == NULL || strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "cannot format the current time");
    }
    o = json_pack("{s:s%,s:s}", "Data", (const char *)data, len, "Timestamp", now);
    if (o == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "predicate file is not UTF-8 text");
    }
    *out = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    return *out != NULL ? 0 : vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
}

static int build(char **out, size_t *len, const char *type, const char *pred_path, const char *blob,
                 struct vouch_error *err)
{
    struct slsa_statement *st = NULL;
    unsigned char *data = NULL;
    char *custom = NULL;
    size_t n = 0;
    const char *uri = NULL;
    int rc = slsa_predicate_type_from_name(&uri, type, err);
    rc = rc ? rc : vouch_file_read(&data, &n, pred_path, PREDICATE_MAX, err);
    if (rc == 0 && strcmp(uri, SLSA_PREDICATE_CUSTOM) == 0) {
        rc = custom_predicate(&custom, data, n, err);
    }
    rc = rc ? rc : slsa_statement_new(&st, uri, err);
    rc = rc ? rc : attest_add_file_subject(st, blob, 0, err);
    rc = rc ? rc
            : slsa_statement_set_predicate(st, custom != NULL ? custom : (const char *)data,
                                           custom != NULL ? strlen(custom) : n, err);
    if (rc == VOUCH_EPARSE) {
        vouch_error_prefix(err, "'%s': ", pred_path);
    }
    rc = rc ? rc : slsa_statement_write(out, len, st, SLSA_JSON_COMPACT, err);
    slsa_statement_free(st);
    free(data);
    free(custom);
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
    rc = rc ? rc : attest_sign(&env, &env_len, stmt, len, key, 0, err);
    if (rc == 0 && bundle != NULL) {
        rc = attest_sign(&bun, &bun_len, stmt, len, key, 1, err);
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
    const char *key = NULL, *pred = NULL, *type = "custom", *bundle = NULL, *output = NULL;
    const char *pos[1];
    int npos = 0, rc;
    const struct attest_opt opts[] = {
        {"--key", &key, NULL, NULL, NULL},
        {"--predicate", &pred, NULL, NULL, NULL},
        {"--type", &type, NULL, NULL, NULL},
        {"--bundle", &bundle, NULL, NULL, NULL},
        {"-o", &output, NULL, NULL, NULL},
        {"--output", &output, NULL, NULL, NULL},
        {"--output-attestation", &output, NULL, NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL},
    };
    rc = attest_args_parse("attest-blob", argc, argv, opts, pos, 1, &npos);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (key == NULL || pred == NULL || npos != 1) {
        return out_usage("attest-blob", "give --key, --predicate and one BLOB");
    }
    rc = run(key, type, pred, bundle, output, pos[0], &err);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}
