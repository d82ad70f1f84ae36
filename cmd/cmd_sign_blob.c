/* vouch sign-blob: sign a file as cosign sign-blob does (base64 DER signature, optional
 * sigstore bundle v0.3). Outputs are written atomically, and only when signing succeeded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keyfile.h"
#include "out.h"
#include "sign/blob.h"
#include "sign/bundle.h"
#include "vouch/encoding.h"
#include "vouch/io.h"

const char cmd_sign_blob_usage[] =
    "usage: vouch sign-blob --key KEY [--output-signature FILE] [--bundle FILE] FILE\n"
    "\n"
    "Sign FILE (\"-\" for stdin) with a cosign private key. The signature is standard\n"
    "base64 of the DER (ECDSA) signature over SHA-256(FILE), or of the Ed25519ph signature\n"
    "(Ed25519 keys), as cosign makes it; it goes to stdout with a newline, or without one to\n"
    "--output-signature FILE. --bundle FILE also writes a sigstore bundle v0.3 (public key\n"
    "hint, message digest, signature). The key's password is read from VOUCH_PASSWORD,\n"
    "COSIGN_PASSWORD or the terminal.\n";

enum { O_KEY = 1, O_SIG_OUT, O_BUNDLE };

static const struct opt_spec sign_blob_specs[] = {
    {"key", 0, "KEY", "cosign.key (encrypted) or an unencrypted PKCS#8 PEM", 0, O_KEY, "file"},
    {"output-signature", 0, "FILE", "write the base64 signature to FILE", 0, O_SIG_OUT, "file"},
    {"bundle", 0, "FILE", "write a sigstore bundle to FILE", 0, O_BUNDLE, "file"},
    {0},
};

const struct opt_group cmd_sign_blob_opts[] = {{NULL, sign_blob_specs, NULL}, {0}};

struct sign_opts {
    const char *key;
    const char *sig_out;
    const char *bundle_out;
    const char *file;
};

/* Open every requested output, write, then commit: nothing appears unless all was made. */
static int write_outputs(const struct sign_opts *o, const char *b64, const char *bundle,
                         struct vouch_error *err)
{
    struct vouch_outfile sig_of = {0};
    struct vouch_outfile bun_of = {0};
    int rc = 0;
    if (o->sig_out != NULL) {
        rc = vouch_outfile_open(&sig_of, o->sig_out, 0644, 0, err);
        if (rc == 0 && fputs(b64, sig_of.fp) < 0) {
            rc = vouch_error_set(err, VOUCH_EIO, "cannot write '%s'", o->sig_out);
        }
    }
    if (rc == 0 && o->bundle_out != NULL) {
        rc = vouch_outfile_open(&bun_of, o->bundle_out, 0644, 0, err);
        if (rc == 0 && fputs(bundle, bun_of.fp) < 0) {
            rc = vouch_error_set(err, VOUCH_EIO, "cannot write '%s'", o->bundle_out);
        }
    }
    if (rc == 0 && o->sig_out != NULL) {
        rc = vouch_outfile_commit(&sig_of, err);
    }
    if (rc == 0 && o->bundle_out != NULL) {
        rc = vouch_outfile_commit(&bun_of, err);
    }
    vouch_outfile_abort(&sig_of);
    vouch_outfile_abort(&bun_of);
    return rc;
}

static int sign_file(const struct sign_opts *o, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct sign_blob_digest digest;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    char *b64 = NULL;
    char *bundle = NULL;
    size_t bundle_len = 0;
    int rc = cli_load_private_key(&key, o->key, err);
    rc = rc != 0 ? rc : sign_blob_sign(&sig, &sig_len, &digest, key, o->file, err);
    rc = rc != 0 ? rc : vouch_base64_encode(&b64, sig, sig_len, err);
    if (rc == 0 && o->bundle_out != NULL) {
        rc = sign_bundle_write_message(&bundle, &bundle_len, key, &digest, sig, sig_len, err);
    }
    rc = rc != 0 ? rc : write_outputs(o, b64, bundle, err);
    if (rc == 0 && o->sig_out == NULL && printf("%s\n", b64) < 0) {
        rc = vouch_error_set(err, VOUCH_EIO, "cannot write to stdout");
    }
    free(bundle);
    free(b64);
    free(sig);
    sign_key_free(key);
    return rc;
}

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct sign_opts *so = ctx;
    const char **slot[] = {
        [O_KEY] = &so->key, [O_SIG_OUT] = &so->sig_out, [O_BUNDLE] = &so->bundle_out};
    *slot[o->id] = v;
    return EXIT_OK;
}

int cmd_sign_blob(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_opts o = {0};
    int npos = 0;
    int rc = opt_parse("sign-blob", cmd_sign_blob_opts, argc, argv, take, &o, &o.file, 1, &npos);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (o.key == NULL) {
        return out_usage("sign-blob", "missing --key");
    }
    if (npos != 1) {
        return out_usage("sign-blob", "missing FILE to sign");
    }
    rc = sign_file(&o, &err);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}
