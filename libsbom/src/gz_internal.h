/* Streaming gzip inflate with ISA-L (about 2.4x zlib) and zstd with libzstd, and a
 * libarchive reader that runs them on a second thread so libarchive only parses the tar;
 * other formats keep libarchive's own filters. */
#ifndef SBOM_GZ_INTERNAL_H
#define SBOM_GZ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "vouch/error.h"

/**
 * A byte source: read up to cap bytes into buf; *got is 0 only at the end. A failure
 * returns non-zero with err set.
 */
typedef int (*gz_pull_fn)(size_t *got, void *ctx, unsigned char *buf, size_t cap,
                          struct vouch_error *err);

/** Decompression ratio checks start past this many output bytes. */
#define SBOM_RATIO_FLOOR ((uint64_t)64 << 20)

/** Decompression bomb limits: past floor output bytes, output/input stays <= max_ratio. */
struct gz_limits {
    unsigned max_ratio;
    uint64_t floor;
};

/** VOUCH_EINVAL in fail ("'NAME': decompression ratio above N:1") when out bytes from in
 *  bytes exceed lim past its floor; else 0. */
int gz_limits_check(const struct gz_limits *lim, uint64_t in, uint64_t out, const char *name,
                    struct vouch_error *fail);

/** An inflating reader over a byte source (opaque). */
struct gz_reader;

/**
 * New reader of the gzip stream pull returns (one or more members; zero bytes after the
 * last member are padding, anything else is an error). name (borrowed, kept) names the
 * input in messages.
 */
int gz_reader_new(struct gz_reader **out, gz_pull_fn pull, void *ctx, const char *name,
                  const struct gz_limits *lim, struct vouch_error *err);

/**
 * Next decompressed bytes (borrowed, valid until the next call). *len is 0 only at the
 * end, after every member's CRC-32 and length were checked. Corrupt, truncated or
 * trailing data fails with VOUCH_EPARSE, the ratio limit with VOUCH_EINVAL, a failing
 * source with its own error.
 */
int gz_reader_read(const unsigned char **buf, size_t *len, struct gz_reader *z,
                   struct vouch_error *err);

/** Like gz_reader_read, into dst (up to cap bytes; *len 0 only at the end). */
int gz_reader_read_into(size_t *len, struct gz_reader *z, unsigned char *dst, size_t cap,
                        struct vouch_error *err);

/** Compressed bytes consumed from the source so far. */
uint64_t gz_reader_bytes_in(const struct gz_reader *z);

void gz_reader_free(struct gz_reader *z);

/** A zstd reader over a byte source (opaque; zs_zstd.c): frames one after another. */
struct zs_reader;

/** New zstd reader of pull's stream; name (borrowed, kept) names the input in messages. */
int zs_reader_new(struct zs_reader **out, gz_pull_fn pull, void *ctx, const char *name,
                  const struct gz_limits *lim, struct vouch_error *err);

/** Like gz_reader_read_into: a truncated or corrupt stream or bytes after the last frame
 *  fail with VOUCH_EPARSE, the ratio limit with VOUCH_EINVAL. */
int zs_reader_read_into(size_t *len, struct zs_reader *z, unsigned char *dst, size_t cap,
                        struct vouch_error *err);

void zs_reader_free(struct zs_reader *z);

/** Formats arc_in_open enables besides tar. */
enum { ARC_IN_ZIP = 1 };

/** A libarchive reader over a byte source (opaque). */
struct arc_in;

/**
 * Open libarchive (struct archive *, borrowed, freed with in) over pull: gzip and zstd
 * input is decompressed by gz_reader / zs_reader and libarchive sees plain bytes; anything else
 * goes through libarchive's filters. Fails with VOUCH_EPARSE (or the source's error) when
 * libarchive cannot start reading.
 */
int arc_in_open(void **archive, struct arc_in **out, gz_pull_fn pull, void *ctx, const char *name,
                int formats, const struct gz_limits *lim, struct vouch_error *err);

/** The failure of the byte source or of the inflater, if any (borrowed). */
const struct vouch_error *arc_in_error(const struct arc_in *in);

/**
 * After libarchive stopped at the archive's end: read the rest of a gzip stream so every
 * member's CRC is checked and trailing garbage is refused.
 */
int arc_in_finish(struct arc_in *in, struct vouch_error *err);

void arc_in_free(struct arc_in *in);

#endif
