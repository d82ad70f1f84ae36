/* Loading key files for commands: one call that reads the file, asks for the password when
 * the key is encrypted, and reports errors naming the file. */
#ifndef VOUCH_CMD_KEYFILE_H
#define VOUCH_CMD_KEYFILE_H

#include "sign/key.h"
#include "vouch/error.h"

/** Largest key or certificate file read (bytes). */
#define CLI_KEYFILE_MAX ((size_t)64 << 10)

/**
 * Load the private key in the file at path: cosign's encrypted PEM (either label; the
 * password is read with cli_password_read only then), or an unencrypted PKCS#8 / SEC1 /
 * PKCS#1 PEM. Errors name the file: missing is VOUCH_ENOTFOUND, wrong password
 * VOUCH_ECRYPTO, damaged VOUCH_EPARSE, unsupported algorithm VOUCH_EUNSUPPORTED. *out is
 * owned by the caller (sign_key_free). Without VOUCH_PASSWORD/COSIGN_PASSWORD and with no
 * terminal, the password is all of standard input: a command that also reads data from
 * stdin ("-") should load the key first or tell the user to set VOUCH_PASSWORD.
 */
int cli_load_private_key(struct sign_key **out, const char *path, struct vouch_error *err);

/**
 * Load a verification key from the file at path: a PKIX "PUBLIC KEY" PEM, an X.509
 * certificate (PEM or DER; its public key is used, the certificate is not validated), or
 * SubjectPublicKeyInfo DER. Errors name the file. *out is owned by the caller.
 */
int cli_load_public_key(struct sign_key **out, const char *path, struct vouch_error *err);

#endif
