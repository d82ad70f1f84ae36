/* The index of a tar file over libarchive, for the read-only tarball sources (oci-archive,
 * docker-archive): entries listed once, symlinks resolved inside the tar, one entry streamed
 * straight out of the tar or read whole; nothing is extracted to disk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "oci_internal.h"
#include "ref_internal.h"
#include "tar_index.h"
#include "vouch/mem.h"

#define TAR_MAX_ENTRIES 100000

void tar_index_release(struct tar_index *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->e[i].name);
        free(t->e[i].link);
    }
    free(t->e);
    memset(t, 0, sizeof(*t));
}

static const char *norm_name(const char *s)
{
    while (s[0] == '.' && s[1] == '/') {
        s += 2;
    }
    return s;
}

static int tar_open(struct archive **out, const char *path, struct vouch_error *err)
{
    struct archive *a = archive_read_new();
    int rc;
    *out = NULL;
    if (a == NULL) {
        return vouch_enomem(err);
    }
    archive_read_support_format_tar(a);
    archive_read_support_filter_all(a);
    if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
        rc = archive_errno(a) == ENOENT ? VOUCH_ENOTFOUND : VOUCH_EPARSE;
        vouch_error_set(err, rc, "cannot open archive '%s': %s", path, archive_error_string(a));
        archive_read_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

static int tar_add(struct tar_index *t, struct archive_entry *ae, struct vouch_error *err)
{
    struct tar_entry *grown;
    const char *link = archive_entry_symlink(ae);
    if (t->n >= TAR_MAX_ENTRIES) {
        return vouch_error_set(err, VOUCH_EPARSE, "archive has too many entries");
    }
    grown = realloc(t->e, (t->n + 1) * sizeof(*t->e));
    if (grown == NULL) {
        return vouch_enomem(err);
    }
    t->e = grown;
    t->e[t->n].name = strdup(norm_name(archive_entry_pathname(ae)));
    t->e[t->n].link = link != NULL ? strdup(link) : NULL;
    t->e[t->n].size = archive_entry_size(ae);
    if (t->e[t->n].name == NULL || (link != NULL && t->e[t->n].link == NULL)) {
        free(t->e[t->n].name);
        free(t->e[t->n].link);
        return vouch_enomem(err);
    }
    t->n++;
    return 0;
}

int tar_index_load(struct tar_index *t, const char *path, struct vouch_error *err)
{
    struct archive *a = NULL;
    struct archive_entry *ae;
    int r = ARCHIVE_OK, rc = tar_open(&a, path, err);
    memset(t, 0, sizeof(*t));
    if (rc != 0) {
        return rc;
    }
    while (rc == 0 && (r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
        if (archive_entry_pathname(ae) != NULL) {
            rc = tar_add(t, ae, err);
        }
    }
    if (rc == 0 && r != ARCHIVE_EOF) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed archive '%s': %s", path,
                             archive_error_string(a));
    }
    archive_read_free(a);
    if (rc != 0) {
        tar_index_release(t);
    }
    return rc;
}

/* Resolve link (relative to the directory of cur, or to the root when absolute) into cur,
 * folding "." and ".." segments; ".." never climbs above the archive root. */
static void link_resolve(char *cur, size_t size, const char *link)
{
    char joined[4096];
    const char *slash = strrchr(cur, '/');
    size_t n = 0;
    if (link[0] == '/' || slash == NULL) {
        snprintf(joined, sizeof(joined), "%s", link);
    } else {
        snprintf(joined, sizeof(joined), "%.*s/%s", (int)(slash - cur), cur, link);
    }
    cur[0] = '\0';
    for (char *seg = joined, *next; seg != NULL; seg = next) {
        next = strchr(seg, '/');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (seg[0] == '\0' || strcmp(seg, ".") == 0) {
            continue;
        }
        if (strcmp(seg, "..") == 0) {
            char *up = strrchr(cur, '/');
            n = up != NULL ? (size_t)(up - cur) : 0;
            cur[n] = '\0';
            continue;
        }
        n += (size_t)snprintf(cur + n, size - n, "%s%s", n > 0 ? "/" : "", seg);
        if (n >= size) {
            cur[0] = '\0';
            return;
        }
    }
}

