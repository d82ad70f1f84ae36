/* vouch verify-attestation --blob: verify a DSSE attestation (envelope or sigstore
 * bundle) about a file with a public key, then its statement and, for SLSA provenance,
 * slsa-verifier's checks. Exit 1 with the reason on any rejection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_util.h"
#include "cmd.h"
#include "keyfile.h"
#include "out.h"
#include "sign/bundle.h"
#include "sign/dsse.h"
#include "slsa/verify.h"
#include "vouch/io.h"

const char cmd_verify_attestation_usage[] =
    "usage: vouch verify-attestation --key PUB --type TYPE --blob FILE\n"
    "                                (--signature ENVELOPE | --bundle BUNDLE)\n"
    "                                [--builder-id ID] [--source-uri URI]\n"
    "                                [--source-tag TAG] [--source-branch BRANCH]\n"
    "                                [--build-type URI] [--output json]\n"
    "\n"
    "Verify an attestation about FILE: the DSSE signature with PUB (a public key or a\n"
    "certificate's key), payloadType application/vnd.in-toto+json, a subject with FILE's\n"
    "SHA-256, and predicateType TYPE (a cosign type name or a URI). ENVELOPE is a DSSE\n"
    "envelope or an .intoto.jsonl file (one envelope per line; one must pass); BUNDLE is a\n"
    "sigstore bundle with a dsseEnvelope. For SLSA provenance the slsa-verifier checks\n"
    "apply: --builder-id (exact, or any ref when given without @ref), --source-uri\n"
    "(github.com/o/r, https://… or git+https://…), --source-tag, --source-branch,\n"
    "--build-type. Prints 'Verified OK' on stderr, or the verified statement with\n"
    "--output json. Exit 0 verified, 1 rejected (with the reason), 2 bad input.\n";

#define ENVELOPE_FILE_MAX ((size_t)64 << 20)

struct va_args {
    const char *key, *type, *blob, *signature, *bundle, *output;
    struct slsa_expect exp;
};

static int verify_env(struct slsa_statement **st, const struct sign_dsse *env,
                      const struct sign_key *key, const struct va_args *a, struct vouch_error *err)
{
    return slsa_attestation_verify(st, env, key, &a->exp, err);
}

/* Each non-empty line of an .intoto.jsonl file is an envelope; the first that verifies
 * wins. A single pretty-printed envelope is read whole. */
static int verify_lines(struct slsa_statement **st, char *data, size_t len,
                        const struct sign_key *key, const struct va_args *a,
                        struct vouch_error *err)
{
    int rc = VOUCH_EVERIFY, tried = 0;
    int whole = memchr(data, '\n', len) == NULL || data[0] != '{' || data[1] == '\n' ||
                data[1] == ' ' || data[1] == '\r';
    for (char *line = data, *end; rc != 0 && line < data + len; line = end + 1) {
        struct sign_dsse *env = NULL;
        end = whole ? data + len : memchr(line, '\n', (size_t)(data + len - line));
        end = end != NULL ? end : data + len;
        if (end == line || (end == line + 1 && line[0] == '\r')) {
            continue;
        }
        vouch_error_clear(err);
        tried++;
        rc = sign_dsse_parse(&env, (unsigned char *)line, (size_t)(end - line), err);
        rc = rc ? rc : verify_env(st, env, key, a, err);
        sign_dsse_free(env);
    }
    return tried == 0 ? vouch_error_set(err, VOUCH_EPARSE, "no envelope in the file") : rc;
}

static int load_and_verify(struct slsa_statement **st, const struct sign_key *key,
                           const struct va_args *a, struct vouch_error *err)
{
    const char *path = a->bundle != NULL ? a->bundle : a->signature;
    struct sign_bundle *b = NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = vouch_file_read(&data, &len, path, ENVELOPE_FILE_MAX, err);
    if (rc == 0 && a->bundle != NULL) {
        rc = sign_bundle_parse(&b, data, len, err);
        if (rc == 0 && sign_bundle_dsse(b) == NULL) {
            rc = vouch_error_set(err, VOUCH_EVERIFY, "bundle holds no dsseEnvelope");
        }
        rc = rc ? rc : verify_env(st, sign_bundle_dsse(b), key, a, err);
    } else if (rc == 0) {
        rc = verify_lines(st, (char *)data, len, key, a, err);
    }
    if (rc == VOUCH_EPARSE || rc == VOUCH_EUNSUPPORTED) {
        vouch_error_prefix(err, "'%s': ", path);
    }
    sign_bundle_free(b);
    free(data);
    return rc;
}

static int run(struct va_args *a, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct slsa_statement *st = NULL;
    char hex[2 * 64 + 1], *json = NULL;
    struct slsa_digest subject = {"sha256", hex};
    size_t len = 0;
    int rc = slsa_predicate_type_from_name(&a->exp.predicate_type, a->type, err);
    rc = rc ? rc : attest_file_sha256(hex, a->blob, err);
    rc = rc ? rc : cli_load_public_key(&key, a->key, err);
    a->exp.subject = &subject;
    rc = rc ? rc : load_and_verify(&st, key, a, err);
    if (rc == 0 && a->output != NULL) {
        rc = slsa_statement_write(&json, &len, st, SLSA_JSON_COMPACT, err);
        rc = rc ? rc : attest_emit(NULL, json, len, err);
    } else if (rc == 0) {
        fputs("Verified OK\n", stderr);
    }
    free(json);
    slsa_statement_free(st);
    sign_key_free(key);
    return rc;
}

int cmd_verify_attestation(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct va_args a;
    const char *pos[1];
    int npos = 0, rc;
    memset(&a, 0, sizeof(a));
    const struct attest_opt opts[] = {
        {"--key", &a.key, NULL, NULL, NULL},
        {"--type", &a.type, NULL, NULL, NULL},
        {"--blob", &a.blob, NULL, NULL, NULL},
        {"--signature", &a.signature, NULL, NULL, NULL},
        {"--bundle", &a.bundle, NULL, NULL, NULL},
        {"--builder-id", &a.exp.builder_id, NULL, NULL, NULL},
        {"--source-uri", &a.exp.source_uri, NULL, NULL, NULL},
        {"--source-tag", &a.exp.source_tag, NULL, NULL, NULL},
        {"--source-branch", &a.exp.source_branch, NULL, NULL, NULL},
        {"--build-type", &a.exp.build_type, NULL, NULL, NULL},
        {"--output", &a.output, NULL, NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL},
    };
    rc = attest_args_parse("verify-attestation", argc, argv, opts, pos, 0, &npos);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (a.key == NULL || a.type == NULL || a.blob == NULL) {
        return out_usage("verify-attestation", "give --key, --type and --blob");
    }
    if ((a.signature == NULL) == (a.bundle == NULL)) {
        return out_usage("verify-attestation", "give one of --signature and --bundle");
    }
    if (a.output != NULL && strcmp(a.output, "json") != 0) {
        return out_usage("verify-attestation", "--output takes only 'json'");
    }
    rc = run(&a, &err);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}
