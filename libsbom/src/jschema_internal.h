/* A JSON Schema validator (draft-07 and the 2019-09/2020-12 keywords the SBOM schemas use)
 * over jansson, with regexes through PCRE2 and the formats SBOM schemas assert. */
#ifndef SBOM_JSCHEMA_INTERNAL_H
#define SBOM_JSCHEMA_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "vouch/error.h"

/** A set of schema documents that refer to each other by file name ($ref "x.json#/..."),
 *  with the compiled patterns cached by the identity of their schema node or key. */
struct js_doc {
    char *name;
    json_t *root;
};

struct js_regex {
    const void *id; /* the pattern's string node, or its patternProperties key */
    void *re;       /* pcre2_code * */
};

/* an all-string enum, sorted, for bsearch (the SPDX license list has 700 entries) */
struct js_enum {
    const void *id; /* the enum array node */
    const char **v;
    size_t n;
};

struct js_set {
    struct js_doc *docs;
    size_t n;
    struct js_regex *rx;
    size_t nrx, caprx;
    void *md; /* pcre2_match_data * */
    struct js_enum *en;
    size_t nen, capen;
};

/** Load every *.json schema in dir (file name = the name $ref uses). */
int js_set_load(struct js_set **out, const char *dir, struct vouch_error *err);
/** Free; accepts NULL. */
void js_set_free(struct js_set *s);
/** The schema document named name (borrowed), or NULL. */
const json_t *js_set_get(const struct js_set *s, const char *name);

/** One problem: where in the instance (a JSON pointer) and why. */
struct js_problem {
    char *pointer;
    char *reason;
};

/** Problems of one validation (caller owns; release with js_problems_release). */
struct js_problems {
    struct js_problem *v;
    size_t n, cap;
    size_t max; /* stop recording past this many (0 = 100) */
};

/** The node a $ref names, relative to schema document doc ("#/definitions/x", "b.json",
 *  "b.json#/x", or an absolute URI whose last path segment is a document of set); *ref_doc
 *  is the document it lives in. NULL when it does not resolve. */
const json_t *js_resolve_ref(const struct js_set *set, const json_t *doc, const char *ref,
                             const json_t **ref_doc);

/** strcmp over pointers to strings (for qsort/bsearch). */
int js_cmp_cstr(const void *a, const void *b);
/** The sorted strings of an all-string enum array (cached in s), or NULL when it holds
 *  other values or memory ran out. */
const struct js_enum *js_enum_strings(struct js_set *s, const json_t *en);
/** 1 with *a < *b the indexes of two equal items of arr, 0 when all differ, -1 out of
 *  memory. O(n log n). */
int js_first_duplicate(const json_t *arr, size_t *a, size_t *b);

/** Record a problem (pointer and printf-style reason). 0, or VOUCH_ENOMEM. */
int js_problem_add(struct js_problems *p, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void js_problems_release(struct js_problems *p);

/**
 * Validate instance against the schema document named root_name of set s, appending every
 * problem found to out (a document with no problem is valid). Returns 0 when the
 * validation ran (whatever it found), VOUCH_ENOMEM, or VOUCH_EPARSE when the schema itself
 * cannot be used (unresolvable $ref, bad regex), with err set.
 */
int js_validate(struct js_problems *out, const struct js_set *s, const char *root_name,
                const json_t *instance, struct vouch_error *err);

/** 1 when s is valid for format fmt (date-time, date, time, email, idn-email, uri,
 *  uri-reference, iri, iri-reference); unknown formats are 1 (annotations only). */
int js_format_ok(const char *fmt, const char *s);

#endif
