/* "Did you mean": the closest of a set of candidate words by edit distance. */
#ifndef VOUCH_CMD_SUGGEST_H
#define VOUCH_CMD_SUGGEST_H

#include <stddef.h>

struct suggest {
    const char *word;
    const char *best; /* the closest candidate so far, or NULL */
    size_t dist;
};

/** Start looking for the candidate closest to word (borrowed). */
void suggest_init(struct suggest *s, const char *word);

/** Consider cand (borrowed: it must outlive s). */
void suggest_try(struct suggest *s, const char *cand);

/** The closest candidate when it is close enough to be a typo (or has word as a prefix),
 *  else NULL. */
const char *suggest_best(const struct suggest *s);

/** Damerau-Levenshtein (optimal string alignment) distance, capped at 64 + 1. */
size_t suggest_distance(const char *a, const char *b);

#endif
