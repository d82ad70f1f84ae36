/* vouch verify-attestation --blob: verify a DSSE attestation (envelope or sigstore
 * bundle) about a file with a public key, then its statement and, for SLSA provenance,
 * slsa-verifier's checks. Exit 1 with the reason on any rejection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_image.h"
#include "attest_sigstore.h"
#include "attest_util.h"
#include "cmd.h"
#include "image.h"
#include "keyfile.h"
#include "keyless.h"
#include "out.h"
#include "sign/bundle.h"
#include "sign/cosign_att.h"
#include "sign/dsse.h"
#include "slsa/verify.h"
#include "vouch/io.h"

const char cmd_verify_attestation_usage[] =
    "usage: vouch verify-attestation (--key PUB | KEYLESS) --type TYPE --blob FILE\n"
    "                                (--signature ENVELOPE | --bundle BUNDLE)\n"
    "       vouch verify-attestation (--key PUB | KEYLESS) --type TYPE IMAGE\n"
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
    "--output json. Exit 0 verified, 1 rejected (with the reason), 2 bad input.\n"
    "\n"
    "With IMAGE, the attestations attached to its sha256-<hex>.att tag (and sigstore bundle\n"
    "referrers) are checked against the image's manifest digest; at least one must pass.\n"
    "As cosign does, each verified DSSE envelope is printed on stdout, one JSON object per\n"
    "line (`| jq -r .payload | base64 -d` gives the statement); --output json prints the\n"
    "verified statements instead, one per line.\n"
    "\n"
    "Keyless (no --key; --certificate-identity[-regexp], --certificate-oidc-issuer[-regexp],\n"
    "--trusted-root), or --key with --trusted-root/--rekor-key: sigstore's checks\n"
    "(docs/keyless.md) on a --bundle, on each .att layer (certificate and Rekor bundle\n"
    "annotations) and on each bundle referrer of IMAGE; --output json then prints\n"
    "{\"identity\",\"issuer\",\"logIndex\",\"integratedTime\",\"statement\"} objects.\n";

#define ENVELOPE_FILE_MAX ((size_t)64 << 20)

struct va_args {
    const char *key, *type, *blob, *signature, *bundle, *output, *image;
    const char *provenance; /* verify-artifact --provenance-path: envelope lines or bundle */
    struct slsa_expect exp;
    struct regopts ro;
    struct keyless_opts k;
    const struct sign_sigstore_opts *so; /* sigstore checks (keyless, or key and log) */
};

/* State of the walk over an image's attestation layers. */
struct va_walk {
    const struct va_args *a;
    const struct sign_key *key;
    size_t verified;
    struct vouch_error last; /* the last rejection */
    const char *hex;         /* the image digest's hex (sigstore: the subject) */
};

/* The statement checks on a payload sigstore verified; with --output the JSON names what
 * the signature proved (identity, issuer, log index, time). */
