/* file: source. Streams an archive once through libarchive: every entry's metadata and
 * digests are recorded, wanted contents kept, names escaping the root skipped, and work
 * bounded (bytes, entries, decompression ratio). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "gz_internal.h"
#include "root_internal.h"
#include "vouch/mem.h"

struct arc {
    struct sbom_root *r;
    struct archive *a;
    struct arc_in *in; /* gzip: the ISA-L reader behind a, which owns it */
    int fd;
    const char *name;
    struct vouch_error *err;
    uint64_t data_bytes;
    int layer;                          /* index into r->layers, or -1 */
    struct strv *wh;                    /* image layers: whiteouts collected here */
    const struct vouch_error *read_err; /* failure of the byte source, if any */
    unsigned char buf[1 << 16];
};

static int arc_fail(struct arc *s, const char *what)
{
    const char *m = archive_error_string(s->a);
    if (s->read_err != NULL && s->read_err->code != 0) { /* e.g. a blob digest mismatch */
        return vouch_error_set(s->err, s->read_err->code, "%s", s->read_err->msg);
    }
    return vouch_error_set(s->err, VOUCH_EPARSE, "'%s': %s: %s", s->name, what,
                           m != NULL ? m : "corrupt archive");
}

static int check_ratio(struct arc *s)
{
    int64_t raw = archive_filter_bytes(s->a, -1);
    if (s->data_bytes > SBOM_RATIO_FLOOR && raw > 0 &&
        s->data_bytes / (uint64_t)raw > s->r->o.max_ratio) {
        return vouch_error_set(s->err, VOUCH_EINVAL,
                               "'%s': decompression ratio above %u:1 (decompression bomb?)",
                               s->name, s->r->o.max_ratio);
    }
    return root_account(s->r, 0, s->name, s->err);
}

static int read_data(struct arc *s, struct root_entry *e)
{
    struct root_hasher h;
    size_t cap = root_want(s->r, e->path);
    int rc = root_hasher_init(&h, s->err);
    while (rc == 0) {
        la_ssize_t n = archive_read_data(s->a, s->buf, sizeof(s->buf));
        if (n < 0) {
            rc = arc_fail(s, "truncated or corrupt archive");
            break;
        }
        if (n == 0) {
            rc = root_hasher_final(&h, s->r, e, s->err);
            break;
        }
        e->size += (uint64_t)n;
        s->data_bytes += (uint64_t)n;
        rc = root_account(s->r, (uint64_t)n, s->name, s->err);
        rc = rc != 0 ? rc : check_ratio(s);
        rc = rc != 0 ? rc : root_hasher_update(&h, s->buf, (size_t)n, s->err);
        if (rc == 0 && cap > 0) {
            rc = root_keep(s->r, e, cap, s->buf, (size_t)n, s->err);
        }
    }
    root_hasher_release(&h);
    return rc;
}

/* A hard link copies the metadata of an earlier entry. */
static int add_hardlink(struct arc *s, const char *path, const char *target)
{
    char norm[ROOT_PATH_MAX];
    struct root_entry *e, *src = NULL;
    int rc;
    if (root_path_normalize(norm, sizeof(norm), target) != 0) {
        root_warn(s->r, "'%s': hard link target escapes the root, skipped", path);
        return 0;
    }
    for (size_t i = s->r->n; i-- > 0;) {
        if (strcmp(s->r->e[i].path, norm) == 0) {
            src = &s->r->e[i];
            break;
        }
    }
    if (src == NULL || src->type != SBOM_FT_REG) {
        root_warn(s->r, "'%s': hard link to unknown '%s', skipped", path, norm);
        return 0;
    }
    size_t si = (size_t)(src - s->r->e);
    if ((rc = root_add(&e, s->r, path, SBOM_FT_REG, s->err)) != 0) {
        return rc;
    }
    src = &s->r->e[si]; /* root_add may have moved the array */
    e->size = src->size;
    e->mode = src->mode;
    e->dig = src->dig;
    if (src->kept == 1) {
        return root_keep(s->r, e, src->data_len + 1, src->data, src->data_len, s->err);
    }
    if (src->kept == 3) { /* the same bytes of the blob spool */
        e->kept = 3;
        e->spill_off = src->spill_off;
        e->data_len = src->data_len;
    }
    return 0;
}

/* OCI whiteouts: ".wh.NAME" deletes NAME below, ".wh..wh..opq" hides a directory's lower
 * children; recorded as "DIR/NAME" and "DIR/" for the squasher. 0 = consumed, 1 = not one. */
static int whiteout(struct arc *s, const char *path)
{
    const char *base = strrchr(path, '/');
    size_t dir = base != NULL ? (size_t)(base - path) + 1 : 0;
    char target[ROOT_PATH_MAX];
    base = path + dir;
    if (strncmp(base, ".wh.", 4) != 0) {
        return 1;
    }
    if (strcmp(base, ".wh..wh..opq") == 0) {
        snprintf(target, sizeof(target), "%.*s", (int)dir, path);
    } else {
        snprintf(target, sizeof(target), "%.*s%s", (int)dir, path, base + 4);
    }
    if (target[0] == '\0' || strcmp(base + 4, "") == 0) {
        root_warn(s->r, "'%s': whiteout without a target, ignored", path);
        return 0;
    }
    return strv_push(s->wh, target, (size_t)-1, s->err);
}

static enum sbom_ftype ftype_of(struct archive_entry *ae)
{
    switch (archive_entry_filetype(ae)) {
    case AE_IFREG:
        return SBOM_FT_REG;
    case AE_IFDIR:
        return SBOM_FT_DIR;
    case AE_IFLNK:
        return SBOM_FT_LNK;
    default:
        return SBOM_FT_OTHER;
    }
}

