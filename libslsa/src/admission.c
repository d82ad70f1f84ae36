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
    json_decref(r->priv);
    free(r);
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
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
    imgs[r->n_images++].field = field;
    return 0;
}

static int read_pod_spec(struct slsa_admission_request *r, const json_t *spec, const char *prefix,
                         struct vouch_error *err)
{
    if (!json_is_object(spec)) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s %s/%s has no %s", r->kind,
                               r->namespace_ != NULL ? r->namespace_ : "", r->name ? r->name : "",
                               prefix);
    }
    for (size_t l = 0; l < 3; l++) {
        const json_t *list = json_object_get(spec, container_lists[l]), *c;
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
        }
    }
    return 0;
}

static int read_object(struct slsa_admission_request *r, const json_t *obj, struct vouch_error *err)
{
    const json_t *spec = obj;
    size_t k = 0;
    while (kinds[k].kind != NULL && strcmp(kinds[k].kind, r->kind) != 0) {
        k++;
    }
    if (kinds[k].kind == NULL) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported kind '%s'", r->kind);
    }
    for (size_t i = 0; i < 5 && kinds[k].path[i] != NULL; i++) {
        spec = json_object_get(spec, kinds[k].path[i]);
    }
    return read_pod_spec(r, spec, kinds[k].prefix, err);
}

static int read_request(struct slsa_admission_request *r, const json_t *req,
                        struct vouch_error *err)
{
    const json_t *obj = json_object_get(req, "object");
    const char *kind = json_string_value(json_object_get(json_object_get(req, "kind"), "kind"));
    r->operation = dup_or_null(json_string_value(json_object_get(req, "operation")));
    r->namespace_ = dup_or_null(json_string_value(json_object_get(req, "namespace")));
    r->name = dup_or_null(json_string_value(json_object_get(req, "name")));
    r->kind = strdup(kind != NULL ? kind : "");
    if (r->kind == NULL) {
        return vouch_enomem(err);
    }
    if (r->operation != NULL &&
        (strcmp(r->operation, "DELETE") == 0 || strcmp(r->operation, "CONNECT") == 0)) {
        return 0; /* nothing will run */
    }
    if (!json_is_object(obj)) {
        return vouch_error_set(err, VOUCH_EPARSE, "request has no object");
    }
    return read_object(r, obj, err);
}

int slsa_admission_parse(struct slsa_admission_request **out, const char *body, size_t len,
                         struct vouch_error *err)
{
    json_error_t jerr;
    json_t *doc = vouch_json_load(body, len, 0, &jerr), *req;
    const char *uid;
    struct slsa_admission_request *r;
    *out = NULL;
    req = json_object_get(doc, "request");
    uid = json_string_value(json_object_get(req, "uid"));
    if (doc == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "invalid JSON at line %d: %s", jerr.line,
                               jerr.text);
    }
    if (!json_is_string(json_object_get(doc, "apiVersion")) ||
        strcmp(json_string_value(json_object_get(doc, "apiVersion")), "admission.k8s.io/v1") != 0 ||
        uid == NULL || uid[0] == '\0') {
        json_decref(doc);
        return vouch_error_set(err, VOUCH_EPARSE,
                               "not an admission.k8s.io/v1 AdmissionReview request with a uid");
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
        json_object_set_new(
            resp, "status",
            json_pack("{s:i, s:s}", "code", 403, "message", message != NULL ? message : "denied"));
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
