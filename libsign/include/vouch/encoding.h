/* Base64 and hex, via libsodium. */
#ifndef VOUCH_ENCODING_H
#define VOUCH_ENCODING_H

#include <stddef.h>

#include "vouch/error.h"

/** Standard base64 with padding of in[0..n). *out is malloc'd and NUL-terminated. */
int vouch_base64_encode(char **out, const unsigned char *in, size_t n, struct vouch_error *err);

/**
 * Decode base64: standard or URL-safe alphabet, padded or not (DSSE readers must accept
 * all). Leading/trailing ASCII whitespace is ignored. *out is malloc'd (NUL-terminated for
 * convenience, the NUL not counted in *out_len).
 */
int vouch_base64_decode(unsigned char **out, size_t *out_len, const char *in, size_t n,
                        struct vouch_error *err);

/** Lowercase hex of in[0..n) into out, which must hold 2*n+1 bytes. */
void vouch_hex_encode(char *out, const unsigned char *in, size_t n);

/** Decode exactly out_len bytes from hex text of length 2*out_len. */
int vouch_hex_decode(unsigned char *out, size_t out_len, const char *hex, size_t hex_len,
                     struct vouch_error *err);

#endif
