/* Parsing package URLs as ECMA-427's "how to parse" says: subpath split at the last '#',
 * qualifiers at the last '?', the scheme, the type, the version at the last '@' of the
 * last segment, then name and namespace; every component percent-decoded and normalised
 * with the type's rules. Everything lands in one heap block. */
#define _GNU_SOURCE /* memrchr */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "purl_internal.h"
#include "util.h"
#include "vouch/mem.h"

struct parse_ctx {
    struct sbom_purl *p;
    struct sbom_purl_qualifier *q; /* room for every '&' + 1 */
    char *out;                     /* decoded strings are written here, never longer */
    unsigned flags;
    struct vouch_error *err;
};

static int bad(struct vouch_error *err, const char *what)
{
    return vouch_error_set(err, VOUCH_EPARSE, "purl: %s", what);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decode s[0..n) into c->out; returns the decoded string or NULL (bad escape or NUL). */
static char *decode(struct parse_ctx *c, const char *s, size_t n)
{
    char *start = c->out;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                return NULL;
            }
            ch = (char)(hi << 4 | lo);
            i += 2;
        }
        *c->out++ = ch;
    }
    *c->out++ = '\0';
    return start;
}

/* Decode '/'-separated segments of s[0..n), dropping empty ones (and "."/".." for a
 * subpath), joined with '/'; a decoded segment may not contain '/'. NULL on error. */
static const char *segments(struct parse_ctx *c, const char *s, size_t n, int subpath, int *err)
{
    char *start = c->out;
    size_t i = 0;
    int any = 0;
    while (i < n) {
        size_t k = i;
        while (k < n && s[k] != '/') {
            k++;
        }
        if (k > i && !(subpath && ((k - i == 1 && s[i] == '.') ||
                                   (k - i == 2 && s[i] == '.' && s[i + 1] == '.')))) {
            char *seg;
            if (any) {
                c->out[-1] = '/'; /* join: overwrite the previous segment's NUL */
            }
            seg = decode(c, s + i, k - i);
            if (seg == NULL || strchr(seg, '/') != NULL) {
                *err = 1;
                return NULL;
            }
            any = 1;
        }
        i = k + 1;
    }
    return any ? start : NULL;
}

static int key_lower_ok(const char *k)
{
    for (; *k != '\0'; k++) {
        if (*k >= 'A' && *k <= 'Z') {
            return 0;
        }
    }
    return 1;
}

static int parse_quals(struct parse_ctx *c, const char *s, size_t n)
{
    size_t i = 0;
    while (i <= n) {
        size_t k = i, eq;
        char *key, *val;
        while (k < n && s[k] != '&') {
            k++;
        }
        for (eq = i; eq < k && s[eq] != '='; eq++) {
        }
        if (k == i) { /* empty pair ("a=1&&b=2") */
            i = k + 1;
            continue;
        }
        if (eq == k || eq == i || (key = decode(c, s + i, eq - i)) == NULL) {
            return bad(c->err, "malformed qualifier");
        }
        if (!purl_key_ok(key) || (!key_lower_ok(key) && !(c->flags & SBOM_PURL_NORMALIZE))) {
            return bad(c->err, "bad qualifier key");
        }
        purl_lower(key);
        if ((val = decode(c, s + eq + 1, k - eq - 1)) == NULL) {
            return bad(c->err, "bad percent-escape in a qualifier");
        }
        for (size_t j = 0; j < c->p->nqualifiers; j++) {
            if (strcmp(c->q[j].key, key) == 0) {
                return bad(c->err, "repeated qualifier key");
            }
        }
        if (val[0] != '\0') {
            c->q[c->p->nqualifiers].key = key;
            c->q[c->p->nqualifiers++].value = val;
        }
        i = k + 1;
    }
    return 0;
}

