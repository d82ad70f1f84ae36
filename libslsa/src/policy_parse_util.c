/* Typed, position-reporting accessors over the policy document tree. */
#define _DEFAULT_SOURCE /* timegm */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "image_ref.h"
#include "policy_parse_internal.h"
#include "vouch/io.h"
#include "vouch/mem.h"
#include "vouch/time.h"

#define KEY_FILE_MAX ((size_t)64 << 10)

int perr(struct pctx *c, const struct pnode *n, const char *fmt, ...)
{
    char msg[224];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return vouch_error_set(c->err, VOUCH_EPARSE, "%s:%d:%d: %s", c->file, n->line, n->col, msg);
}

int pexpect(struct pctx *c, const struct pnode *n, enum pnode_type t)
{
    static const char *want[] = {"a mapping", "a list", "a string"};
    if (n->type != t) {
        return perr(c, n, "expected %s, got %s", want[t], pnode_type_name(n));
    }
    return 0;
}

/* Edit distance (insertions, deletions, substitutions; letters compared without case) of
 * two short words, or NEAR_MAX + 1 for longer ones. */
#define NEAR_MAX 40
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[NEAR_MAX + 1];
    if (la > NEAR_MAX || lb > NEAR_MAX) {
        return NEAR_MAX + 1;
    }
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t sub =
                diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    return row[lb];
}

const char *pnearest(const char *word, const struct pfield *tab)
{
    size_t n = strlen(word), limit = n <= 4 ? 1 : n <= 8 ? 2 : 3, best = limit + 1;
    const char *hit = NULL;
    for (const struct pfield *f = tab; f->name != NULL; f++) {
        size_t d = edit_distance(word, f->name);
        if (d < best) {
            best = d;
            hit = f->name;
        }
    }
    return hit;
}

int pfields(struct pctx *c, const struct pnode *map, const struct pfield *tab, void *obj,
            const char *what)
{
    unsigned long seen = 0;
    int rc = pexpect(c, map, PNODE_MAP);
    for (size_t i = 0; rc == 0 && i < map->n; i++) {
        const struct pfield *f = tab;
        while (f->name != NULL && strcmp(f->name, map->keys[i]->str) != 0) {
            f++;
        }
        if (f->name == NULL) {
            const char *near = pnearest(map->keys[i]->str, tab);
            return perr(c, map->keys[i], "unknown key '%s' in %s%s%s%s", map->keys[i]->str, what,
                        near != NULL ? " (did you mean '" : "", near != NULL ? near : "",
                        near != NULL ? "'?)" : "");
        }
        seen |= 1UL << (f - tab);
        rc = f->parse(c, map->items[i], obj);
    }
    for (const struct pfield *f = tab; rc == 0 && f->name != NULL; f++) {
        if (f->required && !(seen & (1UL << (f - tab)))) {
            rc = perr(c, map, "missing required key '%s' in %s", f->name, what);
        }
    }
    return rc;
}

static const char *plain_kind(const char *s)
{
    static const char *nulls[] = {"", "~", "null", "Null", "NULL"};
    static const char *bools[] = {"true", "false", "True", "False", "TRUE", "FALSE",
                                  "yes",  "no",    "on",   "off",   "Yes",  "No"};
    char *end;
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++) {
        if (strcmp(s, nulls[i]) == 0) {
            return "null";
        }
    }
    for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
        if (strcmp(s, bools[i]) == 0) {
            return "a boolean";
        }
    }
    (void)strtod(s, &end);
    return *end == '\0' ? "a number" : NULL;
}

int pstr(struct pctx *c, const struct pnode *n, char **out)
{
    const char *kind;
    int rc = pexpect(c, n, PNODE_SCALAR);
    if (rc != 0) {
        return rc;
    }
    if (!n->quoted && (kind = plain_kind(n->str)) != NULL) {
        return perr(c, n, "expected a string, got %s (quote it)", kind);
    }
    free(*out);
    *out = strdup(n->str);
    return *out == NULL ? vouch_enomem(c->err) : 0;
}

int pbool(struct pctx *c, const struct pnode *n, int *out)
{
    if (n->type == PNODE_SCALAR && !n->quoted) {
        if (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0) {
            *out = n->str[0] == 't';
            return 0;
        }
    }
    return perr(c, n, "expected true or false");
}

int puint(struct pctx *c, const struct pnode *n, size_t max, size_t *out)
{
    char *end;
    unsigned long v;
    if (n->type != PNODE_SCALAR || n->quoted || n->str[0] < '0' || n->str[0] > '9') {
        return perr(c, n, "expected an integer");
    }
    v = strtoul(n->str, &end, 10);
    if (*end != '\0' || v > max) {
        return perr(c, n, "expected an integer from 0 to %zu", max);
    }
    *out = v;
    return 0;
}

int pstr_list(struct pctx *c, const struct pnode *n, char ***out, size_t *count)
{
    int rc = pexpect(c, n, PNODE_SEQ);
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        char **slot = vouch_push(out, count, sizeof(char *), c->err);
        rc = slot == NULL ? VOUCH_ENOMEM : pstr(c, n->items[i], slot);
    }
    return rc;
}

