/* Memory helpers of the base layer, shared by every library: the out-of-memory error, a
 * malloc'd printf and array growth. */
#ifndef VOUCH_MEM_H
#define VOUCH_MEM_H

#include <stdarg.h>
#include <stddef.h>

#include "vouch/error.h"

/** Report out of memory into err (may be NULL); returns VOUCH_ENOMEM. */
int vouch_enomem(struct vouch_error *err);

/** malloc'd formatted string, or NULL when out of memory. */
char *vouch_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** vouch_strf over a va_list. */
char *vouch_vstrf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/** Make room for one more element in the array whose pointer is at arrp (n in use, *cap
 *  allocated, elem bytes each): the capacity doubles, starting at first. VOUCH_ENOMEM
 *  (reported into err, which may be NULL) leaves the array as it was. */
int vouch_grow(void *arrp, size_t n, size_t *cap, size_t elem, size_t first,
               struct vouch_error *err);

/** Append one zeroed element to the array whose pointer is at arrp (*n in use, elem bytes
 *  each; the array is exactly *n long): returns it and counts it in *n, or NULL with
 *  VOUCH_ENOMEM reported into err (may be NULL) and the array as it was. For short lists
 *  built once; vouch_grow amortises long ones. */
void *vouch_push(void *arrp, size_t *n, size_t elem, struct vouch_error *err);

#endif
