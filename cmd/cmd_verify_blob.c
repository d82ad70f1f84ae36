/* vouch verify-blob: check a cosign blob signature (base64, raw DER, or a sigstore/cosign
 * bundle) over a file with a public key, offline. Exit 0 verified, 1 rejected, 2 bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "keyfile.h"
#include "keyless.h"
#include "out.h"
#include "sign/blob.h"
#include "sign/bundle.h"
#include "sign/sigstore.h"
#include "vouch/buf.h"
#include "vouch/encoding.h"
#include "vouch/io.h"
#include "vouch/json.h"

const char cmd_verify_blob_usage[] =
    "usage: vouch verify-blob --key PUB (--signature SIG | --bundle FILE) [--output json] FILE\n"
    "       vouch verify-blob --bundle FILE --certificate-identity[-regexp] ID\n"
    "                         --certificate-oidc-issuer[-regexp] ISS --trusted-root ROOT FILE\n"
    "\n"
    "Verify a signature over FILE (or sha256:HEX with a bundle) offline. With --key: SIG is\n"
    "a file holding the base64 (or raw) signature, or the base64 text itself; a bundle may be\n"
    "a sigstore bundle (v0.1-v0.3) or cosign's older blob bundle, its message digest must\n"
    "match FILE, and with --trusted-root or --rekor-key its transparency-log entries and\n"
    "timestamps are checked too. A certificate (--certificate CERT, or given as --key) needs\n"
    "--certificate-chain or --trusted-root: it must chain there, valid at the verified\n"
    "signing time (else now), with the codeSigning usage and any --certificate-* identity.\n"
    "Without --key the sigstore bundle is keyless: its Fulcio\n"
    "certificate must chain to the trusted root at the signing time, carry a valid SCT and the\n"
    "expected identity, and its Rekor entries and RFC 3161 timestamps must verify (see\n"
    "docs/keyless.md). A DSSE bundle's statement must name FILE as a subject. Prints\n"
    "\"Verified OK\" on stderr.\n"
    "\n"
    "exit: 0 verified, 1 signature, digest, certificate, log or identity mismatch, 2 bad input\n"
    "(unreadable or malformed key, signature, bundle, trusted root or file; missing identity).\n";

enum { O_KEY = 1, O_SIG, O_BUNDLE, O_OUTPUT };

static const struct opt_spec verify_blob_specs[] = {
    {"key", 0, "PUB", "PKIX public key PEM (cosign.pub)", 0, O_KEY, "file"},
    {"signature", 0, "SIG", "signature file or base64 text", 0, O_SIG, "file"},
    {"bundle", 0, "FILE", "sigstore bundle or cosign bundle JSON", 0, O_BUNDLE, "file"},
    {"output", 'o', "FORMAT", "json: print a result object on stdout; text (default)", 0, O_OUTPUT,
     "json|text"},
    {0},
};

const struct opt_group cmd_verify_blob_opts[] = {
    {NULL, verify_blob_specs, NULL},
    {"keyless options", keyless_specs, NULL},
    {0},
};

#define SIG_FILE_MAX ((size_t)1 << 20)

struct verify_opts {
    const char *key;
    const char *sig;
    const char *bundle;
    const char *output;
    const char *file;
    struct keyless_opts k;
    struct sign_sigstore_result res;
};

/* 1 when data holds a byte that no base64 text has: then it is a raw signature. */
static int is_binary(const unsigned char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((data[i] < 0x20 && data[i] != '\n' && data[i] != '\r' && data[i] != '\t') ||
            data[i] > 0x7e) {
            return 1;
        }
    }
    return 0;
}

/* Signature bytes from a file: base64 text, or raw bytes (cosign --b64=false, openssl -out);
 * text that is not base64 is malformed. */
static int sig_from_bytes(unsigned char **sig, size_t *sig_len, unsigned char *data, size_t n,
                          const char *name, struct vouch_error *err)
{
    if (n > 0 && is_binary(data, n)) {
        *sig = data;
        *sig_len = n;
        return 0;
    }
    if (vouch_base64_decode(sig, sig_len, (const char *)data, n, NULL) == 0 && *sig_len > 0) {
        free(data);
        return 0;
    }
    free(data);
    return vouch_error_set(err, VOUCH_EPARSE, "malformed signature '%s': not base64", name);
}

