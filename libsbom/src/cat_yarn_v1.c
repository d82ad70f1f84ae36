/* yarn.lock v1 ("classic"): yarn's own indentation format, not YAML. Entries start at
 * column 0 with their descriptors ("a@^1.0.0", "a@~1.2.0":), fields are indented two
 * spaces ("version "1.2.3"", "dependencies:"), dependencies four ("b "^2.0.0"").
 * Strings are bare or double-quoted (backslash escapes). The whole file is parsed before
 * anything is added, so a syntax error leaves no package of it behind. Lines deeper than
 * the dependency level are ignored (yarn never writes them), so nesting costs nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_npm_internal.h"
#include "vouch/mem.h"

#define TOK_MAX 1024
#define TOKS 8

struct y1_ent {
    struct strv specs; /* the descriptors of the entry's header */
    char *version;
    struct strv deps; /* "NAME@RANGE" of dependencies and optionalDependencies */
};

struct y1 {
    struct y1_ent *v;
    size_t n;
    size_t cap;
    int in_deps; /* inside a dependencies: block of the last entry */
    char why[96];
};

struct y1_line {
    char tok[TOKS][TOK_MAX];
    size_t ntok;
    int colon; /* the line ends with ':' (a key with a block below) */
};

/* One bare or quoted string at *p (bounded by e) into out. */
static int y1_token(const char **p, const char *e, char *out)
{
    const char *s = *p;
    size_t n = 0;
    if (*s == '"') {
        for (s++; s < e && *s != '"'; s++) {
            if (*s == '\\' && s + 1 < e) {
                s++;
            }
            if (n + 1 >= TOK_MAX) {
                return -1;
            }
            out[n++] = *s;
        }
        if (s == e) {
            return -1; /* unterminated */
        }
        s++;
    } else {
        for (; s < e && *s != ' ' && *s != ','; s++) {
            if (n + 1 >= TOK_MAX) {
                return -1;
            }
            out[n++] = *s;
        }
    }
    out[n] = '\0';
    *p = s;
    return 0;
}

/* Split the text of one line (indentation removed) into tokens. */
static int y1_split(struct y1_line *ln, const char *s, const char *e)
{
    ln->ntok = 0;
    ln->colon = e > s && e[-1] == ':';
    if (ln->colon) {
        e--;
    }
    for (;;) {
        while (s < e && (*s == ' ' || *s == ',')) {
            s++;
        }
        if (s == e) {
            return 0;
        }
        if (ln->ntok == TOKS || y1_token(&s, e, ln->tok[ln->ntok]) != 0) {
            return -1;
        }
        ln->ntok++;
    }
}

static int y1_entry_line(struct y1 *y, const struct y1_line *ln, struct vouch_error *err)
{
    struct y1_ent *en;
    if (!ln->colon || ln->ntok == 0) {
        return 1;
    }
    if (vouch_grow(&y->v, y->n, &y->cap, sizeof(*y->v), 64, err) != 0) {
        return VOUCH_ENOMEM;
    }
    en = &y->v[y->n++];
    memset(en, 0, sizeof(*en));
    y->in_deps = 0;
    for (size_t i = 0; i < ln->ntok; i++) {
        if (strv_push(&en->specs, ln->tok[i], (size_t)-1, err) != 0) {
            return VOUCH_ENOMEM;
        }
    }
    return 0;
}

/* A field (indent 2) or a dependency (indent 4) of the last entry. */
static int y1_field_line(struct y1 *y, const struct y1_line *ln, size_t indent,
                         struct vouch_error *err)
{
    struct y1_ent *en = y->n > 0 ? &y->v[y->n - 1] : NULL;
    char dep[2 * TOK_MAX + 2];
    if (en == NULL) {
        return 1;
    }
    if (indent == 2) {
        y->in_deps = ln->colon && ln->ntok == 1 &&
                     (strcmp(ln->tok[0], "dependencies") == 0 ||
                      strcmp(ln->tok[0], "optionalDependencies") == 0);
        if (!ln->colon && ln->ntok >= 2 && strcmp(ln->tok[0], "version") == 0) {
            free(en->version);
            if ((en->version = util_strndup(ln->tok[1], strlen(ln->tok[1]))) == NULL) {
                return vouch_enomem(err);
            }
        }
        return 0;
    }
    if (!y->in_deps || ln->colon || ln->ntok != 2) {
        return 0;
    }
    snprintf(dep, sizeof(dep), "%s@%s", ln->tok[0], ln->tok[1]);
    return strv_add_unique(&en->deps, dep, (size_t)-1, err);
}

