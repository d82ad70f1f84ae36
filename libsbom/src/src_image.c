/* Image sources: the OCI client (libsign) gives the manifest and digest-checked blob
 * streams; each layer is streamed once through libarchive into the root, then squashed:
 * an upper entry replaces a lower one, whiteouts delete lower paths, opaque directories
 * hide lower children, and a non-directory replacing a directory drops its children. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gz_internal.h"
#include "root_internal.h"
#include "sign/oci.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

struct blob_reader {
    struct sign_oci_blob *b;
    int failed; /* the blob reported an error (e.g. its digest does not match) in err */
    struct vouch_error err;
    unsigned char buf[1 << 16];
};

/* Runs on arc_in's inflating thread for gzip layers; br is read again after it stopped. */
static int blob_pull(size_t *got, void *ctx, unsigned char *buf, size_t cap,
                     struct vouch_error *err)
{
    struct blob_reader *br = ctx;
    if (sign_oci_blob_read_some(got, br->b, buf, cap, &br->err) != 0) {
        br->failed = 1;
        return vouch_error_set(err, br->err.code, "%s", br->err.msg);
    }
    return 0;
}

/* Read a blob to its end: 1 if it fails (its digest does not match; br->err set). */
static int drain_mismatch(struct blob_reader *br)
{
    size_t got = 1;
    while (got > 0) {
        if (sign_oci_blob_read_some(&got, br->b, br->buf, sizeof(br->buf), &br->err) != 0) {
            return 1;
        }
    }
    return 0;
}

static int stream_layer(struct sbom_root *r, struct sign_oci_source *src, const char *digest,
                        long long size, int idx, struct strv *wh, struct vouch_error *err)
{
    struct blob_reader *br = calloc(1, sizeof(*br));
    struct gz_limits lim = {r->o.max_ratio, SBOM_RATIO_FLOOR};
    struct arc_in *in = NULL;
    void *a = NULL;
    int rc;
    if (br == NULL) {
        return vouch_enomem(err);
    }
    if ((rc = sign_oci_blob_open_sized(&br->b, src, digest, size, err)) != 0) {
        goto done;
    }
    rc = arc_in_open(&a, &in, blob_pull, br, digest, 0, &lim, err);
    rc = rc != 0 ? rc : root_stream_archive(r, a, digest, idx, wh, arc_in_error(in), err);
    rc = rc != 0 ? rc : arc_in_finish(in, err);
    arc_in_free(in); /* stops the inflating thread before the blob is read here */
    in = NULL;
    /* libarchive stops at the tar end marker: read the rest so the digest is checked. A
     * digest failure wins over whatever parsing said: a tampered layer may not parse, and
     * libarchive ignores a read error that comes after the end marker. */
    if (br->failed || drain_mismatch(br)) {
        vouch_error_clear(err);
        rc = vouch_error_set(err, br->err.code, "%s", br->err.msg);
    }
done:
    arc_in_free(in);
    sign_oci_blob_free(br->b);
    free(br);
    return rc;
}

/* Mark entries of layers below idx at path (exact, if self) and under path + "/". */
static void kill_below(struct sbom_root *r, const char *path, int self, int idx)
{
    char prefix[ROOT_PATH_MAX + 2];
    size_t n = strlen(path);
    if (n > 0 && path[n - 1] == '/') {
        n--;
    }
    snprintf(prefix, sizeof(prefix), "%.*s/", (int)n, path);
    if (self) {
        char exact[ROOT_PATH_MAX];
        snprintf(exact, sizeof(exact), "%.*s", (int)n, path);
        size_t i = root_lower_bound(r, exact);
        if (i < r->n && strcmp(r->e[i].path, exact) == 0 && r->e[i].layer < idx) {
            r->e[i].dead = 1;
        }
    }
    for (size_t i = root_lower_bound(r, prefix);
         i < r->n && strncmp(r->e[i].path, prefix, n + 1) == 0; i++) {
        if (r->e[i].layer < idx) {
            r->e[i].dead = 1;
        }
    }
}

