/* vouch public-key: print or write the PKIX PEM public key of a private key file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keyfile.h"
#include "out.h"
#include "vouch/io.h"

const char cmd_public_key_usage[] =
    "usage: vouch public-key --key KEY [--outfile FILE | -o FILE]\n"
    "\n"
    "Print the public key (PKIX PEM) of the private key in KEY: a cosign encrypted key\n"
    "(the password is read as for generate-key-pair, asked once) or an unencrypted\n"
    "PKCS#8 / SEC1 PEM key.\n";

enum { O_KEY = 1, O_OUTFILE };

static const struct opt_spec public_key_specs[] = {
    {"key", 0, "KEY", "the private key file", 0, O_KEY, "file"},
    {"outfile", 'o', "FILE", "write to FILE (atomically) instead of standard output", 0, O_OUTFILE,
     "file"},
    {0},
};

const struct opt_group cmd_public_key_opts[] = {{NULL, public_key_specs, NULL}, {0}};

struct pk_args {
    const char *key, *outfile;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct pk_args *a = ctx;
    if (v[0] == '\0') {
        return out_usage("public-key", "'--%s' needs a value", o->name);
    }
    *(o->id == O_KEY ? &a->key : &a->outfile) = v;
    return EXIT_OK;
}

static int parse_args(const char **key, const char **outfile, int argc, char **argv)
{
    struct pk_args a = {NULL, NULL};
    const char *none[1];
    int n = 0;
    int rc = opt_parse("public-key", cmd_public_key_opts, argc, argv, take, &a, none, 0, &n);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (a.key == NULL) {
        return out_usage("public-key", "--key is required");
    }
    *key = a.key;
    *outfile = a.outfile;
    return EXIT_OK;
}

static int emit(const char *outfile, const char *pem, size_t len, struct vouch_error *err)
{
    if (outfile != NULL) {
        return vouch_file_write(outfile, pem, len, 0644, 0, err);
    }
    if (fwrite(pem, 1, len, stdout) != len || fflush(stdout) != 0) {
        return vouch_error_set(err, VOUCH_EIO, "cannot write to standard output");
    }
    return 0;
}

int cmd_public_key(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    const char *key_path = NULL, *outfile = NULL;
    char *pem = NULL;
    size_t len = 0;
    int rc = parse_args(&key_path, &outfile, argc, argv);
    if (rc != EXIT_OK) {
        return rc;
    }
    rc = cli_load_private_key(&key, key_path, &err);
    if (rc == 0) {
        rc = sign_key_write_public_pem(&pem, &len, key, &err);
    }
    if (rc == 0) {
        rc = emit(outfile, pem, len, &err);
    }
    free(pem);
    sign_key_free(key);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}
