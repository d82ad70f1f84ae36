/* vouch public-key: print or write the PKIX PEM public key of a private key file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "keyfile.h"
#include "out.h"
#include "vouch/io.h"

const char cmd_public_key_usage[] =
    "usage: vouch public-key --key KEY [--outfile FILE | -o FILE]\n"
    "\n"
    "Print the public key (PKIX PEM) of the private key in KEY: a cosign encrypted key\n"
    "(the password is read as for generate-key-pair, asked once) or an unencrypted\n"
    "PKCS#8 / SEC1 PEM key.\n"
    "\n"
    "options:\n"
    "  --key KEY             the private key file\n"
    "  --outfile, -o FILE    write to FILE (atomically) instead of standard output\n";

static int parse_args(const char **key, const char **outfile, int argc, char **argv)
{
    const char *v = NULL;
    for (int i = 1; i < argc; i++) {
        const char **slot = NULL;
        if (cli_opt_value(argc, argv, &i, "--key", &v)) {
            slot = key;
        } else if (cli_opt_value(argc, argv, &i, "--outfile", &v) ||
                   cli_opt_value(argc, argv, &i, "-o", &v)) {
            slot = outfile;
        } else {
            return out_usage("public-key", "unexpected argument '%s'", argv[i]);
        }
        if (v == NULL || v[0] == '\0') {
            return out_usage("public-key", "'%s' needs a value", argv[i]);
        }
        *slot = v;
    }
    if (*key == NULL) {
        return out_usage("public-key", "--key is required");
    }
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
