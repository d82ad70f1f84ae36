/* Manifests and indexes: type checks, taking fetched bytes into a manifest (digest-checked),
 * OCI layout index lookup (platform selection and referrers are oci_select.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "oci_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

const char oci_empty_index[] =
    "{\"schemaVersion\":2,\"mediaType\":\"" SIGN_OCI_MT_INDEX "\",\"manifests\":[]}";

static const char *const manifest_types[] = {
    SIGN_OCI_MT_MANIFEST,
    SIGN_OCI_MT_INDEX,
    SIGN_OCI_MT_DOCKER_MANIFEST,
    SIGN_OCI_MT_DOCKER_LIST,
};

int sign_oci_is_index(const char *media_type)
{
    return strcmp(media_type, SIGN_OCI_MT_INDEX) == 0 ||
           strcmp(media_type, SIGN_OCI_MT_DOCKER_LIST) == 0;
}

int sign_oci_is_manifest_type(const char *media_type)
{
    for (size_t i = 0; i < sizeof(manifest_types) / sizeof(manifest_types[0]); i++) {
        if (strcmp(media_type, manifest_types[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

void sign_oci_manifest_release(struct sign_oci_manifest *m)
{
    if (m == NULL) {
        return;
    }
    free(m->data);
    memset(m, 0, sizeof(*m));
}

int oci_is_digest(const char *s)
{
    return strchr(s, ':') != NULL;
}

void oci_desc_release(struct oci_desc *d)
{
    free(d->media_type);
    free(d->digest);
    memset(d, 0, sizeof(*d));
}

/* The media type a manifest declares, else hint; OCI manifests may omit mediaType. */
static const char *declared_type(json_t *root, const char *hint)
{
    const char *mt = json_string_value(json_object_get(root, "mediaType"));
    if (mt != NULL) {
        return mt;
    }
    if (hint != NULL && hint[0] != '\0') {
        return hint;
    }
    return json_is_array(json_object_get(root, "manifests")) ? SIGN_OCI_MT_INDEX
                                                             : SIGN_OCI_MT_MANIFEST;
}

#define DESC_SIZE_MAX ((json_int_t)64 << 30) /* no blob is larger (64 GiB) */
/* OCI 1.1's empty descriptor: an artifact may use it as config and as its only layer */
#define EMPTY_JSON_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

/* A descriptor (config, layer, index entry) has a digest and a size in 0..DESC_SIZE_MAX. */
static int desc_ok(const json_t *d)
{
    const char *dg = json_string_value(json_object_get(d, "digest"));
    const json_t *size = json_object_get(d, "size");
    return json_is_object(d) && dg != NULL && sign_ref_digest_check(NULL, dg, NULL) == 0 &&
           json_is_integer(size) && json_integer_value(size) >= 0 &&
           json_integer_value(size) <= DESC_SIZE_MAX;
}

/* The bytes are what their type says: an index lists manifests, an image manifest has a
 * config that is not one of its layers; every descriptor is well-formed; a media type given
 * by the descriptor or the registry agrees with the one inside. */
static int shape_check(json_t *root, const char *mt, const char *hint, const char *what,
                       struct vouch_error *err)
{
    const char *inside = json_string_value(json_object_get(root, "mediaType"));
    const char *cfg_digest =
        json_string_value(json_object_get(json_object_get(root, "config"), "digest"));
    json_t *list = json_object_get(root, sign_oci_is_index(mt) ? "manifests" : "layers");
    json_t *d;
    size_t i;
    if (inside != NULL && hint != NULL && sign_oci_is_manifest_type(hint) &&
        strcmp(inside, hint) != 0) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed manifest for %s: it says '%s', not '%s'", what, inside,
                               hint);
    }
    if (!json_is_array(list)) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed manifest for %s: no %s list", what,
                               sign_oci_is_index(mt) ? "manifests" : "layers");
    }
    if (!sign_oci_is_index(mt) && !desc_ok(json_object_get(root, "config"))) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed manifest for %s: no valid config",
                               what);
    }
    json_array_foreach(list, i, d)
    {
        const char *dg = json_string_value(json_object_get(d, "digest"));
        if (!desc_ok(d)) {
            return vouch_error_set(err, VOUCH_EPARSE,
                                   "malformed manifest for %s: bad descriptor %zu (digest, size)",
                                   what, i);
        }
        if (cfg_digest != NULL && strcmp(dg, cfg_digest) == 0 &&
            strcmp(dg, EMPTY_JSON_DIGEST) != 0) {
            return vouch_error_set(err, VOUCH_EPARSE,
                                   "malformed manifest for %s: its config %s is also a layer", what,
                                   dg);
        }
    }
    return 0;
}

