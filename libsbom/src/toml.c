/* The TOML subset of lockfiles (TOML 1.0 tables, arrays of tables, dotted and quoted
 * keys, the four string forms, integers, booleans, arrays, inline tables; floats and
 * dates kept as their text). Values become jansson trees; each statement is handed to the
 * caller and freed, so memory does not grow with the file. A broken statement is skipped
 * up to the next line, so one bad line does not cost the rest of a lockfile. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "toml_internal.h"
#include "vouch/buf.h"
#include "vouch/error.h"

#define TOML_DEPTH_MAX 32
#define TOML_KEY_MAX 1024

struct tp {
    const char *p, *lim;
    size_t line;
    int nomem;
};

static void skip_ws(struct tp *t)
{
    while (t->p < t->lim && (*t->p == ' ' || *t->p == '\t')) {
        t->p++;
    }
}

/* Whitespace, newlines and comments (inside arrays and between statements). */
static void skip_space(struct tp *t)
{
    while (t->p < t->lim) {
        if (*t->p == ' ' || *t->p == '\t' || *t->p == '\r') {
            t->p++;
        } else if (*t->p == '\n') {
            t->p++;
            t->line++;
        } else if (*t->p == '#') {
            while (t->p < t->lim && *t->p != '\n') {
                t->p++;
            }
        } else {
            break;
        }
    }
}

/* After a statement: only blanks and a comment up to the end of the line. */
static int end_of_line(struct tp *t)
{
    skip_ws(t);
    if (t->p < t->lim && *t->p == '#') {
        while (t->p < t->lim && *t->p != '\n') {
            t->p++;
        }
    }
    if (t->p < t->lim && *t->p == '\r') {
        t->p++;
    }
    return t->p == t->lim || *t->p == '\n' ? 0 : -1;
}

static int put_utf8(struct vouch_buf *b, uint32_t c)
{
    unsigned char u[4];
    size_t n;
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return -1; /* NUL would cut the C strings catalogers use */
    }
    if (c < 0x80) {
        u[0] = (unsigned char)c, n = 1;
    } else if (c < 0x800) {
        u[0] = (unsigned char)(0xC0 | c >> 6), u[1] = (unsigned char)(0x80 | (c & 0x3F)), n = 2;
    } else if (c < 0x10000) {
        u[0] = (unsigned char)(0xE0 | c >> 12), u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        u[2] = (unsigned char)(0x80 | (c & 0x3F)), n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | c >> 18), u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
        u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F)), u[3] = (unsigned char)(0x80 | (c & 0x3F));
        n = 4;
    }
    return vouch_buf_append(b, u, n, NULL) == 0 ? 0 : -2;
}

/* One escape after '\' in a basic string; -1 bad, -2 out of memory. */
static int escape(struct tp *t, struct vouch_buf *b)
{
    static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
    const char *hit;
    size_t nd;
    uint32_t c = 0;
    if (t->p >= t->lim) {
        return -1;
    }
    if ((hit = memchr(from, *t->p, sizeof(from) - 1)) != NULL) {
        t->p++;
        return vouch_buf_append(b, &to[hit - from], 1, NULL) == 0 ? 0 : -2;
    }
    if (*t->p != 'u' && *t->p != 'U') {
        return -1;
    }
    nd = *t->p++ == 'u' ? 4 : 8;
    if ((size_t)(t->lim - t->p) < nd) {
        return -1;
    }
    for (size_t i = 0; i < nd; i++, t->p++) {
        char h = *t->p;
        int v = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (v < 0 || c > 0x10FFFF) {
            return -1;
        }
        c = c << 4 | (uint32_t)v;
    }
    return put_utf8(b, c);
}

/* A string of any of the four forms into b; -1 bad, -2 out of memory. */
static int string_into(struct tp *t, struct vouch_buf *b)
{
    char q = *t->p;
    int multi = t->lim - t->p >= 3 && t->p[1] == q && t->p[2] == q, rc;
    t->p += multi ? 3 : 1;
    if (multi && t->p < t->lim && *t->p == '\n') { /* a newline right after """ is dropped */
        t->p++, t->line++;
    } else if (multi && t->lim - t->p >= 2 && t->p[0] == '\r' && t->p[1] == '\n') {
        t->p += 2, t->line++;
    }
    for (;;) {
        if (t->p >= t->lim || (!multi && (*t->p == '\n' || *t->p == '\r'))) {
            return -1;
        }
        if (*t->p == q && (!multi || (t->lim - t->p >= 3 && t->p[1] == q && t->p[2] == q &&
                                      (t->lim - t->p == 3 || t->p[3] != q)))) {
            t->p += multi ? 3 : 1;
            return 0;
        }
        if (*t->p == '\\' && q == '"') {
            t->p++;
            if (multi && t->p < t->lim && (*t->p == '\n' || *t->p == ' ' || *t->p == '\r')) {
                skip_space(t); /* line-ending backslash: trim up to the next text */
                continue;
            }
            if ((rc = escape(t, b)) != 0) {
                return rc;
            }
            continue;
        }
        if (*t->p == '\0') {
            return -1;
        }
        t->line += *t->p == '\n';
        if (vouch_buf_append(b, t->p++, 1, NULL) != 0) {
            return -2;
        }
    }
}

