/* containers/image `dir:` transport signatures (docs/containers-signature.5 and the c/image
 * fixtures): a magic prefix, then a JSON object carrying the payload in base64. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/dirsig.h"
#include "sign/oci.h"
#include "vouch/encoding.h"
#include "vouch/io.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define SIG_MAGIC "\0sigstore-json\n"
#define SIG_MAGIC_LEN 15
#define SIG_FILE_MAX ((size_t)4 << 20)
#define MANIFEST_MAX ((size_t)4 << 20)
#define DIRSIG_MAX 1000

struct payload {
    char digest[SIGN_REF_DIGEST_MAX];
    unsigned char *data;
    size_t len;
};

struct sign_dirsig {
    struct sign_sigimage *img;
    struct payload *payloads;
    size_t n;
    char manifest_digest[SIGN_REF_DIGEST_MAX];
};

static int annotations_of(struct sign_annotation **out, size_t *n, json_t *obj,
                          struct vouch_error *err)
{
    const char *k;
    json_t *v;
    *n = 0;
    *out = calloc(json_object_size(obj) + 1, sizeof(**out));
    if (*out == NULL) {
        return vouch_enomem(err);
    }
    json_object_foreach(obj, k, v)
    {
        if (!json_is_string(v)) {
            return vouch_error_set(err, VOUCH_EPARSE, "annotation '%s' is not a string", k);
        }
        (*out)[*n].key = k;
        (*out)[(*n)++].value = json_string_value(v);
    }
    return 0;
}

/* Parse one signature file body (after the magic) into a layer and a payload. */
static int add_signature(struct sign_dirsig *d, const unsigned char *body, size_t len,
                         struct vouch_error *err)
{
    json_error_t jerr;
    json_t *root = vouch_json_load((const char *)body, len, 0, &jerr);
    json_t *mt = json_object_get(root, "mimeType");
    json_t *pl = json_object_get(root, "payload");
    json_t *anns = json_object_get(root, "annotations");
    struct sign_annotation *list = NULL;
    struct payload *p;
    size_t n_ann = 0;
    int rc;
    if (!json_is_string(mt) || !json_is_string(pl) || (anns != NULL && !json_is_object(anns))) {
        json_decref(root);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed signature JSON");
    }
    p = realloc(d->payloads, (d->n + 1) * sizeof(*p));
    if (p == NULL) {
        json_decref(root);
        return vouch_enomem(err);
    }
    d->payloads = p;
    p = &d->payloads[d->n];
    rc = vouch_base64_decode(&p->data, &p->len, json_string_value(pl), json_string_length(pl), err);
    if (rc == 0) {
        d->n++;
        rc = sign_oci_digest_sha256(p->digest, p->data, p->len, err);
    }
    if (rc == 0) {
        rc = annotations_of(&list, &n_ann, anns, err);
    }
    if (rc == 0) {
        rc = sign_sigimage_add(d->img, json_string_value(mt), p->digest, p->len, list, n_ann, err);
    }
    free(list);
    json_decref(root);
    return rc;
}

static int load_signature(struct sign_dirsig *d, const char *path, struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = vouch_file_read(&data, &len, path, SIG_FILE_MAX, err);
    if (rc != 0) {
        return rc;
    }
    if (len < SIG_MAGIC_LEN || memcmp(data, SIG_MAGIC, SIG_MAGIC_LEN) != 0) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "'%s' is not a sigstore signature file", path);
    } else {
        rc = add_signature(d, data + SIG_MAGIC_LEN, len - SIG_MAGIC_LEN, err);
        if (rc != 0) {
            vouch_error_prefix(err, "'%s': ", path);
        }
    }
    free(data);
    return rc;
}

int sign_dirsig_load(struct sign_dirsig **out, const char *dir, struct vouch_error *err)
{
    struct sign_dirsig *d = calloc(1, sizeof(*d));
    char path[4096];
    unsigned char *manifest = NULL;
    size_t len = 0;
    int rc;
    *out = NULL;
    if (d == NULL) {
        return vouch_enomem(err);
    }
    snprintf(path, sizeof(path), "%s/manifest.json", dir);
    rc = vouch_file_read(&manifest, &len, path, MANIFEST_MAX, err);
    rc = rc != 0 ? rc : sign_oci_digest_sha256(d->manifest_digest, manifest, len, err);
    rc = rc != 0 ? rc : sign_sigimage_new(&d->img, err);
    for (int i = 1; rc == 0 && i <= DIRSIG_MAX; i++) {
        FILE *probe;
        snprintf(path, sizeof(path), "%s/signature-%d", dir, i);
        probe = fopen(path, "rb");
        if (probe == NULL) {
            break;
        }
        fclose(probe);
        rc = load_signature(d, path, err);
    }
    free(manifest);
    if (rc != 0) {
        sign_dirsig_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

const struct sign_sigimage *sign_dirsig_image(const struct sign_dirsig *d)
{
    return d->img;
}

const char *sign_dirsig_manifest_digest(const struct sign_dirsig *d)
{
    return d->manifest_digest;
}

int sign_dirsig_fetch(void *ctx, const char *digest, size_t max, unsigned char **out,
                      size_t *out_len, struct vouch_error *err)
{
    const struct sign_dirsig *d = ctx;
    *out = NULL;
    for (size_t i = 0; i < d->n; i++) {
        if (strcmp(d->payloads[i].digest, digest) != 0) {
            continue;
        }
        if (d->payloads[i].len > max) {
            return vouch_error_set(err, VOUCH_EINVAL, "payload %s too large", digest);
        }
        *out = malloc(d->payloads[i].len + 1);
        if (*out == NULL) {
            return vouch_enomem(err);
        }
        memcpy(*out, d->payloads[i].data, d->payloads[i].len);
        (*out)[d->payloads[i].len] = '\0';
        *out_len = d->payloads[i].len;
        return 0;
    }
    return vouch_error_set(err, VOUCH_ENOTFOUND, "no payload %s", digest);
}

void sign_dirsig_free(struct sign_dirsig *d)
{
    if (d == NULL) {
        return;
    }
    for (size_t i = 0; i < d->n; i++) {
        free(d->payloads[i].data);
    }
    free(d->payloads);
    sign_sigimage_free(d->img);
    free(d);
}