static int sigstore_statement(struct slsa_statement **st, struct sign_sigstore_result *res,
                              const struct va_args *a, int print, struct vouch_error *e,
                              struct vouch_error *err)
{
    char *stmt = NULL, *json = NULL;
    size_t sl = 0, jl = 0;
    int rc = slsa_statement_parse(st, res->payload, res->payload_len, e);
    if (rc != 0) {
        vouch_error_prefix(e, "signed statement: ");
        rc = VOUCH_EVERIFY;
    }
    rc = rc ? rc : slsa_statement_check(*st, &a->exp, e);
    if (rc == 0 && print && a->output != NULL) {
        rc = slsa_statement_write(&stmt, &sl, *st, SLSA_JSON_COMPACT, err);
        rc = rc ? rc : attest_sigstore_json(&json, &jl, res, stmt, sl, err);
        rc = rc ? rc : attest_emit(NULL, json, jl, err);
    }
    free(stmt);
    free(json);
    sign_sigstore_result_release(res);
    return rc;
}

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
    if (rc == 0 && a->so != NULL) {
        struct sign_sigstore_result res;
        rc = attest_sigstore_bundle(&res, a->so, a->exp.subject->hex, data, len, err);
        rc = rc ? rc : sigstore_statement(st, &res, a, 1, err, err);
    } else if (rc == 0 && a->bundle != NULL) {
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

static int print_statement(const struct slsa_statement *st, struct vouch_error *err)
{
    char *json = NULL;
    size_t len = 0;
    int rc = slsa_statement_write(&json, &len, st, SLSA_JSON_COMPACT, err);
    rc = rc ? rc : attest_emit(NULL, json, len, err);
    free(json);
    return rc;
}

/* Verify one envelope (raw: its bytes, or NULL); a rejection is remembered and the walk
 * goes on. */
static int walk_env(struct va_walk *w, const struct sign_dsse *env, const unsigned char *raw,
                    size_t raw_len, struct vouch_error *e, struct vouch_error *err)
{
    struct slsa_statement *st = NULL;
    int rc = env != NULL ? slsa_attestation_verify(&st, env, w->key, &w->a->exp, e)
                         : vouch_error_set(e, VOUCH_EVERIFY, "bundle holds no dsseEnvelope");
    if (rc != 0) {
        /* report the most telling rejection: one of an attestation of the wanted type
         * rather than "predicateType is not" from the others */
        if (w->last.msg[0] == '\0' || strncmp(e->msg, "predicateType '", 15) != 0) {
            w->last = *e;
        }
        return rc == VOUCH_ENOMEM ? vouch_error_set(err, rc, "%s", e->msg) : 0;
    }
    w->verified++;
    rc = w->a->output != NULL ? print_statement(st, err)
                              : attest_print_envelope(env, raw, raw_len, err);
    slsa_statement_free(st);
    return rc;
}

/* Sigstore: one verified (rc 0, res) or rejected (e) attestation, as walk_env counts them. */
static int walk_sigstore(struct va_walk *w, int rc, struct sign_sigstore_result *res,
                         struct vouch_error *e, struct vouch_error *err)
{
    struct slsa_statement *st = NULL;
    rc = rc ? rc : sigstore_statement(&st, res, w->a, 1, e, err);
    slsa_statement_free(st);
    if (rc == VOUCH_ENOMEM) {
        return rc;
    }
    if (rc != 0) {
        if (w->last.msg[0] == '\0' || strncmp(e->msg, "predicateType '", 15) != 0) {
            w->last = *e;
        }
        return 0;
    }
    w->verified++;
    return 0;
}

/* One DSSE layer of the .att image. */
static int walk_layer(void *ctx, const struct sign_sig_layer *l, const unsigned char *data,
                      size_t len, struct vouch_error *err)
{
    struct va_walk *w = ctx;
    struct sign_dsse *env = NULL;
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc;
    if (w->a->so != NULL) {
        struct sign_sigstore_result res;
        rc = attest_sigstore_layer(&res, w->a->so, l, data, len, &e);
        return walk_sigstore(w, rc, &res, &e, err);
    }
    rc = sign_dsse_parse(&env, data, len, &e);
    rc = rc == 0 ? walk_env(ctx, env, data, len, &e, err) : walk_env(ctx, NULL, NULL, 0, &e, err);
    sign_dsse_free(env);
    return rc;
}

/* One sigstore bundle attached as a referrer. */
static int walk_bundle(void *ctx, const unsigned char *data, size_t len, struct vouch_error *err)
{
    struct va_walk *w = ctx;
    struct sign_bundle *b = NULL;
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc;
    if (w->a->so != NULL) {
        struct sign_sigstore_result res;
        rc = attest_sigstore_bundle(&res, w->a->so, w->hex, data, len, &e);
        return walk_sigstore(w, rc, &res, &e, err);
    }
    rc = sign_bundle_parse(&b, data, len, &e);
    rc = walk_env(ctx, rc == 0 ? sign_bundle_dsse(b) : NULL, NULL, 0, &e, err);
    sign_bundle_free(b);
    return rc;
}

static int verify_image(const struct sign_key *key, struct va_args *a, struct vouch_error *err)
{
    struct sign_oci_source *src = NULL, *sigsrc = NULL, *owned = NULL;
    struct va_walk w = {a, key, 0, VOUCH_ERROR_INIT, NULL};
    char digest[SIGN_REF_DIGEST_MAX] = "", name[1024];
    size_t count = 0;
    struct slsa_digest subject = {"sha256", digest + 7};
    int rc = sign_oci_open(&src, a->image, &a->ro.opts, err);
    rc = rc ? rc : attest_image_subject(digest, name, sizeof(name), src, err);
    rc = rc ? rc : image_sig_source(&sigsrc, &owned, src, &a->ro, err);
    a->exp.subject = &subject;
    w.hex = digest + 7;
    if (rc == 0) {
        rc = sign_cosign_att_each_layer(&count, sigsrc, digest, walk_layer, &w, err);
        if (rc == VOUCH_ENOTFOUND && count == 0) { /* no .att tag */
            vouch_error_clear(err);
            rc = 0;
        }
    }
    if (rc == 0) {
        size_t nb = 0;
        rc = sign_cosign_att_each_bundle(&nb, src, digest, walk_bundle, &w, err);
        count += nb;
    }
    if (rc == 0 && count == 0) {
        vouch_error_clear(err);
        rc = vouch_error_set(err, VOUCH_EVERIFY, "no attestations found for '%s'", a->image);
    } else if (rc == 0 && w.verified == 0) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "none of %zu attestations verified: %s", count,
                             w.last.msg);
    }
    if (rc == 0 && a->output == NULL) {
        fprintf(stderr, "Verified OK (%zu of %zu attestations)\n", w.verified, count);
    }
    a->exp.subject = NULL; /* subject lives on this stack frame */
    sign_oci_free(owned);
    sign_oci_free(src);
    return rc;
}

