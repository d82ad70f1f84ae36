/* The spool: an unlinked temporary file written through stdio and read back with pread,
 * so readers never move the writer's position. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "spool_internal.h"

int spool_init(struct spool *s, struct vouch_error *err)
{
    memset(s, 0, sizeof(*s));
    s->fp = tmpfile();
    if (s->fp == NULL) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot create a temporary file in '%s'",
                               P_tmpdir);
    }
    return 0;
}

int spool_append(struct spool *s, const void *p, size_t n, struct vouch_error *err)
{
    if (s->fp == NULL || fwrite(p, 1, n, s->fp) != n) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot write a temporary file");
    }
    s->len += n;
    return 0;
}

void spool_release(struct spool *s)
{
    if (s->fp != NULL) {
        fclose(s->fp);
    }
    memset(s, 0, sizeof(*s));
}

void spool_reader_init(struct spool_reader *r, const struct spool *s)
{
    r->s = s;
    r->off = 0;
    r->pos = r->len = 0;
}

static int refill(struct spool_reader *r, struct vouch_error *err)
{
    uint64_t left = r->s->len - r->off;
    size_t want = left < sizeof(r->buf) ? (size_t)left : sizeof(r->buf);
    ssize_t got;
    /* stdio may still hold appended bytes: hand them to the file before reading it */
    if (r->s->fp == NULL || fflush(r->s->fp) != 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot read a temporary file");
    }
    if (want == 0) {
        return vouch_error_set(err, VOUCH_EIO, "temporary file ends early");
    }
    do {
        got = pread(fileno(r->s->fp), r->buf, want, (off_t)r->off);
    } while (got < 0 && errno == EINTR);
    if (got <= 0) {
        return vouch_error_sys(err, VOUCH_EIO, got < 0 ? errno : 0, "cannot read a temporary file");
    }
    r->off += (uint64_t)got;
    r->pos = 0;
    r->len = (size_t)got;
    return 0;
}

int spool_reader_read(struct spool_reader *r, void *p, size_t n, struct vouch_error *err)
{
    unsigned char *dst = p;
    while (n > 0) {
        size_t k;
        int rc;
        if (r->pos == r->len && (rc = refill(r, err)) != 0) {
            return rc;
        }
        k = r->len - r->pos < n ? r->len - r->pos : n;
        memcpy(dst, r->buf + r->pos, k);
        r->pos += k;
        dst += k;
        n -= k;
    }
    return 0;
}

int spool_reader_done(const struct spool_reader *r)
{
    return r->pos == r->len && r->off == r->s->len;
}

int spool_read_at(const struct spool *s, uint64_t off, void *p, size_t n, struct vouch_error *err)
{
    unsigned char *dst = p;
    if (s->fp == NULL || off > s->len || n > s->len - off) {
        return vouch_error_set(err, VOUCH_EIO, "temporary file ends early");
    }
    if (fflush(s->fp) != 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot read a temporary file");
    }
    while (n > 0) {
        ssize_t got = pread(fileno(s->fp), dst, n, (off_t)off);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return vouch_error_sys(err, VOUCH_EIO, got < 0 ? errno : 0,
                                   "cannot read a temporary file");
        }
        dst += got;
        off += (uint64_t)got;
        n -= (size_t)got;
    }
    return 0;
}
