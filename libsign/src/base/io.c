/* Bounded reads and atomic writes: an output file appears whole or not at all. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vouch/buf.h"
#include "vouch/io.h"
#include "vouch/mem.h"

/* Read fd (closed after, unless is_stdin) whole, at most max bytes, into *out. */
static int read_fd(unsigned char **out, size_t *out_len, int fd, int is_stdin, const char *path,
                   size_t max, struct vouch_error *err)
{
    struct vouch_buf b;
    unsigned char chunk[65536];
    int rc = 0;
    vouch_buf_init(&b, max);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = vouch_error_sys(err, VOUCH_EIO, errno, "cannot read '%s'", path);
            break;
        }
        if (n == 0) {
            break;
        }
        rc = vouch_buf_append(&b, chunk, (size_t)n, err);
        if (rc != 0) {
            vouch_error_prefix(err, "'%s': ", path);
            break;
        }
    }
    if (!is_stdin) {
        close(fd);
    }
    if (rc != 0) {
        vouch_buf_release(&b);
        return rc;
    }
    if (b.data == NULL) {
        rc = vouch_buf_append(&b, "", 0, err);
        if (rc != 0) {
            return rc;
        }
    }
    *out = vouch_buf_steal(&b, out_len);
    return 0;
}

int vouch_file_read(unsigned char **out, size_t *out_len, const char *path, size_t max,
                    struct vouch_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    int fd;
    *out = NULL;
    *out_len = 0;
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return vouch_error_sys(err, e == ENOENT ? VOUCH_ENOTFOUND : VOUCH_EIO, e,
                               "cannot open '%s'", path);
    }
    return read_fd(out, out_len, fd, is_stdin, path, max, err);
}

int vouch_file_open_regular(int *fd, long long *size, const char *path, struct vouch_error *err)
{
    struct stat st;
    int e;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; cleared once it is known to be
     * a regular file */
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    e = errno;
    if (*fd < 0 && e == ELOOP) {
        vouch_error_set(err, VOUCH_EINVAL, "'%s' is a symbolic link, not a file", path);
        if (err != NULL) {
            err->sys_errno = ELOOP; /* callers may say it their way */
        }
        return VOUCH_EINVAL;
    }
    if (*fd < 0) {
        return vouch_error_sys(err, e == ENOENT ? VOUCH_ENOTFOUND : VOUCH_EIO, e,
                               "cannot open '%s'", path);
    }
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        close(*fd);
        *fd = -1;
        return vouch_error_set(err, VOUCH_EINVAL, "'%s' is not a regular file", path);
    }
    *size = (long long)st.st_size;
    return 0;
}

int vouch_file_read_regular(unsigned char **out, size_t *out_len, const char *path, size_t max,
                            struct vouch_error *err)
{
    long long size = 0;
    int fd = -1;
    int rc = vouch_file_open_regular(&fd, &size, path, err);
    *out = NULL;
    *out_len = 0;
    return rc != 0 ? rc : read_fd(out, out_len, fd, 0, path, max, err);
}

/* A target that is not a regular file is written in place: opened, never truncated or
 * replaced (a device keeps its node, a FIFO its reader). */
static int open_through(struct vouch_outfile *of, const char *path, struct vouch_error *err)
{
    int fd;
    if (strcmp(path, "-") == 0) {
        of->fp = stdout;
        of->through = 2;
        return 0;
    }
    fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || (of->fp = fdopen(fd, "wb")) == NULL) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
        }
        vouch_outfile_abort(of);
        return vouch_error_sys(err, VOUCH_EIO, e, "cannot open '%s' for writing", path);
    }
    of->through = 1;
    return 0;
}

/* The path to replace: path itself, or the file a symlink resolves to. */
static int resolve_target(char **out, const char *path, struct vouch_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) {
        *out = strdup(path);
    } else if ((*out = realpath(path, NULL)) == NULL) {
        return vouch_error_sys(err, VOUCH_EINVAL, errno,
                               "'%s' is a symlink to a file that cannot be written", path);
    }
    return *out != NULL ? 0 : vouch_enomem(err);
}