static int run_with(struct va_args *a, const struct sign_key *key, struct vouch_error *err)
{
    struct slsa_statement *st = NULL;
    char hex[2 * 64 + 1], *json = NULL;
    struct slsa_digest subject = {"sha256", hex};
    size_t len = 0;
    int rc = 0;
    if (a->image != NULL) {
        return verify_image(key, a, err);
    }
    rc = attest_file_sha256(hex, a->blob, err);
    a->exp.subject = &subject;
    rc = rc ? rc : load_and_verify(&st, key, a, err);
    if (rc == 0 && a->output != NULL && a->so == NULL) {
        rc = slsa_statement_write(&json, &len, st, SLSA_JSON_COMPACT, err);
        rc = rc ? rc : attest_emit(NULL, json, len, err);
    } else if (rc == 0 && a->output == NULL) {
        fputs("Verified OK\n", stderr);
    }
    a->exp.subject = NULL; /* subject lives on this stack frame */
    free(json);
    slsa_statement_free(st);
    return rc;
}

static int run(struct va_args *a, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct sign_trustroot *root = NULL;
    struct sign_sigstore_identity id;
    struct sign_sigstore_opts so = {NULL, &id, NULL, a->k.ignore_tlog};
    struct keyless_cert kc = {0};
    int rc = slsa_predicate_type_from_name(&a->exp.predicate_type, a->type, err);
    rc = rc || a->key == NULL ? rc : keyless_load_key(&key, &kc, a->key, &a->k, err);
    rc = rc ? rc : keyless_cert_check(&kc, &a->k, 0, err);
    keyless_cert_release(&kc);
    if (rc == 0 && (a->key == NULL || keyless_wanted(&a->k))) {
        keyless_identity(&id, &a->k);
        rc = keyless_load_root(&root, &a->k, err);
        so.root = root;
        so.key = key;
        a->so = &so;
    }
    rc = rc ? rc : run_with(a, key, err);
    a->so = NULL; /* so lives on this stack frame */
    sign_trustroot_free(root);
    sign_key_free(key);
    return rc;
}

