/* Bounded growable buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "vouch/buf.h"
#include "vouch/mem.h"

void vouch_buf_init(struct vouch_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max != 0 ? max : VOUCH_BUF_DEFAULT_MAX;
}

void vouch_buf_release(struct vouch_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void vouch_buf_release_secret(struct vouch_buf *b)
{
    if (b->data != NULL) {
        sodium_memzero(b->data, b->cap);
    }
    vouch_buf_release(b);
}

static int buf_grow(struct vouch_buf *b, size_t extra, struct vouch_error *err)
{
    size_t need;
    size_t ncap;
    unsigned char *p;
    if (extra > b->max || b->len > b->max - extra) {
        return vouch_error_set(err, VOUCH_EINVAL, "input too large (limit %zu bytes)", b->max);
    }
    need = b->len + extra + 1;
    if (need <= b->cap) {
        return 0;
    }
    ncap = b->cap != 0 ? b->cap : 64;
    while (ncap < need) {
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    }
    p = realloc(b->data, ncap);
    if (p == NULL) {
        return vouch_enomem(err);
    }
    b->data = p;
    b->cap = ncap;
    return 0;
}

int vouch_buf_append(struct vouch_buf *b, const void *p, size_t n, struct vouch_error *err)
{
    int rc = buf_grow(b, n, err);
    if (rc != 0) {
        return rc;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int vouch_buf_puts(struct vouch_buf *b, const char *s, struct vouch_error *err)
{
    return vouch_buf_append(b, s, strlen(s), err);
}

int vouch_buf_printf(struct vouch_buf *b, struct vouch_error *err, const char *fmt, ...)
{
    va_list ap;
    va_list ap2;
    int n;
    int rc;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return vouch_error_set(err, VOUCH_EINTERNAL, "format error");
    }
    rc = buf_grow(b, (size_t)n, err);
    if (rc == 0) {
        vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
    return rc;
}

void vouch_buf_reset(struct vouch_buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

const char *vouch_buf_cstr(const struct vouch_buf *b)
{
    return b->data != NULL ? (const char *)b->data : "";
}

unsigned char *vouch_buf_steal(struct vouch_buf *b, size_t *len)
{
    unsigned char *p = b->data;
    if (len != NULL) {
        *len = b->len;
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
