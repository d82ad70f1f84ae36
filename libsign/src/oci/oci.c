/* Image sources: opening "transport:..." names and dispatch to the backends (the
 * digest-verifying blob stream their bytes pass through is oci_blob.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "oci_internal.h"
#include "ref_internal.h"
#include "vouch/mem.h"

static const struct {
    const char *prefix;
    enum sign_oci_kind kind;
    int (*init)(struct sign_oci_source *src, struct vouch_error *err);
} transports[] = {
    {"oci-dir:", SIGN_OCI_LAYOUT, oci_layout_init},
    {"oci:", SIGN_OCI_LAYOUT, oci_layout_init},
    {"oci-archive:", SIGN_OCI_OCI_ARCHIVE, oci_archive_init},
    {"docker-archive:", SIGN_OCI_DOCKER_ARCHIVE, oci_archive_init},
    {"registry:", SIGN_OCI_REGISTRY, oci_registry_init},
    {"docker://", SIGN_OCI_REGISTRY, oci_registry_init},
};

/* Archives: TAR[:SUFFIX] where TAR is the first prefix naming a file, so that names inside the
 * suffix may hold ':' and '/' (docker-archive:x.tar:host:5000/a:v1). */
static const char *archive_sep(const char *rest)
{
    for (const char *p = strchr(rest, ':'); p != NULL; p = strchr(p + 1, ':')) {
        struct stat st;
        char *prefix = strndup(rest, (size_t)(p - rest));
        int is_file = prefix != NULL && stat(prefix, &st) == 0 && S_ISREG(st.st_mode);
        free(prefix);
        if (is_file) {
            return p;
        }
    }
    return NULL;
}

/* PATH[:TAG|@DIGEST]: for layouts the suffix is only looked for after the last '/'. */
static int split_path(struct sign_oci_source *src, const char *rest, struct vouch_error *err)
{
    const char *slash = strrchr(rest, '/');
    const char *base = slash != NULL ? slash + 1 : rest;
    const char *sep = strchr(base, '@');
    if (src->kind != SIGN_OCI_LAYOUT) {
        sep = archive_sep(rest);
    } else if (sep == NULL) {
        sep = strchr(base, ':');
    }
    src->path = sep != NULL ? strndup(rest, (size_t)(sep - rest)) : strdup(rest);
    src->want = strdup(sep != NULL ? sep + 1 : "");
    if (src->path == NULL || src->want == NULL) {
        return vouch_enomem(err);
    }
    if (src->path[0] == '\0') {
        return vouch_error_set(err, VOUCH_EINVAL, "invalid image '%s': empty path", src->name);
    }
    if (sep != NULL && *sep == '@') {
        return sign_ref_digest_check(NULL, src->want, err);
    }
    return 0;
}

static int open_registry(struct sign_oci_source *src, const char *rest, struct vouch_error *err)
{
    int rc = sign_ref_parse(&src->ref, rest, err);
    if (rc != 0) {
        return rc;
    }
    src->want = strdup(sign_ref_digest(src->ref) != NULL ? sign_ref_digest(src->ref)
                                                         : sign_ref_tag(src->ref));
    if (src->want == NULL) {
        return vouch_enomem(err);
    }
    return oci_registry_init(src, err);
}

/* Registries: ggcr's repository name. Others: the name without the :TAG or @DIGEST that
 * split_path took off (so the path part is kept verbatim). */
static int repo_name_init(struct sign_oci_source *src, struct vouch_error *err)
{
    size_t n = strlen(src->name);
    if (src->ref != NULL) {
        src->repo_name = strdup(sign_ref_ggcr_name(src->ref));
    } else {
        if (src->want[0] != '\0') {
            n -= strlen(src->want) + 1;
        }
        src->repo_name = strndup(src->name, n);
    }
    return src->repo_name != NULL ? 0 : vouch_enomem(err);
}

int sign_oci_open(struct sign_oci_source **out, const char *image, const struct sign_oci_opts *opts,
                  struct vouch_error *err)
{
    struct sign_oci_source *src = calloc(1, sizeof(*src));
    int rc = VOUCH_EINVAL;
    size_t i;
    *out = NULL;
    if (src == NULL || (src->name = strdup(image)) == NULL) {
        free(src);
        return vouch_enomem(err);
    }
    if (opts != NULL) {
        src->opts = *opts;
    }
    for (i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
        size_t n = strlen(transports[i].prefix);
        if (strncmp(image, transports[i].prefix, n) != 0) {
            continue;
        }
        src->kind = transports[i].kind;
        if (src->kind == SIGN_OCI_REGISTRY) {
            rc = open_registry(src, image + n, err);
        } else {
            rc = split_path(src, image + n, err);
            rc = rc != 0 ? rc : transports[i].init(src, err);
        }
        break;
    }
    if (i == sizeof(transports) / sizeof(transports[0])) {
        src->kind = SIGN_OCI_REGISTRY;
        rc = open_registry(src, image, err);
    }
    if (rc == 0) {
        rc = repo_name_init(src, err);
    }
    if (rc != 0) {
        sign_oci_free(src);
        return rc;
    }
    *out = src;
    return 0;
}

