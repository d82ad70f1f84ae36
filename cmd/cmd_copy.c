/* vouch copy: copy an image (an index with all its images) and its cosign attachments
 * (.sig/.att/.sbom tags) between registries and OCI layouts, blobs first, every byte
 * digest-checked, manifests last so nothing is visible half-pushed. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "image.h"
#include "out.h"
#include "stage.h"

const char cmd_copy_usage[] =
    "usage: vouch copy [OPTIONS] SRC DST\n"
    "\n"
    "Copy the image SRC (registry reference, oci-dir:PATH[:TAG], oci-archive:TAR or\n"
    "docker-archive:TAR) to DST (registry reference or oci-dir:PATH[:TAG]) with its\n"
    "signatures, attestations and SBOMs. Prints the digest of the copied manifest.\n";

static int copy_manifest(struct sign_oci_source *dst, struct sign_oci_source *src,
                         const struct sign_oci_manifest *m, const char *tag, int depth,
                         struct vouch_error *err);

static int copy_children(struct sign_oci_source *dst, struct sign_oci_source *src, json_t *root,
                         int depth, struct vouch_error *err)
{
    json_t *d;
    size_t i;
    int rc = 0;
    json_array_foreach(json_object_get(root, "manifests"), i, d)
    {
        struct sign_oci_manifest child = {0};
        const char *digest = json_string_value(json_object_get(d, "digest"));
        rc = digest != NULL ? sign_oci_manifest_get(&child, src, digest, err)
                            : vouch_error_set(err, VOUCH_EPARSE, "malformed index");
        rc = rc != 0 ? rc : copy_manifest(dst, src, &child, NULL, depth + 1, err);
        sign_oci_manifest_release(&child);
        if (rc != 0) {
            break;
        }
    }
    return rc;
}

static int copy_blobs(struct sign_oci_source *dst, struct sign_oci_source *src, json_t *root,
                      struct vouch_error *err)
{
    json_t *cfg = json_object_get(json_object_get(root, "config"), "digest");
    json_t *d;
    size_t i;
    int rc = json_is_string(cfg) ? sign_oci_blob_copy(dst, src, json_string_value(cfg), err)
                                 : vouch_error_set(err, VOUCH_EPARSE, "manifest has no config");
    json_array_foreach(json_object_get(root, "layers"), i, d)
    {
        const char *digest = json_string_value(json_object_get(d, "digest"));
        if (rc != 0) {
            break;
        }
        rc = digest != NULL ? sign_oci_blob_copy(dst, src, digest, err)
                            : vouch_error_set(err, VOUCH_EPARSE, "malformed layer %zu", i);
    }
    return rc;
}

static int copy_manifest(struct sign_oci_source *dst, struct sign_oci_source *src,
                         const struct sign_oci_manifest *m, const char *tag, int depth,
                         struct vouch_error *err)
{
    json_t *root = json_loadb((const char *)m->data, m->len, 0, NULL);
    int rc = 0;
    if (root == NULL || depth > 2) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed or nested manifest %s", m->digest);
    } else if (sign_oci_is_index(m->media_type)) {
        rc = copy_children(dst, src, root, depth, err);
    } else {
        rc = copy_blobs(dst, src, root, err);
    }
    json_decref(root);
    return rc != 0 ? rc
                   : sign_oci_manifest_put(NULL, dst, tag, m->media_type, m->data, m->len, err);
}

static int copy_attachments(struct sign_oci_source *dst, struct sign_oci_source *src,
                            const char *digest, struct vouch_error *err)
{
    static const char *const suffixes[] = {"sig", "att", "sbom"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        struct sign_oci_manifest m = {0};
        char tag[SIGN_REF_DIGEST_MAX + 8];
        int rc;
        image_attachment_tag(tag, sizeof(tag), digest, suffixes[i]);
        rc = sign_oci_manifest_get(&m, src, tag, err);
        if (rc == VOUCH_ENOTFOUND) {
            vouch_error_clear(err);
            continue;
        }
        rc = rc != 0 ? rc : copy_manifest(dst, src, &m, tag, 0, err);
        sign_oci_manifest_release(&m);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* The tag DST names: a registry reference's tag, a layout's :TAG; NULL = by digest. */
static const char *dst_tag(const struct sign_oci_source *dst, const char *name)
{
    const struct sign_ref *ref = sign_oci_ref(dst);
    const char *slash = strrchr(name, '/');
    const char *colon = strrchr(slash != NULL ? slash : name, ':');
    if (ref != NULL) {
        return sign_ref_tag(ref);
    }
    return colon != NULL && strchr(colon, '@') == NULL && strncmp(name, "oci", 3) == 0 &&
                   colon > strchr(name, ':')
               ? colon + 1
               : NULL;
}

static int copy(const char *from, const char *to, const struct regopts *ro)
{
    struct sign_oci_source *src = NULL, *dst = NULL;
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct stage st = {0};
    int rc = image_open(&src, from, ro);
    /* a layout destination is written all or nothing (stage.h) */
    if (rc == 0 && (rc = stage_begin(&st, to, &err)) != 0) {
        sign_oci_free(src);
        stage_release(&st);
        return out_fail(rc, &err);
    }
    rc = rc != 0 ? rc : image_open(&dst, st.image != NULL ? st.image : to, ro);
    if (rc != 0) {
        sign_oci_free(src);
        stage_release(&st);
        return rc;
    }
    rc = sign_oci_resolve(&m, src, &err);
    rc = rc != 0 ? rc : copy_manifest(dst, src, &m, dst_tag(dst, to), 0, &err);
    rc = rc != 0 ? rc : copy_attachments(dst, src, m.digest, &err);
    sign_oci_free(dst);
    rc = rc != 0 ? rc : stage_commit(&st, &err);
    if (rc == 0) {
        printf("%s\n", m.digest);
    }
    stage_release(&st);
    sign_oci_manifest_release(&m);
    sign_oci_free(src);
    return rc != 0 ? out_fail(rc, &err) : EXIT_OK;
}

const struct opt_group cmd_copy_opts[] = {
    {"registry options", regopts_specs, REGOPTS_NOTE},
    {0},
};

int cmd_copy(int argc, char **argv)
{
    struct regopts ro;
    const char *args[2] = {NULL, NULL};
    int n = 0, rc;
    regopts_init(&ro);
    rc = regopts_parse_args(&ro, "copy", cmd_copy_opts, argc, argv, args, 2, &n);
    if (rc == 0 && n != 2) {
        rc = out_usage("copy", "need SRC and DST");
    }
    rc = rc != 0 ? rc : regopts_finish(&ro, "copy");
    rc = rc != 0 ? rc : copy(args[0], args[1], &ro);
    regopts_release(&ro);
    return rc;
}
