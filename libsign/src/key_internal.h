/* Private parts of sign_key shared by key.c, key_sign.c and key_cosign.c. */
#ifndef SIGN_KEY_INTERNAL_H
#define SIGN_KEY_INTERNAL_H

#include <stddef.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "sign/key.h"

/* The two PEM labels of cosign's encrypted private key file (signing.md §3.2). */
#define KEY_LABEL_SIGSTORE "ENCRYPTED SIGSTORE PRIVATE KEY"
#define KEY_LABEL_COSIGN "ENCRYPTED COSIGN PRIVATE KEY"

/* Caps on what is parsed: a key file, and the decoded cosign JSON and ciphertext. */
#define KEY_PEM_MAX ((size_t)64 << 10)

struct sign_key {
    EVP_PKEY *pkey;
    enum sign_key_type type;
    int is_private;
};

/**
 * Wrap pkey (ownership moves in, also on failure) after checking it is a supported
 * algorithm: P-256/384/521, Ed25519, RSA 2048-4096 bits.
 */
int key_from_pkey(struct sign_key **out, EVP_PKEY *pkey, int is_private, const char *name,
                  struct vouch_error *err);

/**
 * Decrypt the body (JSON) of a cosign encrypted key into PKCS#8 DER. *out is
 * sodium_malloc'd (free with sodium_free). A wrong password is VOUCH_ECRYPTO.
 */
int key_cosign_decrypt(unsigned char **out, size_t *out_len, const unsigned char *json,
                       size_t json_len, const char *password, size_t password_len, const char *name,
                       struct vouch_error *err);

/** Encrypt PKCS#8 DER into the cosign JSON document (*out malloc'd, NUL-terminated). */
int key_cosign_encrypt(char **out, size_t *out_len, const unsigned char *der, size_t der_len,
                       const char *password, size_t password_len, unsigned long scrypt_n,
                       struct vouch_error *err);

/** Ed25519ph (RFC 8032, empty context) over the bytes fed to st (libsodium's multi-part
 *  API): sign with a private Ed25519 key into sig (64 bytes). st is finished. */
int key_ed25519ph_final_create(unsigned char *sig, const struct sign_key *key,
                               crypto_sign_ed25519ph_state *st, struct vouch_error *err);

/** 1 when sig is a valid Ed25519ph signature by key over the bytes fed to st, else 0. */
int key_ed25519ph_final_verify(const struct sign_key *key, crypto_sign_ed25519ph_state *st,
                               const unsigned char *sig, size_t sig_len);

#endif
