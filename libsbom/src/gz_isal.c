/* Streaming gzip inflate over ISA-L's isal_inflate: members one after another (RFC 1952
 * 2.2), each header parsed by isal_read_gzip_header and its CRC-32 and ISIZE checked by
 * isal_inflate (ISAL_GZIP_NO_HDR_VER), zero padding after the last member tolerated,
 * anything else after it refused, and output bounded by a decompression ratio. */
#include <stdlib.h>
#include <string.h>

#include <isa-l/igzip_lib.h>

#include "gz_internal.h"
#include "util.h"
#include "vouch/mem.h"

#define GZ_IN (1 << 17)
#define GZ_OUT (1 << 18)
#define GZ_HEAD 16 /* room before the input to give back bytes ISA-L had buffered */

struct gz_reader {
    struct inflate_state st;
    gz_pull_fn pull;
    void *ctx;
    const char *name;
    struct gz_limits lim;
    uint64_t in_total;
    uint64_t out_total;
    int eof;     /* the source is exhausted */
    int between; /* a member ended: next comes another, padding or the end */
    int header;  /* a member starts: its header comes next */
    int stalled; /* the last step made no progress: read more before the next */
    int done;
    struct vouch_error fail; /* a failure repeats on every later read */
    unsigned char in[GZ_HEAD + GZ_IN];
    unsigned char out[GZ_OUT];
};

int gz_reader_new(struct gz_reader **out, gz_pull_fn pull, void *ctx, const char *name,
                  const struct gz_limits *lim, struct vouch_error *err)
{
    struct gz_reader *z = malloc(sizeof(*z));
    *out = NULL;
    if (z == NULL) {
        return vouch_enomem(err);
    }
    memset(z, 0, offsetof(struct gz_reader, in));
    isal_inflate_init(&z->st);
    z->st.crc_flag = ISAL_GZIP_NO_HDR_VER;
    z->st.next_in = z->in + GZ_HEAD;
    z->st.avail_in = 0;
    z->header = 1;
    z->pull = pull;
    z->ctx = ctx;
    z->name = name;
    z->lim = *lim;
    *out = z;
    return 0;
}

void gz_reader_free(struct gz_reader *z)
{
    free(z);
}

uint64_t gz_reader_bytes_in(const struct gz_reader *z)
{
    return z->in_total;
}

/* Move the unread input to the front and read more after it. */
static int refill(struct gz_reader *z)
{
    size_t keep = z->st.avail_in, got = 0;
    int rc;
    if (z->eof) {
        return 0;
    }
    if (keep == GZ_IN) { /* no deflate step needs this much input at once */
        return vouch_error_set(&z->fail, VOUCH_EPARSE, "'%s': corrupt gzip data", z->name);
    }
    memmove(z->in + GZ_HEAD, z->st.next_in, keep);
    z->st.next_in = z->in + GZ_HEAD;
    if ((rc = z->pull(&got, z->ctx, z->in + GZ_HEAD + keep, GZ_IN - keep, &z->fail)) != 0) {
        return vouch_error_set(&z->fail, rc, "'%s': read failed", z->name); /* if unset */
    }
    z->eof = got == 0;
    z->in_total += got;
    z->st.avail_in = (uint32_t)(keep + got);
    return 0;
}

static int corrupt(struct gz_reader *z, int ret)
{
    static const struct {
        int ret;
        const char *what;
    } why[] = {
        {ISAL_INVALID_BLOCK, "invalid deflate block"},
        {ISAL_INVALID_SYMBOL, "invalid deflate symbol"},
        {ISAL_INVALID_LOOKBACK, "invalid deflate distance"},
        {ISAL_INVALID_WRAPPER, "invalid gzip header"},
        {ISAL_UNSUPPORTED_METHOD, "unsupported gzip compression method"},
        {ISAL_INCORRECT_CHECKSUM, "gzip CRC-32 or length mismatch"},
    };
    const char *what = "corrupt gzip data";
    for (size_t i = 0; i < sizeof(why) / sizeof(why[0]); i++) {
        what = why[i].ret == ret ? why[i].what : what;
    }
    return vouch_error_set(&z->fail, VOUCH_EPARSE, "'%s': %s", z->name, what);
}

/* A member ended: ISA-L may hold whole bytes past it in its bit buffer; put them back in
 * front of the unread input (GZ_HEAD leaves room) for the next member's header. */
static void member_end(struct gz_reader *z)
{
    int nb = z->st.read_in_length / 8;
    uint64_t rest = z->st.read_in >> (z->st.read_in_length % 8);
    for (int i = nb; i-- > 0;) {
        *--z->st.next_in = (unsigned char)(rest >> (8 * i));
        z->st.avail_in++;
    }
    z->between = 1;
}

