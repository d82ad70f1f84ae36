/* Ruby: installed gemspecs in specifications/ (Ruby code, read without running it: the
 * `NAME.name = "..."`, `.version`, `.license(s)` assignments and the runtime dependency
 * calls that RubyGems writes, else its "# stub: NAME VERSION" line), and Gemfile.lock
 * (GEM/PATH/GIT specs and their dependency lines) for dir: sources. */
#include <stdio.h>
#include <string.h>

#include "cat_internal.h"

#define CAP ((size_t)16 << 20)

static const struct want_rule rules[] = {
    {"**/specifications/*.gemspec", CAP},
    {"**/specifications/default/*.gemspec", CAP},
    {"**/Gemfile.lock", CAP},
    {NULL, 0},
};

struct ruby_ctx {
    struct sbom_doc *doc;
    struct vouch_error *err;
};

/* A Ruby string literal at s ("...", '...', %q<...>, %q{...}, %q(...)): its text in out
 * (escapes kept but the quote's), 0 when one was read. */
static int rb_str(char *out, size_t outsz, const char *s, const char *lim)
{
    char close;
    size_t o = 0;
    while (s < lim && (*s == ' ' || *s == '\t' || *s == '(')) {
        s++;
    }
    if (s < lim && (*s == '"' || *s == '\'')) {
        close = *s++;
    } else if (lim - s >= 3 && s[0] == '%' && (s[1] == 'q' || s[1] == 'Q') &&
               strchr("<{([", s[2]) != NULL) {
        close = s[2] == '<' ? '>' : s[2] == '{' ? '}' : s[2] == '(' ? ')' : ']';
        s += 3;
    } else {
        return -1;
    }
    for (; s < lim && *s != close; s++) {
        if (*s == '\\' && s + 1 < lim) {
            s++;
        }
        if (o + 1 < outsz) {
            out[o++] = *s;
        }
    }
    out[o] = '\0';
    return s < lim && o > 0 ? 0 : -1;
}

/* After "IDENT.field" at s: the text following " = " (or " =" / "("), else NULL. */
static const char *assign(const char *s, const char *lim, const char *field)
{
    const char *dot = memchr(s, '.', (size_t)(lim - s));
    size_t fl = strlen(field);
    if (dot == NULL || (size_t)(lim - dot - 1) < fl || memcmp(dot + 1, field, fl) != 0) {
        return NULL;
    }
    for (const char *p = s; p < dot; p++) {
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9'))) {
            return NULL;
        }
    }
    s = dot + 1 + fl;
    while (s < lim && *s == ' ') {
        s++;
    }
    if (s < lim && *s == '=' && (s + 1 == lim || s[1] != '=')) {
        return s + 1;
    }
    return s < lim && *s == '(' ? s : NULL;
}

/* Every string of a list literal ["MIT".freeze, "Ruby"] (or one string) as a license. */
static int licenses(struct ruby_ctx *c, struct sbom_pkg *p, const char *s, const char *lim)
{
    char v[256];
    while (s < lim) {
        if ((*s == '"' || *s == '\'') && rb_str(v, sizeof(v), s, lim) == 0) {
            int rc = strv_add_unique(&p->licenses, v, (size_t)-1, c->err);
            const char *q = memchr(s + 1, *s, (size_t)(lim - s - 1));
            if (rc != 0) {
                return rc;
            }
            s = q != NULL ? q + 1 : lim;
            continue;
        }
        s++;
    }
    return 0;
}