void sign_oci_free(struct sign_oci_source *src)
{
    if (src == NULL) {
        return;
    }
    if (src->ops != NULL && src->ops->impl_free != NULL) {
        src->ops->impl_free(src->impl);
    }
    sign_ref_free(src->ref);
    free(src->name);
    free(src->repo_name);
    free(src->path);
    free(src->want);
    free(src);
}

enum sign_oci_kind sign_oci_kind_of(const struct sign_oci_source *src)
{
    return src->kind;
}

const struct sign_ref *sign_oci_ref(const struct sign_oci_source *src)
{
    return src->ref;
}

const char *sign_oci_name(const struct sign_oci_source *src)
{
    return src->name;
}

const char *sign_oci_repo_name(const struct sign_oci_source *src)
{
    return src->repo_name;
}

static int unsupported(const struct sign_oci_source *src, const char *what, struct vouch_error *err)
{
    return vouch_error_set(err, VOUCH_EUNSUPPORTED, "cannot %s '%s': source is read-only", what,
                           src->name);
}

int sign_oci_resolve(struct sign_oci_manifest *out, struct sign_oci_source *src,
                     struct vouch_error *err)
{
    memset(out, 0, sizeof(*out));
    return src->ops->manifest_get(out, src, src->want, err);
}

int sign_oci_manifest_get(struct sign_oci_manifest *out, struct sign_oci_source *src,
                          const char *tag_or_digest, struct vouch_error *err)
{
    int rc = oci_is_digest(tag_or_digest) ? sign_ref_digest_check(NULL, tag_or_digest, err)
                                          : sign_ref_tag_check(tag_or_digest, err);
    memset(out, 0, sizeof(*out));
    if (rc != 0) {
        return rc;
    }
    return src->ops->manifest_get(out, src, tag_or_digest, err);
}

int sign_oci_blob_put(struct sign_oci_source *src, const char *digest, const void *data, size_t len,
                      struct vouch_error *err)
{
    char d[SIGN_REF_DIGEST_MAX];
    int rc;
    if (src->ops->blob_put == NULL) {
        return unsupported(src, "write to", err);
    }
    if (digest != NULL) {
        rc = oci_digest_verify(digest, data, len, "blob", err);
        if (rc != 0) {
            return rc;
        }
        return src->ops->blob_put(src, digest, data, len, err);
    }
    rc = sign_oci_digest_sha256(d, data, len, err);
    return rc != 0 ? rc : src->ops->blob_put(src, d, data, len, err);
}

int sign_oci_blob_copy(struct sign_oci_source *dst, struct sign_oci_source *from,
                       const char *digest, struct vouch_error *err)
{
    struct sign_oci_blob *b = NULL;
    int done = 0;
    int rc;
    if (dst->ops->blob_put_stream == NULL) {
        return unsupported(dst, "write to", err);
    }
    if (dst->ops->blob_mount != NULL) {
        rc = dst->ops->blob_mount(&done, dst, from, digest, err);
        if (rc != 0 || done) {
            return rc;
        }
    }
    rc = sign_oci_blob_open(&b, from, digest, err);
    if (rc == 0) {
        rc = dst->ops->blob_put_stream(dst, digest, b, err);
    }
    sign_oci_blob_free(b);
    return rc;
}

int sign_oci_manifest_put(char *digest_out, struct sign_oci_source *src, const char *tag,
                          const char *media_type, const void *data, size_t len,
                          struct vouch_error *err)
{
    char d[SIGN_REF_DIGEST_MAX];
    int rc;
    if (src->ops->manifest_put == NULL) {
        return unsupported(src, "write to", err);
    }
    if (!sign_oci_is_manifest_type(media_type)) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported manifest type '%s'",
                               media_type);
    }
    rc = tag != NULL ? sign_ref_tag_check(tag, err) : 0;
    rc = rc != 0 ? rc : sign_oci_digest_sha256(d, data, len, err);
    rc = rc != 0 ? rc : src->ops->manifest_put(src, tag, media_type, data, len, d, err);
    if (rc == 0 && digest_out != NULL) {
        memcpy(digest_out, d, strlen(d) + 1);
    }
    return rc;
}

int sign_oci_tags(char ***out, size_t *n, struct sign_oci_source *src, struct vouch_error *err)
{
    *out = NULL;
    *n = 0;
    if (src->ops->tags == NULL) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "cannot list tags of '%s'", src->name);
    }
    return src->ops->tags(out, n, src, err);
}

void sign_oci_strv_free(char **v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++) {
        free(v[i]);
    }
    free(v);
}
