/* Package URLs per ECMA-427 (purl-spec): the canonical builder and the per-type rules
 * (types/<type>-definition.json of package-url/purl-spec at 16f3d0e3: case sensitivity
 * of namespace/name/version and prohibited namespaces), shared with purl_parse.c. */
#include <stdlib.h>
#include <string.h>

#include "purl_internal.h"
#include "util.h"
#include "vouch/buf.h"
#include "vouch/mem.h"

#define PURL_MAX VOUCH_BUF_DEFAULT_MAX /* names are bounded by the files they come from */

/* Rows from the spec's type definitions; types not listed get the generic rules. */
static const struct purl_rule purl_rules[] = {
    {"alpm", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"apk", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"bazel", PURL_NS_NONE},
    {"bitbucket", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"bitnami", PURL_NAME_LOWER | PURL_NS_NONE},
    {"brew", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"cargo", PURL_NS_NONE},
    {"chrome-extension", PURL_NAME_LOWER | PURL_NS_NONE},
    {"cocoapods", PURL_NS_NONE},
    {"composer", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"conda", PURL_NS_NONE},
    {"cran", PURL_NS_NONE},
    {"deb", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"gem", PURL_NS_NONE},
    {"github", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"hackage", PURL_NS_NONE},
    {"hex", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"huggingface", PURL_VER_LOWER},
    {"julia", PURL_NS_NONE},
    {"luarocks", PURL_NS_LOWER | PURL_NAME_LOWER},
    {"mlflow", PURL_NS_NONE},
    {"nuget", PURL_NS_NONE},
    {"oci", PURL_NAME_LOWER | PURL_VER_LOWER | PURL_NS_NONE},
    {"opam", PURL_NS_NONE},
    {"otp", PURL_NAME_LOWER | PURL_NS_NONE},
    {"pub", PURL_NAME_LOWER | PURL_NS_NONE},
    {"pypi", PURL_NAME_LOWER | PURL_VER_LOWER | PURL_NS_NONE | PURL_NAME_PEP503},
    {"qpkg", PURL_NS_LOWER},
    {"rpm", PURL_NS_LOWER},
    {"vcpkg", PURL_NS_NONE},
    {"vscode-extension", PURL_NS_LOWER | PURL_NAME_LOWER | PURL_VER_LOWER},
    {"yocto", PURL_NS_LOWER},
};

unsigned purl_type_flags(const char *type)
{
    for (size_t i = 0; i < sizeof(purl_rules) / sizeof(purl_rules[0]); i++) {
        if (strcmp(purl_rules[i].type, type) == 0) {
            return purl_rules[i].flags;
        }
    }
    return 0;
}

void purl_lower(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            *s = (char)(*s - 'A' + 'a');
        }
    }
}

/* PEP 503: runs of '-', '_' and '.' become one '-', in place (never longer). */
void purl_pep503(char *s)
{
    char *w = s;
    for (const char *r = s; *r != '\0'; r++) {
        if (*r == '-' || *r == '_' || *r == '.') {
            if (w == s || w[-1] != '-') {
                *w++ = '-';
            }
            continue;
        }
        *w++ = *r;
    }
    *w = '\0';
}

int purl_type_ok(const char *t)
{
    if (t == NULL || t[0] == '\0' || (t[0] >= '0' && t[0] <= '9')) {
        return 0;
    }
    for (; *t != '\0'; t++) {
        char c = *t;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '+' || c == '-')) {
            return 0;
        }
    }
    return 1;
}

int purl_key_ok(const char *k)
{
    if (k == NULL || k[0] == '\0' || (k[0] >= '0' && k[0] <= '9')) {
        return 0;
    }
    for (; *k != '\0'; k++) {
        char c = *k;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_')) {
            return 0;
        }
    }
    return 1;
}

/* Percent-encode all but unreserved characters and ':' (kept, as in the spec's
 * pkg:deb/debian/attr@1:2.4.47-2%2Bb1 and checksum=sha1:... examples). */
