/* Root index: building, sorting, limits, hashing and kept contents. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "root_internal.h"
#include "vouch/mem.h"

#define DEF_MAX_BYTES ((uint64_t)64 << 30)
#define DEF_MAX_ENTRIES ((uint64_t)4 << 20)
#define DEF_MAX_KEPT ((uint64_t)512 << 20)
#define DEF_MAX_RATIO 1000u

int root_new(struct sbom_root **out, const struct sbom_root_opts *o, struct vouch_error *err)
{
    struct sbom_root *r = calloc(1, sizeof(*r));
    *out = NULL;
    if (r == NULL) {
        return vouch_enomem(err);
    }
    if (o != NULL) {
        r->o = *o;
    }
    r->o.max_bytes = r->o.max_bytes ? r->o.max_bytes : DEF_MAX_BYTES;
    r->o.max_entries = r->o.max_entries ? r->o.max_entries : DEF_MAX_ENTRIES;
    r->o.max_kept = r->o.max_kept ? r->o.max_kept : DEF_MAX_KEPT;
    r->o.max_ratio = r->o.max_ratio ? r->o.max_ratio : DEF_MAX_RATIO;
    *out = r;
    return 0;
}

void sbom_root_free(struct sbom_root *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        free(r->e[i].link);
        free(r->e[i].data);
    }
    free(r->e);
    arena_release(&r->names);
    strv_release(&r->warnings);
    strv_release(&r->layers);
    free(r->layer_sizes);
    spool_release(&r->digests);
    spool_release(&r->blobs);
    free(r);
}

int root_excluded(const struct sbom_root *r, const char *path)
{
    for (size_t i = 0; i < r->o.nexclude; i++) {
        const char *g = r->o.exclude[i];
        g += strncmp(g, "./", 2) == 0 ? 2 : g[0] == '/';
        if (util_glob(g, path)) {
            return 1;
        }
    }
    return 0;
}

int root_add(struct root_entry **out, struct sbom_root *r, const char *path, enum sbom_ftype t,
             struct vouch_error *err)
{
    struct root_entry *e;
    if (r->n >= r->o.max_entries) {
        return vouch_error_set(err, VOUCH_EINVAL, "too many entries (limit %llu)",
                               (unsigned long long)r->o.max_entries);
    }
    if (vouch_grow(&r->e, r->n, &r->cap, sizeof(*r->e), 1024, err) != 0) {
        return VOUCH_ENOMEM;
    }
    e = &r->e[r->n];
    memset(e, 0, sizeof(*e));
    e->path = arena_strdup(&r->names, path);
    if (e->path == NULL) {
        return vouch_enomem(err);
    }
    e->type = (uint8_t)t;
    e->seq = r->next_seq++;
    e->layer = -1;
    r->n++;
    *out = e;
    root_progress(r);
    return 0;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct root_entry *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c != 0) {
        return c;
    }
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void root_finish(struct sbom_root *r)
{
    size_t w = 0;
    if (r->n > 1) {
        util_sort(r->e, r->n, sizeof(*r->e), entry_cmp);
    }
    for (size_t i = 0; i < r->n; i++) {
        if (w > 0 && strcmp(r->e[w - 1].path, r->e[i].path) == 0) {
            struct root_entry *old = &r->e[w - 1];
            r->kept_total -= old->kept == 1 ? old->data_len : 0;
            free(old->link);
            free(old->data);
            *old = r->e[i];
            continue;
        }
        r->e[w++] = r->e[i];
    }
    r->n = w;
}

void root_compact(struct sbom_root *r)
{
    size_t w = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->e[i].dead) {
            free(r->e[i].link);
            r->kept_total -= r->e[i].kept == 1 ? r->e[i].data_len : 0;
            free(r->e[i].data);
            continue;
        }
        r->e[w++] = r->e[i];
    }
    r->n = w;
}

void root_warn(struct sbom_root *r, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    for (char *c = line; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20) {
            *c = '?';
        }
    }
    if (r->warnings.n < 1000) {
        (void)strv_push(&r->warnings, line, (size_t)-1, NULL);
    }
}

int root_path_normalize(char *out, size_t outsz, const char *name)
{
    size_t len = 0;
    const char *p = name;
    while (*p != '\0') {
        const char *end = strchr(p, '/');
        size_t clen = end != NULL ? (size_t)(end - p) : strlen(p);
        if (clen == 2 && p[0] == '.' && p[1] == '.') {
            if (len == 0) {
                return -1;
            }
            while (len > 0 && out[len - 1] != '/') {
                len--;
            }
            len = len > 0 ? len - 1 : 0;
        } else if (clen > 0 && !(clen == 1 && p[0] == '.')) {
            if (len + clen + 2 > outsz) {
                return -1;
            }
            if (len > 0) {
                out[len++] = '/';
            }
            memcpy(out + len, p, clen);
            len += clen;
        }
        p += clen;
        while (*p == '/') {
            p++;
        }
    }
    out[len] = '\0';
    return 0;
}

size_t root_want(const struct sbom_root *r, const char *path)
{
    return r->o.want != NULL ? r->o.want(path, r->o.want_ctx) : 0;
}

int root_account(struct sbom_root *r, uint64_t n, const char *what, struct vouch_error *err)
{
    r->bytes_total += n;
    if (n > 0) {
        root_progress(r);
    }
    if (r->bytes_total > r->o.max_bytes) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s': more than %llu bytes of content", what,
                               (unsigned long long)r->o.max_bytes);
    }
    return 0;
}

/* SBOM_WANT_SPILL: appended to the blob spool (a file's chunks arrive in order, one file at
 * a time, so each file's bytes are contiguous there); memory does not grow. */
