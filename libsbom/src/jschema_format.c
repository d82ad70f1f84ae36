/* String formats asserted by the validator: date-time/date/time (RFC 3339), email,
 * uri/iri (a scheme, then no white space), uri-reference/iri-reference (no white space). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "jschema_internal.h"

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

/* full-date: YYYY-MM-DD with a real day of the month */
static int date_ok(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2)) {
        return 0;
    }
    sscanf(s, "%4d-%2d-%2d", &y, &m, &d);
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) {
        return 0;
    }
    return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* partial-time [time-fraction] time-offset: hh:mm:ss[.f+](Z|+hh:mm|-hh:mm) */
static int time_ok(const char *s)
{
    if (!digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' || !digits(s + 6, 2)) {
        return 0;
    }
    if ((s[0] - '0') * 10 + (s[1] - '0') > 23 || (s[3] - '0') * 10 + (s[4] - '0') > 59 ||
        (s[6] - '0') * 10 + (s[7] - '0') > 60) {
        return 0;
    }
    s += 8;
    if (*s == '.') {
        size_t n = strspn(s + 1, "0123456789");
        if (n == 0) {
            return 0;
        }
        s += 1 + n;
    }
    if (*s == 'Z' || *s == 'z') {
        return s[1] == '\0';
    }
    return (*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) &&
           s[6] == '\0' && (s[1] - '0') * 10 + (s[2] - '0') <= 23 &&
           (s[4] - '0') * 10 + (s[5] - '0') <= 59;
}

static int no_space(const char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s <= 0x20 || *s == 0x7f || strchr("<>\"{}|\\^`", *s) != NULL) {
            return 0;
        }
    }
    return 1;
}

static int has_scheme(const char *s)
{
    size_t n = 0;
    if (!isalpha((unsigned char)s[0])) {
        return 0;
    }
    while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-' || s[n] == '.') {
        n++;
    }
    return s[n] == ':';
}

int js_format_ok(const char *fmt, const char *s)
{
    if (strcmp(fmt, "date-time") == 0) {
        return strlen(s) >= 20 && date_ok(s) && (s[10] == 'T' || s[10] == 't') && time_ok(s + 11);
    }
    if (strcmp(fmt, "date") == 0) {
        return strlen(s) == 10 && date_ok(s);
    }
    if (strcmp(fmt, "time") == 0) {
        return time_ok(s);
    }
    if (strcmp(fmt, "email") == 0 || strcmp(fmt, "idn-email") == 0) {
        const char *at = strrchr(s, '@');
        return at != NULL && at != s && at[1] != '\0' && strchr(s, ' ') == NULL;
    }
    if (strcmp(fmt, "uri") == 0 || strcmp(fmt, "iri") == 0) {
        return has_scheme(s) && no_space(s);
    }
    if (strcmp(fmt, "uri-reference") == 0 || strcmp(fmt, "iri-reference") == 0) {
        return no_space(s);
    }
    return 1;
}
