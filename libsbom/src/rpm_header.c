/* RPM header blob parser, bounds-checked against hostile blobs (rpm's own limits: at most
 * 0xffff index entries and 256 MiB of data). */
#include <stdlib.h>
#include <string.h>

#include "rpm_header.h"
#include "vouch/mem.h"

enum {
    TAG_NAME = 1000,
    TAG_VERSION = 1001,
    TAG_RELEASE = 1002,
    TAG_EPOCH = 1003,
    TAG_VENDOR = 1011,
    TAG_LICENSE = 1014,
    TAG_ARCH = 1022,
    TAG_SOURCERPM = 1044,
    TAG_FILEMODES = 1030,
    TAG_DIRINDEXES = 1116,
    TAG_BASENAMES = 1117,
    TAG_DIRNAMES = 1118,
    TYPE_INT16 = 3,
    TYPE_INT32 = 4,
    TYPE_STRING = 6,
    TYPE_STRING_ARRAY = 8,
    TYPE_I18NSTRING = 9,
    MAX_INDEX = 0xffff,
    MAX_DATA = 256 << 20,
    MAX_FILES = 1 << 20,
};

struct hdr {
    const unsigned char *data;
    size_t dl;
    const unsigned char *dirindexes;
    uint32_t ndirindexes;
    const unsigned char *modes; /* INT16 per file, or NULL */
    uint32_t nmodes;
    uint32_t nbase, ndirs;
    uint32_t base_off, dirs_off;
    int has_base, has_dirs;
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The NUL-terminated string at off, or NULL when it runs past the data store. */
static const char *str_at(const struct hdr *h, size_t off)
{
    if (off >= h->dl || memchr(h->data + off, '\0', h->dl - off) == NULL) {
        return NULL;
    }
    return (const char *)h->data + off;
}

static int set_str(char **dst, const struct hdr *h, uint32_t type, uint32_t off,
                   struct vouch_error *err)
{
    const char *s;
    if (type != TYPE_STRING && type != TYPE_I18NSTRING && type != TYPE_STRING_ARRAY) {
        return 0;
    }
    if ((s = str_at(h, off)) == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "rpm header: string outside the data store");
    }
    return util_set(dst, s, (size_t)-1, err);
}

static int entry(struct rpm_info *out, struct hdr *h, const unsigned char *e,
                 struct vouch_error *err)
{
    uint32_t tag = be32(e), type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
    switch (tag) {
    case TAG_NAME:
        return set_str(&out->name, h, type, off, err);
    case TAG_VERSION:
        return set_str(&out->version, h, type, off, err);
    case TAG_RELEASE:
        return set_str(&out->release, h, type, off, err);
    case TAG_ARCH:
        return set_str(&out->arch, h, type, off, err);
    case TAG_LICENSE:
        return set_str(&out->license, h, type, off, err);
    case TAG_SOURCERPM:
        return set_str(&out->sourcerpm, h, type, off, err);
    case TAG_VENDOR:
        return set_str(&out->vendor, h, type, off, err);
    case TAG_EPOCH:
        if (type == TYPE_INT32 && count >= 1 && (uint64_t)off + 4 <= h->dl) {
            out->has_epoch = 1;
            out->epoch = be32(h->data + off);
        }
        return 0;
    case TAG_DIRINDEXES:
        if (type == TYPE_INT32 && count <= MAX_FILES && (uint64_t)off + 4ull * count <= h->dl) {
            h->dirindexes = h->data + off;
            h->ndirindexes = count;
        }
        return 0;
    case TAG_FILEMODES:
        if (type == TYPE_INT16 && count <= MAX_FILES && (uint64_t)off + 2ull * count <= h->dl) {
            h->modes = h->data + off;
            h->nmodes = count;
        }
        return 0;
    case TAG_BASENAMES:
        h->has_base = type == TYPE_STRING_ARRAY && count <= MAX_FILES;
        h->nbase = count;
        h->base_off = off;
        return 0;
    case TAG_DIRNAMES:
        h->has_dirs = type == TYPE_STRING_ARRAY && count <= MAX_FILES;
        h->ndirs = count;
        h->dirs_off = off;
        return 0;
    default:
        return 0;
    }
}

