/* Image attestations: the cosign `.att` image read-modify-write (append a DSSE layer,
 * optionally replacing one predicate type) and reading its DSSE layers back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest_image.h"
#include "attest_util.h"
#include "image.h"
#include "sign/cosign.h"
#include "sign/cosign_image.h"
#include "sign/digest.h"
#include "vouch/encoding.h"

int attest_image_subject(char *digest, char *name, size_t name_size, struct sign_oci_source *src,
                         struct vouch_error *err)
{
    size_t n;
    int rc = image_digest(digest, src, err);
    if (rc != 0) {
        return rc;
    }
    /* cosign: ref.Context().Name(); here the tag-less name of the same repository */
    image_tag_name(name, name_size, src, "x");
    n = strlen(name);
    if (n >= 2) {
        name[n - 2] = '\0';
    }
    return 0;
}

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

int attest_image_attach(struct sign_oci_source *src, const char *digest, const char *envelope,
                        size_t len, const char *predicate_type, int replace,
                        struct vouch_error *err)
{
    struct sign_sigimage *img = NULL;
    struct sign_annotation ann[2] = {{SIGN_COSIGN_SIG_ANNOTATION, ""},
                                     {"predicateType", predicate_type}};
    char tag[SIGN_REF_DIGEST_MAX + 16], layer[SIGN_REF_DIGEST_MAX];
    int rc;
    image_attachment_tag(tag, sizeof(tag), digest, "att");
    rc = sign_cosign_image_load(&img, src, tag, 1, err);
    if (rc == 0 && replace) {
        drop_type(img, predicate_type);
    }
    rc = rc ? rc : sign_cosign_image_put_blob(layer, src, envelope, len, err);
    rc = rc ? rc : sign_sigimage_add(img, SIGN_DSSE_ENVELOPE_MT, layer, len, ann, 2, err);
    rc = rc ? rc : sign_cosign_image_store(src, img, tag, err);
    sign_sigimage_free(img);
    return rc;
}

int attest_image_sign_attach(struct sign_oci_source *src, const struct regopts *ro,
                             struct slsa_statement *st, const struct sign_key *key, int replace,
                             struct vouch_error *err)
{
    char digest[SIGN_REF_DIGEST_MAX] = "", name[1024], *stmt = NULL, *env = NULL;
    size_t len = 0, env_len = 0;
    struct slsa_digest d = {"sha256", digest + 7};
    struct sign_oci_source *sigsrc = NULL, *owned = NULL;
    int rc = attest_image_subject(digest, name, sizeof(name), src, err);
    if (rc == 0 && strncmp(digest, "sha256:", 7) != 0) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "image digest '%s' is not sha256", digest);
    }
    rc = rc ? rc : slsa_statement_add_subject(st, name, &d, 1, err);
    rc = rc ? rc : slsa_statement_write(&stmt, &len, st, SLSA_JSON_COMPACT, err);
    rc = rc ? rc : attest_sign(&env, &env_len, stmt, len, key, 0, err);
    rc = rc ? rc : image_sig_source(&sigsrc, &owned, src, ro, err);
    rc = rc ? rc
            : attest_image_attach(sigsrc, digest, env, env_len, slsa_statement_predicate_type(st),
                                  replace, err);
    sign_oci_free(owned);
    free(stmt);
    free(env);
    return rc;
}

int attest_image_each(size_t *count, struct sign_oci_source *src, const char *digest,
                      attest_layer_fn fn, void *ctx, struct vouch_error *err)
{
    struct sign_sigimage *img = NULL;
    struct sign_oci_manifest m = {0};
    char tag[SIGN_REF_DIGEST_MAX + 16];
    int rc;
    *count = 0;
    image_attachment_tag(tag, sizeof(tag), digest, "att");
    rc = sign_oci_manifest_get(&m, src, tag, err);
    rc = rc ? rc : sign_sigimage_parse(&img, m.data, m.len, err);
    for (size_t i = 0; rc == 0 && i < sign_sigimage_count(img); i++) {
        const struct sign_sig_layer *l = sign_sigimage_layer(img, i);
        unsigned char *data = NULL;
        size_t n = 0;
        if (strcmp(l->media_type, SIGN_DSSE_ENVELOPE_MT) != 0) {
            continue;
        }
        (*count)++;
        rc = sign_oci_blob_read(&data, &n, src, l->digest, ATTEST_LAYER_MAX, err);
        rc = rc ? rc : fn(ctx, data, n, err);
        free(data);
    }
    sign_sigimage_free(img);
    sign_oci_manifest_release(&m);
    return rc;
}

/* The bundle layers of one referrer manifest. */
static int each_bundle_layer(size_t *count, struct sign_oci_source *src, const char *mdigest,
                             attest_layer_fn fn, void *ctx, struct vouch_error *err)
{
    struct sign_oci_manifest m = {0};
    json_t *root = NULL, *l;
    size_t i;
    int rc = sign_oci_manifest_get(&m, src, mdigest, err);
    if (rc == 0) {
        root = json_loadb((const char *)m.data, m.len, JSON_REJECT_DUPLICATES, NULL);
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
        if (rc != 0 || mt == NULL || d == NULL || strcmp(mt, ATTEST_BUNDLE_MT) != 0) {
            continue;
        }
        (*count)++;
        rc = sign_oci_blob_read(&data, &n, src, d, ATTEST_LAYER_MAX, err);
        rc = rc ? rc : fn(ctx, data, n, err);
        free(data);
    }
    json_decref(root);
    sign_oci_manifest_release(&m);
    return rc;
}

int attest_image_each_bundle(size_t *count, struct sign_oci_source *src, const char *digest,
                             attest_layer_fn fn, void *ctx, struct vouch_error *err)
{
    struct sign_oci_manifest idx = {0};
    json_t *root = NULL, *d;
    size_t i;
    int rc = sign_oci_referrers(&idx, src, digest, ATTEST_BUNDLE_MT, err);
    *count = 0;
    if (rc == 0) {
        root = json_loadb((const char *)idx.data, idx.len, 0, NULL);
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
