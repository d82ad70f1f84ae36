/* Referrers of a layout-shaped source without a referrers index: the manifests index.json
 * lists (tagged or not) whose subject is the image, as notation's --oci-layout leaves its
 * signatures (oras-go's OCI store lists each pushed manifest, untagged, in index.json). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "oci_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

/* index.json entries looked at; a layout listing more is not scanned past them */
#define SCAN_MAX 1000

/* The referrers index entry for manifest m (digest d) when its subject is subject, else NULL. */
static json_t *entry_of(const struct sign_oci_manifest *m, const char *d, const char *subject)
{
    json_t *man = vouch_json_load((const char *)m->data, m->len, 0, NULL);
    const char *sub = json_string_value(json_object_get(json_object_get(man, "subject"), "digest"));
    const char *at = json_string_value(json_object_get(man, "artifactType"));
    json_t *e = NULL;
    if (at == NULL) {
        /* image-spec: an artifact without artifactType is named by its config's media type */
        at = json_string_value(json_object_get(json_object_get(man, "config"), "mediaType"));
    }
    if (sub != NULL && strcmp(sub, subject) == 0) {
        e = json_pack("{ss ss sI}", "mediaType", m->media_type, "digest", d, "size",
                      (json_int_t)m->len);
        if (e != NULL && at != NULL) {
            json_object_set_new(e, "artifactType", json_string(at));
        }
        if (e != NULL && json_is_object(json_object_get(man, "annotations"))) {
            json_object_set(e, "annotations", json_object_get(man, "annotations"));
        }
    }
    json_decref(man);
    return e;
}

int oci_layout_subject_scan(struct sign_oci_manifest *out, struct sign_oci_source *src,
                            const char *subject, oci_index_load_fn load, struct vouch_error *err)
{
    unsigned char *index = NULL;
    size_t len = 0, i;
    json_t *root = NULL, *found = json_array(), *d, *doc = NULL;
    char *text = NULL;
    int rc = found != NULL ? load(&index, &len, src, err) : vouch_enomem(err);
    root = rc == 0 ? vouch_json_load((const char *)index, len, 0, NULL) : NULL;
    json_array_foreach(rc == 0 ? json_object_get(root, "manifests") : NULL, i, d)
    {
        const char *dg = json_string_value(json_object_get(d, "digest"));
        const char *mt = json_string_value(json_object_get(d, "mediaType"));
        struct sign_oci_manifest m = {0};
        struct vouch_error e2 = VOUCH_ERROR_INIT;
        json_t *e;
        if (i == SCAN_MAX) {
            break;
        }
        if (dg == NULL || strcmp(dg, subject) == 0 || (mt != NULL && sign_oci_is_index(mt)) ||
            oci_layout_manifest_get(&m, src, dg, load, &e2) != 0) {
            continue; /* not a manifest of this layout that can be read: not a referrer */
        }
        if ((e = entry_of(&m, dg, subject)) != NULL) {
            json_array_append_new(found, e);
        }
        sign_oci_manifest_release(&m);
    }
    if (rc == 0 && json_array_size(found) == 0) {
        rc =
            vouch_error_set(err, VOUCH_ENOTFOUND, "no referrers of %s in '%s'", subject, src->path);
    }
    doc = rc == 0 ? json_pack("{si ss sO}", "schemaVersion", 2, "mediaType", SIGN_OCI_MT_INDEX,
                              "manifests", found)
                  : NULL;
    text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (rc == 0 && text == NULL) {
        rc = vouch_enomem(err);
    }
    rc = rc != 0 ? rc
                 : oci_manifest_take(out, (unsigned char *)text, strlen(text), SIGN_OCI_MT_INDEX,
                                     NULL, "referrers", err);
    if (rc != 0) {
        free(text);
    }
    json_decref(doc);
    json_decref(found);
    json_decref(root);
    free(index);
    return rc;
}
