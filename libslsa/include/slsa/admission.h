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
};

/** A parsed AdmissionReview request (opaque holder, public fields). */
struct slsa_admission_request {
    char *uid;
    char *kind; /* object kind: Pod, Deployment, … */
    char *namespace_;
    char *name;
    char *operation;
    struct slsa_admission_image *images;
    size_t n_images;
    void *priv;
};

/**
 * Parse an AdmissionReview v1 request body. Pods and the pod templates of Deployments,
 * ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs are read; containers,
 * initContainers and ephemeralContainers. DELETE and CONNECT (no object) carry no image.
 * A body that is not an AdmissionReview v1 with a request uid is VOUCH_EPARSE with *out
 * NULL. A valid review of an unsupported kind or a malformed pod spec is VOUCH_EUNSUPPORTED
 * / VOUCH_EPARSE with *out set (so the caller can still answer with the uid).
 */
int slsa_admission_parse(struct slsa_admission_request **out, const char *body, size_t len,
                         struct vouch_error *err);

/** Free; accepts NULL. */
void slsa_admission_free(struct slsa_admission_request *r);

/**
 * The AdmissionReview v1 response for uid: allowed, and when denied status {code 403,
 * message}; warnings (may be NULL/0) as response.warnings. *out is malloc'd JSON.
 */
int slsa_admission_response(char **out, size_t *out_len, const char *uid, int allowed,
                            const char *message, const char *const *warnings, size_t n_warnings,
                            struct vouch_error *err);

#endif