static int is_dir(const struct hdr *h, uint32_t i)
{
    if (h->modes == NULL || i >= h->nmodes) {
        return 0;
    }
    return ((h->modes[2 * (size_t)i] << 8 | h->modes[2 * (size_t)i + 1]) & 0170000) == 0040000;
}

/* Pointers to count consecutive strings starting at off (malloc'd array). */
static int str_array(const char ***out, const struct hdr *h, uint32_t off, uint32_t count,
                     struct vouch_error *err)
{
    const char **v = calloc(count ? count : 1, sizeof(*v));
    size_t pos = off;
    if (v == NULL) {
        return vouch_enomem(err);
    }
    for (uint32_t i = 0; i < count; i++) {
        if ((v[i] = str_at(h, pos)) == NULL) {
            free(v);
            return vouch_error_set(err, VOUCH_EPARSE, "rpm header: file list outside the data");
        }
        pos += strlen(v[i]) + 1;
    }
    *out = v;
    return 0;
}

static int files(struct rpm_info *out, const struct hdr *h, struct vouch_error *err)
{
    const char **base = NULL, **dirs = NULL;
    int rc;
    if (!h->has_base || !h->has_dirs || h->dirindexes == NULL || h->ndirindexes != h->nbase) {
        return 0;
    }
    rc = str_array(&base, h, h->base_off, h->nbase, err);
    rc = rc ? rc : str_array(&dirs, h, h->dirs_off, h->ndirs, err);
    for (uint32_t i = 0; rc == 0 && i < h->nbase; i++) {
        uint32_t di = be32(h->dirindexes + 4 * (size_t)i);
        size_t dn, bn;
        char *p;
        if (di >= h->ndirs || is_dir(h, i)) { /* directories are not owned files */
            continue;
        }
        dn = strlen(dirs[di]);
        bn = strlen(base[i]);
        if ((p = malloc(dn + bn + 1)) == NULL) {
            rc = vouch_enomem(err);
            break;
        }
        memcpy(p, dirs[di], dn);
        memcpy(p + dn, base[i], bn + 1);
        rc = strv_push(&out->files, p + strspn(p, "/"), (size_t)-1, err);
        free(p);
    }
    free(base);
    free(dirs);
    return rc;
}

int rpm_header_parse(struct rpm_info *out, const unsigned char *blob, size_t len,
                     struct vouch_error *err)
{
    struct hdr h = {0};
    uint32_t il, dl;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (len < 8) {
        return vouch_error_set(err, VOUCH_EPARSE, "rpm header: truncated");
    }
    il = be32(blob);
    dl = be32(blob + 4);
    if (il == 0 || il > MAX_INDEX || dl > MAX_DATA || 8 + 16ull * il + dl > len) {
        return vouch_error_set(err, VOUCH_EPARSE, "rpm header: bad index or data length");
    }
    h.data = blob + 8 + 16 * (size_t)il;
    h.dl = dl;
    for (uint32_t i = 0; rc == 0 && i < il; i++) {
        rc = entry(out, &h, blob + 8 + 16 * (size_t)i, err);
    }
    rc = rc ? rc : files(out, &h, err);
    if (rc == 0 && (out->name == NULL || out->version == NULL)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "rpm header: no name or version");
    }
    if (rc != 0) {
        rpm_info_release(out);
    }
    return rc;
}

void rpm_info_release(struct rpm_info *info)
{
    free(info->name);
    free(info->version);
    free(info->release);
    free(info->arch);
    free(info->license);
    free(info->sourcerpm);
    free(info->vendor);
    strv_release(&info->files);
    memset(info, 0, sizeof(*info));
}