/* cosign: --signature is a path when one exists, else the base64 signature itself. */
static int load_signature(unsigned char **sig, size_t *sig_len, const char *arg,
                          struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t n = 0;
    struct stat st;
    int rc;
    if (stat(arg, &st) == 0) {
        rc = vouch_file_read(&data, &n, arg, SIG_FILE_MAX, err);
        return rc != 0 ? rc : sig_from_bytes(sig, sig_len, data, n, arg, err);
    }
    if (vouch_base64_decode(sig, sig_len, arg, strlen(arg), NULL) == 0 && *sig_len > 0) {
        return 0;
    }
    if (strchr(arg, '/') != NULL) { /* meant as a path: say why it cannot be read */
        rc = vouch_file_read(&data, &n, arg, SIG_FILE_MAX, err);
        free(data);
        return rc != 0 ? rc : vouch_error_set(err, VOUCH_EIO, "cannot read '%s'", arg);
    }
    return vouch_error_set(err, VOUCH_EPARSE,
                           "signature '%.64s' is neither a readable file nor base64", arg);
}

static int verify_with_bundle(struct sign_blob_digest *d, const struct verify_opts *o,
                              const struct sign_key *key, struct vouch_error *err)
{
    struct sign_bundle *b = NULL;
    unsigned char *data = NULL;
    size_t n = 0;
    int rc = vouch_file_read(&data, &n, o->bundle, SIGN_BUNDLE_MAX_BYTES, err);
    if (rc == 0 && (rc = sign_bundle_parse(&b, data, n, err)) != 0) {
        vouch_error_prefix(err, "'%s': ", o->bundle);
    }
    if (rc == 0 && sign_bundle_kind_of(b) != SIGN_BUNDLE_MESSAGE) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED,
                             "'%s' holds a dsse envelope; verify it as an attestation", o->bundle);
    }
    rc = rc != 0 ? rc : sign_bundle_verify_blob(d, b, key, o->file, err);
    sign_bundle_free(b);
    free(data);
    return rc;
}

/* FILE, or sha256:HEX (a digest stands for the artifact) */
static int artifact_of(struct sign_sigstore_artifact *a, const char *file, struct vouch_error *err)
{
    size_t n = SIGN_DIGEST_MAX;
    memset(a, 0, sizeof(*a));
    a->digest.alg = SIGN_HASH_SHA256;
    if (strncmp(file, "sha256:", 7) == 0) {
        a->digest.len = 32;
        if (strlen(file) != 7 + 64 || vouch_hex_decode(a->digest.value, 32, file + 7, 64, NULL)) {
            return vouch_error_set(err, VOUCH_EINVAL, "malformed digest '%.80s'", file);
        }
        return 0;
    }
    a->path = file;
    int rc = sign_digest_file(a->digest.value, &n, SIGN_HASH_SHA256, file, err);
    a->digest.len = n;
    return rc;
}

/* A sigstore bundle against the trusted root: keyless, or with --key plus log checks. */
static int verify_sigstore(struct sign_blob_digest *d, struct verify_opts *o,
                           const struct sign_key *key, struct vouch_error *err)
{
    struct sign_trustroot *root = NULL;
    struct sign_bundle *b = NULL;
    struct sign_sigstore_identity id;
    struct sign_sigstore_artifact art;
    unsigned char *data = NULL;
    size_t n = 0;
    int rc = artifact_of(&art, o->file, err);
    rc = rc != 0 ? rc : keyless_load_root(&root, &o->k, err);
    rc = rc != 0 ? rc : vouch_file_read(&data, &n, o->bundle, SIGN_BUNDLE_MAX_BYTES, err);
    if (rc == 0 && (rc = sign_bundle_parse(&b, data, n, err)) != 0) {
        vouch_error_prefix(err, "'%s': ", o->bundle);
    }
    if (rc == 0) {
        struct sign_sigstore_opts so = {root, &id, key, o->k.ignore_tlog};
        keyless_identity(&id, &o->k);
        rc = sign_sigstore_verify(&o->res, b, &art, &so, err);
        *d = art.digest;
    }
    sign_bundle_free(b);
    sign_trustroot_free(root);
    free(data);
    return rc;
}

static int verify_file(struct sign_blob_digest *d, struct verify_opts *o, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct keyless_cert kc = {0};
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = o->key != NULL ? keyless_load_key(&key, &kc, o->key, &o->k, err) : 0;
    if (rc == 0 && o->bundle != NULL && (key == NULL || keyless_wanted(&o->k))) {
        rc = verify_sigstore(d, o, key, err);
    } else if (rc == 0 && o->bundle != NULL) {
        rc = verify_with_bundle(d, o, key, err);
    } else if (rc == 0) {
        rc = load_signature(&sig, &sig_len, o->sig, err);
        rc = rc != 0 ? rc : sign_blob_verify(d, key, o->file, NULL, sig, sig_len, err);
    }
    /* a certificate: at the log's or timestamp's verified time, else now */
    rc = rc != 0 ? rc : keyless_cert_check(&kc, &o->k, o->res.signed_time, err);
    if (rc == VOUCH_EVERIFY || rc == VOUCH_EPOLICY) {
        vouch_error_prefix(err, "verifying '%s': ", o->file);
    }
    keyless_cert_release(&kc);
    free(sig);
    sign_key_free(key);
    return rc;
}

