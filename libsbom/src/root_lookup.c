/* Root lookups: path resolution with symlinks confined to the root (an absolute target
 * restarts at the root, '..' stops at it), loop detection, stat/read/readdir. */
#include <stdio.h>
#include <string.h>

#include "root_internal.h"

size_t root_lower_bound(const struct sbom_root *r, const char *key)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(r->e[mid].path, key) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static long find_exact(const struct sbom_root *r, const char *path)
{
    size_t i = root_lower_bound(r, path);
    return i < r->n && strcmp(r->e[i].path, path) == 0 ? (long)i : -1;
}

/* A directory that has entries below it but no entry of its own (zip, sparse tars). */
static int implicit_dir(const struct sbom_root *r, const char *path)
{
    char key[ROOT_PATH_MAX + 1];
    size_t len = strlen(path);
    size_t i;
    if (len == 0) {
        return 1;
    }
    if (len + 2 > sizeof(key)) {
        return 0;
    }
    memcpy(key, path, len);
    key[len] = '/';
    key[len + 1] = '\0';
    i = root_lower_bound(r, key);
    return i < r->n && strncmp(r->e[i].path, key, len + 1) == 0;
}

static int only_slashes(const char *p)
{
    while (*p == '/') {
        p++;
    }
    return *p == '\0';
}

static void pop_component(char *cur, size_t *len)
{
    while (*len > 0 && cur[*len - 1] != '/') {
        (*len)--;
    }
    *len = *len > 0 ? *len - 1 : 0;
    cur[*len] = '\0';
}

/* Follow a symlink: rest becomes target + "/" + remainder. */
static int splice_link(char *rest, const char *target, const char *next, char *cur, size_t *curlen,
                       const char *path, struct vouch_error *err)
{
    char tmp[ROOT_PATH_MAX];
    int n = snprintf(tmp, sizeof(tmp), "%s/%s", target, next);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s': path too long", path);
    }
    if (target[0] == '/') {
        *curlen = 0;
        cur[0] = '\0';
    }
    memcpy(rest, tmp, (size_t)n + 1);
    return 0;
}

/* Resolve path to an entry index (*idx = -1 for the root or an implicit directory). */
static int resolve(long *idx, char *canon, const struct sbom_root *r, const char *path, int follow,
                   struct vouch_error *err)
{
    char cur[ROOT_PATH_MAX] = "", rest[ROOT_PATH_MAX];
    size_t curlen = 0;
    int links = 0;
    const char *p = rest;
    if (strlen(path) >= sizeof(rest)) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s': path too long", path);
    }
    memcpy(rest, path, strlen(path) + 1);
    for (;;) {
        const char *end, *next;
        size_t clen;
        long i;
        while (*p == '/') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        end = strchr(p, '/');
        clen = end != NULL ? (size_t)(end - p) : strlen(p);
        next = p + clen;
        if (clen == 1 && p[0] == '.') {
            p = next;
            continue;
        }
        if (clen == 2 && p[0] == '.' && p[1] == '.') {
            pop_component(cur, &curlen);
            p = next;
            continue;
        }
        if (curlen + clen + 2 > sizeof(cur)) {
            return vouch_error_set(err, VOUCH_EINVAL, "'%s': path too long", path);
        }
        if (curlen > 0) {
            cur[curlen++] = '/';
        }
        memcpy(cur + curlen, p, clen);
        curlen += clen;
        cur[curlen] = '\0';
        i = find_exact(r, cur);
        if (i >= 0 && r->e[i].type == SBOM_FT_LNK && (follow || !only_slashes(next))) {
            if (++links > ROOT_MAX_LINKS) {
                return vouch_error_set(err, VOUCH_EPARSE, "'%s': too many levels of symbolic links",
                                       path);
            }
            pop_component(cur, &curlen);
            if (splice_link(rest, r->e[i].link, next, cur, &curlen, path, err) != 0) {
                return VOUCH_EINVAL;
            }
            p = rest;
            continue;
        }
        if (i < 0 ? !implicit_dir(r, cur) : (r->e[i].type != SBOM_FT_DIR && !only_slashes(next))) {
            return vouch_error_set(err, VOUCH_ENOTFOUND, "'%s': no such file", path);
        }
        p = next;
    }
    *idx = curlen == 0 ? -1 : find_exact(r, cur);
    if (canon != NULL) {
        memcpy(canon, cur, curlen + 1);
    }
    return 0;
}

static void fill_stat(struct sbom_stat *st, const struct sbom_root *r, long i)
{
    memset(st, 0, sizeof(*st));
    st->type = SBOM_FT_DIR;
    st->mode = 0755;
    if (i >= 0) {
        const struct root_entry *e = &r->e[i];
        st->type = (enum sbom_ftype)e->type;
        st->size = e->size;
        st->mode = e->mode;
        st->layer = e->layer >= 0 ? r->layers.v[e->layer] : NULL;
    }
}

int sbom_root_stat(struct sbom_stat *out, const struct sbom_root *r, const char *path,
                   struct vouch_error *err)
{
    long i;
    int rc = resolve(&i, NULL, r, path, 1, err);
    if (rc == 0) {
        fill_stat(out, r, i);
    }
    return rc;
}

int sbom_root_lstat(struct sbom_stat *out, const struct sbom_root *r, const char *path,
                    struct vouch_error *err)
{
    long i;
    int rc = resolve(&i, NULL, r, path, 0, err);
    if (rc == 0) {
        fill_stat(out, r, i);
    }
    return rc;
}

