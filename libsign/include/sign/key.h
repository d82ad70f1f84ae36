/* Signing and verification keys: ECDSA P-256 (default; P-384/P-521 too), Ed25519, RSA
 * (verify). Reads and writes cosign's encrypted private key format and PKIX PEM. */
#ifndef SIGN_KEY_H
#define SIGN_KEY_H

#include <stddef.h>

#include "vouch/digest.h"
#include "vouch/error.h"

enum sign_key_type {
    SIGN_KEY_ECDSA_P256 = 0,
    SIGN_KEY_ECDSA_P384,
    SIGN_KEY_ECDSA_P521,
    SIGN_KEY_ED25519,
    SIGN_KEY_RSA,
};

/** A public or private key (opaque). */
struct sign_key;

/**
 * Options for writing cosign's encrypted private key file. The defaults are the one
 * combination every cosign (v1.x to v3) and every sigstore-enabled skopeo/podman (>= 1.9,
 * containers/image >= 5.22) reads: label "ENCRYPTED COSIGN PRIVATE KEY" (c/image < 5.25
 * rejects the SIGSTORE label) and scrypt N=32768 (cosign < 2.2 and skopeo 1.9-1.13 accept
 * no other N). See docs/keys.md and signing.md §3.2, §8.
 */
struct sign_key_write_opts {
    const char *pem_label;  /* NULL: "ENCRYPTED COSIGN PRIVATE KEY"; or the SIGSTORE label */
    unsigned long scrypt_n; /* 0: 32768; also 65536 or 131072 (cosign >= 2.2 only) */
};

/** Generate a new private key of the given type (not RSA). */
int sign_key_generate(struct sign_key **out, enum sign_key_type type, struct vouch_error *err);

/**
 * Load a private key from PEM bytes: cosign's "ENCRYPTED SIGSTORE PRIVATE KEY" and
 * "ENCRYPTED COSIGN PRIVATE KEY" (scrypt + NaCl secretbox over PKCS#8 DER), or an
 * unencrypted "PRIVATE KEY" (PKCS#8) / "EC PRIVATE KEY" (SEC1) / "RSA PRIVATE KEY" PEM.
 * A cosign plaintext that is not PKCS#8 (SEC1) is rejected as cosign does. password may be NULL
 * for unencrypted keys; an empty password is valid. name is used in error messages
 * (usually the file path). A wrong password is VOUCH_ECRYPTO.
 */
int sign_key_load_private(struct sign_key **out, const unsigned char *pem, size_t pem_len,
                          const char *password, size_t password_len, const char *name,
                          struct vouch_error *err);

/** 1 if pem is a cosign encrypted private key (so a password must be asked for), else 0
 *  (unencrypted or unparseable: sign_key_load_private reports why). */
int sign_key_needs_password(const unsigned char *pem, size_t pem_len);

/** Load a PKIX "PUBLIC KEY" PEM (ECDSA P-256/384/521, Ed25519, RSA 2048-4096). */
int sign_key_load_public(struct sign_key **out, const unsigned char *pem, size_t pem_len,
                         const char *name, struct vouch_error *err);

/** Load a public key from SubjectPublicKeyInfo DER (e.g. from an X.509 certificate). */
int sign_key_load_public_der(struct sign_key **out, const unsigned char *der, size_t der_len,
                             const char *name, struct vouch_error *err);

/** Load the public key of an X.509 certificate (PEM or DER). */
int sign_key_load_cert(struct sign_key **out, const unsigned char *data, size_t len,
                       const char *name, struct vouch_error *err);

/** Write key (private) as cosign's encrypted PEM. *out is malloc'd, NUL-terminated. */
int sign_key_write_encrypted(char **out, size_t *out_len, const struct sign_key *key,
                             const char *password, size_t password_len,
                             const struct sign_key_write_opts *opts, struct vouch_error *err);

/** The PKIX "PUBLIC KEY" PEM of key (public or private). *out is malloc'd. */
int sign_key_write_public_pem(char **out, size_t *out_len, const struct sign_key *key,
                              struct vouch_error *err);

/** The SubjectPublicKeyInfo DER of key. *out is malloc'd. */
int sign_key_public_der(unsigned char **out, size_t *out_len, const struct sign_key *key,
                        struct vouch_error *err);

/** Key type. */
enum sign_key_type sign_key_type_of(const struct sign_key *key);
/** 1 if key holds private material. */
int sign_key_is_private(const struct sign_key *key);
/** Static name: "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ed25519", "rsa". */
const char *sign_key_type_name(enum sign_key_type type);
/** Parse such a name (also "ecdsa" for P-256). */
int sign_key_type_from_name(enum sign_key_type *out, const char *name, struct vouch_error *err);
/** The hash used with this key by default (SHA-256 for P-256 and RSA, SHA-384 for P-384,
 *  SHA-512 for P-521 and Ed25519). */
enum sign_hash sign_key_default_hash(const struct sign_key *key);

/**
 * Sign a precomputed digest (ECDSA: ASN.1 DER; RSA: PKCS#1 v1.5). Not for Ed25519, which
 * signs messages (use sign_key_sign_msg). *sig is malloc'd.
 */
int sign_key_sign_digest(unsigned char **sig, size_t *sig_len, const struct sign_key *key,
                         enum sign_hash alg, const unsigned char *digest, size_t digest_len,
                         struct vouch_error *err);

/** Sign a message: hash with alg then sign (ECDSA/RSA), or pure Ed25519 over msg (alg is
 *  then ignored; Ed25519ph is not supported). */
int sign_key_sign_msg(unsigned char **sig, size_t *sig_len, const struct sign_key *key,
                      enum sign_hash alg, const unsigned char *msg, size_t msg_len,
                      struct vouch_error *err);

/** Verify over a digest. Returns 0 when valid, VOUCH_EVERIFY when not (fail closed: any
 *  OpenSSL failure is a rejection). RSA accepts PKCS#1 v1.5 and PSS (any salt length).
 *  Ed25519 keys give VOUCH_EUNSUPPORTED (use sign_key_verify_msg); a digest_len that does
 *  not match alg gives VOUCH_EINVAL. */
int sign_key_verify_digest(const struct sign_key *key, enum sign_hash alg,
                           const unsigned char *digest, size_t digest_len, const unsigned char *sig,
                           size_t sig_len, struct vouch_error *err);

/** Verify over a message (hash with alg; Ed25519: pure). 0 valid, VOUCH_EVERIFY not. */
int sign_key_verify_msg(const struct sign_key *key, enum sign_hash alg, const unsigned char *msg,
                        size_t msg_len, const unsigned char *sig, size_t sig_len,
                        struct vouch_error *err);

/** base64(SHA-256(SPKI DER)): the publicKey.hint cosign writes in sigstore bundles.
 *  *out is malloc'd. */
int sign_key_hint(char **out, const struct sign_key *key, struct vouch_error *err);

/** Free a key (private material is wiped); accepts NULL. */
void sign_key_free(struct sign_key *key);

#endif