/* "name@version" part and the namespace before it: s[0..n) is what follows "type/". */
static int parse_path(struct parse_ctx *c, const char *s, size_t n, unsigned tf)
{
    size_t slash, at;
    int e = 0;
    char *name;
    while (n > 0 && s[n - 1] == '/') {
        n--;
    }
    for (slash = n; slash > 0 && s[slash - 1] != '/'; slash--) {
    }
    for (at = n; at > slash && s[at - 1] != '@'; at--) {
    }
    if (at > slash) {
        char *v = decode(c, s + at, n - at);
        if (v == NULL) {
            return bad(c->err, "bad percent-escape in the version");
        }
        if (tf & PURL_VER_LOWER) {
            purl_lower(v);
        }
        c->p->version = v[0] != '\0' ? v : NULL;
        n = at - 1;
    }
    if (n <= slash || (name = decode(c, s + slash, n - slash)) == NULL || name[0] == '\0' ||
        strchr(name, '/') != NULL) {
        return bad(c->err, "missing or malformed name");
    }
    if (tf & PURL_NAME_LOWER) {
        purl_lower(name);
    }
    if (tf & PURL_NAME_PEP503) {
        purl_pep503(name);
    }
    c->p->name = name;
    c->p->ns = slash > 0 ? segments(c, s, slash - 1, 0, &e) : NULL;
    if (e) {
        return bad(c->err, "malformed namespace");
    }
    if (c->p->ns != NULL && (tf & PURL_NS_LOWER)) {
        purl_lower((char *)c->p->ns);
    }
    if (c->p->ns != NULL && (tf & PURL_NS_NONE)) {
        return bad(c->err, "this type takes no namespace");
    }
    return 0;
}

static int parse_all(struct parse_ctx *c, const char *s)
{
    size_t n = strlen(s), tlen;
    const char *hash = strrchr(s, '#'), *q, *body;
    char *type;
    int e = 0, rc;
    if (hash != NULL) {
        c->p->subpath = segments(c, hash + 1, n - (size_t)(hash + 1 - s), 1, &e);
        if (e) {
            return bad(c->err, "malformed subpath");
        }
        n = (size_t)(hash - s);
    }
    q = memrchr(s, '?', n);
    if (q != NULL) {
        if ((rc = parse_quals(c, q + 1, n - (size_t)(q + 1 - s))) != 0) {
            return rc;
        }
        n = (size_t)(q - s);
    }
    if (n < 4 || strncasecmp(s, "pkg:", 4) != 0) {
        return bad(c->err, "missing 'pkg:' scheme");
    }
    for (body = s + 4; body < s + n && *body == '/'; body++) {
    }
    for (tlen = 0; body + tlen < s + n && body[tlen] != '/'; tlen++) {
    }
    type = c->out;
    memcpy(type, body, tlen);
    type[tlen] = '\0';
    c->out += tlen + 1;
    if (!purl_type_ok(type) || body + tlen == s + n) {
        return bad(c->err, "missing or malformed type");
    }
    purl_lower(type);
    c->p->type = type;
    body += tlen + 1;
    return parse_path(c, body, (size_t)(s + n - body), purl_type_flags(type));
}

int sbom_purl_parse(struct sbom_purl **out, const char *s, unsigned flags, struct vouch_error *err)
{
    size_t n = strlen(s), nq = 1;
    struct parse_ctx c = {0};
    unsigned char *block;
    int rc;
    *out = NULL;
    for (const char *a = s; (a = strchr(a, '&')) != NULL; a++) {
        nq++;
    }
    /* struct, qualifiers, then decoded strings (each <= its input, +NUL; type copied) */
    block =
        calloc(1, sizeof(struct sbom_purl) + nq * sizeof(struct sbom_purl_qualifier) + 2 * n + 16);
    if (block == NULL) {
        return vouch_enomem(err);
    }
    c.p = (struct sbom_purl *)block;
    c.q = (struct sbom_purl_qualifier *)(block + sizeof(struct sbom_purl));
    c.out = (char *)(c.q + nq);
    c.flags = flags;
    c.err = err;
    c.p->qualifiers = c.q;
    if ((rc = parse_all(&c, s)) != 0) {
        free(block);
        return rc;
    }
    *out = c.p;
    return 0;
}

void sbom_purl_free(struct sbom_purl *p)
{
    free(p);
}
