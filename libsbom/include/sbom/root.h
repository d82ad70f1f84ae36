/* A read-only filesystem view ("root") that catalogers read through, so the same
 * catalogers work on a directory, an archive and squashed image layers. Paths are
 * relative to the root ("etc/os-release"; a leading '/' is ignored). Symlinks resolve
 * inside the root only, never on the host; loops are detected (ELOOP-like error). */
#ifndef SBOM_ROOT_H
#define SBOM_ROOT_H

#include <stddef.h>
#include <stdint.h>

#include "vouch/error.h"

/** A root (opaque). */
struct sbom_root;

enum sbom_ftype {
    SBOM_FT_REG = 0,
    SBOM_FT_DIR,
    SBOM_FT_LNK,
    SBOM_FT_OTHER,
};

/** What stat reports (layer is borrowed, NULL outside images). */
struct sbom_stat {
    enum sbom_ftype type;
    uint64_t size;
    unsigned mode;
    const char *layer;
};

/**
 * Which file contents a source keeps while it walks: called with each regular file's
 * path, returns the largest size to keep (0 = metadata and digests only). A file larger
 * than its cap is not kept and a warning is recorded.
 */
typedef size_t (*sbom_want_fn)(const char *path, void *ctx);

/** Or'd into a cap an sbom_want_fn returns: keep the contents in the root's temporary file,
 *  not in memory (read back piecewise with sbom_root_each_spilled); the rest of the value
 *  still caps the size. */
#define SBOM_WANT_SPILL ((size_t)1 << (sizeof(size_t) * 8 - 1))

/** Where a source walk is (all counts so far; layer_digest borrowed, valid during the call). */
struct sbom_progress_info {
    size_t layer;             /* image sources: index of the layer being read, bottom first */
    size_t layers;            /* image sources: number of layers; 0 for dir: and file: */
    const char *layer_digest; /* image sources: the layer being read; NULL otherwise */
    uint64_t bytes;           /* uncompressed content bytes read */
    uint64_t entries;         /* entries (files, directories, links) seen */
};

/**
 * A progress callback (libraries never print: the caller shows it). fn is called often
 * (every 64 KiB read, every entry, every new layer) and must be cheap: rate-limit there.
 * It must not call back into the root.
 */
struct sbom_progress {
    void (*fn)(void *ctx, const struct sbom_progress_info *info);
    void *ctx;
};

/** Limits and content selection for opening a root. Zero fields take the defaults. */
struct sbom_root_opts {
    sbom_want_fn want; /* NULL: keep nothing */
    void *want_ctx;
    uint64_t max_bytes;   /* total uncompressed bytes read (default 64 GiB) */
    uint64_t max_entries; /* entries in the tree (default 4 million) */
    uint64_t max_kept;    /* total kept content (default 512 MiB) */
    unsigned max_ratio;   /* archive decompression ratio limit (default 1000) */

    const struct sbom_progress *progress; /* NULL: none; must outlive the open call */

    /* Paths left out of the source altogether (not listed, hashed, kept or walked into):
     * globs over root-relative paths, a leading "./" or "/" ignored; '*' and '?' within a
     * component, "**\/" any number of components, a final "**" component the directory and all
     * below it. The strings must outlive the open call. */
    const char *const *exclude;
    size_t nexclude;
};

/** Walk directory path (no symlink is followed on the host). */
int sbom_root_open_dir(struct sbom_root **out, const char *path, const struct sbom_root_opts *o,
                       struct vouch_error *err);

/**
 * Stream an archive once (tar, tar.gz, tar.zst, tar.xz, zip): record every entry with
 * SHA-256/SHA-1, keep the wanted contents. Entries whose names escape the root ("../x")
 * are skipped with a warning; corrupt or truncated input fails with VOUCH_EPARSE; more
 * data than the limits allow (a decompression bomb) fails with VOUCH_EINVAL.
 */
int sbom_root_open_archive(struct sbom_root **out, const char *path, const struct sbom_root_opts *o,
                           struct vouch_error *err);

/**
 * Called after each image layer is applied, with the squashed root so far (read it with
 * the functions below). touched is 1 when the layer added or removed a wanted file (a
 * package database). A non-zero return stops and is passed up.
 */
typedef int (*sbom_layer_fn)(const struct sbom_root *r, size_t index, const char *digest,
                             int touched, void *ctx);

/** How to read an image. */
struct sign_oci_opts;

struct sbom_image_opts {
    const char *platform; /* "os/arch[/variant]"; NULL: linux and this machine's arch */
    int all_layers;       /* 1: whiteouts do not hide lower layers' content */
    sbom_layer_fn on_layer;
    void *ctx;
    /* registry access as libsign's sign_oci_open takes it (credentials, CA, TLS, overall
     * deadline); NULL: its defaults */
    const struct sign_oci_opts *oci;
};

