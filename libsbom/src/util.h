/* Small string helpers shared inside libsbom: owned copies and growable string vectors. */
#ifndef SBOM_UTIL_H
#define SBOM_UTIL_H

#include <stddef.h>

#include "vouch/error.h"
#include "vouch/mem.h" /* vouch_grow, vouch_enomem: used with every vector here */

/** A growable vector of owned strings. Zero-initialise; release with strv_release. */
struct strv {
    char **v;
    size_t n;
    size_t cap;
};

/** Copy n bytes (or strlen(s) when n is (size_t)-1) into a new NUL-terminated string. */
char *util_strndup(const char *s, size_t n);

/** Replace *dst with a copy of s[0..n) ((size_t)-1: whole string). */
int util_set(char **dst, const char *s, size_t n, struct vouch_error *err);

/** Append a copy of s[0..n) ((size_t)-1: whole string). */
int strv_push(struct strv *sv, const char *s, size_t n, struct vouch_error *err);

/** Append unless an equal string is present. */
int strv_add_unique(struct strv *sv, const char *s, size_t n, struct vouch_error *err);

/** Sort with strcmp and drop duplicates. */
void strv_sort_unique(struct strv *sv);

/** Free the strings and the vector. */
void strv_release(struct strv *sv);

/**
 * Sort n elements of size bytes in place without allocating (heapsort: qsort's merge sort
 * would take a copy of a large index). cmp must be a total order; equal elements may move.
 */
void util_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/** Strings packed into large blocks, freed all at once: no per-string allocator overhead
 *  for indexes of many short names. Zero-initialise; release with arena_release. */
struct arena {
    char **blocks;
    size_t n;
    size_t cap;
    size_t used; /* bytes taken in blocks[n - 1] */
    size_t size; /* bytes in blocks[n - 1] */
};

#define ARENA_BLOCK ((size_t)64 << 10)

/** A copy of s that lives until arena_release; NULL when out of memory. */
char *arena_strdup(struct arena *a, const char *s);

/** Free every string of the arena. */
void arena_release(struct arena *a);

/** 1 if path matches glob: fnmatch with FNM_PATHNAME, plus "**\/" for any number of whole
 *  components (zero included), a final "**" component for everything below (and the directory
 *  itself too). */
int util_glob(const char *glob, const char *path);

#endif
