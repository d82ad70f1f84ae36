/* Requirements files (pip's format), for dir: sources: a requirement pinned with == or ===
 * ("name[extras] == V ; markers --hash=...") is a package; comments, line continuations
 * and options are understood; unpinned, URL, path and editable requirements are not
 * packages of a lock. An -r include must stay inside the source: a requirements file
 * there is catalogued on its own, anything else is a warning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_python_internal.h"

#define REQ_LINE_MAX ((size_t)64 << 10)

struct req_ctx {
    struct sbom_doc *doc;
    const struct sbom_root *r;
    const char *path;
    struct vouch_error *err;
    size_t bad, first_bad_line;
};

static int name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == '-';
}

static const char *skip_blank(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t')) {
        s++;
    }
    return s;
}

/* dir(path)/arg with "." and ".." applied; 0, or -1 when it leaves the source. */
static int include_path(char *out, size_t cap, const char *path, const char *arg, size_t an)
{
    const char *slash = strrchr(path, '/');
    char buf[CAT_PATH_MAX];
    size_t o = 0, i = 0, n;
    int m = snprintf(buf, sizeof(buf), "%.*s%s%.*s", slash ? (int)(slash - path) : 0, path,
                     slash ? "/" : "", (int)an, arg);
    if (m < 0 || (size_t)m >= sizeof(buf) || an == 0 || arg[0] == '/' ||
        memchr(arg, ':', an) != NULL) {
        return -1; /* absolute, a URL or a drive: not inside the source */
    }
    n = (size_t)m;
    while (i < n) {
        const char *c = buf + i, *e = memchr(c, '/', n - i);
        size_t cn = e != NULL ? (size_t)(e - c) : n - i;
        i += cn + 1;
        if (cn == 0 || (cn == 1 && c[0] == '.')) {
            continue;
        }
        if (cn == 2 && c[0] == '.' && c[1] == '.') {
            if (o == 0) {
                return -1;
            }
            while (o > 0 && out[--o] != '/') {
            }
            continue;
        }
        if (o + cn + 2 > cap) {
            return -1;
        }
        if (o > 0) {
            out[o++] = '/';
        }
        memcpy(out + o, c, cn);
        o += cn;
    }
    out[o] = '\0';
    return o > 0 ? 0 : -1;
}

static void include(struct req_ctx *c, const char *arg, size_t an)
{
    char target[CAT_PATH_MAX];
    const unsigned char *d;
    size_t len;
    if (include_path(target, sizeof(target), c->path, arg, an) != 0) {
        doc_warn(c->doc, "python: '%s': -r '%.*s' is outside the source, not followed", c->path,
                 (int)an, arg);
    } else if (!py_req_path(target)) {
        doc_warn(c->doc, "python: '%s': -r '%.*s' is not named like a requirements file, not read",
                 c->path, (int)an, arg);
    } else if (cat_read(&d, &len, c->doc, c->r, target) == 1) {
        doc_warn(c->doc, "python: '%s': -r '%.*s': no such file in the source", c->path, (int)an,
                 arg);
    } /* else: a requirements file of the source, catalogued on its own */
}

/* An option line ("-r FILE", "--requirement=FILE", "-i URL", "--hash=..."). */
static void option(struct req_ctx *c, const char *s, const char *e)
{
    const char *a = NULL;
    if (e - s > 2 && s[1] == 'r' && s[2] != ' ' && s[2] != '\t' && s[2] != '=') {
        a = s + 2; /* -rFILE */
    } else if ((e - s >= 2 && s[1] == 'r') ||
               (e - s >= 13 && memcmp(s, "--requirement", 13) == 0 &&
                (e - s == 13 || s[13] == ' ' || s[13] == '=' || s[13] == '\t'))) {
        a = s + (s[1] == 'r' ? 2 : 13);
        a = skip_blank(a, e);
        a += a < e && *a == '=';
        a = skip_blank(a, e);
    }
    if (a != NULL) {
        const char *ae = a;
        while (ae < e && *ae != ' ' && *ae != '\t') {
            ae++;
        }
        include(c, a, (size_t)(ae - a));
    }
}

/* The pinned version in a specifier list ("==1.0", ">=1,==1.2", "===x"): 1 found, 0 none,
 * -1 malformed. */
static int pinned(const char *s, const char *e, const char **v, size_t *vn)
{
    int found = 0;
    if (s < e && *s == '(' && e[-1] == ')') { /* the old "name (==1.0)" form */
        s++, e--;
    }
    while (s < e) {
        const char *c = skip_blank(s, e), *ce = memchr(c, ',', (size_t)(e - c)), *x;
        ce = ce != NULL ? ce : e;
        s = ce + 1;
        if (c == ce) {
            return -1;
        }
        if (strchr("<>=!~", *c) == NULL) {
            return -1;
        }
        if (ce - c < 3 || c[0] != '=' || c[1] != '=') {
            continue;
        }
        x = skip_blank(c + (c[2] == '=' ? 3 : 2), ce);
        while (ce > x && (ce[-1] == ' ' || ce[-1] == '\t')) {
            ce--;
        }
        if (x == ce || memchr(x, ' ', (size_t)(ce - x)) != NULL) {
            return -1;
        }
        if (memchr(x, '*', (size_t)(ce - x)) == NULL) { /* ==1.* is a range, not a pin */
            *v = x, *vn = (size_t)(ce - x), found = 1;
        }
    }
    return found;
}

