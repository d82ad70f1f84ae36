/* The oci-archive: and docker-archive: sources over a tar index (tar_index.c). docker-archive
 * images get a synthesized docker schema 2 manifest whose layers are the uncompressed layer
 * tars named by their diff_ids (so every layer is still digest-checked while it streams). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "oci_internal.h"
#include "ref_internal.h"
#include "tar_index.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

struct blob_map {
    char digest[SIGN_REF_DIGEST_MAX];
    const struct tar_entry *entry;
};

struct archive_src {
    struct tar_index tar;
    struct sign_oci_manifest synth; /* docker-archive only */
    struct blob_map *map;
    size_t nmap;
};

static void archive_free(void *impl)
{
    struct archive_src *a = impl;
    if (a == NULL) {
        return;
    }
    tar_index_release(&a->tar);
    sign_oci_manifest_release(&a->synth);
    free(a->map);
    free(a);
}

static const struct tar_entry *blob_entry(const struct sign_oci_source *src, const char *digest)
{
    const struct archive_src *a = src->impl;
    if (src->kind == SIGN_OCI_OCI_ARCHIVE) {
        const char *colon = strchr(digest, ':');
        char name[SIGN_REF_DIGEST_MAX + 16];
        snprintf(name, sizeof(name), "blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
        return tar_find(&a->tar, name);
    }
    for (size_t i = 0; i < a->nmap; i++) {
        if (strcmp(a->map[i].digest, digest) == 0) {
            return a->map[i].entry;
        }
    }
    return NULL;
}

static int archive_blob_open(struct oci_reader *out, struct sign_oci_source *src,
                             const char *digest, long long size, struct vouch_error *err)
{
    const struct tar_entry *e = blob_entry(src, digest);
    if (e == NULL) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "blob %s not found in '%s'", digest,
                               src->path);
    }
    if (size >= 0 && e->size != size) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "blob %s in '%s' is %lld bytes, its descriptor says %lld", digest,
                               src->path, e->size, size);
    }
    return tar_entry_open(out, src->path, e, err);
}

static int archive_index_load(unsigned char **out, size_t *len, struct sign_oci_source *src,
                              struct vouch_error *err)
{
    struct archive_src *a = src->impl;
    return tar_entry_read(out, len, src->path, &a->tar, "index.json", err);
}

static int oci_archive_manifest_get(struct sign_oci_manifest *out, struct sign_oci_source *src,
                                    const char *ref, struct vouch_error *err)
{
    return oci_layout_manifest_get(out, src, ref, archive_index_load, err);
}

static int docker_manifest_get(struct sign_oci_manifest *out, struct sign_oci_source *src,
                               const char *ref, struct vouch_error *err)
{
    struct archive_src *a = src->impl;
    if (ref[0] != '\0' && strcmp(ref, src->want) != 0 && strcmp(ref, a->synth.digest) != 0) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "manifest '%s' not found in '%s'", ref,
                               src->path);
    }
    out->data = malloc(a->synth.len + 1);
    if (out->data == NULL) {
        return vouch_enomem(err);
    }
    memcpy(out->data, a->synth.data, a->synth.len + 1);
    out->len = a->synth.len;
    memcpy(out->media_type, a->synth.media_type, sizeof(out->media_type));
    memcpy(out->digest, a->synth.digest, sizeof(out->digest));
    return 0;
}

/* Does RepoTags entry t name want (as given, or equal once both are normalised)? */
static int repo_tag_match(const char *t, const char *want)
{
    struct sign_ref *x = NULL, *y = NULL;
    int same;
    if (strcmp(t, want) == 0) {
        return 1;
    }
    same = sign_ref_parse(&x, t, NULL) == 0 && sign_ref_parse(&y, want, NULL) == 0 &&
           strcmp(sign_ref_string(x), sign_ref_string(y)) == 0;
    sign_ref_free(x);
    sign_ref_free(y);
    return same;
}

static json_t *docker_pick(json_t *list, const char *want, const char *path,
                           struct vouch_error *err)
{
    size_t i, j;
    json_t *e, *t;
    if (want[0] == '\0') {
        if (json_array_size(list) == 1) {
            return json_array_get(list, 0);
        }
        vouch_error_set(err, VOUCH_ENOTFOUND, "'%s' holds %zu images: name one with :NAME:TAG",
                        path, json_array_size(list));
        return NULL;
    }
    json_array_foreach(list, i, e)
    {
        json_array_foreach(json_object_get(e, "RepoTags"), j, t)
        {
            if (json_is_string(t) && repo_tag_match(json_string_value(t), want)) {
                return e;
            }
        }
    }
    vouch_error_set(err, VOUCH_ENOTFOUND, "image '%s' not found in '%s'", want, path);
    return NULL;
}

static int map_add(struct archive_src *a, const char *digest, const struct tar_entry *e,
                   struct vouch_error *err)
{
    struct blob_map *m = realloc(a->map, (a->nmap + 1) * sizeof(*m));
    if (m == NULL) {
        return vouch_enomem(err);
    }
    a->map = m;
    snprintf(m[a->nmap].digest, sizeof(m[a->nmap].digest), "%s", digest);
    m[a->nmap].entry = e;
    a->nmap++;
    return 0;
}