int vouch_outfile_open(struct vouch_outfile *of, const char *path, mode_t mode, int flags,
                       struct vouch_error *err)
{
    struct stat st;
    size_t n;
    int fd, rc;
    memset(of, 0, sizeof(*of));
    of->flags = flags;
    if ((flags & VOUCH_OUT_EXCL) && access(path, F_OK) == 0) {
        return vouch_error_set(err, VOUCH_EEXIST, "'%s' already exists", path);
    }
    if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
        if (strcmp(path, "-") != 0 && S_ISDIR(st.st_mode)) {
            return vouch_error_set(err, VOUCH_EINVAL, "cannot write '%s': a directory", path);
        }
        of->path = strdup(path);
        return of->path != NULL ? open_through(of, path, err) : vouch_enomem(err);
    }
    rc = resolve_target(&of->path, path, err);
    if (rc != 0) {
        return rc;
    }
    n = strlen(of->path) + 16;
    of->tmp_path = malloc(n);
    if (of->tmp_path == NULL) {
        vouch_outfile_abort(of);
        return vouch_enomem(err);
    }
    snprintf(of->tmp_path, n, "%s.tmpXXXXXX", of->path);
    fd = mkstemp(of->tmp_path);
    if (fd < 0) {
        int e = errno;
        free(of->tmp_path);
        of->tmp_path = NULL;
        vouch_outfile_abort(of);
        return vouch_error_sys(err, VOUCH_EIO, e, "cannot create '%s'", path);
    }
    if (fchmod(fd, mode) != 0 || (of->fp = fdopen(fd, "wb")) == NULL) {
        int e = errno;
        close(fd);
        vouch_outfile_abort(of);
        return vouch_error_sys(err, VOUCH_EIO, e, "cannot create '%s'", path);
    }
    return 0;
}

static int commit_through(struct vouch_outfile *of, struct vouch_error *err)
{
    int rc = fflush(of->fp) != 0 || ferror(of->fp) ? VOUCH_EIO : 0;
    int e = errno;
    if (of->through == 1 && fclose(of->fp) != 0 && rc == 0) {
        e = errno;
        rc = VOUCH_EIO;
    }
    of->fp = NULL;
    if (rc != 0) {
        vouch_error_sys(err, rc, e, "cannot write '%s'", of->path);
    }
    vouch_outfile_abort(of);
    return rc;
}

int vouch_outfile_commit(struct vouch_outfile *of, struct vouch_error *err)
{
    int rc = 0;
    int e = 0;
    if (of->through) {
        return commit_through(of, err);
    }
    if (fflush(of->fp) != 0 || ferror(of->fp) || fsync(fileno(of->fp)) != 0) {
        e = errno;
        rc = VOUCH_EIO;
    }
    if (fclose(of->fp) != 0 && rc == 0) {
        e = errno;
        rc = VOUCH_EIO;
    }
    of->fp = NULL;
    if (rc == 0 && (of->flags & VOUCH_OUT_EXCL)) {
        /* link() fails if the target appeared meanwhile: never clobber. */
        if (link(of->tmp_path, of->path) != 0) {
            e = errno;
            rc = e == EEXIST ? VOUCH_EEXIST : VOUCH_EIO;
        }
    } else if (rc == 0 && rename(of->tmp_path, of->path) != 0) {
        e = errno;
        rc = VOUCH_EIO;
    }
    if (rc != 0) {
        vouch_error_sys(err, rc, e, "cannot write '%s'", of->path);
    }
    vouch_outfile_abort(of);
    return rc;
}

void vouch_outfile_abort(struct vouch_outfile *of)
{
    if (of->fp != NULL && of->through == 2) {
        fflush(of->fp);
    } else if (of->fp != NULL) {
        fclose(of->fp);
        of->fp = NULL;
    }
    if (of->tmp_path != NULL) {
        unlink(of->tmp_path);
        free(of->tmp_path);
        of->tmp_path = NULL;
    }
    free(of->path);
    of->path = NULL;
}

int vouch_file_write(const char *path, const void *data, size_t n, mode_t mode, int flags,
                     struct vouch_error *err)
{
    struct vouch_outfile of;
    int rc = vouch_outfile_open(&of, path, mode, flags, err);
    if (rc != 0) {
        return rc;
    }
    if (n > 0 && fwrite(data, 1, n, of.fp) != n) {
        rc = vouch_error_sys(err, VOUCH_EIO, errno, "cannot write '%s'", path);
        vouch_outfile_abort(&of);
        return rc;
    }
    return vouch_outfile_commit(&of, err);
}