/* One logical line (comments and continuations gone): 1 when malformed. */
static int req_line(struct req_ctx *c, const char *s, const char *e)
{
    const char *n = s, *ne, *v = NULL, *spec, *cut;
    size_t vn = 0;
    struct sbom_pkg *p;
    int rc;
    if (*s == '-') {
        option(c, s, e);
        return 0;
    }
    for (const char *q = s; q < e && *q != ' '; q++) {
        if (*q == '/' || *q == ':' || (*q == '.' && q == s)) {
            return 0; /* a path or URL, not a named requirement */
        }
    }
    while (n < e && name_char(*n)) {
        n++;
    }
    ne = n;
    if (ne == s || !name_char(s[0]) || s[0] == '.' || s[0] == '_' || s[0] == '-' || ne[-1] == '.' ||
        ne[-1] == '_' || ne[-1] == '-') {
        return 1;
    }
    spec = skip_blank(ne, e);
    if (spec < e && *spec == '[') { /* extras */
        const char *close = memchr(spec, ']', (size_t)(e - spec));
        if (close == NULL) {
            return 1;
        }
        spec = skip_blank(close + 1, e);
    }
    if (spec < e && *spec == '@') {
        return 0; /* name @ URL */
    }
    cut = memchr(spec, ';', (size_t)(e - spec)); /* environment markers */
    cut = cut != NULL ? cut : e;
    for (const char *q = spec; q + 1 < cut; q++) { /* per-requirement options: --hash=... */
        if ((*q == ' ' || *q == '\t') && q[1] == '-') {
            cut = q;
            break;
        }
    }
    while (cut > spec && (cut[-1] == ' ' || cut[-1] == '\t')) {
        cut--;
    }
    if ((rc = pinned(spec, cut, &v, &vn)) <= 0) {
        return rc < 0;
    }
    rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_PYPI, s, (size_t)(ne - s), v, vn, c->path, c->err);
    return rc < 0 ? rc : 0;
}

/* Strip a comment ('#' at the start or after a blank) and trailing blanks. */
static size_t uncomment(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
            n = i;
            break;
        }
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) {
        n--;
    }
    return n;
}

static int logical_line(struct req_ctx *c, char *buf, size_t n, size_t line)
{
    const char *s = skip_blank(buf, buf + n);
    int rc;
    if (s == buf + n) {
        return 0;
    }
    if ((rc = req_line(c, s, buf + n)) == 1 && c->bad++ == 0) {
        c->first_bad_line = line;
    }
    return rc < 0 ? rc : 0;
}

int py_req_file(struct sbom_doc *doc, const struct sbom_root *r, const char *path,
                const unsigned char *d, size_t len, struct vouch_error *err)
{
    struct req_ctx c = {doc, r, path, err, 0, 0};
    char *buf = malloc(REQ_LINE_MAX);
    size_t i = len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, bn = 0, line = 0, start = 0;
    int rc = buf != NULL ? 0 : vouch_enomem(err), over = 0;
    while (rc == 0 && i < len) {
        const char *s = (const char *)d + i, *nl = memchr(s, '\n', len - i);
        size_t n = nl != NULL ? (size_t)(nl - s) : len - i, k;
        int cont;
        i += n + 1;
        line++;
        start = bn == 0 && !over ? line : start;
        while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) {
            n--;
        }
        k = uncomment(s, n);
        /* pip joins a line ending in a backslash with the next, unless it is a comment's */
        cont = k == n && n > 0 && s[n - 1] == '\\';
        k = cont ? uncomment(s, n - 1) : k;
        if (bn + k + 1 > REQ_LINE_MAX) {
            over = 1;
        } else if (!over) {
            memcpy(buf + bn, s, k);
            bn += k;
            buf[bn++] = ' ';
        }
        if (cont && i < len) {
            continue;
        }
        if (over) {
            c.first_bad_line = c.bad++ == 0 ? start : c.first_bad_line;
        } else if (bn > 0) {
            rc = logical_line(&c, buf, bn - 1, start);
        }
        bn = 0;
        over = 0;
    }
    free(buf);
    if (rc == 0 && c.bad > 0) {
        doc_warn(doc, "python: '%s': %zu malformed lines (first at line %zu) skipped", path, c.bad,
                 c.first_bad_line);
    }
    return rc;
}
