/* Image attestations: the cosign `.att` image read-modify-write (append a DSSE layer,
 * optionally replacing one predicate type), reading its DSSE layers back, and reading the
 * bundles attached as OCI 1.1 referrers. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/cosign.h"
#include "sign/cosign_att.h"
#include "sign/cosign_image.h"
#include "vouch/jread.h"

static void drop_type(struct sign_sigimage *img, const char *predicate_type)
{
    for (size_t i = sign_sigimage_count(img); i-- > 0;) {
        const struct sign_sig_layer *l = sign_sigimage_layer(img, i);
        for (size_t k = 0; k < l->n_annotations; k++) {
            if (strcmp(l->annotations[k].key, "predicateType") == 0 &&
                strcmp(l->annotations[k].value, predicate_type) == 0) {
                sign_sigimage_remove(img, i);
                break;
            }
        }
    }
}

int sign_cosign_att_attach(struct sign_oci_source *src, const char *digest, const char *envelope,
                           size_t len, const char *predicate_type, int replace,
                           struct vouch_error *err)
{
    struct sign_sigimage *img = NULL;
    struct sign_annotation ann[2] = {{SIGN_COSIGN_SIG_ANNOTATION, ""},
                                     {"predicateType", predicate_type}};
    char *tag = NULL, layer[SIGN_REF_DIGEST_MAX];
    int rc = sign_cosign_tag(&tag, digest, "att", err);
    rc = rc ? rc : sign_cosign_image_load(&img, src, tag, 1, err);
    if (rc == 0 && replace) {
        drop_type(img, predicate_type);
    }
    rc = rc ? rc : sign_cosign_image_put_blob(layer, src, envelope, len, err);
    rc = rc ? rc : sign_sigimage_add(img, SIGN_DSSE_ENVELOPE_MT, layer, len, ann, 2, err);
    rc = rc ? rc : sign_cosign_image_store(src, img, tag, err);
    sign_sigimage_free(img);
    free(tag);
    return rc;
}

int sign_cosign_att_each_layer(size_t *count, struct sign_oci_source *src, const char *digest,
                               sign_cosign_att_layer_fn fn, void *ctx, struct vouch_error *err)
{
    struct sign_sigimage *img = NULL;
    struct sign_oci_manifest m = {0};
    char *tag = NULL;
    int rc;
    *count = 0;
    rc = sign_cosign_tag(&tag, digest, "att", err);
    rc = rc ? rc : sign_oci_manifest_get(&m, src, tag, err);
    rc = rc ? rc : sign_sigimage_parse(&img, m.data, m.len, err);
    for (size_t i = 0; rc == 0 && i < sign_sigimage_count(img); i++) {
        const struct sign_sig_layer *l = sign_sigimage_layer(img, i);
        unsigned char *data = NULL;
        size_t n = 0;
        if (strcmp(l->media_type, SIGN_DSSE_ENVELOPE_MT) != 0) {
            continue;
        }
        (*count)++;
        rc = sign_oci_blob_read(&data, &n, src, l->digest, SIGN_COSIGN_ATT_LAYER_MAX, err);
        rc = rc ? rc : fn(ctx, l, data, n, err);
        free(data);
    }
    sign_sigimage_free(img);
    sign_oci_manifest_release(&m);
    free(tag);
    return rc;
}

struct bytes_only {
    sign_cosign_layer_fn fn;
    void *ctx;
};

static int bytes_only(void *ctx, const struct sign_sig_layer *l, const unsigned char *data,
                      size_t len, struct vouch_error *err)
{
    const struct bytes_only *b = ctx;
    (void)l;
    return b->fn(b->ctx, data, len, err);
}

int sign_cosign_att_each(size_t *count, struct sign_oci_source *src, const char *digest,
                         sign_cosign_layer_fn fn, void *ctx, struct vouch_error *err)
{
    struct bytes_only b = {fn, ctx};
    return sign_cosign_att_each_layer(count, src, digest, bytes_only, &b, err);
}

/* The bundle layers of one referrer manifest. */
static int each_bundle_layer(size_t *count, struct sign_oci_source *src, const char *mdigest,
                             sign_cosign_layer_fn fn, void *ctx, struct vouch_error *err)
{
    struct sign_oci_manifest m = {0};
    json_t *root = NULL, *l;
    size_t i;
    int rc = sign_oci_manifest_get(&m, src, mdigest, err);
    if (rc == 0) {
        root = vouch_json_load((const char *)m.data, m.len, 0, NULL);
        rc = json_is_object(root) ? 0
                                  : vouch_error_set(err, VOUCH_EPARSE,
                                                    "referrer manifest '%s' is not json", mdigest);
    }
    json_array_foreach(json_object_get(root, "layers"), i, l)
    {
        const char *mt = json_string_value(json_object_get(l, "mediaType"));
        const char *d = json_string_value(json_object_get(l, "digest"));
        unsigned char *data = NULL;
        size_t n = 0;
        if (rc != 0 || mt == NULL || d == NULL || strcmp(mt, SIGN_COSIGN_BUNDLE_MT) != 0) {
            continue;
        }
        (*count)++;
        rc = sign_oci_blob_read(&data, &n, src, d, SIGN_COSIGN_ATT_LAYER_MAX, err);
        rc = rc ? rc : fn(ctx, data, n, err);
        free(data);
    }
    json_decref(root);
    sign_oci_manifest_release(&m);
    return rc;
}

int sign_cosign_att_each_bundle(size_t *count, struct sign_oci_source *src, const char *digest,
                                sign_cosign_layer_fn fn, void *ctx, struct vouch_error *err)
{
    struct sign_oci_manifest idx = {0};
    json_t *root = NULL, *d;
    size_t i;
    int rc = sign_oci_referrers(&idx, src, digest, SIGN_COSIGN_BUNDLE_MT, err);
    *count = 0;
    if (rc == 0) {
        root = vouch_json_load((const char *)idx.data, idx.len, 0, NULL);
    }
    json_array_foreach(json_object_get(root, "manifests"), i, d)
    {
        const char *md = json_string_value(json_object_get(d, "digest"));
        if (rc == 0 && md != NULL) {
            rc = each_bundle_layer(count, src, md, fn, ctx, err);
        }
    }
    json_decref(root);
    sign_oci_manifest_release(&idx);
    return rc;
}
