/* AdmissionReview v1: where pod specs live in each workload kind, and the response. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "slsa/admission.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

/* Path from the object to its pod spec, per kind (kubernetes API, apps/v1 and batch/v1). */
static const struct {
    const char *kind;
    const char *const path[5];
    const char *prefix;
} kinds[] = {
    {"Pod", {"spec", NULL}, "spec"},
    {"Deployment", {"spec", "template", "spec", NULL}, "spec.template.spec"},
    {"ReplicaSet", {"spec", "template", "spec", NULL}, "spec.template.spec"},
    {"StatefulSet", {"spec", "template", "spec", NULL}, "spec.template.spec"},
    {"DaemonSet", {"spec", "template", "spec", NULL}, "spec.template.spec"},
    {"Job", {"spec", "template", "spec", NULL}, "spec.template.spec"},
    {"CronJob",
     {"spec", "jobTemplate", "spec", "template", "spec"},
     "spec.jobTemplate.spec.template.spec"},
    {NULL, {NULL}, NULL},
};

static const char *const container_lists[] = {"containers", "initContainers",
                                              "ephemeralContainers"};

void slsa_admission_free(struct slsa_admission_request *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->n_images; i++) {
        free((char *)r->images[i].field);
    }
    free(r->images);
    free(r->uid);
    free(r->kind);
    free(r->namespace_);
    free(r->name);
    free(r->operation);
    free(r->subresource);
    json_decref(r->priv);
    free(r);
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* 1 unless old_list holds a container named like c with the same image: an update that
 * leaves an image alone does not run anything new. */
static int image_changed(const json_t *old_list, const json_t *c, const char *image)
{
    const char *name = json_string_value(json_object_get(c, "name"));
    const json_t *o;
    size_t i;
    json_array_foreach(old_list, i, o)
    {
        const char *on = json_string_value(json_object_get(o, "name"));
        const char *oi = json_string_value(json_object_get(o, "image"));
        if (name != NULL && on != NULL && oi != NULL && strcmp(name, on) == 0) {
            return strcmp(image, oi) != 0;
        }
    }
    return 1;
}

static int add_image(struct slsa_admission_request *r, const char *image, const char *prefix,
                     const char *list, size_t i)
{
    struct slsa_admission_image *imgs = realloc(r->images, (r->n_images + 1) * sizeof(*imgs));
    char *field = NULL;
    if (imgs == NULL) {
        return VOUCH_ENOMEM;
    }
    r->images = imgs;
    if ((field = vouch_strf("%s.%s[%zu]", prefix, list, i)) == NULL) {
        return VOUCH_ENOMEM;
    }
    imgs[r->n_images].image = image;
    imgs[r->n_images].changed = 1;
    imgs[r->n_images].ephemeral = strcmp(list, "ephemeralContainers") == 0;
    imgs[r->n_images++].field = field;
    return 0;
}

static int read_pod_spec(struct slsa_admission_request *r, const json_t *spec,
                         const json_t *old_spec, const char *prefix, struct vouch_error *err)
{
    if (!json_is_object(spec)) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s %s/%s has no %s", r->kind,
                               r->namespace_ != NULL ? r->namespace_ : "", r->name ? r->name : "",
                               prefix);
    }
    for (size_t l = 0; l < 3; l++) {
        const json_t *list = json_object_get(spec, container_lists[l]), *c;
        const json_t *old_list = json_object_get(old_spec, container_lists[l]);
        size_t i;
        if (list != NULL && !json_is_array(list)) {
            return vouch_error_set(err, VOUCH_EPARSE, "%s.%s is not a list", prefix,
                                   container_lists[l]);
        }
        json_array_foreach(list, i, c)
        {
            const char *img = json_string_value(json_object_get(c, "image"));
            if (img == NULL || img[0] == '\0') {
                return vouch_error_set(err, VOUCH_EPARSE, "%s.%s[%zu] has no image", prefix,
                                       container_lists[l], i);
            }
            if (add_image(r, img, prefix, container_lists[l], i) != 0) {
                return vouch_enomem(err);
            }
            r->images[r->n_images - 1].changed =
                old_spec == NULL || image_changed(old_list, c, img);
        }
    }
    return 0;
}

static int read_object(struct slsa_admission_request *r, const json_t *obj, const json_t *old,
                       struct vouch_error *err)
{
    const json_t *spec = obj, *old_spec = json_is_object(old) ? old : NULL;
    size_t k = 0;
    while (kinds[k].kind != NULL && strcmp(kinds[k].kind, r->kind) != 0) {
        k++;
    }
    if (kinds[k].kind == NULL) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported kind '%s'", r->kind);
    }
    for (size_t i = 0; i < 5 && kinds[k].path[i] != NULL; i++) {
        spec = json_object_get(spec, kinds[k].path[i]);
        old_spec = json_object_get(old_spec, kinds[k].path[i]);
    }
    return read_pod_spec(r, spec, json_is_object(old_spec) ? old_spec : NULL, kinds[k].prefix, err);
}

