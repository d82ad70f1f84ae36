/* Bounded file reads and atomic file writes (no partial output file on failure). */
#ifndef VOUCH_IO_H
#define VOUCH_IO_H

#include <stdio.h>
#include <stddef.h>
#include <sys/types.h>

#include "vouch/error.h"

/**
 * Read a whole file ("-" is stdin) of at most max bytes into a malloc'd, NUL-terminated
 * buffer. Errors name the path: missing file is VOUCH_ENOTFOUND, too large VOUCH_EINVAL.
 */
int vouch_file_read(unsigned char **out, size_t *out_len, const char *path, size_t max,
                    struct vouch_error *err);

/** Open path for reading only if it is a regular file (not a symbolic link, FIFO, device
 *  or directory; a FIFO is not waited on): *fd and its *size. VOUCH_EINVAL names what it
 *  is instead, a missing file is VOUCH_ENOTFOUND. */
int vouch_file_open_regular(int *fd, long long *size, const char *path, struct vouch_error *err);

/** vouch_file_read of a regular file only (vouch_file_open_regular's rules). */
int vouch_file_read_regular(unsigned char **out, size_t *out_len, const char *path, size_t max,
                            struct vouch_error *err);

/** An output file. A regular file (or a new one) is written to a temporary name beside the
 *  target and renamed over it on commit, so it appears whole or not at all; a symlink's
 *  target is replaced that way, the link kept. A device, FIFO or socket (`/dev/null`,
 *  `/dev/stdout`, `>(cmd)`) and "-" (standard output) are written through: they cannot be
 *  replaced, and their bytes go out as they are written. */
struct vouch_outfile {
    FILE *fp;       /* write here */
    char *path;     /* final path (a symlink's resolved target) */
    char *tmp_path; /* temporary path, removed on abort; NULL when written through */
    int flags;
    int through; /* 1: fp is the target itself (2: standard output, never closed) */
};

/** Flags for vouch_outfile_open. */
enum {
    VOUCH_OUT_EXCL = 1, /* fail with VOUCH_EEXIST when the target exists */
};

/** Open path for writing as described above: a temporary file beside a regular target with
 *  the given mode (e.g. 0600), or the target itself. A dangling symlink is VOUCH_EINVAL. */
int vouch_outfile_open(struct vouch_outfile *of, const char *path, mode_t mode, int flags,
                       struct vouch_error *err);

/** Flush, fsync and rename over the target (written through: flush and close). On failure
 *  the temporary file is removed. */
int vouch_outfile_commit(struct vouch_outfile *of, struct vouch_error *err);

/** Remove the temporary file; safe after commit and on a zeroed struct. */
void vouch_outfile_abort(struct vouch_outfile *of);

/** Write data to path atomically (open, write, commit). */
int vouch_file_write(const char *path, const void *data, size_t n, mode_t mode, int flags,
                     struct vouch_error *err);

#endif
