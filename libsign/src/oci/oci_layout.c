/* OCI image layouts (image-spec image-layout.md): oci-layout, index.json and
 * blobs/<alg>/<hex>. Reads are digest-checked; writes are atomic (temp file + rename). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "oci_internal.h"
#include "ref_internal.h"
#include "vouch/io.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define REF_NAME_KEY "org.opencontainers.image.ref.name"

static char *blob_path(const struct sign_oci_source *src, const char *digest)
{
    const char *colon = strchr(digest, ':');
    return vouch_strf("%s/blobs/%.*s/%s", src->path, (int)(colon - digest), digest, colon + 1);
}

static int index_load(unsigned char **out, size_t *len, const struct sign_oci_source *src,
                      struct vouch_error *err)
{
    char *p = vouch_strf("%s/index.json", src->path);
    struct vouch_error e2 = VOUCH_ERROR_INIT;
    int rc;
    if (p == NULL) {
        return vouch_enomem(err);
    }
    rc = vouch_file_read_regular(out, len, p, SIGN_OCI_MANIFEST_MAX, &e2);
    free(p);
    if (rc == VOUCH_ENOTFOUND) {
        return vouch_error_set(err, rc, "'%s' is not an OCI layout (no index.json)", src->path);
    }
    return rc != 0 ? vouch_error_set(err, rc, "%s", e2.msg) : 0;
}

static int layout_index_load(unsigned char **out, size_t *len, struct sign_oci_source *src,
                             struct vouch_error *err)
{
    return index_load(out, len, src, err);
}

static int layout_manifest_get(struct sign_oci_manifest *out, struct sign_oci_source *src,
                               const char *ref, struct vouch_error *err)
{
    return oci_layout_manifest_get(out, src, ref, layout_index_load, err);
}

static int file_read(size_t *got, void *ctx, void *buf, size_t n, struct vouch_error *err)
{
    FILE *fp = ctx;
    *got = fread(buf, 1, n, fp);
    if (*got == 0 && ferror(fp)) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot read blob");
    }
    return 0;
}

static void file_close(void *ctx)
{
    fclose(ctx);
}

/* Blobs are regular files of the layout: a symbolic link, FIFO or device is refused (so a
 * layout cannot point a read outside itself or block it forever). */
static int layout_blob_open(struct oci_reader *out, struct sign_oci_source *src, const char *digest,
                            long long size, struct vouch_error *err)
{
    char *p = blob_path(src, digest);
    struct vouch_error e2 = VOUCH_ERROR_INIT;
    long long have = 0;
    FILE *fp = NULL;
    int fd = -1;
    int rc = p != NULL ? vouch_file_open_regular(&fd, &have, p, &e2) : vouch_enomem(err);
    if (rc == 0 && (fp = fdopen(fd, "rb")) == NULL) {
        rc = vouch_error_sys(&e2, VOUCH_EIO, errno, "cannot open '%s'", p);
        close(fd);
    }
    if (rc == VOUCH_ENOTFOUND || rc == VOUCH_EIO) {
        vouch_error_sys(err, rc, e2.sys_errno, "cannot open blob %s in '%s'", digest, src->path);
    } else if (rc != 0 && p != NULL) {
        vouch_error_set(err, rc, "blob %s in '%s' is %s", digest, src->path,
                        e2.sys_errno == ELOOP ? "a symbolic link, not a file"
                                              : "not a regular file");
    }
    free(p);
    if (rc == 0 && size >= 0 && have != size) {
        fclose(fp);
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "blob %s in '%s' is %lld bytes, its descriptor says %lld", digest,
                               src->path, have, size);
    }
    if (rc != 0) {
        return rc;
    }
    out->read = file_read;
    out->close = file_close;
    out->ctx = fp;
    return 0;
}

static int mkdir_one(const char *p, struct vouch_error *err)
{
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot create '%s'", p);
    }
    return 0;
}