static json_t *string_val(struct tp *t)
{
    struct vouch_buf b;
    json_t *j = NULL;
    int rc;
    vouch_buf_init(&b, 0);
    rc = string_into(t, &b);
    if (rc == 0) { /* json_stringn refuses bytes that are not UTF-8 */
        j = json_stringn(b.len ? (const char *)b.data : "", b.len);
    }
    t->nomem |= rc == -2;
    vouch_buf_release(&b);
    return j;
}

/* A dotted key (bare, "basic" or 'literal' parts) into out. */
static int key_into(struct tp *t, char *out, size_t cap)
{
    size_t n = 0;
    for (;;) {
        skip_ws(t);
        if (t->p < t->lim && (*t->p == '"' || *t->p == '\'')) {
            struct vouch_buf b;
            int rc;
            vouch_buf_init(&b, TOML_KEY_MAX);
            rc = string_into(t, &b);
            if (rc == 0 && (b.len >= cap - n || memchr(b.data, '\0', b.len) != NULL)) {
                rc = -1;
            }
            if (rc == 0) {
                memcpy(out + n, b.data, b.len);
                n += b.len;
            }
            vouch_buf_release(&b);
            if (rc != 0) {
                t->nomem |= rc == -2;
                return -1;
            }
        } else {
            const char *s = t->p;
            while (t->p < t->lim &&
                   (((*t->p | 0x20) >= 'a' && (*t->p | 0x20) <= 'z') ||
                    (*t->p >= '0' && *t->p <= '9') || *t->p == '_' || *t->p == '-')) {
                t->p++;
            }
            if (t->p == s || (size_t)(t->p - s) >= cap - n) {
                return -1;
            }
            memcpy(out + n, s, (size_t)(t->p - s));
            n += (size_t)(t->p - s);
        }
        skip_ws(t);
        if (t->p >= t->lim || *t->p != '.') {
            out[n] = '\0';
            return 0;
        }
        if (n + 1 >= cap) {
            return -1;
        }
        out[n++] = '.';
        t->p++;
    }
}

static json_t *value(struct tp *t, int depth);

static json_t *array_val(struct tp *t, int depth)
{
    json_t *a = json_array(), *v;
    t->p++;
    while (a != NULL) {
        skip_space(t);
        if (t->p < t->lim && *t->p == ']') {
            t->p++;
            return a;
        }
        if ((v = value(t, depth + 1)) == NULL || json_array_append_new(a, v) != 0) {
            break;
        }
        skip_space(t);
        if (t->p < t->lim && *t->p == ',') {
            t->p++;
        } else if (t->p >= t->lim || *t->p != ']') {
            break;
        }
    }
    t->nomem |= a == NULL;
    json_decref(a);
    return NULL;
}

static json_t *inline_table(struct tp *t, int depth)
{
    json_t *o = json_object(), *v;
    char key[TOML_KEY_MAX];
    t->p++;
    skip_space(t);
    if (o != NULL && t->p < t->lim && *t->p == '}') {
        t->p++;
        return o;
    }
    while (o != NULL) {
        skip_space(t);
        if (key_into(t, key, sizeof(key)) != 0 || t->p >= t->lim || *t->p != '=') {
            break;
        }
        t->p++;
        skip_ws(t);
        if ((v = value(t, depth + 1)) == NULL || json_object_set_new(o, key, v) != 0) {
            break;
        }
        skip_space(t);
        if (t->p < t->lim && *t->p == '}') {
            t->p++;
            return o;
        }
        if (t->p >= t->lim || *t->p != ',') {
            break;
        }
        t->p++;
    }
    t->nomem |= o == NULL;
    json_decref(o);
    return NULL;
}