static int put_enc(struct vouch_buf *b, const char *s, size_t n, struct vouch_error *err)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        int rc;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            (c != '\0' && strchr(".-_~:", c) != NULL)) {
            rc = vouch_buf_append(b, s + i, 1, err);
        } else {
            rc = vouch_buf_append(b, e, 3, err);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* A '/'-separated component: each non-empty segment encoded (subpaths also drop "." and
 * ".."); lower/pep503 apply the type's rules to a copy. */
static int put_segments(struct vouch_buf *b, const char *s, int subpath, struct vouch_error *err)
{
    int first = 1;
    while (*s != '\0') {
        size_t n = strcspn(s, "/");
        int skip = n == 0 ||
                   (subpath && ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')));
        if (!skip) {
            int rc = first ? 0 : vouch_buf_puts(b, "/", err);
            rc = rc ? rc : put_enc(b, s, n, err);
            if (rc != 0) {
                return rc;
            }
            first = 0;
        }
        s += n + (s[n] == '/');
    }
    return 0;
}

static int qual_cmp(const void *a, const void *b)
{
    const struct sbom_purl_qualifier *x = a, *y = b;
    return strcmp(x->key, y->key);
}

/* Qualifiers: keys lowercased and checked, empty values dropped, sorted, no repeats. */
static int put_quals(struct vouch_buf *b, const struct sbom_purl *p, struct vouch_error *err)
{
    struct sbom_purl_qualifier *q;
    char *keys;
    size_t n = 0, klen = 0;
    int rc = 0;
    if (p->nqualifiers == 0) {
        return 0;
    }
    for (size_t i = 0; i < p->nqualifiers; i++) {
        klen += strlen(p->qualifiers[i].key ? p->qualifiers[i].key : "") + 1;
    }
    q = calloc(p->nqualifiers, sizeof(*q));
    keys = malloc(klen);
    if (q == NULL || keys == NULL) {
        free(q);
        free(keys);
        return vouch_enomem(err);
    }
    klen = 0;
    for (size_t i = 0; rc == 0 && i < p->nqualifiers; i++) {
        const struct sbom_purl_qualifier *in = &p->qualifiers[i];
        if (!purl_key_ok(in->key)) {
            rc = vouch_error_set(err, VOUCH_EINVAL, "purl: bad qualifier key");
            break;
        }
        if (in->value == NULL || in->value[0] == '\0') {
            continue;
        }
        size_t kn = strlen(in->key) + 1;
        q[n].key = memcpy(keys + klen, in->key, kn);
        purl_lower(keys + klen);
        klen += kn;
        q[n++].value = in->value;
    }
    if (rc == 0 && n > 1) {
        qsort(q, n, sizeof(*q), qual_cmp);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i > 0 && strcmp(q[i - 1].key, q[i].key) == 0) {
            rc = vouch_error_set(err, VOUCH_EINVAL, "purl: repeated qualifier '%s'", q[i].key);
            break;
        }
        rc = vouch_buf_printf(b, err, "%c%s=", i == 0 ? '?' : '&', q[i].key);
        rc = rc ? rc : put_enc(b, q[i].value, strlen(q[i].value), err);
    }
    free(q);
    free(keys);
    return rc;
}

/* A copy of s with the type's rule applied (flag lower, pep503), or NULL (ENOMEM). */
static char *norm(const char *s, int lower, int pep503)
{
    char *c = util_strndup(s, (size_t)-1);
    if (c != NULL && lower) {
        purl_lower(c);
    }
    if (c != NULL && pep503) {
        purl_pep503(c);
    }
    return c;
}

static int put_body(struct vouch_buf *b, const struct sbom_purl *p, const char *type,
                    struct vouch_error *err)
{
    unsigned f = purl_type_flags(type);
    char *ns = p->ns != NULL ? norm(p->ns, f & PURL_NS_LOWER, 0) : NULL;
    char *name = norm(p->name, f & PURL_NAME_LOWER, f & PURL_NAME_PEP503);
    char *ver = p->version != NULL ? norm(p->version, f & PURL_VER_LOWER, 0) : NULL;
    int rc = 0;
    if ((p->ns != NULL && ns == NULL) || name == NULL || (p->version != NULL && ver == NULL)) {
        rc = vouch_enomem(err);
    }
    if (rc == 0 && ns != NULL && ns[strspn(ns, "/")] != '\0') {
        rc = (f & PURL_NS_NONE)
                 ? vouch_error_set(err, VOUCH_EINVAL, "purl: type '%s' takes no namespace", type)
                 : put_segments(b, ns, 0, err);
        rc = rc ? rc : vouch_buf_puts(b, "/", err);
    }
    rc = rc ? rc : put_enc(b, name, strlen(name), err);
    if (rc == 0 && ver != NULL && ver[0] != '\0') {
        rc = vouch_buf_puts(b, "@", err);
        rc = rc ? rc : put_enc(b, ver, strlen(ver), err);
    }
    free(ns);
    free(name);
    free(ver);
    return rc;
}

int sbom_purl_build(char **out, const struct sbom_purl *p, struct vouch_error *err)
{
    struct vouch_buf b;
    char type[64];
    int rc;
    *out = NULL;
    if (!purl_type_ok(p->type) || strlen(p->type) >= sizeof(type)) {
        return vouch_error_set(err, VOUCH_EINVAL, "purl: missing or malformed type");
    }
    if (p->name == NULL || p->name[0] == '\0') {
        return vouch_error_set(err, VOUCH_EINVAL, "purl: missing name");
    }
    memcpy(type, p->type, strlen(p->type) + 1);
    purl_lower(type);
    vouch_buf_init(&b, PURL_MAX);
    rc = vouch_buf_printf(&b, err, "pkg:%s/", type);
    rc = rc ? rc : put_body(&b, p, type, err);
    rc = rc ? rc : put_quals(&b, p, err);
    if (rc == 0 && p->subpath != NULL) {
        size_t at = b.len;
        rc = vouch_buf_puts(&b, "#", err);
        rc = rc ? rc : put_segments(&b, p->subpath, 1, err);
        if (rc == 0 && b.len == at + 1) { /* only empty, "." or ".." segments */
            b.len = at;
            b.data[at] = '\0';
        }
    }
    if (rc != 0) {
        vouch_buf_release(&b);
        return rc;
    }
    *out = (char *)vouch_buf_steal(&b, NULL);
    return *out != NULL ? 0 : vouch_enomem(err);
}

int sbom_purl_canonical(char **out, const char *s, unsigned flags, struct vouch_error *err)
{
    struct sbom_purl *p = NULL;
    int rc = sbom_purl_parse(&p, s, flags, err);
    *out = NULL;
    rc = rc ? rc : sbom_purl_build(out, p, err);
    sbom_purl_free(p);
    return rc;
}
