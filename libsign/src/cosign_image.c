/* The cosign `.sig` image of an image: one simple-signing layer per signature, appended
 * read-modify-write (blobs first, manifest last), and verified layer by layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/cosign_image.h"
#include "sign/oci.h"
#include "vouch/encoding.h"

static int fetch_blob(void *ctx, const char *digest, size_t max, unsigned char **out,
                      size_t *out_len, struct vouch_error *err)
{
    return sign_oci_blob_read(out, out_len, ctx, digest, max, err);
}

int sign_cosign_image_load(struct sign_sigimage **img, struct sign_oci_source *src, const char *tag,
                           int empty_ok, struct vouch_error *err)
{
    struct sign_oci_manifest m = {0};
    struct vouch_error probe = VOUCH_ERROR_INIT;
    int rc = sign_oci_manifest_get(&m, src, tag, &probe);
    *img = NULL;
    if (rc == VOUCH_ENOTFOUND) {
        return empty_ok ? sign_sigimage_new(img, err)
                        : vouch_error_set(err, VOUCH_EVERIFY, "no signatures found");
    }
    if (rc != 0) {
        return vouch_error_set(err, rc, "%s", probe.msg);
    }
    rc = sign_sigimage_parse(img, m.data, m.len, err);
    sign_oci_manifest_release(&m);
    return rc;
}

int sign_cosign_image_put_blob(char *digest, struct sign_oci_source *src, const void *data,
                               size_t len, struct vouch_error *err)
{
    int rc = sign_oci_digest_sha256(digest, data, len, err);
    return rc != 0 ? rc : sign_oci_blob_put(src, digest, data, len, err);
}

/* cosign and skopeo hash image payloads with SHA-256 whatever the curve (Ed25519: pure,
 * the hash unused), so a P-384/P-521 signature verifies upstream. */
#define IMAGE_PAYLOAD_HASH SIGN_HASH_SHA256

/* cosign's duplicate detector: the same payload already signed by this key. */
static int already_signed(const struct sign_sigimage *img, const char *payload_digest,
                          const char *payload, size_t len, const struct sign_key *key)
{
    for (size_t i = 0; i < sign_sigimage_count(img); i++) {
        const struct sign_sig_layer *l = sign_sigimage_layer(img, i);
        for (size_t k = 0; strcmp(l->digest, payload_digest) == 0 && k < l->n_annotations; k++) {
            const char *b64 = l->annotations[k].value;
            unsigned char *sig = NULL;
            size_t n = 0;
            int same = strcmp(l->annotations[k].key, SIGN_COSIGN_SIG_ANNOTATION) == 0 &&
                       vouch_base64_decode(&sig, &n, b64, strlen(b64), NULL) == 0 &&
                       sign_key_verify_msg(key, IMAGE_PAYLOAD_HASH, (const unsigned char *)payload,
                                           len, sig, n, NULL) == 0;
            free(sig);
            if (same) {
                return 1;
            }
        }
    }
    return 0;
}

int sign_cosign_image_store(struct sign_oci_source *src, const struct sign_sigimage *img,
                            const char *tag, struct vouch_error *err)
{
    char *config = NULL, *manifest = NULL;
    char cfg_digest[SIGN_REF_DIGEST_MAX];
    size_t cfg_len = 0, man_len = 0;
    int rc = sign_sigimage_config(&config, &cfg_len, img, err);
    rc = rc ? rc : sign_cosign_image_put_blob(cfg_digest, src, config, cfg_len, err);
    rc = rc ? rc : sign_sigimage_manifest(&manifest, &man_len, img, cfg_digest, cfg_len, err);
    rc = rc ? rc
            : sign_oci_manifest_put(NULL, src, tag, SIGN_OCI_MT_MANIFEST, manifest, man_len, err);
    free(config);
    free(manifest);
    return rc;
}

static int sign_payload(char **b64, const struct sign_key *key, const char *payload, size_t len,
                        struct vouch_error *err)
{
    unsigned char *sig = NULL;
    size_t n = 0;
    int rc = sign_key_sign_msg(&sig, &n, key, IMAGE_PAYLOAD_HASH, (const unsigned char *)payload,
                               len, err);
    rc = rc ? rc : vouch_base64_encode(b64, sig, n, err);
    free(sig);
    return rc;
}

