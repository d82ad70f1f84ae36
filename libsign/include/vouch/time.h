/* Time text shared by the libraries. */
#ifndef VOUCH_TIME_H
#define VOUCH_TIME_H

#include <stdint.h>

/**
 * Parse an RFC 3339 date-time ("2024-03-01T10:15:02Z", "...02.123+00:00", "t"/"z" in lower
 * case too) into seconds since the epoch (UTC; fractions dropped). 0, or -1 when text is not
 * one (fields out of range, trailing bytes).
 */
int vouch_time_parse_rfc3339(int64_t *out, const char *text);

#endif