static void squash(struct sbom_root *r, int idx, const struct strv *wh)
{
    for (size_t i = 0; i < wh->n; i++) {
        size_t n = strlen(wh->v[i]);
        kill_below(r, wh->v[i], wh->v[i][n - 1] != '/', idx);
    }
    for (size_t i = 0; i < r->n; i++) {
        if (r->e[i].layer == idx && r->e[i].type != SBOM_FT_DIR && !r->e[i].dead) {
            kill_below(r, r->e[i].path, 0, idx);
        }
    }
    root_compact(r);
}

static int touched(const struct sbom_root *r, int idx, const struct strv *wh)
{
    if (wh->n > 0) { /* conservative: a deletion may have removed a database */
        return 1;
    }
    for (size_t i = 0; i < r->n; i++) {
        if (r->e[i].layer == idx && r->e[i].kept != 0) {
            return 1;
        }
    }
    return 0;
}

/* Layer digests from an image manifest (OCI or docker schema 2). */
static int layer_digests(struct strv *out, long long **sizes, const struct sign_oci_manifest *m,
                         const char *image, struct vouch_error *err)
{
    json_error_t je;
    json_t *root = vouch_json_load((const char *)m->data, m->len, 0, &je), *layers, *l, *size;
    size_t i, n_sizes = 0;
    int rc = 0;
    layers = json_object_get(root, "layers");
    if (!json_is_array(layers)) {
        json_decref(root);
        return vouch_error_set(err, VOUCH_EPARSE, "'%s': manifest has no layers", image);
    }
    json_array_foreach(layers, i, l)
    {
        const char *d = json_string_value(json_object_get(l, "digest"));
        if (d == NULL) {
            rc = vouch_error_set(err, VOUCH_EPARSE, "'%s': layer %zu has no digest", image, i);
            break;
        }
        if ((rc = strv_push(out, d, (size_t)-1, err)) != 0) {
            break;
        }
        size = json_object_get(l, "size");
        if (size != NULL && (!json_is_integer(size) || json_integer_value(size) < 0)) {
            rc = vouch_error_set(err, VOUCH_EPARSE, "'%s': layer %zu has a bad size", image, i);
            break;
        }
        if (vouch_push(sizes, &n_sizes, sizeof(**sizes), err) == NULL) {
            rc = VOUCH_ENOMEM;
            break;
        }
        (*sizes)[n_sizes - 1] = size != NULL ? json_integer_value(size) : -1;
    }
    json_decref(root);
    return rc;
}

static int apply_layers(struct sbom_root *r, struct sign_oci_source *src,
                        const struct sbom_image_opts *io, struct vouch_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < r->layers.n; i++) {
        struct strv wh = {0};
        r->layer_now = i;
        root_progress(r);
        rc = stream_layer(r, src, r->layers.v[i], r->layer_sizes[i], (int)i, &wh, err);
        if (rc == 0) {
            root_finish(r);
            if (!io->all_layers) {
                squash(r, (int)i, &wh);
            }
            if (io->on_layer != NULL) {
                rc = io->on_layer(r, i, r->layers.v[i], touched(r, (int)i, &wh), io->ctx);
            }
        }
        strv_release(&wh);
    }
    return rc;
}

int sbom_root_open_image(struct sbom_root **out, const char *image,
                         const struct sbom_image_opts *io, const struct sbom_root_opts *o,
                         struct vouch_error *err)
{
    static const struct sbom_image_opts none = {0};
    struct sign_oci_source *src = NULL;
    struct sign_oci_manifest m = {0};
    struct sbom_root *r = NULL;
    int rc;
    *out = NULL;
    io = io != NULL ? io : &none;
    rc = root_new(&r, o, err);
    rc = rc ? rc : sign_oci_open(&src, image, io->oci, err);
    rc = rc ? rc : sign_oci_image_manifest(&m, src, io->platform, err);
    rc = rc ? rc : layer_digests(&r->layers, &r->layer_sizes, &m, image, err);
    rc = rc ? rc : apply_layers(r, src, io, err);
    if (rc == 0) {
        *out = r;
        r = NULL;
    }
    sign_oci_manifest_release(&m);
    sign_oci_free(src);
    sbom_root_free(r);
    return rc;
}

size_t sbom_root_layer_count(const struct sbom_root *r)
{
    return r->layers.n;
}

const char *sbom_root_layer(const struct sbom_root *r, size_t i)
{
    return i < r->layers.n ? r->layers.v[i] : NULL;
}
