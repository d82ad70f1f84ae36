/* Kubernetes AdmissionReview v1 (admission.k8s.io/v1): the images a request would run,
 * and the response document. */
#ifndef SLSA_ADMISSION_H
#define SLSA_ADMISSION_H

#include <stddef.h>

#include "vouch/error.h"

/** One container image of the reviewed object. Strings owned by the request. */
struct slsa_admission_image {
    const char *image;
    const char *field; /* "spec.containers[0]", "spec.template.spec.initContainers[1]", … */
    int changed;       /* 1 unless oldObject has a container of that name and list with the
                          same image (always 1 without oldObject) */
    int ephemeral;     /* 1 for ephemeralContainers */
};

/** A parsed AdmissionReview request (opaque holder, public fields). */
struct slsa_admission_request {
    char *uid;
    char *kind; /* object kind: Pod, Deployment, … */
    char *namespace_;
    char *name;
    char *operation;
    char *subresource; /* "" for the main resource, "ephemeralcontainers", "status", … */
    int dry_run;
    struct slsa_admission_image *images;
    size_t n_images;
    void *priv;
};

/**
 * Parse an AdmissionReview v1 request body. Pods and the pod templates of Deployments,
 * ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs are read; containers,
 * initContainers and ephemeralContainers, each marked changed or not against oldObject.
 * DELETE, CONNECT and subresources other than "ephemeralcontainers" (status, scale,
 * binding, eviction, …) carry no image whatever their kind. A body that is not a
 * `kind: AdmissionReview` of `admission.k8s.io/v1` with a request uid is VOUCH_EPARSE with
 * *out NULL. A valid review of an unsupported kind or a malformed pod spec is
 * VOUCH_EUNSUPPORTED / VOUCH_EPARSE with *out set (so the caller can still answer).
 */
int slsa_admission_parse(struct slsa_admission_request **out, const char *body, size_t len,
                         struct vouch_error *err);

/** Free; accepts NULL. */
void slsa_admission_free(struct slsa_admission_request *r);

/**
 * The AdmissionReview v1 response for uid: allowed, and when denied status {code 403,
 * reason "Forbidden", message}; warnings (may be NULL/0) as response.warnings. *out is
 * malloc'd JSON.
 */
int slsa_admission_response(char **out, size_t *out_len, const char *uid, int allowed,
                            const char *message, const char *const *warnings, size_t n_warnings,
                            struct vouch_error *err);

#endif
