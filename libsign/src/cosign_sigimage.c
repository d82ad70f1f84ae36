/* The cosign signature image: an OCI manifest with one layer per signature, written with
 * go-containerregistry's field order so the bytes (and digests) match cosign's. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/cosign.h"
#include "vouch/buf.h"
#include "vouch/jread.h"
#include "vouch/json.h"
#include "vouch/mem.h"

#define SIGIMAGE_MAX_LAYERS 1000 /* cosign's maxLayers */
#define MANIFEST_MAX ((size_t)4 << 20)
#define OCI_MANIFEST_MT "application/vnd.oci.image.manifest.v1+json"
#define OCI_CONFIG_MT "application/vnd.oci.image.config.v1+json"

struct layer {
    struct sign_sig_layer pub;
    struct sign_annotation *ann; /* owned copies */
};

struct sign_sigimage {
    struct layer *layers;
    size_t n;
};

int sign_sigimage_new(struct sign_sigimage **out, struct vouch_error *err)
{
    *out = calloc(1, sizeof(**out));
    return *out == NULL ? vouch_enomem(err) : 0;
}

static void layer_release(struct layer *l)
{
    for (size_t i = 0; i < l->pub.n_annotations; i++) {
        free((char *)l->ann[i].key);
        free((char *)l->ann[i].value);
    }
    free(l->ann);
    free((char *)l->pub.media_type);
    free((char *)l->pub.digest);
}

void sign_sigimage_free(struct sign_sigimage *img)
{
    if (img == NULL) {
        return;
    }
    for (size_t i = 0; i < img->n; i++) {
        layer_release(&img->layers[i]);
    }
    free(img->layers);
    free(img);
}

size_t sign_sigimage_count(const struct sign_sigimage *img)
{
    return img->n;
}

const struct sign_sig_layer *sign_sigimage_layer(const struct sign_sigimage *img, size_t i)
{
    return i < img->n ? &img->layers[i].pub : NULL;
}

long sign_sigimage_find(const struct sign_sigimage *img, const char *digest, const char *key,
                        const char *value)
{
    for (size_t i = 0; i < img->n; i++) {
        const struct sign_sig_layer *l = &img->layers[i].pub;
        if (strcmp(l->digest, digest) != 0) {
            continue;
        }
        for (size_t j = 0; j < l->n_annotations; j++) {
            if (strcmp(l->annotations[j].key, key) == 0 &&
                strcmp(l->annotations[j].value, value) == 0) {
                return (long)i;
            }
        }
    }
    return -1;
}

static int cmp_annotation(const void *a, const void *b)
{
    return strcmp(((const struct sign_annotation *)a)->key,
                  ((const struct sign_annotation *)b)->key);
}

int sign_sigimage_add(struct sign_sigimage *img, const char *media_type, const char *digest,
                      unsigned long long size, const struct sign_annotation *ann, size_t n_ann,
                      struct vouch_error *err)
{
    struct layer *grown;
    struct layer *l;
    if (img->n >= SIGIMAGE_MAX_LAYERS) {
        return vouch_error_set(err, VOUCH_EINVAL, "signature image has %d layers already",
                               SIGIMAGE_MAX_LAYERS);
    }
    grown = realloc(img->layers, (img->n + 1) * sizeof(*grown));
    if (grown == NULL) {
        return vouch_enomem(err);
    }
    img->layers = grown;
    l = &img->layers[img->n];
    memset(l, 0, sizeof(*l));
    l->pub.media_type = strdup(media_type);
    l->pub.digest = strdup(digest);
    l->pub.size = size;
    l->ann = calloc(n_ann + 1, sizeof(*l->ann));
    if (l->pub.media_type == NULL || l->pub.digest == NULL || l->ann == NULL) {
        layer_release(l);
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < n_ann; i++) {
        l->ann[i].key = strdup(ann[i].key);
        l->ann[i].value = strdup(ann[i].value);
        l->pub.n_annotations = i + 1;
        if (l->ann[i].key == NULL || l->ann[i].value == NULL) {
            layer_release(l);
            return vouch_enomem(err);
        }
    }
    qsort(l->ann, n_ann, sizeof(*l->ann), cmp_annotation);
    l->pub.annotations = l->ann;
    img->n++;
    return 0;
}

void sign_sigimage_remove(struct sign_sigimage *img, size_t i)
{
    if (i >= img->n) {
        return;
    }
    layer_release(&img->layers[i]);
    memmove(&img->layers[i], &img->layers[i + 1], (img->n - i - 1) * sizeof(img->layers[0]));
    img->n--;
}

static int parse_layer(struct sign_sigimage *img, json_t *desc, struct vouch_error *err)
{
    json_t *mt = json_object_get(desc, "mediaType");
    json_t *dg = json_object_get(desc, "digest");
    json_t *sz = json_object_get(desc, "size");
    json_t *anns = json_object_get(desc, "annotations");
    struct sign_annotation *list = NULL;
    size_t n = 0;
    const char *k;
    json_t *v;
    int rc;
    if (!json_is_string(mt) || !json_is_string(dg) || !json_is_integer(sz) ||
        json_integer_value(sz) < 0 || (anns != NULL && !json_is_object(anns))) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed layer descriptor in manifest");
    }
    list = calloc(json_object_size(anns) + 1, sizeof(*list));
    if (list == NULL) {
        return vouch_enomem(err);
    }
    json_object_foreach(anns, k, v)
    {
        if (!json_is_string(v)) {
            free(list);
            return vouch_error_set(err, VOUCH_EPARSE, "annotation '%s' is not a string", k);
        }
        list[n].key = k;
        list[n].value = json_string_value(v);
        n++;
    }
    rc = sign_sigimage_add(img, json_string_value(mt), json_string_value(dg),
                           (unsigned long long)json_integer_value(sz), list, n, err);
    free(list);
    return rc;
}