static int read_request(struct slsa_admission_request *r, const json_t *req,
                        struct vouch_error *err)
{
    const json_t *obj = json_object_get(req, "object");
    const char *kind = json_string_value(json_object_get(json_object_get(req, "kind"), "kind"));
    const char *sub = json_string_value(json_object_get(req, "subResource"));
    r->operation = dup_or_null(json_string_value(json_object_get(req, "operation")));
    r->namespace_ = dup_or_null(json_string_value(json_object_get(req, "namespace")));
    r->name = dup_or_null(json_string_value(json_object_get(req, "name")));
    r->kind = strdup(kind != NULL ? kind : "");
    r->subresource = strdup(sub != NULL ? sub : "");
    r->dry_run = json_is_true(json_object_get(req, "dryRun"));
    if (r->kind == NULL || r->subresource == NULL) {
        return vouch_enomem(err);
    }
    if (r->operation != NULL &&
        (strcmp(r->operation, "DELETE") == 0 || strcmp(r->operation, "CONNECT") == 0)) {
        return 0; /* nothing will run */
    }
    if (r->subresource[0] != '\0' && strcmp(r->subresource, "ephemeralcontainers") != 0) {
        return 0; /* status, scale, binding, eviction: no image can change */
    }
    if (!json_is_object(obj)) {
        return vouch_error_set(err, VOUCH_EPARSE, "request has no object");
    }
    return read_object(r, obj, json_object_get(req, "oldObject"), err);
}

/* The review envelope: admission.k8s.io/v1, kind AdmissionReview (not an AdmissionReview
 * list, a Pod or anything else that happens to carry a request), and a request uid. */
static int envelope_check(const json_t *doc, const char *uid, struct vouch_error *err)
{
    const char *v = json_string_value(json_object_get(doc, "apiVersion"));
    const char *kind = json_string_value(json_object_get(doc, "kind"));
    if (v == NULL || strcmp(v, "admission.k8s.io/v1") != 0 || uid == NULL || uid[0] == '\0') {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "not an admission.k8s.io/v1 AdmissionReview request with a uid");
    }
    if (kind == NULL || strcmp(kind, "AdmissionReview") != 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "top-level kind '%s' is not AdmissionReview",
                               kind != NULL ? kind : "");
    }
    return 0;
}

int slsa_admission_parse(struct slsa_admission_request **out, const char *body, size_t len,
                         struct vouch_error *err)
{
    json_error_t jerr;
    json_t *doc = vouch_json_load(body, len, 0, &jerr), *req;
    const char *uid;
    struct slsa_admission_request *r;
    int rc;
    *out = NULL;
    req = json_object_get(doc, "request");
    uid = json_string_value(json_object_get(req, "uid"));
    if (doc == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "invalid JSON at line %d: %s", jerr.line,
                               jerr.text);
    }
    if ((rc = envelope_check(doc, uid, err)) != 0) {
        json_decref(doc);
        return rc;
    }
    if ((r = calloc(1, sizeof(*r))) == NULL || (r->uid = strdup(uid)) == NULL) {
        free(r);
        json_decref(doc);
        return vouch_enomem(err);
    }
    r->priv = doc; /* image strings point into it */
    *out = r;
    return read_request(r, req, err);
}

int slsa_admission_response(char **out, size_t *out_len, const char *uid, int allowed,
                            const char *message, const char *const *warnings, size_t n_warnings,
                            struct vouch_error *err)
{
    json_t *resp = json_pack("{s:s, s:b}", "uid", uid, "allowed", allowed);
    json_t *doc = json_pack("{s:s, s:s, s:o}", "apiVersion", "admission.k8s.io/v1", "kind",
                            "AdmissionReview", "response", resp);
    if (doc != NULL && !allowed) {
        json_object_set_new(resp, "status",
                            json_pack("{s:i, s:s, s:s}", "code", 403, "reason", "Forbidden",
                                      "message", message != NULL ? message : "denied"));
    }
    if (doc != NULL && n_warnings > 0) {
        json_t *w = json_array();
        for (size_t i = 0; i < n_warnings; i++) {
            json_array_append_new(w, json_string(warnings[i]));
        }
        json_object_set_new(resp, "warnings", w);
    }
    *out = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (*out == NULL) {
        return vouch_error_set(err, VOUCH_ENOMEM, "cannot build the admission response");
    }
    *out_len = strlen(*out);
    return 0;
}
