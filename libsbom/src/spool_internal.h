/* An append-only spool of bytes in an unlinked temporary file: records that would make
 * memory grow with the input (one per file of a source) are written here and read back in
 * order by any number of independent readers. */
#ifndef SBOM_SPOOL_INTERNAL_H
#define SBOM_SPOOL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vouch/error.h"

struct spool {
    FILE *fp;     /* tmpfile(): removed by the system when closed or at exit */
    uint64_t len; /* bytes appended */
};

/** Create an empty spool (caller-owned struct); release with spool_release. */
int spool_init(struct spool *s, struct vouch_error *err);

/** Append n bytes at the end. */
int spool_append(struct spool *s, const void *p, size_t n, struct vouch_error *err);

/** Read exactly n bytes at offset off; VOUCH_EIO past the end or on an I/O error. */
int spool_read_at(const struct spool *s, uint64_t off, void *p, size_t n, struct vouch_error *err);

/** Close and remove the file; accepts a zeroed or already released spool. */
void spool_release(struct spool *s);

#define SPOOL_READER_BUF 32768

/** A sequential reader with its own position (several may read one spool at a time). */
struct spool_reader {
    const struct spool *s;
    uint64_t off; /* file offset of buf[0] + len: where the next refill starts */
    size_t pos;
    size_t len;
    unsigned char buf[SPOOL_READER_BUF];
};

/** Start reading s from its beginning (appends made before each refill are visible). */
void spool_reader_init(struct spool_reader *r, const struct spool *s);

/** Read exactly n bytes; VOUCH_EIO on an I/O error or a spool shorter than that. */
int spool_reader_read(struct spool_reader *r, void *p, size_t n, struct vouch_error *err);

/** 1 when every appended byte has been read. */
int spool_reader_done(const struct spool_reader *r);

#endif
