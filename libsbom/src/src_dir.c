/* dir: source. Walks a directory with openat(O_NOFOLLOW) from one root descriptor, so
 * no symlink on the host is ever followed; symlinks are recorded and resolved later
 * inside the root's index. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "root_internal.h"
#include "vouch/mem.h"

#define DIR_MAX_DEPTH 256

struct walk {
    struct sbom_root *r;
    const char *top;
    char path[ROOT_PATH_MAX];
    struct vouch_error *err;
    unsigned char buf[1 << 16];
};

static int hash_fd(struct walk *w, struct root_entry *e, int fd)
{
    unsigned char *buf = w->buf;
    struct root_hasher h;
    size_t cap = root_want(w->r, e->path);
    int rc = root_hasher_init(&h, w->err);
    while (rc == 0) {
        ssize_t n = read(fd, buf, sizeof(w->buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = vouch_error_sys(w->err, VOUCH_EIO, errno, "cannot read '%s/%s'", w->top, e->path);
            break;
        }
        if (n == 0) {
            rc = root_hasher_final(&h, w->r, e, w->err);
            break;
        }
        e->size += (uint64_t)n;
        rc = root_account(w->r, (uint64_t)n, w->top, w->err);
        rc = rc != 0 ? rc : root_hasher_update(&h, buf, (size_t)n, w->err);
        if (rc == 0 && cap > 0) {
            rc = root_keep(w->r, e, cap, buf, (size_t)n, w->err);
        }
    }
    root_hasher_release(&h);
    return rc;
}

static int add_file(struct walk *w, int dfd, const char *name, const struct stat *st)
{
    struct root_entry *e;
    int fd, rc;
    struct stat st2;
    if ((rc = root_add(&e, w->r, w->path, SBOM_FT_REG, w->err)) != 0) {
        return rc;
    }
    e->mode = st->st_mode & 07777;
    fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st2) != 0 || !S_ISREG(st2.st_mode)) {
        root_warn(w->r, "'%s': cannot open, skipped", w->path);
        e->type = SBOM_FT_OTHER;
        if (fd >= 0) {
            close(fd);
        }
        return 0;
    }
    rc = hash_fd(w, e, fd);
    close(fd);
    return rc;
}

static int add_link(struct walk *w, int dfd, const char *name)
{
    char target[ROOT_PATH_MAX];
    struct root_entry *e;
    ssize_t n = readlinkat(dfd, name, target, sizeof(target) - 1);
    int rc = root_add(&e, w->r, w->path, SBOM_FT_LNK, w->err);
    if (rc != 0) {
        return rc;
    }
    e->mode = 0777;
    if (n < 0) {
        n = 0;
        root_warn(w->r, "'%s': cannot read link", w->path);
    }
    target[n] = '\0';
    e->link = util_strndup(target, (size_t)n);
    return e->link != NULL ? 0 : vouch_enomem(w->err);
}

static int walk_dir(struct walk *w, int dfd, int depth);

static int walk_entry(struct walk *w, int dfd, const char *name, int depth)
{
    struct stat st;
    struct root_entry *e;
    int rc, sub;
    if (root_excluded(w->r, w->path)) {
        return 0; /* excluded: neither listed nor walked into */
    }
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        root_warn(w->r, "'%s': cannot stat, skipped", w->path);
        return 0;
    }
    if (S_ISREG(st.st_mode)) {
        return add_file(w, dfd, name, &st);
    }
    if (S_ISLNK(st.st_mode)) {
        return add_link(w, dfd, name);
    }
    rc = root_add(&e, w->r, w->path, S_ISDIR(st.st_mode) ? SBOM_FT_DIR : SBOM_FT_OTHER, w->err);
    if (rc != 0 || !S_ISDIR(st.st_mode)) {
        return rc;
    }
    e->mode = st.st_mode & 07777;
    if (depth >= DIR_MAX_DEPTH) {
        root_warn(w->r, "'%s': deeper than %d levels, not walked", w->path, DIR_MAX_DEPTH);
        return 0;
    }
    sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0) {
        root_warn(w->r, "'%s': cannot open directory, skipped", w->path);
        return 0;
    }
    return walk_dir(w, sub, depth + 1); /* closes sub */
}

static int walk_dir(struct walk *w, int dfd, int depth)
{
    DIR *d = fdopendir(dfd);
    struct dirent *de;
    size_t base = strlen(w->path);
    int rc = 0;
    if (d == NULL) {
        close(dfd);
        return vouch_error_sys(w->err, VOUCH_EIO, errno, "cannot list '%s/%s'", w->top, w->path);
    }
    while (rc == 0 && (de = readdir(d)) != NULL) {
        int n;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
            continue;
        }
        n = snprintf(w->path + base, sizeof(w->path) - base, "%s%s", base ? "/" : "", de->d_name);
        if (n < 0 || (size_t)n >= sizeof(w->path) - base) {
            w->path[base] = '\0';
            root_warn(w->r, "'%s/%s': path too long, skipped", w->path, de->d_name);
            continue;
        }
        rc = walk_entry(w, dirfd(d), de->d_name, depth);
        w->path[base] = '\0';
    }
    closedir(d);
    return rc;
}

int sbom_root_open_dir(struct sbom_root **out, const char *path, const struct sbom_root_opts *o,
                       struct vouch_error *err)
{
    struct walk *w = calloc(1, sizeof(*w));
    int fd, rc;
    *out = NULL;
    if (w == NULL) {
        return vouch_enomem(err);
    }
    w->top = path;
    w->err = err;
    fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        rc = vouch_error_sys(err, errno == ENOENT ? VOUCH_ENOTFOUND : VOUCH_EIO, errno,
                             "cannot open directory '%s'", path);
        goto done;
    }
    if ((rc = root_new(&w->r, o, err)) != 0) {
        close(fd);
        goto done;
    }
    rc = walk_dir(w, fd, 0);
    if (rc != 0) {
        sbom_root_free(w->r);
        goto done;
    }
    root_finish(w->r);
    *out = w->r;
done:
    free(w);
    return rc;
}