/* Follow symlinks (docker save's <id>/layer.tar) to a regular entry, at most 8 hops. */
const struct tar_entry *tar_find(const struct tar_index *t, const char *name)
{
    char cur[4096];
    snprintf(cur, sizeof(cur), "%s", norm_name(name));
    for (int hop = 0; hop < 8; hop++) {
        const struct tar_entry *e = NULL;
        for (size_t i = 0; i < t->n && e == NULL; i++) {
            e = strcmp(t->e[i].name, cur) == 0 ? &t->e[i] : NULL;
        }
        if (e == NULL || e->link == NULL) {
            return e;
        }
        link_resolve(cur, sizeof(cur), e->link);
    }
    return NULL;
}

struct tar_stream {
    struct archive *a;
};

static int tar_stream_read(size_t *got, void *ctx, void *buf, size_t n, struct vouch_error *err)
{
    struct tar_stream *s = ctx;
    la_ssize_t r = archive_read_data(s->a, buf, n);
    if (r < 0) {
        *got = 0;
        return vouch_error_set(err, VOUCH_EIO, "cannot read archive entry: %s",
                               archive_error_string(s->a));
    }
    *got = (size_t)r;
    return 0;
}

static void tar_stream_close(void *ctx)
{
    struct tar_stream *s = ctx;
    archive_read_free(s->a);
    free(s);
}

int tar_entry_open(struct oci_reader *out, const char *path, const struct tar_entry *want,
                   struct vouch_error *err)
{
    struct tar_stream *s = calloc(1, sizeof(*s));
    struct archive_entry *ae;
    int r;
    if (s == NULL) {
        return vouch_enomem(err);
    }
    r = tar_open(&s->a, path, err);
    if (r != 0) {
        free(s);
        return r;
    }
    while ((r = archive_read_next_header(s->a, &ae)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(ae);
        if (name != NULL && strcmp(norm_name(name), want->name) == 0) {
            out->read = tar_stream_read;
            out->close = tar_stream_close;
            out->ctx = s;
            return 0;
        }
    }
    tar_stream_close(s);
    return vouch_error_set(err, VOUCH_EIO, "entry '%s' vanished from archive '%s'", want->name,
                           path);
}

/* Read a small entry whole (JSON documents), capped. */
int tar_entry_read(unsigned char **out, size_t *len, const char *path, const struct tar_index *t,
                   const char *name, struct vouch_error *err)
{
    const struct tar_entry *e = tar_find(t, name);
    struct oci_reader rd = {0};
    struct vouch_buf b;
    unsigned char chunk[16384];
    size_t got = 0;
    int rc;
    *out = NULL;
    if (e == NULL) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "'%s' has no %s", path, name);
    }
    if (e->size < 0 || (unsigned long long)e->size > SIGN_OCI_MANIFEST_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "%s in '%s' is too large", name, path);
    }
    vouch_buf_init(&b, SIGN_OCI_MANIFEST_MAX);
    rc = tar_entry_open(&rd, path, e, err);
    while (rc == 0) {
        rc = rd.read(&got, rd.ctx, chunk, sizeof(chunk), err);
        if (rc != 0 || got == 0) {
            break;
        }
        rc = vouch_buf_append(&b, chunk, got, err);
    }
    if (rd.close != NULL) {
        rd.close(rd.ctx);
    }
    rc = rc != 0 ? rc : vouch_buf_append(&b, "", 0, err);
    if (rc == 0) {
        *out = vouch_buf_steal(&b, len);
    }
    vouch_buf_release(&b);
    return rc;
}
