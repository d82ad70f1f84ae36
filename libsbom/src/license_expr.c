/* SPDX license expressions (SPDX 2.3 Annex D): ids from the SPDX license list (case-
 * insensitive), LicenseRef-/DocumentRef-...:LicenseRef-, "+", WITH, AND, OR, parentheses. */
#include <ctype.h>
#include <string.h>

#include "license_internal.h"
#include "sbom/validate.h"

#define EXPR_MAX_DEPTH 32

struct lex {
    const char *p;
    int depth;
};

static void skip_ws(struct lex *l)
{
    while (*l->p == ' ' || *l->p == '\t' || *l->p == '\n' || *l->p == '\r') {
        l->p++;
    }
}

/* idstring = 1*(ALPHA / DIGIT / "-" / "." ) */
static size_t id_len(const char *s)
{
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '-' || s[n] == '.') {
        n++;
    }
    return n;
}

static int word_is(const struct lex *l, const char *w)
{
    size_t n = strlen(w);
    return strncmp(l->p, w, n) == 0 && id_len(l->p) == n;
}

static int license_ref(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    if (colon != NULL) { /* DocumentRef-x:LicenseRef-y */
        return n > 12 && strncmp(s, "DocumentRef-", 12) == 0 && colon > s + 12 &&
               license_ref(colon + 1, n - (size_t)(colon + 1 - s));
    }
    return n > 11 && strncmp(s, "LicenseRef-", 11) == 0;
}

/* a license id, a LicenseRef, or (after WITH) an exception id */
static int simple(struct lex *l)
{
    char canon[128];
    size_t n = id_len(l->p);
    if (l->p[n] == ':') {
        n += 1 + id_len(l->p + n + 1);
    }
    if (n == 0 || word_is(l, "AND") || word_is(l, "OR") || word_is(l, "WITH")) {
        return 0;
    }
    if (!license_ref(l->p, n) && !lic_id_lookup(canon, sizeof(canon), l->p, n)) {
        return 0;
    }
    l->p += n;
    if (*l->p == '+') {
        l->p++;
    }
    return 1;
}

static int expr_or(struct lex *l);

static int atom(struct lex *l)
{
    skip_ws(l);
    if (*l->p == '(') {
        int ok;
        l->p++;
        if (++l->depth > EXPR_MAX_DEPTH) {
            return 0;
        }
        ok = expr_or(l);
        skip_ws(l);
        l->depth--;
        if (!ok || *l->p != ')') {
            return 0;
        }
        l->p++;
        return 1;
    }
    if (!simple(l)) {
        return 0;
    }
    skip_ws(l);
    if (word_is(l, "WITH")) {
        l->p += 4;
        skip_ws(l);
        return simple(l);
    }
    return 1;
}

static int expr_and(struct lex *l)
{
    if (!atom(l)) {
        return 0;
    }
    for (skip_ws(l); word_is(l, "AND"); skip_ws(l)) {
        l->p += 3;
        if (!atom(l)) {
            return 0;
        }
    }
    return 1;
}

static int expr_or(struct lex *l)
{
    if (!expr_and(l)) {
        return 0;
    }
    for (skip_ws(l); word_is(l, "OR"); skip_ws(l)) {
        l->p += 2;
        if (!expr_and(l)) {
            return 0;
        }
    }
    return 1;
}

int sbom_license_expression_valid(const char *s)
{
    struct lex l = {s, 0};
    if (!expr_or(&l)) {
        return 0;
    }
    skip_ws(&l);
    return *l.p == '\0';
}
