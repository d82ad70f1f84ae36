/* Kubernetes AdmissionReview bodies: slsa_admission_parse (images of any workload kind),
 * then a response naming the request's uid. */
#include "fuzz.h"
#include "slsa/admission.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_admission_request *req = NULL;
    char *resp = NULL;
    size_t len = 0;
    int rc = slsa_admission_parse(&req, (const char *)data, size, &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        slsa_admission_free(req); /* set on failure when the review has a uid */
        return 0;
    }
    for (size_t i = 0; i < req->n_images; i++) {
        (void)strlen(req->images[i].image);
        (void)strlen(req->images[i].field);
    }
    const char *warn = req->n_images > 0 ? req->images[0].image : "none";
    rc = slsa_admission_response(&resp, &len, req->uid, 0, warn, &warn, 1, &err);
    fuzz_check_error(rc, &err);
    free(resp);
    slsa_admission_free(req);
    return 0;
}