static int check_args(const struct va_args *a, const char *cmd)
{
    int rc;
    if (a->type == NULL || (a->blob == NULL) == (a->image == NULL)) {
        return out_usage(cmd, "give --type and one of --blob and IMAGE");
    }
    if ((rc = keyless_check(cmd, &a->k, a->key != NULL)) != EXIT_OK) {
        return rc;
    }
    if (a->key == NULL && a->signature != NULL) {
        return out_usage(cmd, "keyless verification needs --bundle: an envelope carries no "
                              "certificate");
    }
    if (a->image != NULL && (a->signature != NULL || a->bundle != NULL)) {
        return out_usage("verify-attestation", "IMAGE takes no --signature or --bundle");
    }
    if (a->blob != NULL && (a->signature == NULL) == (a->bundle == NULL)) {
        return out_usage("verify-attestation", "give one of --signature and --bundle");
    }
    if (a->output != NULL && strcmp(a->output, "json") != 0) {
        return out_usage("verify-attestation", "--output takes only 'json'");
    }
    return EXIT_OK;
}

enum {
    O_KEY = 1,
    O_TYPE,
    O_BLOB,
    O_SIGNATURE,
    O_BUNDLE,
    O_BUILDER_ID,
    O_SOURCE_URI,
    O_SOURCE_TAG,
    O_SOURCE_BRANCH,
    O_BUILD_TYPE,
    O_OUTPUT,
    O_PROVENANCE,
    O_PRINT,
    O_VERSIONED_TAG,
};

static const struct opt_spec va_specs[] = {
    {"key", 0, "PUB", "the public key (a certificate needs --certificate-chain\nor --trusted-root)",
     0, O_KEY, "file"},
    {"type", 0, "TYPE", "the predicate type: a cosign type name or a URI", 0, O_TYPE,
     ATTEST_TYPE_NAMES},
    {"blob", 0, "FILE", "the file the attestation is about", 0, O_BLOB, "file"},
    {"signature", 0, "ENVELOPE", "a DSSE envelope or an .intoto.jsonl file", 0, O_SIGNATURE,
     "file"},
    {"bundle", 0, "BUNDLE", "a sigstore bundle with a dsseEnvelope", 0, O_BUNDLE, "file"},
    {"builder-id", 0, "ID", "SLSA: the expected builder id (without @ref: any ref)", 0,
     O_BUILDER_ID, NULL},
    {"source-uri", 0, "URI", "SLSA: the expected source repository", 0, O_SOURCE_URI, NULL},
    {"source-tag", 0, "TAG", "SLSA: the expected source tag", 0, O_SOURCE_TAG, NULL},
    {"source-branch", 0, "BRANCH", "SLSA: the expected source branch", 0, O_SOURCE_BRANCH, NULL},
    {"build-type", 0, "URI", "SLSA: the expected build type", 0, O_BUILD_TYPE, NULL},
    {"output", 0, "json", "print the verified statement(s) on stdout", 0, O_OUTPUT, "json"},
    {0},
};

