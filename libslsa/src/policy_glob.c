/* Repository globs as policy-controller uses them: '*' and '?' stay within one path
 * element, '**' crosses elements. No character classes (rejected at load). */
#include <string.h>

#include "policy_internal.h"

int pol_glob_match(const char *p, const char *s)
{
    while (*p != '\0') {
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            if (*p == '/' && p[1] != '\0') {
                /* "a/DOUBLESTAR/b" also matches "a/b" */
                if (pol_glob_match(p + 1, s)) {
                    return 1;
                }
            }
            for (const char *t = s;; t++) {
                if (pol_glob_match(p, t)) {
                    return 1;
                }
                if (*t == '\0') {
                    return 0;
                }
            }
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (pol_glob_match(p, t)) {
                    return 1;
                }
                if (*t == '\0' || *t == '/') {
                    return 0;
                }
            }
        }
        if (*s == '\0' || (*p == '?' ? *s == '/' : *p != *s)) {
            return 0;
        }
        p++;
        s++;
    }
    return *s == '\0';
}

const char *pol_glob_check(const char *p)
{
    if (*p == '\0') {
        return "empty glob";
    }
    if (strstr(p, "***") != NULL) {
        return "'***' is not a glob operator";
    }
    for (; *p != '\0'; p++) {
        if (strchr("[]{}\\ \t\n\r", *p) != NULL) {
            return "character classes, braces, escapes and spaces are not supported in globs";
        }
    }
    return NULL;
}
