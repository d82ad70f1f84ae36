/* Shared by lifecycle.c (policy parse, fix) and lifecycle_eval.c (images, preview). */
#ifndef SLSA_LIFECYCLE_INTERNAL_H
#define SLSA_LIFECYCLE_INTERNAL_H

#include <jansson.h>

#include "slsa/lifecycle.h"

enum lc_status { LC_TAGGED, LC_UNTAGGED, LC_ANY };
enum lc_count { LC_COUNT_MORE_THAN, LC_SINCE_PUSHED };

struct lc_rule {
    int priority;
    enum lc_status status;
    const char *const *prefixes; /* borrowed from the policy's JSON */
    size_t n_prefixes;
    const char *const *patterns;
    size_t n_patterns;
    enum lc_count count;
    long long number; /* images, or days */
};

struct slsa_lifecycle {
    json_t *root;      /* the policy as given (kept for fix) */
    struct lc_rule *r; /* sorted by priority */
    size_t n;
    const char **strs; /* backing store of every rule's prefix/pattern pointers */
};

/** ECR tag pattern match: '*' matches any run of characters, the rest literally. */
int lc_pattern_match(const char *pattern, const char *tag);

#endif
