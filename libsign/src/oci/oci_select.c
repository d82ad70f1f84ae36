/* Picking an image out of an index by platform, and listing referrers (OCI 1.1 API, else
 * the referrers tag schema "sha256-<hex>", else nothing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "oci_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#if defined(__x86_64__)
#define OCI_HOST_ARCH "amd64"
#elif defined(__aarch64__)
#define OCI_HOST_ARCH "arm64"
#elif defined(__arm__)
#define OCI_HOST_ARCH "arm"
#elif defined(__i386__)
#define OCI_HOST_ARCH "386"
#elif defined(__powerpc64__)
#define OCI_HOST_ARCH "ppc64le"
#elif defined(__s390x__)
#define OCI_HOST_ARCH "s390x"
#else
#define OCI_HOST_ARCH "riscv64"
#endif

struct platform {
    char os[32];
    char arch[32];
    char variant[32];
};

static int platform_parse(struct platform *p, const char *s, struct vouch_error *err)
{
    const char *a = strchr(s, '/');
    const char *v = a != NULL ? strchr(a + 1, '/') : NULL;
    memset(p, 0, sizeof(*p));
    if (a == NULL || a == s || a[1] == '\0' || (v != NULL && v[1] == '\0') ||
        (size_t)(a - s) >= sizeof(p->os) || strlen(a + 1) >= sizeof(p->arch) ||
        (v != NULL && strchr(v + 1, '/') != NULL)) {
        return vouch_error_set(err, VOUCH_EINVAL, "invalid platform '%s' (want os/arch[/variant])",
                               s);
    }
    memcpy(p->os, s, (size_t)(a - s));
    if (v != NULL) {
        memcpy(p->arch, a + 1, (size_t)(v - a - 1));
        snprintf(p->variant, sizeof(p->variant), "%s", v + 1);
    } else {
        snprintf(p->arch, sizeof(p->arch), "%s", a + 1);
    }
    return 0;
}

static int str_is(json_t *obj, const char *key, const char *want)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v != NULL && strcmp(v, want) == 0;
}

/* buildx attaches provenance as "unknown/unknown" attestation manifests: never images. */
static int is_attestation(json_t *d)
{
    json_t *ann = json_object_get(d, "annotations");
    return str_is(ann, "vnd.docker.reference.type", "attestation-manifest");
}

static int platform_match(json_t *d, const struct platform *p)
{
    json_t *pl = json_object_get(d, "platform");
    if (!str_is(pl, "os", p->os) || !str_is(pl, "architecture", p->arch)) {
        return 0;
    }
    return p->variant[0] == '\0' || str_is(pl, "variant", p->variant);
}

static int index_pick(const char **digest, json_t *root, const char *platform,
                      const struct platform *p, const char *what, struct vouch_error *err)
{
    json_t *list = json_object_get(root, "manifests");
    json_t *d, *only = NULL;
    size_t i, images = 0;
    *digest = NULL;
    json_array_foreach(list, i, d)
    {
        if (is_attestation(d)) {
            continue;
        }
        images++;
        only = d;
        if (*digest == NULL && platform_match(d, p)) {
            *digest = json_string_value(json_object_get(d, "digest"));
        }
    }
    if (*digest == NULL && platform == NULL && images == 1) {
        *digest = json_string_value(json_object_get(only, "digest"));
    }
    if (*digest == NULL) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "no image for platform %s/%s%s%s in %s", p->os,
                               p->arch, p->variant[0] ? "/" : "", p->variant, what);
    }
    return 0;
}

int sign_oci_image_manifest(struct sign_oci_manifest *out, struct sign_oci_source *src,
                            const char *platform, struct vouch_error *err)
{
    struct sign_oci_manifest idx;
    struct platform p;
    json_t *root = NULL;
    const char *digest = NULL;
    int rc = platform_parse(&p, platform != NULL ? platform : "linux/" OCI_HOST_ARCH, err);
    memset(out, 0, sizeof(*out));
    memset(&idx, 0, sizeof(idx));
    rc = rc != 0 ? rc : sign_oci_resolve(&idx, src, err);
    if (rc != 0 || !sign_oci_is_index(idx.media_type)) {
        *out = idx;
        return rc;
    }
    root = vouch_json_load((const char *)idx.data, idx.len, 0, NULL);
    if (!json_is_array(json_object_get(root, "manifests"))) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed index for '%s'", src->name);
    }
    rc = rc != 0 ? rc : index_pick(&digest, root, platform, &p, src->name, err);
    if (rc == 0 && (digest == NULL || sign_ref_digest_check(NULL, digest, NULL) != 0)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed index for '%s'", src->name);
    }
    rc = rc != 0 ? rc : sign_oci_manifest_get(out, src, digest, err);
    if (rc == 0 && sign_oci_is_index(out->media_type)) {
        sign_oci_manifest_release(out);
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "nested index in '%s'", src->name);
    }
    json_decref(root);
    sign_oci_manifest_release(&idx);
    return rc;
}

