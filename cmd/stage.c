/* A layout destination staged beside itself and exchanged into place (stage.h). */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stage.h"
#include "vouch/mem.h"

#define LAYOUT_PREFIX "oci-dir:"
#define LAYOUT_ALIAS "oci:"
#define WALK_FDS 32

/* nftw has no context argument: the tree being copied (one copy at a time in a process) */
static const char *copy_from, *copy_to;

static int copy_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    char *to = vouch_strf("%s%s", copy_to, path + strlen(copy_from));
    char target[4096];
    ssize_t n;
    int rc = 0;
    (void)ftw;
    if (to == NULL) {
        errno = ENOMEM;
        return -1;
    }
    if (type == FTW_D) {
        rc = strcmp(path, copy_from) == 0 ? 0 : mkdir(to, st->st_mode & 07777);
    } else if (type == FTW_F) {
        rc = link(path, to); /* content-addressed blobs and renamed-over files: share them */
    } else if (type == FTW_SL && (n = readlink(path, target, sizeof(target) - 1)) >= 0) {
        target[n] = '\0';
        rc = symlink(target, to);
    } else {
        errno = EINVAL; /* unreadable directory, broken walk, device or FIFO in a layout */
        rc = -1;
    }
    free(to);
    return rc;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    (void)nftw(dir, remove_one, WALK_FDS, FTW_DEPTH | FTW_PHYS);
}

int stage_begin(struct stage *st, const char *dest, struct vouch_error *err)
{
    const char *rest, *slash, *base, *sep;
    char *parent = NULL;
    struct stat sb;
    memset(st, 0, sizeof(*st));
    if (strncmp(dest, LAYOUT_PREFIX, strlen(LAYOUT_PREFIX)) == 0) {
        rest = dest + strlen(LAYOUT_PREFIX);
    } else if (strncmp(dest, LAYOUT_ALIAS, strlen(LAYOUT_ALIAS)) == 0) {
        rest = dest + strlen(LAYOUT_ALIAS);
    } else {
        return 0;
    }
    /* PATH[:TAG|@DIGEST], the suffix looked for after the last '/' (as libsign splits it) */
    slash = strrchr(rest, '/');
    base = slash != NULL ? slash + 1 : rest;
    sep = strchr(base, '@') != NULL ? strchr(base, '@') : strchr(base, ':');
    st->dir = sep != NULL ? strndup(rest, (size_t)(sep - rest)) : strdup(rest);
    if (st->dir == NULL || st->dir[0] == '\0') {
        return st->dir == NULL ? vouch_enomem(err) : 0; /* empty: libsign names the error */
    }
    while (strlen(st->dir) > 1 && st->dir[strlen(st->dir) - 1] == '/') {
        st->dir[strlen(st->dir) - 1] = '\0';
    }
    slash = strrchr(st->dir, '/');
    parent = slash != NULL ? strndup(st->dir, (size_t)(slash - st->dir + 1)) : strdup("");
    st->tmp = parent != NULL ? vouch_strf("%s.%s.vouch-copy-%ld", parent,
                                          slash != NULL ? slash + 1 : st->dir, (long)getpid())
                             : NULL;
    free(parent);
    st->image =
        st->tmp != NULL ? vouch_strf(LAYOUT_PREFIX "%s%s", st->tmp, sep != NULL ? sep : "") : NULL;
    if (st->image == NULL) {
        return vouch_enomem(err);
    }
    remove_tree(st->tmp); /* a crashed run of this pid's number */
    if (lstat(st->dir, &sb) != 0) {
        return errno == ENOENT
                   ? 0
                   : vouch_error_sys(err, VOUCH_EIO, errno, "cannot read '%s'", st->dir);
    }
    if (!S_ISDIR(sb.st_mode)) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s' is not a directory", st->dir);
    }
    st->existed = 1;
    copy_from = st->dir;
    copy_to = st->tmp;
    if (mkdir(st->tmp, sb.st_mode & 07777) != 0 ||
        nftw(st->dir, copy_one, WALK_FDS, FTW_PHYS) != 0) {
        int e = errno;
        remove_tree(st->tmp);
        return vouch_error_sys(err, VOUCH_EIO, e, "cannot stage a copy of the layout '%s'",
                               st->dir);
    }
    return 0;
}

int stage_commit(struct stage *st, struct vouch_error *err)
{
    if (st->image == NULL) {
        return 0;
    }
    if (st->existed) {
        if (renameat2(AT_FDCWD, st->tmp, AT_FDCWD, st->dir, RENAME_EXCHANGE) != 0) {
            return vouch_error_sys(err, VOUCH_EIO, errno, "cannot put the new layout in '%s'",
                                   st->dir);
        }
    } else if (rename(st->tmp, st->dir) != 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot put the new layout in '%s'", st->dir);
    }
    return 0; /* st->tmp now holds the old tree (or nothing): stage_release removes it */
}

void stage_release(struct stage *st)
{
    if (st->tmp != NULL) {
        remove_tree(st->tmp);
    }
    free(st->dir);
    free(st->tmp);
    free(st->image);
    memset(st, 0, sizeof(*st));
}
