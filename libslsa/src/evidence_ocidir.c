/* The oci-dir evidence provider: resolves `oci-dir:PATH[:TAG]` to its manifest digest from
 * the layout's index.json (OCI image-layout spec, org.opencontainers.image.ref.name). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "evidence_internal.h"
#include "image_ref.h"
#include "vouch/io.h"
#include "vouch/jread.h"

#define OCI_INDEX_MAX ((size_t)4 << 20)
#define OCI_REF_NAME "org.opencontainers.image.ref.name"

static int pick_manifest(const char **digest, const json_t *index, const char *tag,
                         const char *path, struct vouch_error *err)
{
    const json_t *m, *manifests = json_object_get(index, "manifests");
    size_t i, found = 0;
    *digest = NULL;
    json_array_foreach(manifests, i, m)
    {
        const char *name =
            json_string_value(json_object_get(json_object_get(m, "annotations"), OCI_REF_NAME));
        if (tag == NULL || (name != NULL && strcmp(name, tag) == 0)) {
            *digest = json_string_value(json_object_get(m, "digest"));
            found++;
        }
    }
    if (found == 0) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "'%s' has no manifest%s%s", path,
                               tag != NULL ? " tagged " : "", tag != NULL ? tag : "");
    }
    if (found > 1) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s' holds %zu manifests%s: name one with :TAG",
                               path, found, tag != NULL ? " with that tag" : "");
    }
    if (*digest == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "'%s': index.json manifest has no digest", path);
    }
    return 0;
}

static int ocidir_collect(void *ctx, struct slsa_evidence *ev, const char *image,
                          struct vouch_error *err)
{
    struct image_ref ref;
    unsigned char *text = NULL;
    size_t len = 0;
    char file[4096];
    const char *digest = NULL;
    json_t *index = NULL;
    int rc;
    (void)ctx;
    if (strncmp(image, "oci-dir:", 8) != 0 || image_ref_parse(&ref, image, NULL) != 0) {
        return 0; /* not ours; the evaluator reports bad references */
    }
    snprintf(file, sizeof(file), "%s/index.json", ref.repo + 8);
    rc = vouch_file_read(&text, &len, file, OCI_INDEX_MAX, err);
    if (rc == 0 && (index = vouch_json_load((char *)text, len, 0, NULL)) == NULL) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "'%s' is not valid JSON", file);
    }
    if (rc == 0) {
        rc = pick_manifest(&digest, index, ref.tag, ref.repo + 8, err);
    }
    if (rc == 0) {
        rc = slsa_evidence_set_digest(ev, digest, err);
    }
    json_decref(index);
    free(text);
    image_ref_release(&ref);
    return rc;
}

struct slsa_evidence_provider slsa_evidence_ocidir_provider(void)
{
    struct slsa_evidence_provider p = {"oci-dir", ocidir_collect, NULL};
    return p;
}
