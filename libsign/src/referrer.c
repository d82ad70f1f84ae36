/* OCI 1.1 referrers by push: the manifest by digest, then its descriptor appended to the
 * referrers tag schema index "sha256-<hex>" of its subject (image-spec "Pushing Manifests
 * with Subject", for registries and layouts without the referrers API). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/cosign.h"
#include "sign/referrer.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

static int put_json(struct sign_oci_source *src, const char *tag, json_t *j,
                    struct vouch_error *err)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    int rc = s == NULL
                 ? vouch_enomem(err)
                 : sign_oci_manifest_put(NULL, src, tag, SIGN_OCI_MT_INDEX, s, strlen(s), err);
    free(s);
    return rc;
}

/* Add entry to the "sha256-<hex>" index of digest, creating the index when missing. */
static int tag_index_add(struct sign_oci_source *src, const char *digest, json_t *entry,
                         struct vouch_error *err)
{
    struct sign_oci_manifest old = {0};
    char *tag = NULL;
    json_t *idx = NULL;
    int rc = sign_cosign_tag(&tag, digest, "", err);
    rc = rc ? rc : sign_oci_manifest_get(&old, src, tag, err);
    if (rc == VOUCH_ENOTFOUND) {
        vouch_error_clear(err);
        rc = 0;
        idx = json_pack("{ss si s[]}", "mediaType", SIGN_OCI_MT_INDEX, "schemaVersion", 2,
                        "manifests");
    } else if (rc == 0) {
        idx = vouch_json_load((const char *)old.data, old.len, 0, NULL);
    }
    if (rc == 0 && !json_is_array(json_object_get(idx, "manifests"))) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "referrers tag '%s' is not an OCI index", tag);
    }
    rc = rc ? rc : json_array_append(json_object_get(idx, "manifests"), entry);
    rc = rc ? rc : put_json(src, tag, idx, err);
    json_decref(idx);
    sign_oci_manifest_release(&old);
    free(tag);
    return rc;
}

int sign_referrer_push(char *digest_out, struct sign_oci_source *src, const char *subject_digest,
                       const char *manifest, size_t len, struct vouch_error *err)
{
    char digest[SIGN_REF_DIGEST_MAX];
    json_t *man = vouch_json_load(manifest, len, 0, NULL), *entry = NULL;
    int rc = man ? 0 : vouch_error_set(err, VOUCH_EINVAL, "referrer manifest is not JSON");
    rc = rc ? rc
            : sign_oci_manifest_put(digest, src, NULL, SIGN_OCI_MT_MANIFEST, manifest, len, err);
    if (rc == 0) {
        json_t *at = json_object_get(man, "artifactType"),
               *ann = json_object_get(man, "annotations");
        entry = json_pack("{ss ss sI}", "mediaType", SIGN_OCI_MT_MANIFEST, "digest", digest, "size",
                          (json_int_t)len);
        rc = entry ? 0 : vouch_enomem(err);
        if (rc == 0 && at != NULL) {
            json_object_set(entry, "artifactType", at);
        }
        if (rc == 0 && ann != NULL) {
            json_object_set(entry, "annotations", ann);
        }
        rc = rc ? rc : tag_index_add(src, subject_digest, entry, err);
    }
    if (rc == 0 && digest_out != NULL) {
        memcpy(digest_out, digest, SIGN_REF_DIGEST_MAX);
    }
    json_decref(entry);
    json_decref(man);
    return rc;
}
