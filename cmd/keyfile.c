/* Key files for commands: read with a cap, password only for encrypted keys. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keyfile.h"
#include "password.h"
#include "vouch/io.h"

int cli_load_private_key(struct sign_key **out, const char *path, struct vouch_error *err)
{
    unsigned char *pem = NULL;
    size_t len = 0;
    char *pw = NULL;
    size_t pw_len = 0;
    int rc;
    cli_secrets_guard();
    rc = vouch_file_read(&pem, &len, path, CLI_KEYFILE_MAX, err);
    *out = NULL;
    if (rc == 0 && sign_key_needs_password(pem, len)) {
        rc = cli_password_read(&pw, &pw_len, 0, err);
    }
    if (rc == 0) {
        rc = sign_key_load_private(out, pem, len, pw, pw_len, path, err);
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
    int rc = vouch_file_read(&data, &len, path, CLI_KEYFILE_MAX, err);
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
