/* apk: /lib/apk/db/installed and /usr/lib/apk/db/installed. Records are "X:value" lines
 * separated by blank lines; a corrupt record is skipped with a warning and parsing goes on
 * with the next one. */
#include <stdio.h>
#include <string.h>

#include "cat_internal.h"

static const struct want_rule rules[] = {
    {"lib/apk/db/installed", (size_t)64 << 20},
    {"usr/lib/apk/db/installed", (size_t)64 << 20},
    {NULL, 0},
};

struct apk_rec {
    struct sbom_pkg *k;
    char dir[CAT_PATH_MAX]; /* last F: */
    size_t bad;
    size_t line;
};

/* "so:libc.so=1 /bin/sh !conflict cmd:x>2" -> tokens without version constraints. */
static int add_tokens(struct strv *out, const char *v, size_t n, struct vouch_error *err)
{
    size_t i = 0;
    while (i < n) {
        size_t s, len = 0;
        while (i < n && v[i] == ' ') {
            i++;
        }
        s = i;
        while (i < n && v[i] != ' ') {
            i++;
        }
        while (s + len < i && strchr("=<>~", v[s + len]) == NULL) {
            len++;
        }
        if (len > 0 && v[s] != '!' && strv_push(out, v + s, len, err) != 0) {
            return VOUCH_ENOMEM;
        }
    }
    return 0;
}

static int add_file(struct apk_rec *rec, const char *v, size_t n, struct vouch_error *err)
{
    char p[CAT_PATH_MAX];
    int m = snprintf(p, sizeof(p), "%s%s%.*s", rec->dir, rec->dir[0] ? "/" : "", (int)n, v);
    if (m < 0 || (size_t)m >= sizeof(p)) {
        return 0;
    }
    return strv_push(&rec->k->files, p, (size_t)m, err);
}

static int field(struct apk_rec *rec, char key, const char *v, size_t n, struct vouch_error *err)
{
    struct sbom_pkg *k = rec->k;
    switch (key) {
    case 'P':
        return util_set(&k->name, v, n, err);
    case 'V':
        return util_set(&k->version, v, n, err);
    case 'A':
        return util_set(&k->arch, v, n, err);
    case 'L':
        return n > 0 ? strv_add_unique(&k->licenses, v, n, err) : 0;
    case 'o':
        return util_set(&k->source, v, n, err);
    case 'm':
        return util_set(&k->supplier, v, n, err);
    case 'D':
        return add_tokens(&k->depends, v, n, err);
    case 'p':
        return add_tokens(&k->provides, v, n, err);
    case 'F':
        if (n < sizeof(rec->dir)) {
            memcpy(rec->dir, v, n);
            rec->dir[n] = '\0';
        }
        return 0;
    case 'R':
        return add_file(rec, v, n, err);
    default:
        return 0;
    }
}

static void end_record(struct sbom_doc *doc, struct apk_rec *rec, const char *path)
{
    if (rec->k == NULL) {
        return;
    }
    if (rec->k->name == NULL || rec->k->name[0] == '\0' || rec->bad > 0) {
        doc_warn(doc, "apk: '%s': malformed record before line %zu skipped", path, rec->line);
        doc_pkg_drop_last(doc);
    }
    rec->k = NULL;
    rec->bad = 0;
    rec->dir[0] = '\0';
}

static int parse(struct sbom_doc *doc, const char *d, size_t len, const char *path,
                 struct vouch_error *err)
{
    struct apk_rec rec = {0};
    size_t i = 0;
    int rc = 0;
    while (rc == 0 && i < len) {
        const char *s = d + i, *nl = memchr(s, '\n', len - i);
        size_t n = nl != NULL ? (size_t)(nl - s) : len - i;
        i += n + 1;
        rec.line++;
        if (n > 0 && s[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            end_record(doc, &rec, path);
            continue;
        }
        if (rec.k == NULL && (rc = doc_pkg_add(&rec.k, doc, SBOM_PKG_APK, err)) != 0) {
            break;
        }
        if (n < 2 || s[1] != ':') {
            rec.bad++;
            continue;
        }
        rc = field(&rec, s[0], s + 2, n - 2, err);
    }
    if (rc == 0) {
        end_record(doc, &rec, path);
    }
    return rc;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    for (size_t i = 0; rules[i].glob != NULL; i++) {
        const unsigned char *d;
        size_t len;
        int rc = cat_read(&d, &len, doc, r, rules[i].glob);
        if (rc == 0) {
            return parse(doc, (const char *)d, len, rules[i].glob, err);
        }
    }
    return 0;
}

const struct cataloger cat_apk = {"apk", rules, run};
