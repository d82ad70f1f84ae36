/* Streaming zstd decompression over libzstd's ZSTD_decompressStream: frames one after
 * another (skippable frames included), a frame cut short or bytes after the last frame
 * that are no frame refused, and output bounded by a decompression ratio, as for gzip. */
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "gz_internal.h"
#include "util.h"
#include "vouch/mem.h"

struct zs_reader {
    ZSTD_DStream *ds;
    gz_pull_fn pull;
    void *ctx;
    const char *name;
    struct gz_limits lim;
    uint64_t in_total;
    uint64_t out_total;
    ZSTD_inBuffer ib;
    size_t hint; /* ZSTD_decompressStream's last return: 0 when a frame just ended */
    int eof;
    int done;
    struct vouch_error fail; /* sticky */
    size_t in_cap;
    unsigned char *in;
};

int zs_reader_new(struct zs_reader **out, gz_pull_fn pull, void *ctx, const char *name,
                  const struct gz_limits *lim, struct vouch_error *err)
{
    struct zs_reader *z = calloc(1, sizeof(*z));
    *out = NULL;
    if (z == NULL) {
        return vouch_enomem(err);
    }
    z->in_cap = ZSTD_DStreamInSize();
    z->in = malloc(z->in_cap);
    z->ds = ZSTD_createDStream();
    if (z->in == NULL || z->ds == NULL || ZSTD_isError(ZSTD_initDStream(z->ds))) {
        zs_reader_free(z);
        return vouch_enomem(err);
    }
    z->ib.src = z->in;
    z->pull = pull;
    z->ctx = ctx;
    z->name = name;
    z->lim = *lim;
    z->hint = 1; /* nothing read yet: an empty input is truncated */
    *out = z;
    return 0;
}

void zs_reader_free(struct zs_reader *z)
{
    if (z != NULL) {
        ZSTD_freeDStream(z->ds);
        free(z->in);
        free(z);
    }
}

static int refill(struct zs_reader *z)
{
    size_t got = 0;
    int rc = z->pull(&got, z->ctx, z->in, z->in_cap, &z->fail);
    if (rc != 0) {
        return z->fail.code != 0 ? rc : vouch_error_set(&z->fail, rc, "'%s': read failed", z->name);
    }
    z->ib.size = got;
    z->ib.pos = 0;
    z->in_total += got;
    z->eof = got == 0;
    return 0;
}

/* Decompress into ob until it has bytes or the input ends. */
static int fill(struct zs_reader *z, ZSTD_outBuffer *ob)
{
    int rc;
    while (ob->pos == 0 && !z->done) {
        if (z->ib.pos == z->ib.size) {
            if ((rc = refill(z)) != 0) {
                return rc;
            }
            if (z->eof) {
                if (z->hint != 0) {
                    return vouch_error_set(&z->fail, VOUCH_EPARSE, "'%s': truncated zstd data",
                                           z->name);
                }
                z->done = 1;
                break;
            }
        }
        z->hint = ZSTD_decompressStream(z->ds, ob, &z->ib);
        if (ZSTD_isError(z->hint)) {
            return vouch_error_set(&z->fail, VOUCH_EPARSE, "'%s': corrupt zstd data (%s)", z->name,
                                   ZSTD_getErrorName(z->hint));
        }
    }
    return 0;
}

int zs_reader_read_into(size_t *len, struct zs_reader *z, unsigned char *dst, size_t cap,
                        struct vouch_error *err)
{
    ZSTD_outBuffer ob = {dst, cap, 0};
    *len = 0;
    if (z->fail.code == 0 && fill(z, &ob) == 0) {
        *len = ob.pos;
        z->out_total += ob.pos;
        gz_limits_check(&z->lim, z->in_total, z->out_total, z->name, &z->fail);
    }
    if (z->fail.code != 0) {
        *len = 0;
        return vouch_error_set(err, z->fail.code, "%s", z->fail.msg);
    }
    return 0;
}