/* Keep only the index entries whose artifactType is type; the result is a new document. */
static int referrers_filter(struct sign_oci_manifest *m, const char *type, struct vouch_error *err)
{
    json_t *root = vouch_json_load((const char *)m->data, m->len, 0, NULL);
    json_t *list = json_object_get(root, "manifests");
    json_t *keep = json_array();
    json_t *d;
    char *text = NULL;
    size_t i;
    int rc = 0;
    if (!json_is_array(list) || keep == NULL) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed referrers index");
        goto done;
    }
    json_array_foreach(list, i, d)
    {
        if (str_is(d, "artifactType", type)) {
            json_array_append(keep, d);
        }
    }
    json_object_set(root, "manifests", keep);
    text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        rc = vouch_enomem(err);
        goto done;
    }
    sign_oci_manifest_release(m);
    rc = oci_manifest_take(m, (unsigned char *)text, strlen(text), SIGN_OCI_MT_INDEX, NULL,
                           "referrers", err);
    if (rc != 0) {
        free(text);
    }
done:
    json_decref(keep);
    json_decref(root);
    return rc;
}

static int referrers_by_tag(struct sign_oci_manifest *out, struct sign_oci_source *src,
                            const char *digest, struct vouch_error *err)
{
    char tag[SIGN_REF_DIGEST_MAX];
    struct vouch_error e2 = VOUCH_ERROR_INIT;
    const char *colon = strchr(digest, ':');
    int rc;
    snprintf(tag, sizeof(tag), "%.*s-%s", (int)(colon - digest), digest, colon + 1);
    rc = src->ops->manifest_get(out, src, tag, &e2);
    if (rc == VOUCH_ENOTFOUND && src->ops->subject_scan != NULL) {
        /* no referrers index: a layout's own list of manifests (notation's --oci-layout) */
        struct vouch_error e3 = VOUCH_ERROR_INIT;
        rc = src->ops->subject_scan(out, src, digest, &e3);
        if (rc != VOUCH_ENOTFOUND) {
            return rc != 0 ? vouch_error_set(err, rc, "%s", e3.msg) : 0;
        }
    }
    if (rc == VOUCH_ENOTFOUND) {
        unsigned char *copy = (unsigned char *)strdup(oci_empty_index);
        if (copy == NULL) {
            return vouch_enomem(err);
        }
        rc = oci_manifest_take(out, copy, strlen(oci_empty_index), NULL, NULL, "referrers", err);
        return rc;
    }
    if (rc != 0) {
        return vouch_error_set(err, rc, "%s", e2.msg);
    }
    if (!sign_oci_is_index(out->media_type)) {
        sign_oci_manifest_release(out);
        return vouch_error_set(err, VOUCH_EPARSE, "referrers tag '%s' of '%s' is not an index", tag,
                               src->name);
    }
    return 0;
}

int sign_oci_referrers(struct sign_oci_manifest *out, struct sign_oci_source *src,
                       const char *digest, const char *artifact_type, struct vouch_error *err)
{
    struct vouch_error e2 = VOUCH_ERROR_INIT;
    int rc = sign_ref_digest_check(NULL, digest, err);
    memset(out, 0, sizeof(*out));
    if (rc != 0) {
        return rc;
    }
    rc = src->ops->referrers != NULL ? src->ops->referrers(out, src, digest, &e2)
                                     : VOUCH_EUNSUPPORTED;
    if (rc == VOUCH_ENOTFOUND || rc == VOUCH_EUNSUPPORTED) {
        rc = referrers_by_tag(out, src, digest, err);
    } else if (rc != 0) {
        return vouch_error_set(err, rc, "%s", e2.msg);
    }
    if (rc == 0 && artifact_type != NULL) {
        rc = referrers_filter(out, artifact_type, err);
    }
    if (rc != 0) {
        sign_oci_manifest_release(out);
    }
    return rc;
}
