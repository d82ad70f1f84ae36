/* RFC 3339 date-times (notation's signing times, ECR's imagePushedAt) to seconds since the
 * epoch: one parser for the libraries. */
#define _DEFAULT_SOURCE /* timegm */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vouch/time.h"

int vouch_time_parse_rfc3339(int64_t *out, const char *text)
{
    struct tm tm;
    int y, mo, d, h, mi, s, n = 0, zh = 0, zm = 0;
    const char *p;
    int64_t t;
    memset(&tm, 0, sizeof(tm));
    if (sscanf(text, "%4d-%2d-%2d%*1[Tt]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 ||
        n != 19) {
        return -1;
    }
    p = text + n;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            p++;
        }
    }
    if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d%n", &zh, &zm, &n) == 2 && n == 5 &&
        p[6] == '\0') {
        zm = (zh * 60 + zm) * (*p == '+' ? 1 : -1);
    } else if ((*p != 'Z' && *p != 'z') || p[1] != '\0') {
        return -1;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
        return -1;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s == 60 ? 59 : s; /* a leap second: count it after :59, in the same day */
    t = (int64_t)timegm(&tm) + (s == 60);
    if (tm.tm_mday != d || tm.tm_mon != mo - 1) {
        return -1; /* a day the month does not have (timegm moved it): 2027-02-30 */
    }
    *out = t - (int64_t)zm * 60;
    return 0;
}