/* ,"identity":…,"issuer":…,"logIndex":N,"integratedTime":N of what verified */
static void print_sigstore(struct vouch_buf *b, const struct sign_sigstore_result *r)
{
    if (r->keyless) {
        vouch_buf_puts(b, ",\"identity\":", NULL);
        vouch_json_go_string(b, r->subject, strlen(r->subject), NULL);
        vouch_buf_puts(b, ",\"issuer\":", NULL);
        vouch_json_go_string(b, r->issuer, strlen(r->issuer), NULL);
    }
    if (r->has_log) {
        vouch_buf_printf(b, NULL, ",\"logIndex\":%lld", (long long)r->log_index);
    }
    if (r->signed_time != 0) {
        vouch_buf_printf(b, NULL, ",\"integratedTime\":%lld", (long long)r->signed_time);
    }
}

/* {"verified":bool,"file":…,"digest":"sha256:…"[,"error":…]} on stdout. */
static void print_json(const struct verify_opts *o, const struct sign_blob_digest *d, int rc,
                       const struct vouch_error *err)
{
    struct vouch_buf b;
    char hex[2 * SIGN_DIGEST_MAX + 1];
    vouch_buf_init(&b, 0);
    vouch_buf_printf(&b, NULL, "{\"verified\":%s,\"file\":", rc == 0 ? "true" : "false");
    vouch_json_go_string(&b, o->file, strlen(o->file), NULL);
    if (rc == 0) {
        vouch_hex_encode(hex, d->value, d->len);
        vouch_buf_printf(&b, NULL, ",\"digest\":\"%s:%s\"", sign_hash_name(d->alg), hex);
        print_sigstore(&b, &o->res);
    } else {
        vouch_buf_puts(&b, ",\"error\":", NULL);
        vouch_json_go_string(&b, err->msg, strlen(err->msg), NULL);
    }
    vouch_buf_puts(&b, "}", NULL);
    puts(vouch_buf_cstr(&b));
    vouch_buf_release(&b);
}

static int check_opts(const struct verify_opts *o, int npos)
{
    int rc;
    if ((o->sig == NULL) == (o->bundle == NULL)) {
        return out_usage("verify-blob", "give exactly one of --signature and --bundle");
    }
    if (o->key == NULL && o->sig != NULL) {
        return out_usage("verify-blob", "missing --key");
    }
    if ((rc = keyless_check("verify-blob", &o->k, o->key != NULL)) != EXIT_OK) {
        return rc;
    }
    if (o->output != NULL && strcmp(o->output, "json") != 0 && strcmp(o->output, "text") != 0) {
        return out_usage("verify-blob", "unknown --output '%s' (json or text)", o->output);
    }
    if (npos != 1) {
        return out_usage("verify-blob", "missing FILE to verify");
    }
    return EXIT_OK;
}

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct verify_opts *vo = ctx;
    const char **slot[] = {
        [O_KEY] = &vo->key, [O_SIG] = &vo->sig, [O_BUNDLE] = &vo->bundle, [O_OUTPUT] = &vo->output};
    if (o->id >= KEYLESS_FIRST) {
        return keyless_take(&vo->k, o, v);
    }
    *slot[o->id] = v;
    return EXIT_OK;
}

int cmd_verify_blob(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct verify_opts o = {0};
    struct sign_blob_digest d;
    int npos = 0;
    int rc =
        opt_parse("verify-blob", cmd_verify_blob_opts, argc, argv, take, &o, &o.file, 1, &npos);
    rc = rc ? rc : keyless_take_cert(&o.key, &o.k, "verify-blob");
    if (rc == EXIT_OK) {
        rc = check_opts(&o, npos);
    }
    if (rc != EXIT_OK) {
        return rc;
    }
    memset(&d, 0, sizeof(d));
    rc = verify_file(&d, &o, &err);
    if (o.output != NULL && strcmp(o.output, "json") == 0) {
        print_json(&o, &d, rc, &err);
    }
    sign_sigstore_result_release(&o.res);
    if (rc != 0) {
        return out_fail(rc, &err);
    }
    fputs("Verified OK\n", stderr);
    return EXIT_OK;
}
