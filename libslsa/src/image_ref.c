/* References and repository globs for policy matching, over libsign's docker-compatible
 * reference parser (sign/ref.h: the one reference grammar) and docker's defaults
 * (docker.io, library/). */
#include "image_ref.h"

#include "sign/ref.h"
#include "vouch/mem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int image_ref_digest_valid(const char *s)
{
    return sign_ref_digest_check(NULL, s, NULL) == 0;
}

/* Where the glob's text starts in the normalised name (an offset into glob and probe): 0,
 * or (when the parser rewrote the domain, index.docker.io) the path after it; -1 when the
 * name does not end with it. */
static long glob_start(const char *glob, const char *name, const char *probe)
{
    size_t nn = strlen(name);
    const char *slash = strchr(glob, '/');
    long at = 0;
    if (nn < strlen(probe) || strcmp(name + nn - strlen(probe), probe) != 0) {
        at = slash != NULL ? (long)(slash - glob) + 1 : -1;
    }
    if (at > 0 &&
        (nn < strlen(probe + at) || strcmp(name + nn - strlen(probe + at), probe + at) != 0)) {
        at = -1;
    }
    return at;
}

/* A repository glob normalised as docker normalises names, by libsign's reference parser
 * (sign/ref.h) with each wildcard standing in as a letter; the wildcards are put back. A
 * tag or digest is not part of a repository glob. *out malloc'd. */
static int normalise_name(char **out, const char *glob)
{
    const char *last = strrchr(glob, '/');
    char *probe = strdup(glob);
    struct sign_ref *r = NULL;
    const char *name = NULL, *path;
    size_t keep;
    long at = -1;
    int rc = probe == NULL ? VOUCH_ENOMEM : 0;
    for (char *p = probe; p != NULL && *p != '\0'; p++) {
        *p = *p == '*' || *p == '?' ? 'x' : *p;
    }
    if (rc == 0 && (strchr(glob, '@') != NULL || strchr(last != NULL ? last : glob, ':') != NULL ||
                    sign_ref_parse(&r, probe, NULL) != 0)) {
        rc = VOUCH_EINVAL;
    }
    if (rc == 0) {
        name = sign_ref_name(r);
        at = glob_start(glob, name, probe);
        rc = at < 0 ? VOUCH_EINVAL : 0;
    }
    if (rc == 0) {
        path = glob + at;
        keep = strlen(name) - strlen(path);
        if (strcmp(path, "**") == 0 && keep >= 8 && strncmp(name + keep - 8, "library/", 8) == 0) {
            keep -= 8; /* "docker.io" then "**": every Hub repository, not only library's */
        }
        *out = vouch_strf("%.*s%s", (int)keep, name, path);
        rc = *out != NULL ? 0 : VOUCH_ENOMEM;
    }
    sign_ref_free(r);
    free(probe);
    return rc;
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
        return vouch_enomem(err);
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
        return vouch_enomem(err);
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
        return *out == NULL ? vouch_enomem(err) : 0;
    }
    rc = normalise_name(out, pattern);
    if (rc == VOUCH_ENOMEM) {
        return vouch_error_set(err, rc, "out of memory");
    }
    if (rc != 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "not a repository glob");
    }
    return 0;
}