/* Create PATH, PATH/blobs/<alg> and the oci-layout marker when missing. */
static int layout_prepare(const struct sign_oci_source *src, const char *digest,
                          struct vouch_error *err)
{
    const char *colon = strchr(digest, ':');
    char *blobs = vouch_strf("%s/blobs", src->path);
    char *alg = vouch_strf("%s/blobs/%.*s", src->path, (int)(colon - digest), digest);
    char *marker = vouch_strf("%s/oci-layout", src->path);
    static const char layout_json[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
    int rc = blobs && alg && marker ? 0 : vouch_enomem(err);
    rc = rc != 0 ? rc : mkdir_one(src->path, err);
    rc = rc != 0 ? rc : mkdir_one(blobs, err);
    rc = rc != 0 ? rc : mkdir_one(alg, err);
    if (rc == 0 && access(marker, F_OK) != 0) {
        rc = vouch_file_write(marker, layout_json, sizeof(layout_json) - 1, 0644, 0, err);
    }
    free(blobs);
    free(alg);
    free(marker);
    return rc;
}

static int layout_blob_put(struct sign_oci_source *src, const char *digest, const void *data,
                           size_t len, struct vouch_error *err)
{
    char *p = NULL;
    int rc = layout_prepare(src, digest, err);
    if (rc == 0 && (p = blob_path(src, digest)) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0 && access(p, F_OK) != 0) {
        rc = vouch_file_write(p, data, len, 0644, 0, err);
    }
    free(p);
    return rc;
}

/* Stream into a temporary file; it is renamed into place only after the digest checked. */
static int layout_blob_put_stream(struct sign_oci_source *src, const char *digest,
                                  struct sign_oci_blob *in, struct vouch_error *err)
{
    struct vouch_outfile of = {0};
    unsigned char buf[65536];
    size_t got = 0;
    char *p = NULL;
    int rc = layout_prepare(src, digest, err);
    if (rc == 0 && (p = blob_path(src, digest)) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc != 0 || access(p, F_OK) == 0) {
        free(p);
        return rc;
    }
    rc = vouch_outfile_open(&of, p, 0644, 0, err);
    while (rc == 0) {
        rc = sign_oci_blob_read_some(&got, in, buf, sizeof(buf), err);
        if (rc != 0 || got == 0) {
            break;
        }
        if (fwrite(buf, 1, got, of.fp) != got) {
            rc = vouch_error_sys(err, VOUCH_EIO, errno, "cannot write '%s'", p);
        }
    }
    rc = rc != 0 ? rc : vouch_outfile_commit(&of, err);
    vouch_outfile_abort(&of);
    free(p);
    return rc;
}

/* index.json with desc added: same tag (or, untagged, same digest) replaced. */
static int index_update(json_t *root, const char *tag, const char *mt, const char *digest,
                        size_t len)
{
    json_t *list = json_object_get(root, "manifests");
    json_t *d =
        json_pack("{s:s,s:s,s:I}", "mediaType", mt, "digest", digest, "size", (json_int_t)len);
    size_t i = 0;
    if (!json_is_array(list) || d == NULL) {
        json_decref(d);
        return -1;
    }
    while (i < json_array_size(list)) {
        json_t *e = json_array_get(list, i);
        const char *name =
            json_string_value(json_object_get(json_object_get(e, "annotations"), REF_NAME_KEY));
        int same = tag != NULL ? name != NULL && strcmp(name, tag) == 0
                               : name == NULL && json_equal(json_object_get(e, "digest"),
                                                            json_object_get(d, "digest"));
        if (same) {
            json_array_remove(list, i);
        } else {
            i++;
        }
    }
    if (tag != NULL) {
        json_object_set_new(d, "annotations", json_pack("{s:s}", REF_NAME_KEY, tag));
    }
    return json_array_append_new(list, d);
}

static int layout_manifest_put(struct sign_oci_source *src, const char *tag, const char *media_type,
                               const void *data, size_t len, const char *digest,
                               struct vouch_error *err)
{
    unsigned char *index = NULL;
    size_t ilen = 0;
    json_t *root = NULL;
    char *text = NULL, *p = NULL;
    struct vouch_error e2 = VOUCH_ERROR_INIT;
    int rc = layout_blob_put(src, digest, data, len, err);
    if (rc != 0) {
        return rc;
    }
    rc = index_load(&index, &ilen, src, &e2);
    root = rc == 0 ? vouch_json_load((const char *)index, ilen, 0, NULL)
                   : json_pack("{s:i,s:s,s:[]}", "schemaVersion", 2, "mediaType", SIGN_OCI_MT_INDEX,
                               "manifests");
    if (rc != 0 && rc != VOUCH_ENOTFOUND) {
        rc = vouch_error_set(err, rc, "%s", e2.msg);
    } else if (root == NULL || index_update(root, tag, media_type, digest, len) != 0 ||
               (text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL ||
               (p = vouch_strf("%s/index.json", src->path)) == NULL) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed index.json in '%s'", src->path);
    } else {
        rc = vouch_file_write(p, text, strlen(text), 0644, 0, err);
    }
    free(index);
    free(text);
    free(p);
    json_decref(root);
    return rc;
}

static int layout_tags(char ***out, size_t *n, struct sign_oci_source *src, struct vouch_error *err)
{
    unsigned char *index = NULL;
    size_t len = 0, i;
    json_t *root, *list, *d;
    int rc = index_load(&index, &len, src, err);
    if (rc != 0) {
        return rc;
    }
    root = vouch_json_load((const char *)index, len, 0, NULL);
    free(index);
    list = json_object_get(root, "manifests");
    *out = calloc(json_array_size(list) + 1, sizeof(char *));
    if (*out == NULL) {
        json_decref(root);
        return vouch_enomem(err);
    }
    json_array_foreach(list, i, d)
    {
        const char *name =
            json_string_value(json_object_get(json_object_get(d, "annotations"), REF_NAME_KEY));
        if (name != NULL && ((*out)[*n] = strdup(name)) != NULL) {
            (*n)++;
        }
    }
    json_decref(root);
    return 0;
}

static int layout_subject_scan(struct sign_oci_manifest *out, struct sign_oci_source *src,
                               const char *digest, struct vouch_error *err)
{
    return oci_layout_subject_scan(out, src, digest, layout_index_load, err);
}

static const struct oci_ops layout_ops = {
    .manifest_get = layout_manifest_get,
    .blob_open = layout_blob_open,
    .blob_put = layout_blob_put,
    .blob_put_stream = layout_blob_put_stream,
    .manifest_put = layout_manifest_put,
    .tags = layout_tags,
    .subject_scan = layout_subject_scan,
};

int oci_layout_init(struct sign_oci_source *src, struct vouch_error *err)
{
    struct stat st;
    if (stat(src->path, &st) == 0 && !S_ISDIR(st.st_mode)) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s' is not a directory", src->path);
    }
    src->ops = &layout_ops;
    return 0;
}
