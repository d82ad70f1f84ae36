/* vouch generate-key-pair: PREFIX.key (cosign's encrypted format) and PREFIX.pub. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "out.h"
#include "password.h"
#include "sign/key.h"
#include "vouch/io.h"

const char cmd_generate_key_pair_usage[] =
    "usage: vouch generate-key-pair [--type TYPE] [--output-key-prefix PREFIX] [--force]\n"
    "\n"
    "Generate a key pair: PREFIX.key, the private key encrypted with a password in cosign's\n"
    "format (mode 0600), and PREFIX.pub, the public key (PKIX PEM).\n"
    "\n"
    "The key file uses the PEM label 'ENCRYPTED COSIGN PRIVATE KEY' and scrypt N=32768,\n"
    "which every cosign release and every sigstore-enabled skopeo/podman reads.\n"
    "The password comes from VOUCH_PASSWORD, else COSIGN_PASSWORD (either may be empty),\n"
    "else a prompt on the terminal (asked twice), else all of standard input (a trailing\n"
    "newline is part of the password, as with cosign).\n";

enum { O_TYPE = 1, O_PREFIX, O_FORCE };

static const struct opt_spec gen_specs[] = {
    {"type", 0, "TYPE", "ecdsa-p256 (default), ed25519, ecdsa-p384, ecdsa-p521", 0, O_TYPE,
     "ecdsa-p256|ed25519|ecdsa-p384|ecdsa-p521"},
    {"output-key-prefix", 0, "PREFIX", "write PREFIX.key and PREFIX.pub (default: cosign)", 0,
     O_PREFIX, "file"},
    {"force", 0, NULL, "overwrite existing files", 0, O_FORCE, NULL},
    {0},
};

const struct opt_group cmd_generate_key_pair_opts[] = {{NULL, gen_specs, NULL}, {0}};

struct gen_opts {
    enum sign_key_type type;
    const char *prefix;
    int force;
};

static int take(void *ctx, const struct opt_spec *spec, const char *v)
{
    struct gen_opts *o = ctx;
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (spec->id == O_FORCE) {
        o->force = opt_on(v);
    } else if (spec->id == O_TYPE) {
        if (sign_key_type_from_name(&o->type, v, &err) != 0 || o->type == SIGN_KEY_RSA) {
            return out_usage("generate-key-pair", "unsupported --type '%s'", v);
        }
    } else if (v[0] == '\0') {
        return out_usage("generate-key-pair", "--output-key-prefix needs a value");
    } else {
        o->prefix = v;
    }
    return EXIT_OK;
}

static int parse_args(struct gen_opts *o, int argc, char **argv)
{
    const char *none[1];
    int n = 0;
    o->type = SIGN_KEY_ECDSA_P256;
    o->prefix = "cosign";
    o->force = 0;
    return opt_parse("generate-key-pair", cmd_generate_key_pair_opts, argc, argv, take, o, none, 0,
                     &n);
}

/* Write both files through temporaries; PREFIX.key is removed if PREFIX.pub fails. */
static int write_pair(const char *key_path, const char *key_pem, size_t key_len,
                      const char *pub_path, const char *pub_pem, size_t pub_len, int force,
                      struct vouch_error *err)
{
    int flags = force ? 0 : VOUCH_OUT_EXCL;
    int rc = vouch_file_write(key_path, key_pem, key_len, 0600, flags, err);
    if (rc != 0) {
        return rc;
    }
    rc = vouch_file_write(pub_path, pub_pem, pub_len, 0644, flags, err);
    if (rc != 0) {
        unlink(key_path);
    }
    return rc;
}

/* Refuse before asking for a password when either file exists. */
static int check_absent(const char *path, int force, struct vouch_error *err)
{
    if (!force && access(path, F_OK) == 0) {
        return vouch_error_set(err, VOUCH_EEXIST, "'%s' already exists (use --force)", path);
    }
    return 0;
}

static int generate(const struct gen_opts *o, const char *key_path, const char *pub_path,
                    struct vouch_error *err)
{
    struct sign_key *key = NULL;
    char *pw = NULL, *key_pem = NULL, *pub_pem = NULL;
    size_t pw_len = 0, key_len = 0, pub_len = 0;
    int rc = check_absent(key_path, o->force, err);
    if (rc == 0) {
        rc = check_absent(pub_path, o->force, err);
    }
    if (rc == 0) {
        rc = cli_password_read(&pw, &pw_len, 1, err);
    }
    if (rc == 0) {
        rc = sign_key_generate(&key, o->type, err);
    }
    if (rc == 0) {
        rc = sign_key_write_encrypted(&key_pem, &key_len, key, pw, pw_len, NULL, err);
    }
    if (rc == 0) {
        rc = sign_key_write_public_pem(&pub_pem, &pub_len, key, err);
    }
    if (rc == 0) {
        rc = write_pair(key_path, key_pem, key_len, pub_path, pub_pem, pub_len, o->force, err);
    }
    cli_password_free(pw);
    sign_key_free(key);
    free(key_pem);
    free(pub_pem);
    return rc;
}

int cmd_generate_key_pair(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct gen_opts o;
    char *key_path = NULL, *pub_path = NULL;
    size_t n;
    int rc = parse_args(&o, argc, argv);
    if (rc != EXIT_OK) {
        return rc;
    }
    n = strlen(o.prefix) + 5;
    key_path = malloc(n);
    pub_path = malloc(n);
    if (key_path == NULL || pub_path == NULL) {
        rc = vouch_error_set(&err, VOUCH_ENOMEM, "out of memory");
    } else {
        snprintf(key_path, n, "%s.key", o.prefix);
        snprintf(pub_path, n, "%s.pub", o.prefix);
        rc = generate(&o, key_path, pub_path, &err);
    }
    if (rc == 0) {
        fprintf(stderr, "Private key written to %s\nPublic key written to %s\n", key_path,
                pub_path);
    }
    free(key_path);
    free(pub_path);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}
