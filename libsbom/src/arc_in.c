/* libarchive over a byte source. gzip (magic 1f 8b, ISA-L) and zstd (magic 28 b5 2f fd,
 * libzstd) are decompressed here on a second thread, a few chunks ahead of libarchive,
 * which parses the plain tar while the caller hashes file contents; every other input
 * keeps libarchive's own filters (xz, ...), whose decompression ratio the caller checks
 * with archive_filter_bytes. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>

#include "gz_internal.h"
#include "util.h"
#include "vouch/mem.h"

#define SLOTS 4
#define SLOT_SIZE (1 << 18)

/* A chunk of inflated output; the last one (len 0 or rc != 0) ends the stream. */
struct slot {
    size_t len;
    int rc;
    unsigned char buf[SLOT_SIZE];
};

/* A decompressor the thread runs: gz_reader or zs_reader. */
typedef int (*dec_read_fn)(size_t *len, void *dec, unsigned char *dst, size_t cap,
                           struct vouch_error *err);

struct arc_in {
    struct archive *a;
    void *dec; /* NULL: bytes go to libarchive as they are */
    dec_read_fn dec_read;
    void (*dec_free)(void *dec);
    gz_pull_fn pull;
    void *ctx;
    struct vouch_error err;
    size_t head_off; /* bytes read to sniff the format, not yet handed on */
    size_t head_len;
    unsigned char buf[1 << 16];
    /* the decompressing thread fills slots[w % SLOTS], libarchive reads slots[r % SLOTS] */
    pthread_t th;
    int running;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned long r, w;
    int held; /* libarchive holds slots[r % SLOTS] */
    int stop;
    struct vouch_error werr; /* the inflating thread's failure */
    struct slot *slots;
};

/* The sniffed bytes first, then the source. */
static int replay_pull(size_t *got, void *ctx, unsigned char *buf, size_t cap,
                       struct vouch_error *err)
{
    struct arc_in *in = ctx;
    size_t n = in->head_len - in->head_off;
    if (n == 0) {
        return in->pull(got, in->ctx, buf, cap, err);
    }
    n = n < cap ? n : cap;
    memcpy(buf, in->buf + in->head_off, n);
    in->head_off += n;
    *got = n;
    return 0;
}

static void *inflater(void *arg)
{
    struct arc_in *in = arg;
    for (;;) {
        struct slot *s;
        pthread_mutex_lock(&in->mu);
        while (in->w - in->r >= SLOTS && !in->stop) {
            pthread_cond_wait(&in->cv, &in->mu);
        }
        if (in->stop) {
            pthread_mutex_unlock(&in->mu);
            return NULL;
        }
        s = &in->slots[in->w % SLOTS];
        pthread_mutex_unlock(&in->mu);
        s->rc = in->dec_read(&s->len, in->dec, s->buf, sizeof(s->buf), &in->werr);
        pthread_mutex_lock(&in->mu);
        in->w++;
        pthread_cond_broadcast(&in->cv);
        pthread_mutex_unlock(&in->mu);
        if (s->rc != 0 || s->len == 0) {
            return NULL;
        }
    }
}

/* The next inflated chunk: releases the one libarchive held, waits for the thread. A
 * final chunk is never released, so reading past the end returns it again. */
static int next_slot(const unsigned char **p, size_t *n, struct arc_in *in)
{
    struct slot *s;
    pthread_mutex_lock(&in->mu);
    if (in->held) {
        in->r++;
        in->held = 0;
        pthread_cond_broadcast(&in->cv);
    }
    while (in->r == in->w) {
        pthread_cond_wait(&in->cv, &in->mu);
    }
    s = &in->slots[in->r % SLOTS];
    in->held = s->rc == 0 && s->len > 0;
    pthread_mutex_unlock(&in->mu);
    if (s->rc != 0) {
        return vouch_error_set(&in->err, in->werr.code, "%s", in->werr.msg);
    }
    *p = s->buf;
    *n = s->len;
    return 0;
}

static la_ssize_t in_read(struct archive *a, void *ctx, const void **buf)
{
    struct arc_in *in = ctx;
    const unsigned char *p = in->buf;
    size_t n = 0;
    int rc = 0;
    if (in->dec != NULL) {
        rc = next_slot(&p, &n, in);
    } else if (in->head_off < in->head_len) {
        p = in->buf + in->head_off;
        n = in->head_len - in->head_off;
        in->head_off = in->head_len;
    } else {
        rc = in->pull(&n, in->ctx, in->buf, sizeof(in->buf), &in->err);
    }
    if (rc != 0) {
        archive_set_error(a, EIO, "%s", in->err.msg);
        return -1;
    }
    *buf = p;
    return (la_ssize_t)n;
}

/* Read until four bytes are in hand (or the source ends) to see a gzip or zstd magic. */
static int sniff(struct arc_in *in)
{
    while (in->head_len < 4) {
        size_t got = 0;
        int rc = in->pull(&got, in->ctx, in->buf + in->head_len, sizeof(in->buf) - in->head_len,
                          &in->err);
        if (rc != 0) {
            return rc;
        }
        if (got == 0) {
            break;
        }
        in->head_len += got;
    }
    return 0;
}

