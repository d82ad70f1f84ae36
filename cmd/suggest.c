/* "Did you mean" suggestions: optimal string alignment distance (git's help.c idea). */
#include <string.h>

#include "suggest.h"

#define WORD_MAX 64

size_t suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[WORD_MAX + 1][WORD_MAX + 1];
    if (la > WORD_MAX || lb > WORD_MAX) {
        return WORD_MAX + 1;
    }
    for (size_t i = 0; i <= la; i++) {
        d[i][0] = i;
    }
    for (size_t j = 0; j <= lb; j++) {
        d[0][j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            v = d[i][j - 1] + 1 < v ? d[i][j - 1] + 1 : v;
            v = d[i - 1][j - 1] + cost < v ? d[i - 1][j - 1] + cost : v;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v) {
                v = d[i - 2][j - 2] + 1;
            }
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

void suggest_init(struct suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->dist = WORD_MAX + 1;
}

void suggest_try(struct suggest *s, const char *cand)
{
    size_t n = strlen(s->word);
    /* a prefix ("--regis") is as good as one typo */
    size_t d = n >= 3 && strncmp(cand, s->word, n) == 0 ? 1 : suggest_distance(s->word, cand);
    if (d < s->dist) {
        s->dist = d;
        s->best = cand;
    }
}

const char *suggest_best(const struct suggest *s)
{
    size_t n = strlen(s->word);
    size_t limit = n <= 4 ? 1 : n <= 8 ? 2 : 3;
    return s->best != NULL && s->dist > 0 && s->dist <= limit ? s->best : NULL;
}