int sbom_root_canonical(char *out, size_t outsz, const struct sbom_root *r, const char *path,
                        struct vouch_error *err)
{
    char canon[ROOT_PATH_MAX];
    long i;
    int rc = resolve(&i, canon, r, path, 0, err);
    if (rc != 0) {
        return rc;
    }
    if (strlen(canon) >= outsz) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s': path too long", path);
    }
    memcpy(out, canon, strlen(canon) + 1);
    return 0;
}

int sbom_root_readlink(const char **out, const struct sbom_root *r, const char *path,
                       struct vouch_error *err)
{
    long i;
    int rc = resolve(&i, NULL, r, path, 0, err);
    if (rc != 0) {
        return rc;
    }
    if (i < 0 || r->e[i].type != SBOM_FT_LNK) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s': not a symbolic link", path);
    }
    *out = r->e[i].link;
    return 0;
}

int sbom_root_read(const unsigned char **out, size_t *out_len, const struct sbom_root *r,
                   const char *path, struct vouch_error *err)
{
    long i;
    int rc = resolve(&i, NULL, r, path, 1, err);
    if (rc != 0) {
        return rc;
    }
    if (i < 0 || r->e[i].type != SBOM_FT_REG) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "'%s': not a regular file", path);
    }
    if (r->e[i].kept != 1) {
        if (r->e[i].size == 0) {
            *out = (const unsigned char *)"";
            *out_len = 0;
            return 0;
        }
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "'%s': contents not kept", path);
    }
    *out = r->e[i].data;
    *out_len = r->e[i].data_len;
    return 0;
}

int sbom_root_each_file(const struct sbom_root *r, sbom_file_fn fn, void *ctx,
                        struct vouch_error *err)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct root_entry *e = &r->e[i];
        unsigned char d[ROOT_DIG_LEN] = {0};
        int rc;
        if (e->type != SBOM_FT_REG) {
            continue;
        }
        if (e->dig > 0 && (rc = spool_read_at(&r->digests, (uint64_t)(e->dig - 1) * ROOT_DIG_LEN, d,
                                              sizeof(d), err)) != 0) {
            return rc;
        }
        rc = fn(e->path, d, d + 32, e->size, e->layer >= 0 ? r->layers.v[e->layer] : NULL, ctx);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

struct sbom_blob {
    const struct spool *s;
    uint64_t off, len;
};

int sbom_blob_read(const struct sbom_blob *b, uint64_t off, void *buf, size_t n,
                   struct vouch_error *err)
{
    if (off > b->len || n > b->len - off) {
        return vouch_error_set(err, VOUCH_EINVAL, "read past the end of a kept file");
    }
    return spool_read_at(b->s, b->off + off, buf, n, err);
}

int sbom_root_each_spilled(const struct sbom_root *r, sbom_spilled_fn fn, void *ctx)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct root_entry *e = &r->e[i];
        struct sbom_blob b = {&r->blobs, e->spill_off, e->data_len};
        int rc;
        if (e->type == SBOM_FT_REG && e->kept == 3 && (rc = fn(e->path, &b, b.len, ctx)) != 0) {
            return rc;
        }
    }
    return 0;
}

int sbom_root_each_kept(const struct sbom_root *r, sbom_kept_fn fn, void *ctx)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct root_entry *e = &r->e[i];
        int rc;
        if (e->type != SBOM_FT_REG || e->kept != 1) {
            continue;
        }
        if ((rc = fn(e->path, e->data, e->data_len, ctx)) != 0) {
            return rc;
        }
    }
    return 0;
}

/* Names of the children of dir (resolved), sorted and unique. */
static int collect_children(struct strv *names, const struct sbom_root *r, const char *dir,
                            struct vouch_error *err)
{
    char key[ROOT_PATH_MAX + 1];
    size_t len = strlen(dir), i;
    if (len + 2 > sizeof(key)) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s': path too long", dir);
    }
    memcpy(key, dir, len);
    key[len] = len > 0 ? '/' : '\0';
    key[len + (len > 0)] = '\0';
    len += len > 0;
    for (i = root_lower_bound(r, key); i < r->n && strncmp(r->e[i].path, key, len) == 0; i++) {
        const char *rest = r->e[i].path + len;
        const char *slash = strchr(rest, '/');
        size_t n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
        if (n > 0 && (names->n == 0 || strncmp(names->v[names->n - 1], rest, n) != 0 ||
                      names->v[names->n - 1][n] != '\0')) {
            if (strv_push(names, rest, n, err) != 0) {
                return VOUCH_ENOMEM;
            }
        }
    }
    strv_sort_unique(names);
    return 0;
}

int sbom_root_readdir(const struct sbom_root *r, const char *path, sbom_dirent_fn fn, void *ctx,
                      struct vouch_error *err)
{
    struct strv names = {0};
    char dir[ROOT_PATH_MAX], child[ROOT_PATH_MAX];
    long i;
    int rc = resolve(&i, dir, r, path, 1, err);
    if (rc != 0) {
        return rc;
    }
    if (i >= 0 && r->e[i].type != SBOM_FT_DIR) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s': not a directory", path);
    }
    rc = collect_children(&names, r, dir, err);
    for (size_t k = 0; rc == 0 && k < names.n; k++) {
        long c;
        snprintf(child, sizeof(child), "%s%s%s", dir, dir[0] ? "/" : "", names.v[k]);
        c = find_exact(r, child);
        if (fn(names.v[k], c >= 0 ? (enum sbom_ftype)r->e[c].type : SBOM_FT_DIR, ctx) != 0) {
            break;
        }
    }
    strv_release(&names);
    return rc;
}