int oci_manifest_take(struct sign_oci_manifest *out, unsigned char *data, size_t len,
                      const char *hint, const char *expect, const char *what,
                      struct vouch_error *err)
{
    json_error_t jerr;
    json_t *root = vouch_json_load((const char *)data, len, 0, &jerr);
    const char *mt;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (!json_is_object(root) || json_integer_value(json_object_get(root, "schemaVersion")) != 2) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed manifest for %s: %s", what,
                             root == NULL ? jerr.text : "not a schema 2 manifest");
        goto done;
    }
    mt = declared_type(root, hint);
    if (!sign_oci_is_manifest_type(mt)) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported manifest type '%s' for %s", mt,
                             what);
        goto done;
    }
    snprintf(out->media_type, sizeof(out->media_type), "%s", mt);
    rc = expect != NULL ? oci_digest_verify(expect, data, len, what, err) : 0;
    rc = rc != 0 ? rc : shape_check(root, mt, hint, what, err);
    if (rc == 0 && expect != NULL) {
        snprintf(out->digest, sizeof(out->digest), "%s", expect);
    } else if (rc == 0) {
        rc = sign_oci_digest_sha256(out->digest, data, len, err);
    }
done:
    json_decref(root);
    if (rc == 0) {
        out->data = data;
        out->len = len;
    } else {
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

static int desc_from_json(struct oci_desc *out, json_t *d, const char *what,
                          struct vouch_error *err)
{
    const char *mt = json_string_value(json_object_get(d, "mediaType"));
    const char *dg = json_string_value(json_object_get(d, "digest"));
    json_t *size = json_object_get(d, "size");
    if (dg == NULL || sign_ref_digest_check(NULL, dg, NULL) != 0 || !json_is_integer(size)) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed descriptor in %s", what);
    }
    if (json_integer_value(size) < 0 ||
        json_integer_value(size) > (json_int_t)SIGN_OCI_MANIFEST_MAX) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "descriptor of %s in %s declares %lld bytes (a manifest is at "
                               "most %d)",
                               dg, what, (long long)json_integer_value(size),
                               (int)SIGN_OCI_MANIFEST_MAX);
    }
    out->media_type = strdup(mt != NULL ? mt : "");
    out->digest = strdup(dg);
    out->size = json_integer_value(size);
    if (out->media_type == NULL || out->digest == NULL) {
        oci_desc_release(out);
        return vouch_enomem(err);
    }
    return 0;
}

static const char *ref_name_of(json_t *d)
{
    json_t *ann = json_object_get(d, "annotations");
    return json_string_value(json_object_get(ann, "org.opencontainers.image.ref.name"));
}

int oci_index_find(struct oci_desc *out, const unsigned char *index, size_t len, const char *tag,
                   const char *what, struct vouch_error *err)
{
    json_t *root = vouch_json_load((const char *)index, len, 0, NULL);
    json_t *list = json_object_get(root, "manifests");
    json_t *pick = NULL;
    size_t i;
    json_t *d;
    int rc;
    memset(out, 0, sizeof(*out));
    if (!json_is_array(list)) {
        json_decref(root);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed index.json in %s", what);
    }
    json_array_foreach(list, i, d)
    {
        const char *name = ref_name_of(d);
        if (tag[0] != '\0' && name != NULL && strcmp(name, tag) == 0) {
            pick = d;
        }
    }
    if (tag[0] == '\0' && json_array_size(list) == 1) {
        pick = json_array_get(list, 0);
    }
    if (pick == NULL && tag[0] == '\0') {
        rc = vouch_error_set(err, VOUCH_ENOTFOUND, "%s holds %zu images: name one with :TAG", what,
                             json_array_size(list));
    } else if (pick == NULL) {
        rc = vouch_error_set(err, VOUCH_ENOTFOUND, "tag '%s' not found in %s", tag, what);
    } else {
        rc = desc_from_json(out, pick, what, err);
    }
    json_decref(root);
    return rc;
}

int oci_layout_manifest_get(struct sign_oci_manifest *out, struct sign_oci_source *src,
                            const char *ref, oci_index_load_fn load, struct vouch_error *err)
{
    struct oci_desc d = {0};
    unsigned char *index = NULL, *data = NULL;
    size_t len = 0;
    char what[512];
    int rc = 0;
    if (!oci_is_digest(ref)) {
        snprintf(what, sizeof(what), "'%s'", src->path);
        rc = load(&index, &len, src, err);
        rc = rc != 0 ? rc : oci_index_find(&d, index, len, ref, what, err);
        free(index);
    }
    snprintf(what, sizeof(what), "'%s' in '%s'", d.digest ? d.digest : ref, src->path);
    rc = rc != 0 ? rc
                 : sign_oci_blob_read(&data, &len, src, d.digest ? d.digest : ref,
                                      SIGN_OCI_MANIFEST_MAX, err);
    rc = rc != 0 ? rc
                 : oci_manifest_take(out, data, len, d.media_type, d.digest ? d.digest : ref, what,
                                     err);
    if (rc != 0) {
        free(data);
    }
    if (rc == 0 && d.digest != NULL && (long long)out->len != d.size) {
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "manifest %s is %zu bytes, its descriptor says %lld", what, out->len,
                             d.size);
        sign_oci_manifest_release(out);
    }
    oci_desc_release(&d);
    return rc;
}