static int gemspec(struct ruby_ctx *c, const char *path, const char *d, const char *lim)
{
    char name[256] = "", ver[128] = "", dep[256];
    const char *s = d, *a;
    struct sbom_pkg *p;
    size_t first = c->doc->npkgs;
    int rc;
    /* pass 1: name and version ("# stub:" as the fallback) */
    for (s = d; s < lim;) {
        const char *e = memchr(s, '\n', (size_t)(lim - s));
        e = e != NULL ? e : lim;
        while (s < e && (*s == ' ' || *s == '\t')) {
            s++;
        }
        if ((a = assign(s, e, "name")) != NULL && name[0] == '\0') {
            rb_str(name, sizeof(name), a, e);
        } else if ((a = assign(s, e, "version")) != NULL && ver[0] == '\0') {
            rb_str(ver, sizeof(ver), a, e);
        } else if (e - s > 8 && memcmp(s, "# stub: ", 8) == 0 && name[0] == '\0') {
            sscanf(s + 8, "%255s %127s", name, ver);
        }
        s = e + 1;
    }
    if (name[0] == '\0' || ver[0] == '\0') {
        doc_warn(c->doc, "gem: '%s': no name or version assignment, skipped", path);
        return 0;
    }
    if ((rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_GEM, name, (size_t)-1, ver, (size_t)-1, path,
                           c->err)) != 0) {
        return rc;
    }
    /* pass 2: licenses and runtime dependencies */
    for (s = d; rc == 0 && s < lim;) {
        const char *e = memchr(s, '\n', (size_t)(lim - s));
        e = e != NULL ? e : lim;
        while (s < e && (*s == ' ' || *s == '\t')) {
            s++;
        }
        if ((a = assign(s, e, "licenses")) != NULL || (a = assign(s, e, "license")) != NULL) {
            rc = licenses(c, c->doc->pkgs[first], a, e);
        } else if (((a = assign(s, e, "add_runtime_dependency")) != NULL ||
                    (a = assign(s, e, "add_dependency")) != NULL) &&
                   rb_str(dep, sizeof(dep), a[0] == '(' ? a + 1 : a, e) == 0) {
            rc = strv_add_unique(&c->doc->pkgs[first]->depends, dep, (size_t)-1, c->err);
        } else if ((a = memchr(s, ' ', (size_t)(e - s))) != NULL &&
                   ((size_t)(a - s) > 23 && memcmp(a - 23, ".add_runtime_dependency", 23) == 0) &&
                   rb_str(dep, sizeof(dep), a, e) == 0) { /* s.add_runtime_dependency "x" */
            rc = strv_add_unique(&c->doc->pkgs[first]->depends, dep, (size_t)-1, c->err);
        }
        s = e + 1;
    }
    return rc;
}

/* Gemfile.lock: "    NAME (VERSION[-PLATFORM])" specs, "      DEP (REQ)" their deps. */
static int gemfile_lock(struct ruby_ctx *c, const char *path, const char *d, const char *lim)
{
    size_t first = c->doc->npkgs;
    int in_specs = 0, rc = 0;
    struct sbom_pkg *cur = NULL;
    for (const char *s = d; rc == 0 && s < lim;) {
        const char *e = memchr(s, '\n', (size_t)(lim - s)), *sp, *open, *close;
        size_t ind = 0;
        e = e != NULL ? e : lim;
        if (e > s && e[-1] == '\r') {
            e--;
        }
        while (s + ind < e && s[ind] == ' ') {
            ind++;
        }
        if (ind == 0) {
            in_specs = 0; /* GEM, PATH, GIT, PLATFORMS, DEPENDENCIES, ... */
        } else if (ind == 2) {
            in_specs = e - s == 8 && memcmp(s + 2, "specs:", 6) == 0;
        } else if (in_specs && (ind == 4 || ind == 6)) {
            const char *b = s + ind;
            sp = memchr(b, ' ', (size_t)(e - b));
            size_t nl = (size_t)((sp != NULL ? sp : e) - b);
            if (ind == 4 && sp != NULL && (open = memchr(sp, '(', (size_t)(e - sp))) != NULL &&
                (close = memchr(open, ')', (size_t)(e - open))) != NULL) {
                const char *dash = memchr(open, '-', (size_t)(close - open));
                const char *ve = dash != NULL ? dash : close; /* -x86_64-linux: platform */
                rc = cat_lang_pkg(&cur, c->doc, SBOM_PKG_GEM, s + 4, nl, open + 1,
                                  (size_t)(ve - open - 1), path, c->err);
            } else if (ind == 6 && cur != NULL && nl > 0) {
                rc = strv_add_unique(&cur->depends, s + 6, nl, c->err);
            }
        }
        s = (e < lim && *e == '\r' ? e + 1 : e) + 1;
    }
    if (rc == 0 && c->doc->npkgs == first) {
        doc_warn(c->doc, "gem: '%s': no specs found, skipped", path);
    }
    return rc ? rc : cat_lang_resolve(c->doc, first, c->err);
}

static int on_file(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct ruby_ctx *c = vctx;
    size_t n = strlen(path);
    const char *s = (const char *)d;
    if (n >= 12 && strcmp(path + n - 12, "Gemfile.lock") == 0) {
        return cat_declared(c->doc) ? gemfile_lock(c, path, s, s + len) : 0;
    }
    return gemspec(c, path, s, s + len);
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct ruby_ctx c = {doc, err};
    size_t first = doc->npkgs;
    int rc = cat_each(r, rules, sizeof(rules) / sizeof(rules[0]) - 1, on_file, &c);
    return rc ? rc : cat_lang_resolve(doc, first, err); /* gemspecs' dependencies by name */
}

const struct cataloger cat_ruby = {"ruby", rules, run};
