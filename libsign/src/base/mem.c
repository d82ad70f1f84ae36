/* The out-of-memory error, a malloc'd printf and array growth (vouch/mem.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vouch/mem.h"

int vouch_enomem(struct vouch_error *err)
{
    return vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
}

char *vouch_vstrf(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *s;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || (s = malloc((size_t)n + 1)) == NULL) {
        return NULL;
    }
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *vouch_strf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    va_start(ap, fmt);
    s = vouch_vstrf(fmt, ap);
    va_end(ap);
    return s;
}

int vouch_grow(void *arrp, size_t n, size_t *cap, size_t elem, size_t first,
               struct vouch_error *err)
{
    void *old;
    void *grown;
    size_t ncap;
    if (n < *cap) {
        return 0;
    }
    ncap = *cap != 0 ? *cap * 2 : first;
    if (ncap > SIZE_MAX / elem) {
        return vouch_enomem(err);
    }
    /* memcpy: arrp points at a T *, whatever T is */
    memcpy(&old, arrp, sizeof(old));
    grown = realloc(old, ncap * elem);
    if (grown == NULL) {
        return vouch_enomem(err);
    }
    memcpy(arrp, &grown, sizeof(grown));
    *cap = ncap;
    return 0;
}

void *vouch_push(void *arrp, size_t *n, size_t elem, struct vouch_error *err)
{
    void *old;
    char *grown;
    if (*n >= SIZE_MAX / elem - 1) {
        vouch_enomem(err);
        return NULL;
    }
    memcpy(&old, arrp, sizeof(old));
    grown = realloc(old, (*n + 1) * elem);
    if (grown == NULL) {
        vouch_enomem(err);
        return NULL;
    }
    memcpy(arrp, &grown, sizeof(grown));
    memset(grown + *n * elem, 0, elem);
    return grown + (*n)++ * elem;
}
