/* slsa-verifier's --source-versioned-tag: Go's semantic versions (golang.org/x/mod/semver:
 * vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]) and the rule that a provenance tag matches
 * an expected version on every component the expected version gives. */
#include <stdio.h>
#include <string.h>

#include "verify_internal.h"

/* A run of digits without a leading zero (Go's semver numbers); its length, or 0. */
static size_t number(const char *p)
{
    size_t n = strspn(p, "0123456789");
    return n == 0 || (n > 1 && p[0] == '0') ? 0 : n;
}

/* Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading zeros when
 * strict (prerelease). Returns the length taken, or 0. */
static size_t idents(const char *p, int strict)
{
    static const char set[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";
    size_t at = 0;
    for (;;) {
        size_t n = strspn(p + at, set);
        size_t d = strspn(p + at, "0123456789");
        if (n == 0 || (strict && d == n && n > 1 && p[at] == '0')) {
            return 0;
        }
        at += n;
        if (p[at] != '.') {
            return at;
        }
        at++;
    }
}

/* Go's semver.IsValid; *build gets where "+BUILD" starts (or the end), *short is 1 when
 * minor or patch is left out. */
static int semver_valid(const char *v, const char **build, int *short_form)
{
    const char *p = v;
    size_t n;
    *short_form = 0;
    if (*p++ != 'v' || (n = number(p)) == 0) {
        return 0;
    }
    p += n;
    for (int part = 0; part < 2; part++) {
        if (*p == '\0') {
            *short_form = 1;
            *build = p;
            return 1;
        }
        if (*p != '.' || (n = number(p + 1)) == 0) {
            return 0;
        }
        p += 1 + n;
    }
    if (*p == '-' && (n = idents(p + 1, 1)) == 0) {
        return 0;
    }
    p += *p == '-' ? 1 + n : 0;
    *build = p;
    if (*p == '+' && (n = idents(p + 1, 0)) == 0) {
        return 0;
    }
    p += *p == '+' ? 1 + n : 0;
    return *p == '\0';
}

/* The i-th '.'-separated field of v (slsa-verifier splits the version text on dots), its
 * length in *n; NULL when v has fewer fields. */
static const char *field(const char *v, int i, size_t *n)
{
    const char *p = v;
    for (int k = 0; k < i; k++) {
        p = strchr(p, '.');
        if (p == NULL) {
            return NULL;
        }
        p++;
    }
    *n = strcspn(p, ".");
    return p;
}

/* Field i of v; for the patch field (2) without v's "+BUILD" when the field ends with it. */
static const char *component(const char *v, const char *build, int i, size_t *n)
{
    const char *f = field(v, i, n);
    size_t bn = strlen(build);
    if (f != NULL && i == 2 && bn > 0 && *n >= bn && strncmp(f + *n - bn, build, bn) == 0) {
        *n -= bn;
    }
    return f;
}

int verify_versioned_tag(const char *tag, const char *want, struct vouch_error *err)
{
    static const char *const names[] = {"major", "minor", "patch"};
    char canon[256];
    const char *wbuild = "", *tbuild = "";
    int wshort, tshort;
    if (!semver_valid(want, &wbuild, &wshort)) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%.100s' is not a semantic version", want);
    }
    if (strlen(tag) >= sizeof(canon) - 4 || !semver_valid(tag, &tbuild, &tshort)) {
        return vouch_error_set(err, VOUCH_EVERIFY, "source tag '%.100s' is not a semantic version",
                               tag);
    }
    /* Go's semver.Canonical: vMAJOR.MINOR.PATCH[-PRERELEASE], no build */
    snprintf(canon, sizeof(canon), "%.*s%s", (int)(tbuild - tag), tag,
             tshort ? (strchr(tag, '.') != NULL ? ".0" : ".0.0") : "");
    for (int i = 0; i < 3; i++) {
        size_t wn = 0, tn = 0;
        const char *w = component(want, wbuild, i, &wn);
        const char *t = component(canon, "", i, &tn);
        if (w == NULL) {
            break; /* the expected version leaves this component out: any matches */
        }
        if (t == NULL || wn != tn || strncmp(w, t, wn) != 0) {
            return vouch_error_set(err, VOUCH_EVERIFY,
                                   "source tag '%.100s' is not versioned tag '%.100s': %s "
                                   "version expected '%.*s', got '%.*s'",
                                   tag, want, names[i], (int)wn, w, t != NULL ? (int)tn : 0,
                                   t != NULL ? t : "");
        }
    }
    return 0;
}
