/* Image references: docker's grammar (distribution/reference) and normalisation, written
 * from the grammar, plus go-containerregistry's naming of Docker Hub (index.docker.io). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "ref_internal.h"
#include "sign/ref.h"
#include "vouch/mem.h"

#define REF_NAME_MAX 255 /* NameTotalLengthMax */

static const char docker_domain[] = "docker.io";
static const char docker_legacy_domain[] = "index.docker.io";
static const char official_prefix[] = "library/";

struct sign_ref {
    char *registry;
    char *repository;
    char *tag;
    char *digest;
    char *name;
    char *ggcr_name;
    char *str;
    char *familiar;
};

/* path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [._] | __ | -+ */
static int path_component_ok(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        size_t start = i;
        while (i < n && ref_is_lower_alnum(s[i])) {
            i++;
        }
        if (i == start) {
            return 0;
        }
        if (i == n) {
            return 1;
        }
        if (s[i] == '.') {
            i++;
        } else if (s[i] == '_') {
            i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
        } else if (s[i] == '-') {
            while (i < n && s[i] == '-') {
                i++;
            }
        } else {
            return 0;
        }
    }
}

static int path_ok(const char *s)
{
    const char *p = s;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash != NULL ? (size_t)(slash - p) : strlen(p);
        if (!path_component_ok(p, n)) {
            return 0;
        }
        if (slash == NULL) {
            return 1;
        }
        p = slash + 1;
    }
}

/* domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9] */
static int domain_name_ok(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        while (i < n && (ref_is_alnum(s[i]) || s[i] == '-')) {
            i++;
        }
        if (i == start || s[start] == '-' || s[i - 1] == '-') {
            return 0;
        }
        if (i < n) {
            if (s[i] != '.' || i + 1 == n) {
                return 0;
            }
            i++;
        }
    }
    return n > 0;
}

/* domain := (domain-name | '[' [a-fA-F0-9:]+ ']') (':' [0-9]+)? */
static int domain_ok(const char *s)
{
    size_t n = strlen(s);
    size_t host_end;
    const char *port;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL || close == s + 1) {
            return 0;
        }
        for (const char *p = s + 1; p < close; p++) {
            if (!ref_is_hex(*p) && *p != ':') {
                return 0;
            }
        }
        host_end = (size_t)(close - s) + 1;
    } else {
        const char *colon = strchr(s, ':');
        host_end = colon != NULL ? (size_t)(colon - s) : n;
        if (!domain_name_ok(s, host_end)) {
            return 0;
        }
    }
    if (host_end == n) {
        return 1;
    }
    port = s + host_end;
    if (port[0] != ':' || port[1] == '\0') {
        return 0;
    }
    for (const char *p = port + 1; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return 0;
        }
    }
    return 1;
}

void sign_ref_free(struct sign_ref *r)
{
    if (r == NULL) {
        return;
    }
    free(r->registry);
    free(r->repository);
    free(r->tag);
    free(r->digest);
    free(r->name);
    free(r->ggcr_name);
    free(r->str);
    free(r->familiar);
    free(r);
}

static char *familiar_of(const char *registry, const char *repo, const char *suffix)
{
    if (strcmp(registry, docker_domain) != 0) {
        return vouch_strf("%s/%s%s", registry, repo, suffix);
    }
    if (strncmp(repo, official_prefix, strlen(official_prefix)) == 0 &&
        strchr(repo + strlen(official_prefix), '/') == NULL) {
        repo += strlen(official_prefix);
    }
    return vouch_strf("%s%s", repo, suffix);
}

/* Build a reference from validated parts; computes every string form once. */
static int ref_build(struct sign_ref **out, const char *registry, const char *repo, const char *tag,
                     const char *digest, struct vouch_error *err)
{
    struct sign_ref *r = calloc(1, sizeof(*r));
    char *suffix = NULL;
    int ok;
    if (r == NULL) {
        return vouch_enomem(err);
    }
    suffix = vouch_strf("%s%s%s%s", tag ? ":" : "", tag ? tag : "", digest ? "@" : "",
                        digest ? digest : "");
    r->registry = strdup(registry);
    r->repository = strdup(repo);
    r->tag = tag != NULL ? strdup(tag) : NULL;
    r->digest = digest != NULL ? strdup(digest) : NULL;
    r->name = vouch_strf("%s/%s", registry, repo);
    r->ggcr_name = vouch_strf("%s/%s", sign_ref_api_host(r), repo);
    r->str = suffix != NULL ? vouch_strf("%s/%s%s", registry, repo, suffix) : NULL;
    r->familiar = suffix != NULL ? familiar_of(registry, repo, suffix) : NULL;
    ok = suffix && r->registry && r->repository && (!tag || r->tag) && (!digest || r->digest) &&
         r->name && r->ggcr_name && r->str && r->familiar;
    free(suffix);
    if (!ok) {
        sign_ref_free(r);
        return vouch_enomem(err);
    }
    *out = r;
    return 0;
}

static int has_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z') {
            return 1;
        }
    }
    return 0;
}

/* docker's splitDockerDomain: is the first path element a registry host? */
static int first_is_domain(const char *name, size_t n)
{
    if ((n == 9 && memcmp(name, "localhost", 9) == 0) || memchr(name, '.', n) != NULL ||
        memchr(name, ':', n) != NULL) {
        return 1;
    }
    return has_upper(name, n);
}