static int scalar_char(char c)
{
    return memchr("+-._:", c, 5) != NULL || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
           (c >= '0' && c <= '9');
}

/* Integers, booleans; floats, dates and times as their text. */
static json_t *scalar(struct tp *t)
{
    const char *s = t->p;
    char num[24];
    size_t n = 0, k, sign;
    while (t->p < t->lim && scalar_char(*t->p)) {
        t->p++;
    }
    k = (size_t)(t->p - s);
    if (k == 4 && memcmp(s, "true", 4) == 0) {
        return json_true();
    }
    if (k == 5 && memcmp(s, "false", 5) == 0) {
        return json_false();
    }
    if (k == 0 || !(*s == '+' || *s == '-' || (*s >= '0' && *s <= '9') ||
                    (k == 3 && (memcmp(s, "inf", 3) == 0 || memcmp(s, "nan", 3) == 0)))) {
        return NULL;
    }
    for (size_t i = 0; i < k && n + 1 < sizeof(num); i++) {
        if (s[i] != '_') {
            num[n++] = s[i];
        }
    }
    num[n] = '\0';
    sign = num[0] == '-' || num[0] == '+';
    if (k < sizeof(num) - 1 && n > sign && strspn(num + sign, "0123456789") == n - sign) {
        return json_integer(strtoll(num, NULL, 10)); /* at most 22 digits: strtoll clamps */
    }
    return json_stringn(s, k);
}

static json_t *value(struct tp *t, int depth)
{
    if (t->p >= t->lim || depth > TOML_DEPTH_MAX) {
        return NULL;
    }
    switch (*t->p) {
    case '"':
    case '\'':
        return string_val(t);
    case '[':
        return array_val(t, depth);
    case '{':
        return inline_table(t, depth);
    default:
        return scalar(t);
    }
}

/* One statement at t->p (not blank): 0 done, 1 not TOML, 2 refused by fn, negative from fn
 * or ENOMEM. */
static int statement(struct tp *t, char *table, toml_fn fn, void *ctx)
{
    struct toml_ev ev = {.line = t->line, .table = table};
    char key[TOML_KEY_MAX];
    json_t *v;
    int rc;
    if (*t->p == '[') {
        int arr = t->lim - t->p >= 2 && t->p[1] == '[';
        t->p += arr ? 2 : 1;
        if (key_into(t, key, sizeof(key)) != 0 || t->p >= t->lim || *t->p != ']' ||
            (arr && (t->lim - t->p < 2 || t->p[1] != ']'))) {
            table[0] = '\0'; /* keys up to the next header belong to no known table */
            return 1;
        }
        t->p += arr ? 2 : 1;
        memcpy(table, key, strlen(key) + 1);
        ev.kind = arr ? TOML_ARRAY_TABLE : TOML_TABLE;
        if (end_of_line(t) != 0) {
            return 1;
        }
        rc = fn(&ev, ctx);
        return rc == 1 ? 2 : rc;
    }
    if (key_into(t, key, sizeof(key)) != 0 || t->p >= t->lim || *t->p != '=') {
        return 1;
    }
    t->p++;
    skip_ws(t);
    if ((v = value(t, 0)) == NULL) {
        return t->nomem ? VOUCH_ENOMEM : 1;
    }
    if (end_of_line(t) != 0) {
        json_decref(v);
        return 1;
    }
    ev.kind = TOML_KEYVAL;
    ev.key = key;
    ev.val = v;
    rc = fn(&ev, ctx);
    json_decref(v);
    return rc == 1 ? 2 : rc;
}

int toml_each(const char *d, size_t len, toml_fn fn, void *ctx, struct toml_stats *st)
{
    struct tp t = {d, d + len, 1, 0};
    char table[TOML_KEY_MAX] = "";
    st->bad = st->first_bad_line = 0;
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
        t.p += 3;
    }
    for (;;) {
        const char *start;
        size_t line;
        int rc;
        skip_space(&t);
        if (t.p >= t.lim) {
            return 0;
        }
        start = t.p;
        line = t.line;
        if ((rc = statement(&t, table, fn, ctx)) < 0) {
            return rc;
        }
        if (rc == 0) {
            continue;
        }
        if (st->bad++ == 0) {
            st->first_bad_line = line;
        }
        if (rc == 2) {
            continue; /* well-formed, only refused: go on after it */
        }
        t.p = start; /* resume on the line after the broken statement's first */
        t.line = line;
        while (t.p < t.lim && *t.p != '\n') {
            t.p++;
        }
    }
}