/**
 * Open a container image ("oci-dir:PATH[:TAG]", "oci-archive:TAR", "docker-archive:TAR",
 * "registry:REF") through libsign's OCI client: layers are streamed (never extracted),
 * digest-checked, squashed bottom-up with whiteouts (.wh.NAME, .wh..wh..opq) applied,
 * and every entry records the digest of the layer that last wrote it.
 */
int sbom_root_open_image(struct sbom_root **out, const char *image,
                         const struct sbom_image_opts *io, const struct sbom_root_opts *o,
                         struct vouch_error *err);

/** Layer digests of an image root, bottom first (0 for dir/archive roots; borrowed). */
size_t sbom_root_layer_count(const struct sbom_root *r);
const char *sbom_root_layer(const struct sbom_root *r, size_t i);

/** Free a root; accepts NULL. */
void sbom_root_free(struct sbom_root *r);

/** stat following symlinks (lstat: without following the last one). VOUCH_ENOTFOUND. */
int sbom_root_stat(struct sbom_stat *out, const struct sbom_root *r, const char *path,
                   struct vouch_error *err);
int sbom_root_lstat(struct sbom_stat *out, const struct sbom_root *r, const char *path,
                    struct vouch_error *err);

/**
 * Canonical path of path inside the root (no leading '/'): symlinks in its directory
 * components resolved, the last component kept (like lstat). outsz of 4096 always fits.
 */
int sbom_root_canonical(char *out, size_t outsz, const struct sbom_root *r, const char *path,
                        struct vouch_error *err);

/** Target of a symlink (borrowed). VOUCH_EINVAL when path is not a symlink. */
int sbom_root_readlink(const char **out, const struct sbom_root *r, const char *path,
                       struct vouch_error *err);

/**
 * Open-and-read a file's kept contents (borrowed, valid while r lives), following
 * symlinks inside the root. VOUCH_ENOTFOUND if absent; VOUCH_EUNSUPPORTED if the source
 * did not keep this file (its path was not wanted, or it exceeded its cap).
 */
int sbom_root_read(const unsigned char **out, size_t *out_len, const struct sbom_root *r,
                   const char *path, struct vouch_error *err);

/** Callback for sbom_root_readdir: an entry's name; non-zero stops the listing. */
typedef int (*sbom_dirent_fn)(const char *name, enum sbom_ftype type, void *ctx);

/** List a directory (following symlinks to it) in byte order of names. */
int sbom_root_readdir(const struct sbom_root *r, const char *path, sbom_dirent_fn fn, void *ctx,
                      struct vouch_error *err);

/** Callback for sbom_root_each_file: one regular file with its digests. */
typedef int (*sbom_file_fn)(const char *path, const unsigned char sha256[32],
                            const unsigned char sha1[20], uint64_t size, const char *layer,
                            void *ctx);

/** Visit every regular file in path order; stops at a non-zero return, which is passed up.
 *  Digests are read back from the root's temporary file: an I/O error there sets err. */
int sbom_root_each_file(const struct sbom_root *r, sbom_file_fn fn, void *ctx,
                        struct vouch_error *err);

/** Callback for sbom_root_each_kept: a kept file's path and contents (borrowed). */
typedef int (*sbom_kept_fn)(const char *path, const unsigned char *data, size_t len, void *ctx);

/** Visit every regular file whose contents the source kept, in path order; stops at a
 *  non-zero return, which is passed up. */
int sbom_root_each_kept(const struct sbom_root *r, sbom_kept_fn fn, void *ctx);

/** The contents of a file kept with SBOM_WANT_SPILL (opaque, borrowed for the callback). */
struct sbom_blob;

/** Read exactly n bytes at off of b; VOUCH_EINVAL past its end, VOUCH_EIO on I/O errors. */
int sbom_blob_read(const struct sbom_blob *b, uint64_t off, void *buf, size_t n,
                   struct vouch_error *err);

/** Callback for sbom_root_each_spilled: a spilled file's path, contents and length. */
typedef int (*sbom_spilled_fn)(const char *path, const struct sbom_blob *b, uint64_t len,
                               void *ctx);

/** Visit every regular file kept with SBOM_WANT_SPILL, in path order; stops at a non-zero
 *  return, which is passed up. */
int sbom_root_each_spilled(const struct sbom_root *r, sbom_spilled_fn fn, void *ctx);

/** Non-fatal problems met while reading the source (borrowed lines). */
size_t sbom_root_warning_count(const struct sbom_root *r);
const char *sbom_root_warning(const struct sbom_root *r, size_t i);

#endif