/* After a member: skip zero padding, start the next member on its magic, end at EOF. */
static int next_member(struct gz_reader *z)
{
    while (z->st.avail_in > 0 && z->st.next_in[0] == 0) {
        z->st.next_in++;
        z->st.avail_in--;
    }
    if (z->st.avail_in < 2 && !z->eof) {
        return refill(z);
    }
    if (z->st.avail_in == 0) {
        z->done = 1;
        return 0;
    }
    if (z->st.avail_in < 2 || z->st.next_in[0] != 0x1f || z->st.next_in[1] != 0x8b) {
        return vouch_error_set(&z->fail, VOUCH_EPARSE, "'%s': trailing garbage after gzip data",
                               z->name);
    }
    unsigned char *p = z->st.next_in;
    uint32_t n = z->st.avail_in;
    isal_inflate_reset(&z->st);
    z->st.crc_flag = ISAL_GZIP_NO_HDR_VER;
    z->st.next_in = p;
    z->st.avail_in = n;
    z->between = 0;
    z->header = 1;
    return 0;
}

/* isal_inflate's own header parsing (ISAL_GZIP) loses the flags when a header is split
 * across reads, so the whole header is read in first (up to GZ_IN bytes: a longer name or
 * comment is refused) and parsed once, its optional fields skipped, FHCRC checked. */
static int header(struct gz_reader *z)
{
    struct isal_gzip_header h;
    int ret, rc;
    while (z->st.avail_in < GZ_IN && !z->eof) {
        if ((rc = refill(z)) != 0) {
            return rc;
        }
    }
    isal_gzip_header_init(&h);
    if ((ret = isal_read_gzip_header(&z->st, &h)) < 0) {
        return corrupt(z, ret);
    }
    if (ret != ISAL_DECOMP_OK) {
        return vouch_error_set(&z->fail, VOUCH_EPARSE, "'%s': %s", z->name,
                               z->eof ? "truncated gzip data" : "gzip header too long");
    }
    if (h.flags & 0xe0) { /* reserved (RFC 1952 2.3.1), refused like zlib and gzip do */
        return corrupt(z, ISAL_INVALID_WRAPPER);
    }
    z->header = 0;
    return 0;
}

/* One isal_inflate step; reads more first when the input ran dry or the last step
 * could not progress (a header or block split across reads). */
static int step(struct gz_reader *z)
{
    uint32_t in0, out0;
    int ret, rc;
    if ((z->st.avail_in == 0 || z->stalled) && (rc = refill(z)) != 0) {
        return rc;
    }
    in0 = z->st.avail_in;
    out0 = z->st.avail_out;
    if ((ret = isal_inflate(&z->st)) < 0) {
        return corrupt(z, ret);
    }
    z->stalled = in0 == z->st.avail_in && out0 == z->st.avail_out;
    if (z->st.block_state == ISAL_BLOCK_FINISH) {
        member_end(z);
    } else if (z->stalled && z->eof) {
        return vouch_error_set(&z->fail, VOUCH_EPARSE, "'%s': truncated gzip data", z->name);
    }
    return 0;
}

int gz_limits_check(const struct gz_limits *lim, uint64_t in, uint64_t out, const char *name,
                    struct vouch_error *fail)
{
    if (out > lim->floor && in > 0 && out / in > lim->max_ratio) {
        return vouch_error_set(fail, VOUCH_EINVAL,
                               "'%s': decompression ratio above %u:1 (decompression bomb?)", name,
                               lim->max_ratio);
    }
    return 0;
}

int gz_reader_read_into(size_t *len, struct gz_reader *z, unsigned char *dst, size_t cap,
                        struct vouch_error *err)
{
    int rc = 0;
    *len = 0;
    if (z->fail.code == 0) {
        z->st.next_out = dst;
        z->st.avail_out = (uint32_t)(cap < UINT32_MAX ? cap : UINT32_MAX);
        while (rc == 0 && !z->done && z->st.avail_out > 0) {
            rc = z->between ? next_member(z) : z->header ? header(z) : step(z);
        }
        *len = (size_t)(z->st.next_out - dst);
        z->out_total += *len;
        rc = rc != 0 ? rc : gz_limits_check(&z->lim, z->in_total, z->out_total, z->name, &z->fail);
    }
    if (z->fail.code != 0) { /* sticky: every later read fails the same way */
        *len = 0;
        return vouch_error_set(err, z->fail.code, "%s", z->fail.msg);
    }
    return 0;
}

int gz_reader_read(const unsigned char **buf, size_t *len, struct gz_reader *z,
                   struct vouch_error *err)
{
    *buf = z->out;
    return gz_reader_read_into(len, z, z->out, sizeof(z->out), err);
}
