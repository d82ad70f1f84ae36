/* Private layout of a root: a sorted index of entries built by a source (directory
 * walker, archive streamer, layer squasher), with kept contents of wanted files. */
#ifndef SBOM_ROOT_INTERNAL_H
#define SBOM_ROOT_INTERNAL_H

#include <stdint.h>

#include "sbom/root.h"
#include "spool_internal.h"
#include "util.h"

struct root_entry {
    char *path;          /* in names; normalised: no leading '/', no '.', '..' or empty parts */
    char *link;          /* symlink target as stored */
    unsigned char *data; /* kept contents or NULL */
    size_t data_len;
    uint64_t size;
    uint64_t seq; /* insertion order: the later of two equal paths wins */
    unsigned mode;
    uint32_t dig; /* regular file: index + 1 of its SHA-256 and SHA-1 in the digest spool */
    uint8_t type; /* enum sbom_ftype */
    uint8_t kept; /* 0 no, 1 in data, 2 dropped (over its cap), 3 spilled: data_len bytes at
                     spill_off of the root's blob spool */
    uint64_t spill_off;
    uint8_t dead; /* removed by a whiteout, awaiting root_compact */
    int layer;    /* index into layers or -1 */
};

struct sbom_root {
    struct root_entry *e;
    size_t n;
    size_t cap;
    struct strv warnings;
    struct strv layers;
    long long *layer_sizes; /* declared by the manifest, one per layer (-1: none) */
    size_t layer_now;       /* image sources: the layer being read (progress) */
    struct sbom_root_opts o;
    uint64_t kept_total;
    uint64_t bytes_total;
    uint64_t next_seq;
    struct arena names;   /* entry paths (those of replaced entries stay until the end) */
    struct spool digests; /* ROOT_DIG_LEN bytes per hashed file: memory stays flat */
    struct spool blobs;   /* contents kept with SBOM_WANT_SPILL */
    uint32_t ndig;
};

#define ROOT_DIG_LEN (32 + 20)

/** Streaming SHA-256 + SHA-1 of one file. */
struct root_hasher {
    void *s256; /* EVP_MD_CTX */
    void *s1;
};

int root_new(struct sbom_root **out, const struct sbom_root_opts *o, struct vouch_error *err);

/** 1 when path is one of the source's excluded paths (sbom_root_opts.exclude). */
int root_excluded(const struct sbom_root *r, const char *path);

/** Append an entry (path copied); returns it zeroed except path/type/seq/layer. */
int root_add(struct root_entry **out, struct sbom_root *r, const char *path, enum sbom_ftype t,
             struct vouch_error *err);

/** Sort and drop shadowed duplicates; call once after the source is read. */
void root_finish(struct sbom_root *r);

/** Record a warning about the source. */
void root_warn(struct sbom_root *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Normalise an archive member name into out (ROOT_PATH_MAX); -1 if it escapes the root. */
int root_path_normalize(char *out, size_t outsz, const char *name);

/** Size cap for keeping path's contents (0: not wanted). */
size_t root_want(const struct sbom_root *r, const char *path);

/** Index of the first entry whose path is >= key, in the sorted index. */
size_t root_lower_bound(const struct sbom_root *r, const char *key);

int root_hasher_init(struct root_hasher *h, struct vouch_error *err);
int root_hasher_update(struct root_hasher *h, const void *p, size_t n, struct vouch_error *err);
/** Finish the digests of e and spool them (e->dig). */
int root_hasher_final(struct root_hasher *h, struct sbom_root *r, struct root_entry *e,
                      struct vouch_error *err);
void root_hasher_release(struct root_hasher *h);

/** Report progress to r->o.progress, if any (bytes, entries, layer so far). */
void root_progress(const struct sbom_root *r);

/** Account n more bytes read from the source against the limits (reports progress). */
int root_account(struct sbom_root *r, uint64_t n, const char *what, struct vouch_error *err);

/** Append to a kept-content buffer under the entry's cap; on overflow drop it (warning). */
int root_keep(struct sbom_root *r, struct root_entry *e, size_t cap, const void *p, size_t n,
              struct vouch_error *err);

/**
 * Stream one tar layer from an opened libarchive reader (struct archive *) into r: entries
 * get layer's index; when wh is not NULL, whiteouts are collected there ("DIR/NAME" for
 * .wh.NAME, "DIR/" for an opaque directory) instead of being added. read_err, if not NULL,
 * holds the byte source's failure, reported in preference to libarchive's message.
 */
int root_stream_archive(struct sbom_root *r, void *archive, const char *name, int layer,
                        struct strv *wh, const struct vouch_error *read_err,
                        struct vouch_error *err);

/** Remove entries marked dead and keep the index sorted. */
void root_compact(struct sbom_root *r);

#define ROOT_PATH_MAX 4096
#define ROOT_MAX_LINKS 40

#endif
