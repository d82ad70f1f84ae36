/* Message digests (SHA-256/384/512, SHA-1 for SPDX) over buffers, streams and files. */
#ifndef VOUCH_DIGEST_H
#define VOUCH_DIGEST_H

#include <stddef.h>

#include "vouch/error.h"

enum sign_hash {
    SIGN_HASH_SHA256 = 0,
    SIGN_HASH_SHA384,
    SIGN_HASH_SHA512,
    SIGN_HASH_SHA1,
};

#define SIGN_DIGEST_MAX 64 /* bytes in the largest digest */

/** Streaming digest context (opaque). */
struct sign_digest;

/** Create a context for alg. */
int sign_digest_new(struct sign_digest **out, enum sign_hash alg, struct vouch_error *err);
/** Feed bytes. */
int sign_digest_update(struct sign_digest *d, const void *p, size_t n, struct vouch_error *err);
/** Finish: writes the digest to out (SIGN_DIGEST_MAX bytes of room) and its length. */
int sign_digest_final(struct sign_digest *d, unsigned char *out, size_t *out_len,
                      struct vouch_error *err);
/** Free a context; accepts NULL. */
void sign_digest_free(struct sign_digest *d);

/** One-shot digest of a buffer. */
int sign_digest_buf(unsigned char *out, size_t *out_len, enum sign_hash alg, const void *p,
                    size_t n, struct vouch_error *err);

/** Digest of a file ("-" is stdin), streamed in fixed-size chunks: memory stays flat. */
int sign_digest_file(unsigned char *out, size_t *out_len, enum sign_hash alg, const char *path,
                     struct vouch_error *err);

/** Length in bytes of alg's digest. */
size_t sign_hash_size(enum sign_hash alg);
/** Name as in OCI digests / in-toto ("sha256", "sha384", "sha512", "sha1"). */
const char *sign_hash_name(enum sign_hash alg);
/** Parse a name as above; returns VOUCH_EUNSUPPORTED for others. */
int sign_hash_from_name(enum sign_hash *out, const char *name, struct vouch_error *err);

#endif
