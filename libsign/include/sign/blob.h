/* Signatures over files ("blobs"), as cosign sign-blob/verify-blob make them: the file is
 * hashed in a stream (memory stays flat for any size) and the digest signed; Ed25519 keys
 * sign Ed25519ph (RFC 8032, as cosign v3 does), streamed too. */
#ifndef SIGN_BLOB_H
#define SIGN_BLOB_H

#include <stddef.h>

#include "sign/key.h"
#include "vouch/digest.h"
#include "vouch/error.h"

/** A file's digest as used for its signature (and a bundle's messageDigest). */
struct sign_blob_digest {
    enum sign_hash alg; /* the key's default hash; SHA-512 for Ed25519 (Ed25519ph's prehash) */
    unsigned char value[SIGN_DIGEST_MAX];
    size_t len;
};

/**
 * Sign the file at path ("-" is stdin) with a private key: ECDSA (DER) or RSA PKCS#1 v1.5
 * over the key's default hash of the file, Ed25519ph (empty context) over its bytes.
 * *sig is malloc'd. digest (may be NULL) receives the file's digest.
 */
int sign_blob_sign(unsigned char **sig, size_t *sig_len, struct sign_blob_digest *digest,
                   const struct sign_key *key, const char *path, struct vouch_error *err);

/**
 * Verify sig over the file at path with key. When want is not NULL the file is digested with
 * want->alg (so a bundle's messageDigest algorithm selects the hash an ECDSA/RSA signature
 * is checked over) and must equal it first. An Ed25519 signature is Ed25519ph or, for a
 * file (not stdin), pure Ed25519 (mapped, not read into memory). Returns 0 when valid,
 * VOUCH_EVERIFY with the reason when not, other codes when the file cannot be read. digest (may be
 * NULL) receives the file's digest.
 */
int sign_blob_verify(struct sign_blob_digest *digest, const struct sign_key *key, const char *path,
                     const struct sign_blob_digest *want, const unsigned char *sig, size_t sig_len,
                     struct vouch_error *err);

/** Fill d with the digest of the file at path as sign_blob_sign would compute it for key. */
int sign_blob_digest_file(struct sign_blob_digest *d, const struct sign_key *key, const char *path,
                          struct vouch_error *err);

#endif
