/* A growable byte buffer with a hard cap, for every reader of untrusted bytes. */
#ifndef VOUCH_BUF_H
#define VOUCH_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "vouch/error.h"

/** Caller-owned buffer. data is always NUL-terminated after a successful append. */
struct vouch_buf {
    unsigned char *data;
    size_t len;
    size_t cap;
    size_t max; /* appends past max fail with VOUCH_EINVAL ("too large") */
};

/** Default cap for JSON documents and similar (64 MiB). */
#define VOUCH_BUF_DEFAULT_MAX ((size_t)64 << 20)

/** Initialise an empty buffer that may grow to max bytes (0 means VOUCH_BUF_DEFAULT_MAX). */
void vouch_buf_init(struct vouch_buf *b, size_t max);

/** Free the storage and reset to empty (the cap is kept). Accepts an already released buf. */
void vouch_buf_release(struct vouch_buf *b);

/** Wipe the contents with sodium_memzero, then release (for secrets). */
void vouch_buf_release_secret(struct vouch_buf *b);

/** Append n bytes. */
int vouch_buf_append(struct vouch_buf *b, const void *p, size_t n, struct vouch_error *err);

/** Append a NUL-terminated string. */
int vouch_buf_puts(struct vouch_buf *b, const char *s, struct vouch_error *err);

/** Append formatted text. */
int vouch_buf_printf(struct vouch_buf *b, struct vouch_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Set len to 0 (keep storage). */
void vouch_buf_reset(struct vouch_buf *b);

/** Borrowed NUL-terminated view ("" for an empty buffer). */
const char *vouch_buf_cstr(const struct vouch_buf *b);

/** Hand the storage to the caller (free() it); the buffer is left empty. May return NULL
 *  when empty. */
unsigned char *vouch_buf_steal(struct vouch_buf *b, size_t *len);

#endif
