/* Private: the index of a tar file (tar_index.c): its entries listed once with libarchive, then
 * one entry streamed or read whole, for the archive sources (oci_archive.c). */
#ifndef SIGN_TAR_INDEX_H
#define SIGN_TAR_INDEX_H

#include "oci_internal.h"

struct tar_entry {
    char *name; /* without leading "./" */
    char *link; /* symlink target, or NULL */
    long long size;
};

/** The entries of a tar file, listed once. */
struct tar_index {
    struct tar_entry *e;
    size_t n;
};

int tar_index_load(struct tar_index *t, const char *path, struct vouch_error *err);
void tar_index_release(struct tar_index *t);
/** The regular entry name designates (symlinks followed), or NULL. */
const struct tar_entry *tar_find(const struct tar_index *t, const char *name);
/** Stream one entry's bytes (re-reads the tar from the start). */
int tar_entry_open(struct oci_reader *out, const char *path, const struct tar_entry *want,
                   struct vouch_error *err);
/** Read a small entry whole (at most SIGN_OCI_MANIFEST_MAX). */
int tar_entry_read(unsigned char **out, size_t *len, const char *path, const struct tar_index *t,
                   const char *name, struct vouch_error *err);

#endif