/* Split name (no tag/digest) into a registry and a repository, docker's way. */
static int split_domain(char **registry, char **repo, const char *name)
{
    const char *slash = strchr(name, '/');
    const char *rest = name;
    *registry = NULL;
    if (slash != NULL && first_is_domain(name, (size_t)(slash - name))) {
        size_t n = (size_t)(slash - name);
        int legacy = n == strlen(docker_legacy_domain) && !memcmp(name, docker_legacy_domain, n);
        *registry = legacy ? strdup(docker_domain) : strndup(name, n);
        rest = slash + 1;
    } else {
        *registry = strdup(docker_domain);
    }
    if (strcmp(*registry != NULL ? *registry : "", docker_domain) == 0 &&
        strchr(rest, '/') == NULL) {
        *repo = vouch_strf("%s%s", official_prefix, rest);
    } else {
        *repo = strdup(rest);
    }
    return *registry != NULL && *repo != NULL ? 0 : VOUCH_ENOMEM;
}

static int is_identifier(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (!ref_is_hex(s[i]) || (s[i] >= 'A' && s[i] <= 'F')) {
            return 0;
        }
    }
    return n == 64;
}

static int ref_invalid(struct vouch_error *err, const char *s, const char *why)
{
    return vouch_error_set(err, VOUCH_EINVAL, "invalid image reference '%s': %s", s, why);
}

/* Validate the split parts; returns 0 or an error naming the input s. */
static int ref_validate(const char *s, const char *registry, const char *repo, const char *tag,
                        const char *digest, struct vouch_error *err)
{
    int rc;
    if (has_upper(repo, strlen(repo))) {
        return ref_invalid(err, s, "repository name must be lowercase");
    }
    if (!domain_ok(registry) || !path_ok(repo)) {
        return ref_invalid(err, s, "invalid reference format");
    }
    if (strlen(registry) + 1 + strlen(repo) > REF_NAME_MAX) {
        return ref_invalid(err, s, "repository name must not be more than 255 characters");
    }
    if (tag != NULL && sign_ref_tag_check(tag, NULL) != 0) {
        return ref_invalid(err, s, "invalid tag");
    }
    if (digest != NULL) {
        struct vouch_error derr = VOUCH_ERROR_INIT;
        rc = sign_ref_digest_check(NULL, digest, &derr);
        if (rc != 0) {
            return vouch_error_set(err, rc, "invalid image reference '%s': %s", s, derr.msg);
        }
    }
    return 0;
}

int sign_ref_parse(struct sign_ref **out, const char *s, struct vouch_error *err)
{
    char *name = NULL, *registry = NULL, *repo = NULL;
    const char *at, *tag = NULL, *digest = NULL, *slash, *colon;
    int rc;
    *out = NULL;
    if (s[0] == '\0') {
        return ref_invalid(err, s, "repository name must have at least one component");
    }
    if (is_identifier(s)) {
        return ref_invalid(err, s, "cannot specify 64-byte hexadecimal strings");
    }
    name = strdup(s);
    if (name == NULL) {
        return vouch_enomem(err);
    }
    at = strchr(name, '@');
    if (at != NULL) {
        name[at - name] = '\0';
        digest = at + 1;
    }
    slash = strrchr(name, '/');
    colon = strrchr(name, ':');
    if (colon != NULL && (slash == NULL || colon > slash)) {
        name[colon - name] = '\0';
        tag = colon + 1;
    }
    if (split_domain(&registry, &repo, name) != 0) {
        rc = vouch_enomem(err);
        goto done;
    }
    rc = ref_validate(s, registry, repo, tag, digest, err);
    if (rc == 0) {
        rc = ref_build(out, registry, repo, tag == NULL && digest == NULL ? "latest" : tag, digest,
                       err);
    }
done:
    free(name);
    free(registry);
    free(repo);
    return rc;
}

int sign_ref_with_digest(struct sign_ref **out, const struct sign_ref *r, const char *digest,
                         struct vouch_error *err)
{
    int rc = sign_ref_digest_check(NULL, digest, err);
    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    return ref_build(out, r->registry, r->repository, r->tag, digest, err);
}

int sign_ref_with_tag(struct sign_ref **out, const struct sign_ref *r, const char *tag,
                      struct vouch_error *err)
{
    int rc = sign_ref_tag_check(tag, err);
    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    return ref_build(out, r->registry, r->repository, tag, NULL, err);
}

const char *sign_ref_registry(const struct sign_ref *r)
{
    return r->registry;
}

const char *sign_ref_api_host(const struct sign_ref *r)
{
    return strcmp(r->registry, docker_domain) == 0 ? docker_legacy_domain : r->registry;
}

const char *sign_ref_repository(const struct sign_ref *r)
{
    return r->repository;
}

const char *sign_ref_tag(const struct sign_ref *r)
{
    return r->tag;
}

const char *sign_ref_digest(const struct sign_ref *r)
{
    return r->digest;
}

const char *sign_ref_name(const struct sign_ref *r)
{
    return r->name;
}

const char *sign_ref_ggcr_name(const struct sign_ref *r)
{
    return r->ggcr_name;
}

const char *sign_ref_string(const struct sign_ref *r)
{
    return r->str;
}

const char *sign_ref_familiar(const struct sign_ref *r)
{
    return r->familiar;
}

int ref_host_is_loopback(const char *hostport)
{
    char host[64];
    const char *end;
    unsigned char addr[16];
    if (hostport[0] == '[') {
        return strncmp(hostport, "[::1]", 5) == 0 && (hostport[5] == '\0' || hostport[5] == ':');
    }
    end = strchr(hostport, ':');
    if (end == NULL) {
        end = hostport + strlen(hostport);
    }
    if ((size_t)(end - hostport) >= sizeof(host)) {
        return 0;
    }
    memcpy(host, hostport, (size_t)(end - hostport));
    host[end - hostport] = '\0';
    if (strcmp(host, "localhost") == 0) {
        return 1;
    }
    return inet_pton(AF_INET, host, addr) == 1 && addr[0] == 127;
}

int sign_ref_is_loopback(const struct sign_ref *r)
{
    return ref_host_is_loopback(r->registry);
}