/* Layers[i] is the tar whose digest is the config's rootfs.diff_ids[i]. */
static int docker_layers(json_t *layers_out, struct archive_src *a, json_t *layers,
                         json_t *diff_ids, const char *path, struct vouch_error *err)
{
    size_t i;
    json_t *l;
    if (!json_is_array(layers) || json_array_size(layers) != json_array_size(diff_ids)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed '%s': layers do not match the config's diff_ids", path);
    }
    json_array_foreach(layers, i, l)
    {
        const char *d = json_string_value(json_array_get(diff_ids, i));
        const struct tar_entry *e =
            json_is_string(l) ? tar_find(&a->tar, json_string_value(l)) : NULL;
        int rc;
        if (e == NULL || d == NULL || sign_ref_digest_check(NULL, d, NULL) != 0) {
            return vouch_error_set(err, VOUCH_EPARSE, "malformed '%s': bad layer %zu", path, i);
        }
        rc = map_add(a, d, e, err);
        if (rc != 0) {
            return rc;
        }
        json_array_append_new(layers_out,
                              json_pack("{s:s,s:I,s:s}", "mediaType", SIGN_OCI_MT_LAYER_TAR, "size",
                                        (json_int_t)e->size, "digest", d));
    }
    return 0;
}

static int docker_synth(struct archive_src *a, json_t *img, const char *path,
                        struct vouch_error *err)
{
    const char *cfg_name = json_string_value(json_object_get(img, "Config"));
    unsigned char *cfg = NULL;
    size_t cfg_len = 0;
    char cfg_digest[SIGN_REF_DIGEST_MAX];
    json_t *cfg_json = NULL, *layers = json_array(), *m = NULL;
    char *text = NULL;
    int rc = cfg_name != NULL ? tar_entry_read(&cfg, &cfg_len, path, &a->tar, cfg_name, err)
                              : vouch_error_set(err, VOUCH_EPARSE, "malformed '%s'", path);
    rc = rc != 0 ? rc : sign_oci_digest_sha256(cfg_digest, cfg, cfg_len, err);
    rc = rc != 0 ? rc : map_add(a, cfg_digest, tar_find(&a->tar, cfg_name), err);
    if (rc == 0 && (cfg_json = vouch_json_load((const char *)cfg, cfg_len, 0, NULL)) == NULL) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed image config in '%s'", path);
    }
    rc = rc != 0 ? rc
                 : docker_layers(layers, a, json_object_get(img, "Layers"),
                                 json_object_get(json_object_get(cfg_json, "rootfs"), "diff_ids"),
                                 path, err);
    if (rc == 0) {
        m = json_pack("{s:i,s:s,s:{s:s,s:I,s:s},s:O}", "schemaVersion", 2, "mediaType",
                      SIGN_OCI_MT_DOCKER_MANIFEST, "config", "mediaType", SIGN_OCI_MT_DOCKER_CONFIG,
                      "size", (json_int_t)cfg_len, "digest", cfg_digest, "layers", layers);
        text = m != NULL ? json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        rc = text != NULL ? oci_manifest_take(&a->synth, (unsigned char *)text, strlen(text), NULL,
                                              NULL, path, err)
                          : vouch_enomem(err);
        if (rc != 0) {
            free(text);
        }
    }
    free(cfg);
    json_decref(cfg_json);
    json_decref(layers);
    json_decref(m);
    return rc;
}

static int docker_init(struct archive_src *a, const struct sign_oci_source *src,
                       struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    json_t *root = NULL, *img;
    int rc = tar_entry_read(&data, &len, src->path, &a->tar, "manifest.json", err);
    root = rc == 0 ? vouch_json_load((const char *)data, len, 0, NULL) : NULL;
    if (rc == 0 && !json_is_array(root)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed manifest.json in '%s'", src->path);
    }
    if (rc == 0) {
        img = docker_pick(root, src->want, src->path, err);
        rc = img != NULL ? docker_synth(a, img, src->path, err) : err ? err->code : VOUCH_ENOTFOUND;
    }
    free(data);
    json_decref(root);
    return rc;
}

static const struct oci_ops oci_archive_ops = {
    .manifest_get = oci_archive_manifest_get,
    .blob_open = archive_blob_open,
    .impl_free = archive_free,
};

static const struct oci_ops docker_archive_ops = {
    .manifest_get = docker_manifest_get,
    .blob_open = archive_blob_open,
    .impl_free = archive_free,
};

int oci_archive_init(struct sign_oci_source *src, struct vouch_error *err)
{
    struct archive_src *a = calloc(1, sizeof(*a));
    int rc;
    if (a == NULL) {
        return vouch_enomem(err);
    }
    src->impl = a;
    src->ops = src->kind == SIGN_OCI_OCI_ARCHIVE ? &oci_archive_ops : &docker_archive_ops;
    rc = tar_index_load(&a->tar, src->path, err);
    if (rc == 0 && src->kind == SIGN_OCI_DOCKER_ARCHIVE) {
        rc = docker_init(a, src, err);
    }
    return rc;
}