static int add_entry(struct arc *s, struct archive_entry *ae)
{
    char path[ROOT_PATH_MAX];
    const char *name = archive_entry_pathname(ae);
    struct root_entry *e;
    enum sbom_ftype t = ftype_of(ae);
    int rc;
    if (name == NULL || root_path_normalize(path, sizeof(path), name) != 0) {
        root_warn(s->r, "'%s': entry name escapes the root, skipped", name ? name : "(none)");
        return 0;
    }
    if (path[0] == '\0' || root_excluded(s->r, path)) {
        return 0; /* "./" itself, or excluded (libarchive skips the data) */
    }
    if (s->wh != NULL && (rc = whiteout(s, path)) != 1) {
        return rc;
    }
    if (archive_entry_hardlink(ae) != NULL) {
        return add_hardlink(s, path, archive_entry_hardlink(ae));
    }
    if ((rc = root_add(&e, s->r, path, t, s->err)) != 0) {
        return rc;
    }
    e->mode = archive_entry_perm(ae);
    e->layer = s->layer;
    if (t == SBOM_FT_LNK) {
        const char *l = archive_entry_symlink(ae);
        e->link = util_strndup(l != NULL ? l : "", (size_t)-1);
        return e->link != NULL ? 0 : vouch_enomem(s->err);
    }
    return t == SBOM_FT_REG ? read_data(s, e) : 0;
}

static int stream(struct arc *s)
{
    struct archive_entry *ae;
    for (;;) {
        int rc, ar = archive_read_next_header(s->a, &ae);
        if (ar == ARCHIVE_EOF) {
            return 0;
        }
        if (ar == ARCHIVE_WARN) {
            root_warn(s->r, "'%s': %s", s->name, archive_error_string(s->a));
        } else if (ar != ARCHIVE_OK) {
            return arc_fail(s, s->r->n == 0 ? "not a readable archive" : "corrupt archive");
        }
        if ((rc = add_entry(s, ae)) != 0) {
            return rc;
        }
    }
}

int root_stream_archive(struct sbom_root *r, void *archive, const char *name, int layer,
                        struct strv *wh, const struct vouch_error *read_err,
                        struct vouch_error *err)
{
    struct arc *s = calloc(1, sizeof(*s));
    int rc;
    if (s == NULL) {
        return vouch_enomem(err);
    }
    s->r = r;
    s->a = archive;
    s->name = name;
    s->err = err;
    s->layer = layer;
    s->wh = wh;
    s->read_err = read_err;
    rc = stream(s);
    free(s);
    return rc;
}

static int fd_pull(size_t *got, void *ctx, unsigned char *buf, size_t cap, struct vouch_error *err)
{
    struct arc *s = ctx;
    ssize_t n;
    do {
        n = read(s->fd, buf, cap);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot read '%s'", s->name);
    }
    *got = (size_t)n;
    return 0;
}

/* gzip (ISA-L) and zstd (libzstd) go through arc_in's second thread; anything else to
 * libarchive on the seekable fd. */
static int open_reader(struct arc *s)
{
    static const unsigned char zmagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
    unsigned char magic[4] = {0};
    ssize_t n = pread(s->fd, magic, sizeof(magic), 0);
    if (n < 0) {
        return vouch_error_sys(s->err, VOUCH_EPARSE, errno, "cannot read archive '%s'", s->name);
    }
    if ((n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) ||
        (n == 4 && memcmp(magic, zmagic, 4) == 0)) {
        struct gz_limits lim = {s->r->o.max_ratio, SBOM_RATIO_FLOOR};
        void *a = NULL;
        int rc = arc_in_open(&a, &s->in, fd_pull, s, s->name, ARC_IN_ZIP, &lim, s->err);
        s->a = a;
        s->read_err = rc == 0 ? arc_in_error(s->in) : NULL;
        return rc;
    }
    if ((s->a = archive_read_new()) == NULL) {
        return vouch_enomem(s->err);
    }
    archive_read_support_filter_all(s->a);
    archive_read_support_format_tar(s->a);
    archive_read_support_format_gnutar(s->a);
    archive_read_support_format_zip(s->a);
    if (archive_read_open_fd(s->a, s->fd, 1 << 16) != ARCHIVE_OK) {
        return vouch_error_set(s->err, VOUCH_EPARSE, "cannot read archive '%s': %s", s->name,
                               archive_error_string(s->a));
    }
    return 0;
}

int sbom_root_open_archive(struct sbom_root **out, const char *path, const struct sbom_root_opts *o,
                           struct vouch_error *err)
{
    struct arc *s = calloc(1, sizeof(*s));
    int rc;
    *out = NULL;
    if (s == NULL) {
        return vouch_enomem(err);
    }
    s->name = path;
    s->err = err;
    s->layer = -1;
    s->fd = -1;
    if ((rc = root_new(&s->r, o, err)) != 0) {
        goto done;
    }
    if ((s->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        rc = vouch_error_sys(err, errno == ENOENT ? VOUCH_ENOTFOUND : VOUCH_EPARSE, errno,
                             "cannot read archive '%s'", path);
        goto done;
    }
    rc = open_reader(s);
    rc = rc != 0 ? rc : stream(s);
    rc = rc != 0 || s->in == NULL ? rc : arc_in_finish(s->in, err);
    if (rc == 0) {
        root_finish(s->r);
        *out = s->r;
        s->r = NULL;
    }
done:
    if (s->in != NULL) {
        arc_in_free(s->in); /* frees s->a */
    } else if (s->a != NULL) {
        archive_read_free(s->a);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    sbom_root_free(s->r);
    free(s);
    return rc;
}