int sign_sigimage_parse(struct sign_sigimage **out, const unsigned char *manifest, size_t len,
                        struct vouch_error *err)
{
    struct sign_sigimage *img = NULL;
    json_error_t jerr;
    json_t *root;
    json_t *layers;
    int rc;
    *out = NULL;
    if (len > MANIFEST_MAX) {
        return vouch_error_set(err, VOUCH_EPARSE, "manifest too large (%zu bytes)", len);
    }
    root = vouch_json_load((const char *)manifest, len, 0, &jerr);
    layers = json_object_get(root, "layers");
    if (!json_is_object(root) || !json_is_array(layers)) {
        json_decref(root);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed signature manifest: %s",
                               root == NULL ? jerr.text : "no layers");
    }
    rc = sign_sigimage_new(&img, err);
    for (size_t i = 0; rc == 0 && i < json_array_size(layers); i++) {
        rc = parse_layer(img, json_array_get(layers, i), err);
    }
    json_decref(root);
    if (rc != 0) {
        sign_sigimage_free(img);
        return rc;
    }
    *out = img;
    return 0;
}

int sign_sigimage_config(char **out, size_t *out_len, const struct sign_sigimage *img,
                         struct vouch_error *err)
{
    struct vouch_buf b;
    int rc;
    *out = NULL;
    vouch_buf_init(&b, MANIFEST_MAX);
    rc = vouch_buf_puts(&b,
                        "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\","
                        "\"history\":[",
                        err);
    for (size_t i = 0; rc == 0 && i < img->n; i++) {
        rc = vouch_buf_puts(&b,
                            i > 0 ? ",{\"created\":\"0001-01-01T00:00:00Z\"}"
                                  : "{\"created\":\"0001-01-01T00:00:00Z\"}",
                            err);
    }
    if (rc == 0) {
        rc =
            vouch_buf_puts(&b, "],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[", err);
    }
    for (size_t i = 0; rc == 0 && i < img->n; i++) {
        if (i > 0) {
            rc = vouch_buf_puts(&b, ",", err);
        }
        if (rc == 0) {
            const char *d = img->layers[i].pub.digest;
            rc = vouch_json_go_string(&b, d, strlen(d), err);
        }
    }
    if (rc == 0) {
        rc = vouch_buf_puts(&b, "]},\"config\":{}}", err);
    }
    if (rc != 0) {
        vouch_buf_release(&b);
        return rc;
    }
    *out = (char *)vouch_buf_steal(&b, out_len);
    return 0;
}

static int put_descriptor(struct vouch_buf *b, const char *mt, unsigned long long size,
                          const char *digest, const struct sign_annotation *ann, size_t n,
                          struct vouch_error *err)
{
    int rc = vouch_buf_puts(b, "{\"mediaType\":", err);
    if (rc == 0) {
        rc = vouch_json_go_string(b, mt, strlen(mt), err);
    }
    if (rc == 0) {
        rc = vouch_buf_printf(b, err, ",\"size\":%llu,\"digest\":", size);
    }
    if (rc == 0) {
        rc = vouch_json_go_string(b, digest, strlen(digest), err);
    }
    if (rc == 0 && n > 0) {
        rc = vouch_buf_puts(b, ",\"annotations\":{", err);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            rc = i > 0 ? vouch_buf_puts(b, ",", err) : 0;
            if (rc == 0) {
                rc = vouch_json_go_string(b, ann[i].key, strlen(ann[i].key), err);
            }
            if (rc == 0) {
                rc = vouch_buf_puts(b, ":", err);
            }
            if (rc == 0) {
                rc = vouch_json_go_string(b, ann[i].value, strlen(ann[i].value), err);
            }
        }
        if (rc == 0) {
            rc = vouch_buf_puts(b, "}", err);
        }
    }
    if (rc == 0) {
        rc = vouch_buf_puts(b, "}", err);
    }
    return rc;
}

int sign_sigimage_manifest(char **out, size_t *out_len, const struct sign_sigimage *img,
                           const char *config_digest, unsigned long long config_size,
                           struct vouch_error *err)
{
    struct vouch_buf b;
    int rc;
    *out = NULL;
    vouch_buf_init(&b, MANIFEST_MAX);
    rc = vouch_buf_puts(
        &b, "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MANIFEST_MT "\",\"config\":", err);
    if (rc == 0) {
        rc = put_descriptor(&b, OCI_CONFIG_MT, config_size, config_digest, NULL, 0, err);
    }
    if (rc == 0) {
        rc = vouch_buf_puts(&b, ",\"layers\":[", err);
    }
    for (size_t i = 0; rc == 0 && i < img->n; i++) {
        const struct sign_sig_layer *l = &img->layers[i].pub;
        rc = i > 0 ? vouch_buf_puts(&b, ",", err) : 0;
        if (rc == 0) {
            rc = put_descriptor(&b, l->media_type, l->size, l->digest, l->annotations,
                                l->n_annotations, err);
        }
    }
    if (rc == 0) {
        rc = vouch_buf_puts(&b, "]}", err);
    }
    if (rc != 0) {
        vouch_buf_release(&b);
        return rc;
    }
    *out = (char *)vouch_buf_steal(&b, out_len);
    return 0;
}
