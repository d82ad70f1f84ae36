/* libarchive over a byte source: gzip (magic 1f 8b) is inflated here with ISA-L and
 * libarchive parses the plain tar; every other input keeps libarchive's own filters
 * (zstd, xz, ...), whose decompression ratio the caller checks with archive_filter_bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>

#include "gz_internal.h"
#include "util.h"

struct arc_in {
    struct archive *a;
    struct gz_reader *gz; /* NULL: bytes go to libarchive as they are */
    gz_pull_fn pull;
    void *ctx;
    struct vouch_error err;
    size_t head_off; /* bytes read to sniff the format, not yet handed on */
    size_t head_len;
    unsigned char buf[1 << 16];
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

static la_ssize_t in_read(struct archive *a, void *ctx, const void **buf)
{
    struct arc_in *in = ctx;
    const unsigned char *p = in->buf;
    size_t n = 0;
    int rc = 0;
    if (in->gz != NULL) {
        rc = gz_reader_read(&p, &n, in->gz, &in->err);
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

/* Read until two bytes are in hand (or the source ends) to see the gzip magic. */
static int sniff(struct arc_in *in)
{
    while (in->head_len < 2) {
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

static int start(struct arc_in *in, const char *name, int formats, const struct gz_limits *lim)
{
    int rc = sniff(in);
    if (rc == 0 && in->head_len >= 2 && in->buf[0] == 0x1f && in->buf[1] == 0x8b) {
        rc = gz_reader_new(&in->gz, replay_pull, in, name, lim, &in->err);
    }
    if (rc != 0) {
        return rc;
    }
    if ((in->a = archive_read_new()) == NULL) {
        return util_enomem(&in->err);
    }
    archive_read_support_filter_all(in->a);
    archive_read_support_format_tar(in->a);
    archive_read_support_format_gnutar(in->a);
    if (formats & ARC_IN_ZIP) {
        archive_read_support_format_zip(in->a);
    }
    if (archive_read_open(in->a, in, NULL, in_read, NULL) != ARCHIVE_OK) {
        return vouch_error_set(&in->err, VOUCH_EPARSE, "cannot read archive '%s': %s", name,
                               archive_error_string(in->a));
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
        return util_enomem(err);
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
    while (in->gz != NULL && n > 0) {
        if (gz_reader_read(&p, &n, in->gz, &in->err) != 0) {
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
    gz_reader_free(in->gz);
    free(in);
}
