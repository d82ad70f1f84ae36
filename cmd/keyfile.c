/* Key files for commands: read with a cap, password only for encrypted keys. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keyfile.h"
#include "password.h"
#include "vouch/io.h"

/* cosign's --key env://VAR: the key's PEM is the variable's value; else a file. */
static int key_read(unsigned char **out, size_t *len, const char *path, struct vouch_error *err)
{
    const char *v;
    if (strncmp(path, "env://", 6) != 0) {
        return vouch_file_read(out, len, path, CLI_KEYFILE_MAX, err);
    }
    v = getenv(path + 6);
    if (path[6] == '\0' || v == NULL || v[0] == '\0') {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "key '%s': environment variable %s is %s",
                               path, path[6] != '\0' ? path + 6 : "(none)",
                               v == NULL ? "not set" : "empty");
    }
    *len = strlen(v);
    if (*len > CLI_KEYFILE_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "key '%s' is larger than %zu bytes", path,
                               (size_t)CLI_KEYFILE_MAX);
    }
    *out = (unsigned char *)strdup(v);
    return *out != NULL ? 0 : vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
}

int cli_load_private_key(struct sign_key **out, const char *path, struct vouch_error *err)
{
    unsigned char *pem = NULL;
    size_t len = 0;
    char *pw = NULL;
    size_t pw_len = 0;
    int rc;
    cli_secrets_guard();
    rc = key_read(&pem, &len, path, err);
    *out = NULL;
    if (rc == 0 && sign_key_needs_password(pem, len)) {
        rc = cli_password_read(&pw, &pw_len, 0, err);
    }
    if (rc == 0) {
        rc = sign_key_load_private(out, pem, len, pw, pw_len, path, err);
    }
    if (rc == VOUCH_ECRYPTO && cli_password_none_given()) {
        /* nothing on stdin, no terminal, no variable (a CI job): not a wrong password */
        vouch_error_clear(err);
        rc = vouch_error_set(err, VOUCH_EINVAL,
                             "key '%s' is encrypted and no password was given: set "
                             "COSIGN_PASSWORD or VOUCH_PASSWORD, or pipe it on standard input",
                             path);
    }
    cli_password_free(pw);
    if (pem != NULL) {
        sodium_memzero(pem, len); /* an unencrypted key file is a secret */
    }
    free(pem);
    return rc;
}

int cli_load_public_key(struct sign_key **out, const char *path, struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = key_read(&data, &len, path, err);
    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    if (strstr((const char *)data, "-----BEGIN CERTIFICATE-----") != NULL) {
        rc = sign_key_load_cert(out, data, len, path, err);
    } else if (len > 0 && data[0] == 0x30) {
        /* DER: a certificate, else a bare SubjectPublicKeyInfo */
        rc = sign_key_load_cert(out, data, len, path, NULL);
        if (rc != 0) {
            rc = sign_key_load_public_der(out, data, len, path, err);
        }
    } else {
        rc = sign_key_load_public(out, data, len, path, err);
    }
    free(data);
    return rc;
}