const struct opt_group cmd_verify_attestation_opts[] = {
    {NULL, va_specs, NULL},
    {"keyless options", keyless_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

const struct opt_group cmd_verify_blob_attestation_opts[] = {
    {NULL, va_specs, NULL},
    {"keyless options", keyless_specs, NULL},
    {0},
};

/* slsa-verifier's verify-artifact / verify-image (with --key: keys, not Sigstore's CA) */
static const struct opt_spec slsa_specs[] = {
    {"key", 0, "PUB", "the public key (or a certificate's key)", 0, O_KEY, "file"},
    {"provenance-path", 0, "FILE",
     "verify-artifact: the provenance (.intoto.jsonl or a\n"
     "sigstore bundle)",
     0, O_PROVENANCE, "file"},
    {"source-uri", 0, "URI", "the expected source repository", 0, O_SOURCE_URI, NULL},
    {"source-tag", 0, "TAG", "the expected source tag", 0, O_SOURCE_TAG, NULL},
    {"source-versioned-tag", 0, "VERSION",
     "a source tag of this semantic version: v1 takes\nv1.x.y, v1.2 takes v1.2.y", 0,
     O_VERSIONED_TAG, NULL},
    {"source-branch", 0, "BRANCH", "the expected source branch", 0, O_SOURCE_BRANCH, NULL},
    {"builder-id", 0, "ID", "the expected builder id (without @ref: any ref)", 0, O_BUILDER_ID,
     NULL},
    {"build-type", 0, "URI", "the expected build type", 0, O_BUILD_TYPE, NULL},
    {"print-provenance", 0, NULL, "print the verified statement on stdout", 0, O_PRINT, NULL},
    {0},
};

const struct opt_group cmd_verify_artifact_opts[] = {{NULL, slsa_specs, NULL}, {0}};
const struct opt_group cmd_verify_image_opts[] = {
    {NULL, slsa_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

const char cmd_verify_artifact_usage[] =
    "usage: vouch verify-artifact ARTIFACT --provenance-path FILE --key PUB [--source-uri URI]\n"
    "                             [--source-tag TAG | --source-versioned-tag VERSION]\n"
    "                             [--builder-id ID] [--print-provenance]\n"
    "\n"
    "slsa-verifier's shape of `vouch verify-attestation --blob ARTIFACT`: SLSA provenance v1\n"
    "or v0.2 about ARTIFACT, signed by PUB, with the same checks.\n";

const char cmd_verify_image_usage[] =
    "usage: vouch verify-image IMAGE --key PUB [--source-uri URI]\n"
    "                          [--source-tag TAG | --source-versioned-tag VERSION]\n"
    "                          [--builder-id ID] [--print-provenance] [OPTIONS]\n"
    "\n"
    "slsa-verifier's shape of `vouch verify-attestation IMAGE`: SLSA provenance v1 or v0.2\n"
    "attached to IMAGE, signed by PUB, with the same checks.\n";

const char cmd_verify_blob_attestation_usage[] =
    "usage: vouch verify-blob-attestation --key PUB --type TYPE\n"
    "                                     (--signature ENVELOPE | --bundle BUNDLE) BLOB\n"
    "\n"
    "cosign's name for `vouch verify-attestation --blob BLOB`: the same checks.\n";

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct va_args *a = ctx;
    const char **slot[] = {
        [O_KEY] = &a->key,
        [O_TYPE] = &a->type,
        [O_BLOB] = &a->blob,
        [O_SIGNATURE] = &a->signature,
        [O_BUNDLE] = &a->bundle,
        [O_BUILDER_ID] = &a->exp.builder_id,
        [O_SOURCE_URI] = &a->exp.source_uri,
        [O_SOURCE_TAG] = &a->exp.source_tag,
        [O_SOURCE_BRANCH] = &a->exp.source_branch,
        [O_BUILD_TYPE] = &a->exp.build_type,
        [O_OUTPUT] = &a->output,
        [O_VERSIONED_TAG] = &a->exp.source_versioned_tag,
    };
    if (o->id >= KEYLESS_FIRST && o->id <= KEYLESS_LAST) {
        return keyless_take(&a->k, o, v);
    }
    if (o->id >= REGOPT_FIRST) {
        return regopts_take(&a->ro, o, v, "verify-attestation");
    }
    if (o->id == O_PRINT) {
        a->output = opt_on(v) ? "json" : NULL;
        return EXIT_OK;
    }
    if (o->id == O_PROVENANCE) {
        a->provenance = v;
        return EXIT_OK;
    }
    *slot[o->id] = v;
    return EXIT_OK;
}

/* --provenance-path: a sigstore bundle (its mediaType says so) or envelope lines. */
static int provenance_kind(struct va_args *a, const char *cmd)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char *data = NULL;
    size_t n = 0;
    int rc = vouch_file_read(&data, &n, a->provenance, ENVELOPE_FILE_MAX, &err);
    if (rc != 0) {
        return out_fail(rc, &err);
    }
    if (strstr((const char *)data, "application/vnd.dev.sigstore.bundle") != NULL) {
        a->bundle = a->provenance;
    } else {
        a->signature = a->provenance;
    }
    free(data);
    (void)cmd;
    return EXIT_OK;
}

/* slsa-verifier accepts SLSA provenance v1 and v0.2: v1 first, then v0.2. */
static int run_slsa(struct va_args *a, struct vouch_error *err)
{
    int rc;
    a->type = "slsaprovenance1";
    rc = run(a, err);
    if (rc == VOUCH_EVERIFY) {
        struct vouch_error e2 = VOUCH_ERROR_INIT;
        a->type = "slsaprovenance";
        rc = run(a, &e2);
        if (rc != VOUCH_EVERIFY || strstr(e2.msg, "predicateType") == NULL) {
            *err = e2;
        }
    }
    return rc;
}

/* The shapes: verify-attestation IMAGE (or --blob FILE); cosign's verify-blob-attestation
 * BLOB; slsa-verifier's verify-artifact ARTIFACT and verify-image IMAGE. */
enum va_shape { VA_ATTESTATION, VA_BLOB_ATTESTATION, VA_ARTIFACT, VA_IMAGE };

static int va_main(int argc, char **argv, const char *cmd, enum va_shape shape)
{
    static const struct opt_group *const groups[] = {
        cmd_verify_attestation_opts, cmd_verify_blob_attestation_opts, cmd_verify_artifact_opts,
        cmd_verify_image_opts};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct va_args a;
    const char *pos[1];
    int blob_operand = shape == VA_BLOB_ATTESTATION || shape == VA_ARTIFACT;
    int npos = 0, rc;
    memset(&a, 0, sizeof(a));
    regopts_init(&a.ro);
    rc = opt_parse(cmd, groups[shape], argc, argv, take, &a, pos, 1, &npos);
    if (rc == EXIT_OK && blob_operand && npos == 1 && a.blob != NULL) {
        rc = out_usage(cmd, "give the file once: as BLOB or --blob");
    }
    if (blob_operand && npos == 1) {
        a.blob = pos[0];
    } else {
        a.image = npos == 1 ? pos[0] : NULL;
    }
    if (rc == EXIT_OK && shape == VA_ARTIFACT && a.provenance == NULL) {
        rc = out_usage(cmd, "give --provenance-path");
    }
    if (rc == EXIT_OK && a.provenance != NULL) {
        rc = provenance_kind(&a, cmd);
    }
    if (shape >= VA_ARTIFACT) {
        a.type = "slsaprovenance1";
    }
    rc = rc ? rc : keyless_take_cert(&a.key, &a.k, cmd);
    rc = rc ? rc : check_args(&a, cmd);
    rc = rc ? rc : regopts_finish(&a.ro, cmd);
    if (rc == EXIT_OK) {
        int lrc = shape >= VA_ARTIFACT ? run_slsa(&a, &err) : run(&a, &err);
        rc = lrc == 0 ? EXIT_OK : out_fail(lrc, &err);
    }
    regopts_release(&a.ro);
    return rc;
}

int cmd_verify_attestation(int argc, char **argv)
{
    return va_main(argc, argv, "verify-attestation", VA_ATTESTATION);
}

int cmd_verify_blob_attestation(int argc, char **argv)
{
    return va_main(argc, argv, "verify-blob-attestation", VA_BLOB_ATTESTATION);
}

int cmd_verify_artifact(int argc, char **argv)
{
    return va_main(argc, argv, "verify-artifact", VA_ARTIFACT);
}

int cmd_verify_image(int argc, char **argv)
{
    return va_main(argc, argv, "verify-image", VA_IMAGE);
}