int pglob_list(struct pctx *c, const struct pnode *n, char ***out, size_t *count)
{
    int rc = pstr_list(c, n, out, count);
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        const char *why = pol_glob_check((*out)[i]);
        if (why != NULL) {
            return perr(c, n->items[i], "bad glob '%s': %s", (*out)[i], why);
        }
    }
    return rc;
}

static int pkey_load(struct pctx *c, const struct pnode *at, struct pol_key *k, const char *path)
{
    unsigned char *pem = NULL;
    size_t len = 0;
    char *full = NULL;
    struct vouch_error kerr = VOUCH_ERROR_INIT;
    int rc;
    if (path[0] != '/' && c->base_dir != NULL &&
        (full = vouch_strf("%s/%s", c->base_dir, path)) == NULL) {
        return vouch_enomem(c->err);
    }
    rc = vouch_file_read(&pem, &len, full != NULL ? full : path, KEY_FILE_MAX, &kerr);
    free(full);
    if (rc == 0) {
        k->pem = (char *)pem;
        rc = slsa_key_id_pem(k->id, k->pem, len, path, &kerr);
    }
    return rc == 0 ? 0 : perr(c, at, "%s", kerr.msg);
}

static int pkey_one(struct pctx *c, const struct pnode *n, struct pol_key *k)
{
    struct vouch_error kerr = VOUCH_ERROR_INIT;
    char *path = NULL;
    int rc;
    if (n->type == PNODE_SCALAR ||
        (n->type == PNODE_MAP && n->n == 1 && strcmp(n->keys[0]->str, "path") == 0)) {
        const struct pnode *v = n->type == PNODE_SCALAR ? n : n->items[0];
        if ((rc = pstr(c, v, &path)) == 0 && (rc = pkey_load(c, v, k, path)) == 0) {
            k->label = path;
            path = NULL;
        }
        free(path);
        return rc;
    }
    if (n->type != PNODE_MAP || n->n != 1 || strcmp(n->keys[0]->str, "pem") != 0) {
        return perr(c, n, "expected a key: a path, {path: FILE} or {pem: TEXT}");
    }
    if ((rc = pstr(c, n->items[0], &k->pem)) != 0) {
        return rc;
    }
    if (slsa_key_id_pem(k->id, k->pem, strlen(k->pem), "inline key", &kerr) != 0) {
        return perr(c, n->items[0], "%s", kerr.msg);
    }
    k->label = strdup("inline key");
    return k->label == NULL ? vouch_enomem(c->err) : 0;
}

int pkeys(struct pctx *c, const struct pnode *n, struct pol_keyset *ks)
{
    int rc = pexpect(c, n, PNODE_SEQ);
    if (rc == 0 && n->n == 0) {
        return perr(c, n, "at least one key is required");
    }
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        struct pol_key *k = vouch_push(&ks->keys, &ks->n, sizeof(*k), c->err);
        if (k == NULL) {
            return VOUCH_ENOMEM;
        }
        rc = pkey_one(c, n->items[i], k);
        for (size_t j = 0; rc == 0 && j + 1 < ks->n; j++) {
            if (strcmp(ks->keys[j].id, k->id) == 0) {
                rc = perr(c, n->items[i], "the same key is listed twice");
            }
        }
    }
    return rc;
}

int pdate(struct pctx *c, const struct pnode *n, long long *out)
{
    struct tm tm = {0};
    int y, mo, d, used = 0;
    int64_t t;
    if (n->type != PNODE_SCALAR) {
        return perr(c, n, "expected a date");
    }
    if (strlen(n->str) != 10) {
        /* a date-time: RFC 3339 in UTC, as written in the policy docs */
        size_t len = strlen(n->str);
        if (len == 0 || n->str[len - 1] != 'Z' || vouch_time_parse_rfc3339(&t, n->str) != 0 ||
            t < 0) {
            return perr(c, n, "bad date '%s' (want YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)", n->str);
        }
        *out = (long long)t;
        return 0;
    }
    /* a date alone: valid through the end of that day (the instant the next one starts) */
    if (sscanf(n->str, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10) {
        return perr(c, n, "bad date '%s' (want YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)", n->str);
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    t = (int64_t)timegm(&tm);
    if (t == -1 || tm.tm_mday != d || tm.tm_mon != mo - 1 || y < 1970) {
        return perr(c, n, "bad date '%s' (want YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)", n->str);
    }
    *out = (long long)t + 86400;
    return 0;
}

/* glibc compiles a bounded repetition by copying its operand, so nested or chained counts
 * multiply: a{1000}{1000}{1000} asks for 10^9 copies (gigabytes, minutes). The product of
 * every {m,n} bound in the pattern is an upper bound of that growth. */
int pregex_too_big(const char *re)
{
    unsigned long long product = 1;
    if (strlen(re) > PREGEX_MAX_LEN) {
        return 1;
    }
    for (const char *p = re; *p != '\0'; p++) {
        unsigned long m = 0, n = 0;
        char *end;
        if (*p == '\\' && p[1] != '\0') {
            p++;
            continue;
        }
        if (*p != '{') {
            continue;
        }
        m = strtoul(p + 1, &end, 10);
        n = *end == ',' ? strtoul(end + 1, &end, 10) : m;
        product *= (m > n ? m : n) + 1;
        if (product > PREGEX_MAX_REPEAT) {
            return 1;
        }
    }
    return 0;
}
