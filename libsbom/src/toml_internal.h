/* A reader of the TOML subset lockfiles are written in (Cargo.lock, poetry.lock, uv.lock):
 * one callback per table header and per key = value, values as jansson trees. */
#ifndef SBOM_TOML_INTERNAL_H
#define SBOM_TOML_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

enum toml_kind {
    TOML_TABLE,       /* [a.b] */
    TOML_ARRAY_TABLE, /* [[a.b]] */
    TOML_KEYVAL,      /* key = value inside the current table */
};

/** One statement of the document (every pointer borrowed for the call). */
struct toml_ev {
    enum toml_kind kind;
    const char *table; /* the current table's dotted name, "" before any header */
    const char *key;   /* TOML_KEYVAL: the dotted key, unquoted */
    const json_t *val; /* TOML_KEYVAL: strings (UTF-8, no NUL), integers, booleans,
                          arrays, inline tables as objects; floats and dates as strings */
    size_t line;       /* 1-based line the statement starts on */
};

/** Called per statement: 0 to go on, 1 to count the statement as malformed, a negative
 *  code to stop (passed up). */
typedef int (*toml_fn)(const struct toml_ev *ev, void *ctx);

/** Statistics of a read: malformed statements and the line of the first. */
struct toml_stats {
    size_t bad;
    size_t first_bad_line;
};

/**
 * Read d[0..len) statement by statement. A statement that is not TOML (an unterminated
 * string, a bad escape, nesting deeper than 32, a line that is no key = value) is
 * counted in st and skipped: reading resumes at the next line. Returns 0, or the first
 * negative return of fn, or VOUCH_ENOMEM.
 */
int toml_each(const char *d, size_t len, toml_fn fn, void *ctx, struct toml_stats *st);

#endif
