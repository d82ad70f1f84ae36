/* Test helper (not installed): make and check DSSE envelopes and DSSE bundles through
 * libsign's public API, for interop tests against sigstore-js and securesystemslib.
 *   vouch-dsse-tool sign KEY.pem TYPE PAYLOAD ENVELOPE_OUT BUNDLE_OUT
 *   vouch-dsse-tool verify PUB.pem ENVELOPE|BUNDLE      (prints the verified payload)
 * KEY.pem is an unencrypted PKCS#8 private key. Exit 0 ok, 1 rejected, 2 other errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/bundle.h"
#include "sign/dsse.h"
#include "sign/key.h"
#include "vouch/io.h"

#define MAX_IN ((size_t)64 << 20)

static int load_key(struct sign_key **key, const char *path, int priv, struct vouch_error *err)
{
    unsigned char *pem = NULL;
    size_t n = 0;
    int rc = vouch_file_read(&pem, &n, path, MAX_IN, err);
    if (rc == 0) {
        rc = priv ? sign_key_load_private(key, pem, n, NULL, 0, path, err)
                  : sign_key_load_public(key, pem, n, path, err);
    }
    free(pem);
    return rc;
}

static int do_sign(char **argv, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct sign_dsse *env = NULL;
    unsigned char *payload = NULL;
    size_t n = 0;
    char *json = NULL;
    char *bundle = NULL;
    int rc = load_key(&key, argv[2], 1, err);
    rc = rc != 0 ? rc : vouch_file_read(&payload, &n, argv[4], MAX_IN, err);
    if (rc == 0) {
        const struct sign_key *keys[1] = {key};
        rc = sign_dsse_sign(&env, argv[3], payload, n, keys, 1, err);
    }
    rc = rc != 0 ? rc : sign_dsse_write(&json, &n, env, err);
    rc = rc != 0 ? rc : vouch_file_write(argv[5], json, n, 0644, 0, err);
    rc = rc != 0 ? rc : sign_bundle_write_dsse(&bundle, &n, key, env, err);
    rc = rc != 0 ? rc : vouch_file_write(argv[6], bundle, n, 0644, 0, err);
    free(bundle);
    free(json);
    free(payload);
    sign_dsse_free(env);
    sign_key_free(key);
    return rc;
}

static int do_verify(char **argv, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct sign_dsse *env = NULL;
    struct sign_bundle *b = NULL;
    unsigned char *json = NULL;
    unsigned char *payload = NULL;
    size_t n = 0;
    int rc = load_key(&key, argv[2], 0, err);
    rc = rc != 0 ? rc : vouch_file_read(&json, &n, argv[3], MAX_IN, err);
    if (rc == 0 && strstr((char *)json, "\"mediaType\"") != NULL) {
        rc = sign_bundle_parse(&b, json, n, err);
        rc = rc != 0 ? rc : sign_bundle_verify_dsse(&payload, &n, b, key, err);
    } else if (rc == 0) {
        const struct sign_key *keys[1] = {key};
        rc = sign_dsse_parse(&env, json, n, err);
        rc = rc != 0 ? rc : sign_dsse_verify(&payload, &n, env, keys, 1, 1, err);
    }
    if (rc == 0) {
        fwrite(payload, 1, n, stdout);
    }
    free(payload);
    free(json);
    sign_bundle_free(b);
    sign_dsse_free(env);
    sign_key_free(key);
    return rc;
}

int main(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc;
    if (argc == 7 && strcmp(argv[1], "sign") == 0) {
        rc = do_sign(argv, &err);
    } else if (argc == 4 && strcmp(argv[1], "verify") == 0) {
        rc = do_verify(argv, &err);
    } else {
        fputs("usage: vouch-dsse-tool sign KEY TYPE PAYLOAD ENV_OUT BUNDLE_OUT | verify PUB FILE\n",
              stderr);
        return 2;
    }
    if (rc != 0) {
        fprintf(stderr, "vouch-dsse-tool: %s\n", err.msg);
        return rc == VOUCH_EVERIFY ? 1 : 2;
    }
    return 0;
}