static int gz_read(size_t *len, void *dec, unsigned char *dst, size_t cap, struct vouch_error *err)
{
    return gz_reader_read_into(len, dec, dst, cap, err);
}

static void gz_free(void *dec)
{
    gz_reader_free(dec);
}

static int zs_read(size_t *len, void *dec, unsigned char *dst, size_t cap, struct vouch_error *err)
{
    return zs_reader_read_into(len, dec, dst, cap, err);
}

static void zs_free(void *dec)
{
    zs_reader_free(dec);
}

static int start_inflater(struct arc_in *in, const char *name, const struct gz_limits *lim,
                          int zstd)
{
    int rc;
    if (zstd) {
        struct zs_reader *z = NULL;
        rc = zs_reader_new(&z, replay_pull, in, name, lim, &in->err);
        in->dec = z;
        in->dec_read = zs_read;
        in->dec_free = zs_free;
    } else {
        struct gz_reader *z = NULL;
        rc = gz_reader_new(&z, replay_pull, in, name, lim, &in->err);
        in->dec = z;
        in->dec_read = gz_read;
        in->dec_free = gz_free;
    }
    if (rc != 0) {
        return rc;
    }
    if ((in->slots = malloc(SLOTS * sizeof(*in->slots))) == NULL) {
        return vouch_enomem(&in->err);
    }
    pthread_mutex_init(&in->mu, NULL);
    pthread_cond_init(&in->cv, NULL);
    if ((rc = pthread_create(&in->th, NULL, inflater, in)) != 0) {
        pthread_cond_destroy(&in->cv);
        pthread_mutex_destroy(&in->mu);
        return vouch_error_sys(&in->err, VOUCH_EINTERNAL, rc, "cannot start a thread");
    }
    in->running = 1;
    return 0;
}

static int start(struct arc_in *in, const char *name, int formats, const struct gz_limits *lim)
{
    static const unsigned char zmagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
    int rc = sniff(in);
    if (rc == 0 && in->head_len >= 2 && in->buf[0] == 0x1f && in->buf[1] == 0x8b) {
        rc = start_inflater(in, name, lim, 0);
    } else if (rc == 0 && in->head_len >= 4 && memcmp(in->buf, zmagic, 4) == 0) {
        rc = start_inflater(in, name, lim, 1);
    }
    if (rc != 0) {
        return rc;
    }
    if ((in->a = archive_read_new()) == NULL) {
        return vouch_enomem(&in->err);
    }
    archive_read_support_filter_all(in->a);
    archive_read_support_format_tar(in->a);
    archive_read_support_format_gnutar(in->a);
    if (formats & ARC_IN_ZIP) {
        archive_read_support_format_zip(in->a);
    }
    if (archive_read_open(in->a, in, NULL, in_read, NULL) != ARCHIVE_OK) {
        const char *m = archive_error_string(in->a);
        return vouch_error_set(&in->err, VOUCH_EPARSE, "cannot read archive '%s': %s", name,
                               m != NULL ? m : "unreadable");
    }
    return 0;
}

int arc_in_open(void **archive, struct arc_in **out, gz_pull_fn pull, void *ctx, const char *name,
                int formats, const struct gz_limits *lim, struct vouch_error *err)
{
    struct arc_in *in = calloc(1, sizeof(*in));
    int rc;
    *archive = NULL;
    *out = NULL;
    if (in == NULL) {
        return vouch_enomem(err);
    }
    in->pull = pull;
    in->ctx = ctx;
    if ((rc = start(in, name, formats, lim)) != 0) {
        rc = vouch_error_set(err, in->err.code, "%s", in->err.msg);
        arc_in_free(in);
        return rc;
    }
    *archive = in->a;
    *out = in;
    return 0;
}

const struct vouch_error *arc_in_error(const struct arc_in *in)
{
    return &in->err;
}

int arc_in_finish(struct arc_in *in, struct vouch_error *err)
{
    const unsigned char *p;
    size_t n = 1;
    while (in->dec != NULL && n > 0) {
        if (next_slot(&p, &n, in) != 0) {
            return vouch_error_set(err, in->err.code, "%s", in->err.msg);
        }
    }
    return 0;
}

void arc_in_free(struct arc_in *in)
{
    if (in == NULL) {
        return;
    }
    if (in->a != NULL) {
        archive_read_free(in->a);
    }
    if (in->running) {
        pthread_mutex_lock(&in->mu);
        in->stop = 1;
        pthread_cond_broadcast(&in->cv);
        pthread_mutex_unlock(&in->mu);
        pthread_join(in->th, NULL);
        pthread_cond_destroy(&in->cv);
        pthread_mutex_destroy(&in->mu);
    }
    free(in->slots);
    if (in->dec != NULL) {
        in->dec_free(in->dec);
    }
    free(in);
}
