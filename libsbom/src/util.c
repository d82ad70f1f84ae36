/* Small string helpers shared inside libsbom. */
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vouch/encoding.h"
#include "vouch/mem.h"

char *util_strndup(const char *s, size_t n)
{
    char *p;
    if (n == (size_t)-1) {
        n = strlen(s);
    }
    p = malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int util_set(char **dst, const char *s, size_t n, struct vouch_error *err)
{
    char *p = util_strndup(s, n);
    if (p == NULL) {
        return vouch_enomem(err);
    }
    free(*dst);
    *dst = p;
    return 0;
}

int strv_push(struct strv *sv, const char *s, size_t n, struct vouch_error *err)
{
    if (vouch_grow(&sv->v, sv->n, &sv->cap, sizeof(*sv->v), 8, err) != 0) {
        return VOUCH_ENOMEM;
    }
    sv->v[sv->n] = util_strndup(s, n);
    if (sv->v[sv->n] == NULL) {
        return vouch_enomem(err);
    }
    sv->n++;
    return 0;
}

int strv_add_unique(struct strv *sv, const char *s, size_t n, struct vouch_error *err)
{
    size_t len = n == (size_t)-1 ? strlen(s) : n;
    for (size_t i = 0; i < sv->n; i++) {
        if (strlen(sv->v[i]) == len && memcmp(sv->v[i], s, len) == 0) {
            return 0;
        }
    }
    return strv_push(sv, s, len, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort_unique(struct strv *sv)
{
    size_t w = 0;
    if (sv->n == 0) {
        return;
    }
    qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
    for (size_t i = 0; i < sv->n; i++) {
        if (w > 0 && strcmp(sv->v[w - 1], sv->v[i]) == 0) {
            free(sv->v[i]);
            continue;
        }
        sv->v[w++] = sv->v[i];
    }
    sv->n = w;
}

void strv_release(struct strv *sv)
{
    for (size_t i = 0; i < sv->n; i++) {
        free(sv->v[i]);
    }
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size-- > 0) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void sift_down(unsigned char *b, size_t root, size_t n, size_t size,
                      int (*cmp)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1, big = root;
        if (child < n && cmp(b + child * size, b + big * size) > 0) {
            big = child;
        }
        if (child + 1 < n && cmp(b + (child + 1) * size, b + big * size) > 0) {
            big = child + 1;
        }
        if (big == root) {
            return;
        }
        swap_bytes(b + root * size, b + big * size, size);
        root = big;
    }
}

void util_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    unsigned char *b = base;
    size_t i = 1;
    while (i < n && cmp(b + (i - 1) * size, b + i * size) <= 0) {
        i++;
    }
    if (i >= n) { /* already in order (a tar made with --sort=name, a re-sorted index) */
        return;
    }
    for (i = n / 2; i > 0; i--) {
        sift_down(b, i - 1, n, size, cmp);
    }
    for (i = n - 1; i > 0; i--) {
        swap_bytes(b, b + i * size, size);
        sift_down(b, 0, i, size, cmp);
    }
}

char *arena_strdup(struct arena *a, const char *s)
{
    size_t len = strlen(s) + 1;
    char *p;
    if (a->n == 0 || a->size - a->used < len) {
        size_t size = len > ARENA_BLOCK ? len : ARENA_BLOCK;
        if (vouch_grow(&a->blocks, a->n, &a->cap, sizeof(*a->blocks), 16, NULL) != 0 ||
            (a->blocks[a->n] = malloc(size)) == NULL) {
            return NULL;
        }
        a->n++;
        a->used = 0;
        a->size = size;
    }
    p = a->blocks[a->n - 1] + a->used;
    memcpy(p, s, len);
    a->used += len;
    return p;
}

void arena_release(struct arena *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->blocks[i]);
    }
    free(a->blocks);
    memset(a, 0, sizeof(*a));
}

/* '*' and '?' within one path component, "**\/" for any number of whole components, a
 * final "**" for the rest of the path. */
static int glob_rec(const char *g, const char *p)
{
    for (;;) {
        if (g[0] == '*' && g[1] == '*' && g[2] == '\0') {
            return 1;
        }
        if (g[0] == '*' && g[1] == '*' && g[2] == '/') {
            for (g += 3;; p++) {
                if (glob_rec(g, p)) {
                    return 1;
                }
                if ((p = strchr(p, '/')) == NULL) {
                    return 0;
                }
            }
        }
        if (*g == '*') {
            for (g++;; p++) {
                if (glob_rec(g, p)) {
                    return 1;
                }
                if (*p == '\0' || *p == '/') {
                    return 0;
                }
            }
        }
        if (*g == '\0' || *p == '\0') {
            return *g == *p;
        }
        if ((*g == '?' && *p == '/') || (*g != '?' && *g != *p)) {
            return 0;
        }
        g++;
        p++;
    }
}

int util_glob(const char *glob, const char *path)
{
    size_t n = strlen(glob);
    if (strstr(glob, "**") == NULL) {
        return fnmatch(glob, path, FNM_PATHNAME) == 0;
    }
    if (glob_rec(glob, path)) {
        return 1;
    }
    /* a final "**" component: the directory itself too */
    if (n > 3 && strcmp(glob + n - 3, "/**") == 0 && n < 4096) {
        char pre[4096];
        memcpy(pre, glob, n - 3);
        pre[n - 3] = '\0';
        return util_glob(pre, path);
    }
    return 0;
}