int sign_cosign_image_make(char **payload, size_t *payload_len, char **b64, const char *digest,
                           const char *identity, const struct sign_key *key,
                           const struct sign_annotation *ann, size_t n_ann, struct vouch_error *err)
{
    int rc = sign_cosign_payload_build(payload, payload_len, identity, digest, ann, n_ann, err);
    *b64 = NULL;
    rc = rc ? rc : sign_payload(b64, key, *payload, *payload_len, err);
    if (rc != 0) {
        free(*payload);
        *payload = NULL;
    }
    return rc;
}

int sign_cosign_image_attach(int *added, struct sign_oci_source *src, const char *digest,
                             const char *payload, size_t len, const char *b64,
                             const struct sign_key *key, struct vouch_error *err)
{
    struct sign_sigimage *img = NULL;
    char layer[SIGN_REF_DIGEST_MAX];
    char *tag = NULL;
    struct sign_annotation sig_ann = {SIGN_COSIGN_SIG_ANNOTATION, b64};
    int rc = sign_cosign_tag(&tag, digest, "sig", err);
    *added = 0;
    rc = rc ? rc : sign_cosign_image_load(&img, src, tag, 1, err);
    rc = rc ? rc : sign_oci_digest_sha256(layer, payload, len, err);
    if (rc == 0 && !already_signed(img, layer, payload, len, key)) { /* else nothing to push */
        rc = sign_oci_blob_put(src, layer, payload, len, err);
        rc =
            rc ? rc
               : sign_sigimage_add(img, SIGN_COSIGN_SIMPLESIGNING_MT, layer, len, &sig_ann, 1, err);
        rc = rc ? rc : sign_cosign_image_store(src, img, tag, err);
        *added = rc == 0;
    }
    sign_sigimage_free(img);
    free(tag);
    return rc;
}

int sign_cosign_image_sign(int *added, struct sign_oci_source *src, const char *digest,
                           const char *identity, const struct sign_key *key,
                           const struct sign_annotation *ann, size_t n_ann, struct vouch_error *err)
{
    char *payload = NULL, *b64 = NULL;
    size_t len = 0;
    int rc = sign_cosign_image_make(&payload, &len, &b64, digest, identity, key, ann, n_ann, err);
    *added = 0;
    rc = rc ? rc : sign_cosign_image_attach(added, src, digest, payload, len, b64, key, err);
    free(payload);
    free(b64);
    return rc;
}

int sign_cosign_image_verify(struct sign_cosign_result **out, struct sign_oci_source *src,
                             const char *digest, const struct sign_key *const *keys, size_t n_keys,
                             const struct sign_annotation *req, size_t n_req,
                             struct vouch_error *err)
{
    struct sign_sigimage *img = NULL;
    char *tag = NULL;
    int rc = sign_cosign_tag(&tag, digest, "sig", err);
    *out = NULL;
    rc = rc ? rc : sign_cosign_image_load(&img, src, tag, 0, err);
    rc = rc ? rc
            : sign_cosign_verify(out, img, fetch_blob, src, keys, n_keys, digest, req, n_req, err);
    sign_sigimage_free(img);
    free(tag);
    return rc;
}

int sign_cosign_image_verify_sigstore(struct sign_cosign_result **out, struct sign_oci_source *src,
                                      const char *digest, const struct sign_sigstore_opts *ss,
                                      const struct sign_annotation *req, size_t n_req,
                                      struct vouch_error *err)
{
    struct sign_sigimage *img = NULL;
    char *tag = NULL;
    int rc = sign_cosign_tag(&tag, digest, "sig", err);
    *out = NULL;
    rc = rc ? rc : sign_cosign_image_load(&img, src, tag, 0, err);
    rc = rc ? rc
            : sign_cosign_verify_sigstore(out, img, fetch_blob, src, ss, digest, req, n_req, err);
    sign_sigimage_free(img);
    free(tag);
    return rc;
}