static int keep_spilled(struct sbom_root *r, struct root_entry *e, size_t cap, const void *p,
                        size_t n, struct vouch_error *err)
{
    int rc;
    if (e->data_len + n > cap) {
        root_warn(r, "'%s': larger than %zu bytes, contents not read", e->path, cap);
        e->data_len = 0;
        e->kept = 2;
        return 0;
    }
    if (r->blobs.fp == NULL && (rc = spool_init(&r->blobs, err)) != 0) {
        return rc;
    }
    if (e->kept == 0) {
        e->spill_off = r->blobs.len;
        e->kept = 3;
    } else if (e->spill_off + e->data_len != r->blobs.len) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "'%s': interleaved spilled contents", e->path);
    }
    if ((rc = spool_append(&r->blobs, p, n, err)) != 0) {
        return rc;
    }
    e->data_len += n;
    return 0;
}

int root_keep(struct sbom_root *r, struct root_entry *e, size_t cap, const void *p, size_t n,
              struct vouch_error *err)
{
    unsigned char *d;
    if (e->kept == 2) { /* already dropped */
        return 0;
    }
    if ((cap & SBOM_WANT_SPILL) != 0 || e->kept == 3) {
        return keep_spilled(r, e, cap & ~SBOM_WANT_SPILL, p, n, err);
    }
    if (e->data_len + n > cap || r->kept_total + n > r->o.max_kept) {
        root_warn(r, "'%s': larger than %zu bytes, contents not read", e->path, cap);
        r->kept_total -= e->data_len;
        free(e->data);
        e->data = NULL;
        e->data_len = 0;
        e->kept = 2;
        return 0;
    }
    d = realloc(e->data, e->data_len + n + 1);
    if (d == NULL) {
        return vouch_enomem(err);
    }
    memcpy(d + e->data_len, p, n);
    e->data = d;
    e->data_len += n;
    d[e->data_len] = '\0';
    e->kept = 1;
    r->kept_total += n;
    return 0;
}

int root_hasher_init(struct root_hasher *h, struct vouch_error *err)
{
    h->s256 = EVP_MD_CTX_new();
    h->s1 = EVP_MD_CTX_new();
    if (h->s256 == NULL || h->s1 == NULL || !EVP_DigestInit_ex(h->s256, EVP_sha256(), NULL) ||
        !EVP_DigestInit_ex(h->s1, EVP_sha1(), NULL)) {
        root_hasher_release(h);
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot start digest");
    }
    return 0;
}

int root_hasher_update(struct root_hasher *h, const void *p, size_t n, struct vouch_error *err)
{
    if (!EVP_DigestUpdate(h->s256, p, n) || !EVP_DigestUpdate(h->s1, p, n)) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "digest failed");
    }
    return 0;
}

int root_hasher_final(struct root_hasher *h, struct sbom_root *r, struct root_entry *e,
                      struct vouch_error *err)
{
    unsigned char d[ROOT_DIG_LEN];
    int rc;
    if (!EVP_DigestFinal_ex(h->s256, d, NULL) || !EVP_DigestFinal_ex(h->s1, d + 32, NULL)) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "digest failed");
    }
    if (r->ndig == UINT32_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "too many files");
    }
    if (r->digests.fp == NULL && (rc = spool_init(&r->digests, err)) != 0) {
        return rc;
    }
    if ((rc = spool_append(&r->digests, d, sizeof(d), err)) != 0) {
        return rc;
    }
    e->dig = ++r->ndig;
    return 0;
}

void root_hasher_release(struct root_hasher *h)
{
    EVP_MD_CTX_free(h->s256);
    EVP_MD_CTX_free(h->s1);
    h->s256 = h->s1 = NULL;
}

size_t sbom_root_warning_count(const struct sbom_root *r)
{
    return r->warnings.n;
}
const char *sbom_root_warning(const struct sbom_root *r, size_t i)
{
    return i < r->warnings.n ? r->warnings.v[i] : NULL;
}