static int y1_parse(struct y1 *y, struct y1_line *ln, const char *d, size_t len,
                    struct vouch_error *err)
{
    const char *end = d + len;
    size_t lineno = 0;
    for (const char *s = d; s < end; lineno++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s)), *e = nl != NULL ? nl : end;
        const char *t = s;
        size_t indent;
        int rc = 0;
        while (t < e && *t == ' ') {
            t++;
        }
        indent = (size_t)(t - s);
        if (e > t && e[-1] == '\r') {
            e--;
        }
        s = nl != NULL ? nl + 1 : end;
        if (t == e || *t == '#') {
            continue;
        }
        if (*t == '\t' || y1_split(ln, t, e) != 0) {
            rc = 1;
        } else if (indent == 0) {
            rc = y1_entry_line(y, ln, err);
        } else if (indent == 2 || indent == 4) {
            rc = y1_field_line(y, ln, indent, err);
        } else if (indent % 2 != 0) {
            rc = 1;
        }
        if (rc == 1) {
            snprintf(y->why, sizeof(y->why), "line %zu: not yarn lockfile syntax", lineno + 1);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* The package a descriptor names: "a@^1" is a, "@s/a@1" is @s/a, an alias "a@npm:b@^1"
 * is b. 0 without a name. */
static size_t y1_name(const char *spec, const char **name)
{
    const char *at = spec[0] != '\0' ? strchr(spec + 1, '@') : NULL;
    if (at == NULL) {
        return 0;
    }
    if (strncmp(at + 1, "npm:", 4) == 0 && at[5] != '\0') {
        const char *real = at + 5, *rat = strchr(real + 1, '@');
        *name = real;
        return rat != NULL ? (size_t)(rat - real) : strlen(real);
    }
    *name = spec;
    return (size_t)(at - spec);
}

static int y1_emit(struct y1 *y, struct js_lock *l, size_t *idx)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < y->n; i++) {
        const char *name = NULL;
        size_t nlen = y1_name(y->v[i].specs.v[0], &name);
        idx[i] = (size_t)-1;
        if (nlen == 0 || y->v[i].version == NULL || y->v[i].version[0] == '\0') {
            continue;
        }
        rc = js_lock_pkg(&idx[i], l, name, nlen, y->v[i].version, strlen(y->v[i].version));
        for (size_t k = 0; rc == 0 && k < y->v[i].specs.n; k++) {
            rc = js_lock_alias(l, y->v[i].specs.v[k], strlen(y->v[i].specs.v[k]), idx[i]);
        }
    }
    for (size_t i = 0; rc == 0 && i < y->n; i++) {
        for (size_t k = 0; rc == 0 && idx[i] != (size_t)-1 && k < y->v[i].deps.n; k++) {
            rc = js_lock_edge(l, idx[i], y->v[i].deps.v[k], strlen(y->v[i].deps.v[k]));
            rc = rc == 1 ? 0 : rc;
        }
    }
    return rc;
}

int yarn_v1_read(struct sbom_doc *doc, const char *path, const unsigned char *d, size_t len,
                 struct vouch_error *err)
{
    struct y1 y = {0};
    struct js_lock l = {0};
    struct y1_line *ln = malloc(sizeof(*ln)); /* 8 KiB: not on the stack */
    size_t *idx = NULL;
    int rc = ln != NULL ? y1_parse(&y, ln, (const char *)d, len, err) : vouch_enomem(err);
    if (rc == 1) {
        doc_warn(doc, "yarn: '%s': %s, skipped", path, y.why);
        rc = 0;
    } else if (rc == 0 && y.n > 0) {
        if ((idx = calloc(y.n, sizeof(*idx))) == NULL) {
            rc = vouch_enomem(err);
        }
        rc = rc ? rc : js_lock_init(&l, doc, path, err);
        if (idx != NULL && l.map != NULL) {
            rc = y1_emit(&y, &l, idx);
            js_lock_release(&l);
        }
    }
    for (size_t i = 0; i < y.n; i++) {
        strv_release(&y.v[i].specs);
        strv_release(&y.v[i].deps);
        free(y.v[i].version);
    }
    free(y.v);
    free(idx);
    free(ln);
    return rc;
}
