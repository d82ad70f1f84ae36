/* Docker reference parsing and normalisation for policy matching: the grammar of
 * distribution/reference (domain, lowercase path components, tag, digest) and docker's
 * defaults (docker.io, library/). */
#include "image_ref.h"

#include "sign/ref.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int is_hex_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) && (s[i] < 'a' || s[i] > 'f')) {
            return 0;
        }
    }
    return s[n] == '\0';
}

int image_ref_digest_valid(const char *s)
{
    if (strncmp(s, "sha256:", 7) == 0) {
        return strlen(s + 7) == 64 && is_hex_lower(s + 7, 64);
    }
    if (strncmp(s, "sha512:", 7) == 0) {
        return strlen(s + 7) == 128 && is_hex_lower(s + 7, 128);
    }
    return 0;
}

/* path-component := [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)* ; allow '*' '?' for globs */
static int path_valid(const char *p, int glob)
{
    int prev_alnum = 0;
    if (*p == '\0') {
        return 0;
    }
    for (; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (islower(c) || isdigit(c) || (glob && (c == '*' || c == '?'))) {
            prev_alnum = 1;
        } else if (c == '/' || c == '.' || c == '_' || c == '-') {
            if (!prev_alnum && c != '_' && c != '-') {
                return 0;
            }
            prev_alnum = c == '/' ? 0 : prev_alnum;
            if (c == '/' && (p[1] == '\0' || p[1] == '/')) {
                return 0;
            }
        } else {
            return 0;
        }
    }
    return prev_alnum;
}

static int domain_like(const char *s, size_t n)
{
    if (n == 9 && strncmp(s, "localhost", 9) == 0) {
        return 1;
    }
    return memchr(s, '.', n) != NULL || memchr(s, ':', n) != NULL;
}

static int domain_valid(const char *s, size_t n, int glob)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '.' && c != '-' && c != ':' && !(glob && c == '*')) {
            return 0;
        }
    }
    return n > 0;
}

static char *join3(const char *a, size_t an, const char *b, const char *c)
{
    size_t bn = strlen(b), cn = strlen(c);
    char *s = malloc(an + bn + cn + 2);
    if (s == NULL) {
        return NULL;
    }
    memcpy(s, a, an);
    s[an] = '/';
    memcpy(s + an + 1, b, bn);
    memcpy(s + an + 1 + bn, c, cn + 1);
    return s;
}

/* Split name into domain and path and apply docker's defaults; *out malloc'd. */
static int normalise_name(char **out, const char *name, int glob)
{
    const char *slash = strchr(name, '/');
    const char *dom = "docker.io", *path = name;
    size_t dn = 9;
    if (slash != NULL && domain_like(name, (size_t)(slash - name))) {
        dom = name;
        dn = (size_t)(slash - name);
        path = slash + 1;
        if (dn == 15 && strncmp(dom, "index.docker.io", 15) == 0) {
            dom = "docker.io";
            dn = 9;
        }
    }
    if (!domain_valid(dom, dn, glob) || !path_valid(path, glob)) {
        return VOUCH_EINVAL;
    }
    int library = dn == 9 && strncmp(dom, "docker.io", 9) == 0 && strchr(path, '/') == NULL &&
                  strcmp(path, "**") != 0;
    *out = join3(dom, dn, library ? "library/" : "", path);
    return *out == NULL ? VOUCH_ENOMEM : 0;
}

static int parse_oci_dir(struct image_ref *out, const char *s, struct vouch_error *err)
{
    const char *p = s + 8, *colon = strrchr(p, ':');
    size_t n = colon != NULL && strchr(colon, '/') == NULL ? (size_t)(colon - p) : strlen(p);
    if (n == 0 || (n < strlen(p) && sign_ref_tag_check(colon + 1, NULL) != 0)) {
        return vouch_error_set(err, VOUCH_EINVAL, "invalid image reference '%s'", s);
    }
    out->oci_dir = 1;
    out->repo = malloc(n + 9);
    out->tag = n < strlen(p) ? strdup(colon + 1) : NULL;
    if (out->repo == NULL || (n < strlen(p) && out->tag == NULL)) {
        image_ref_release(out);
        return vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
    }
    memcpy(out->repo, s, n + 8);
    out->repo[n + 8] = '\0';
    return 0;
}

static char *dup_opt(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* Registry references are parsed by libsign's docker-compatible parser (sign/ref.h). */
int image_ref_parse(struct image_ref *out, const char *s, struct vouch_error *err)
{
    struct sign_ref *r = NULL;
    memset(out, 0, sizeof(*out));
    if (strncmp(s, "oci-dir:", 8) == 0) {
        return parse_oci_dir(out, s, err);
    }
    if (sign_ref_parse(&r, s, NULL) != 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "invalid image reference '%.200s'", s);
    }
    out->repo = strdup(sign_ref_name(r));
    out->tag = dup_opt(sign_ref_tag(r));
    out->digest = dup_opt(sign_ref_digest(r));
    if (out->repo == NULL || (sign_ref_tag(r) != NULL && out->tag == NULL) ||
        (sign_ref_digest(r) != NULL && out->digest == NULL)) {
        sign_ref_free(r);
        image_ref_release(out);
        return vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
    }
    sign_ref_free(r);
    return 0;
}

void image_ref_release(struct image_ref *r)
{
    free(r->repo);
    free(r->tag);
    free(r->digest);
    memset(r, 0, sizeof(*r));
}

int image_ref_normalise_glob(char **out, const char *pattern, struct vouch_error *err)
{
    int rc;
    *out = NULL;
    if (strcmp(pattern, "*") == 0 || strcmp(pattern, "**") == 0 ||
        strncmp(pattern, "oci-dir:", 8) == 0) {
        *out = strdup(pattern);
        return *out == NULL ? vouch_error_set(err, VOUCH_ENOMEM, "out of memory") : 0;
    }
    rc = normalise_name(out, pattern, 1);
    if (rc == VOUCH_ENOMEM) {
        return vouch_error_set(err, rc, "out of memory");
    }
    if (rc != 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "not a repository glob");
    }
    return 0;
}
