/* AdmissionReview v1: images of every workload kind (from the real apiserver request) and
 * the exact response document. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsa/admission.h"

static void test_real_pod_request(void **state)
{
    size_t len = 0;
    unsigned char *body = ts_read(ts_src("testvectors/k8s/admissionreview-pod-create.json"), &len);
    struct slsa_admission_request *r = NULL;
    (void)state;
    assert_int_equal(0, slsa_admission_parse(&r, (char *)body, len, NULL));
    assert_string_equal("004c33e4-91e4-4ad4-a1f8-dc9d5f07a176", r->uid);
    assert_string_equal("Pod", r->kind);
    assert_string_equal("default", r->namespace_);
    assert_string_equal("pod-nginx-1-25", r->name);
    assert_string_equal("CREATE", r->operation);
    assert_int_equal(1, r->n_images);
    assert_string_equal("nginx:1.25", r->images[0].image);
    assert_string_equal("spec.containers[0]", r->images[0].field);
    slsa_admission_free(r);
    free(body);
}

static const char spec[] = "{\"containers\":[{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":\"b\","
                           "\"image\":\"b:2\"}],\"initContainers\":[{\"name\":\"i\",\"image\":"
                           "\"init:1\"}],\"ephemeralContainers\":[{\"name\":\"e\",\"image\":"
                           "\"debug:1\"}]}";

static void check_kind(const char *kind, const char *open, const char *close, const char *prefix)
{
    char body[2048], obj[1024], field[128];
    struct slsa_admission_request *r = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    snprintf(obj, sizeof(obj), "%s%s%s", open, spec, close);
    snprintf(body, sizeof(body),
             "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
             "{\"uid\":\"u-1\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"%s\"},"
             "\"operation\":\"CREATE\",\"object\":%s}}",
             kind, obj);
    assert_int_equal(0, slsa_admission_parse(&r, body, strlen(body), &err));
    assert_int_equal(4, r->n_images);
    assert_string_equal("a:1", r->images[0].image);
    assert_string_equal("b:2", r->images[1].image);
    assert_string_equal("init:1", r->images[2].image);
    assert_string_equal("debug:1", r->images[3].image);
    snprintf(field, sizeof(field), "%s.initContainers[0]", prefix);
    assert_string_equal(field, r->images[2].field);
    slsa_admission_free(r);
}

static void test_kinds(void **state)
{
    (void)state;
    check_kind("Pod", "{\"spec\":", "}", "spec");
    check_kind("Deployment", "{\"spec\":{\"template\":{\"spec\":", "}}}", "spec.template.spec");
    check_kind("ReplicaSet", "{\"spec\":{\"template\":{\"spec\":", "}}}", "spec.template.spec");
    check_kind("StatefulSet", "{\"spec\":{\"template\":{\"spec\":", "}}}", "spec.template.spec");
    check_kind("DaemonSet", "{\"spec\":{\"template\":{\"spec\":", "}}}", "spec.template.spec");
    check_kind("Job", "{\"spec\":{\"template\":{\"spec\":", "}}}", "spec.template.spec");
    check_kind("CronJob", "{\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":", "}}}}}",
               "spec.jobTemplate.spec.template.spec");
}

static void test_bad_requests(void **state)
{
    struct slsa_admission_request *r = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char *no_uid = "{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{}}";
    const char *v1beta1 =
        "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"request\":{\"uid\":\"x\"}}";
    const char *svc = "{\"apiVersion\":\"admission.k8s.io/"
                      "v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\","
                      "\"kind\":{\"kind\":\"Service\"},\"operation\":\"CREATE\",\"object\":{}}}";
    const char *noimg = "{\"apiVersion\":\"admission.k8s.io/"
                        "v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\","
                        "\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"object\":{\"spec\":"
                        "{\"containers\":[{\"name\":\"a\"}]}}}}";
    const char *del = "{\"apiVersion\":\"admission.k8s.io/"
                      "v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\","
                      "\"kind\":{\"kind\":\"Pod\"},\"operation\":\"DELETE\",\"object\":null}}";
    (void)state;
    assert_int_equal(VOUCH_EPARSE, slsa_admission_parse(&r, "{\"a\":", 5, &err));
    assert_null(r);
    assert_int_equal(VOUCH_EPARSE, slsa_admission_parse(&r, no_uid, strlen(no_uid), NULL));
    assert_null(r);
    assert_int_equal(VOUCH_EPARSE, slsa_admission_parse(&r, v1beta1, strlen(v1beta1), NULL));
    assert_null(r);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EUNSUPPORTED, slsa_admission_parse(&r, svc, strlen(svc), &err));
    assert_string_equal("unsupported kind 'Service'", err.msg);
    assert_string_equal("x", r->uid);
    slsa_admission_free(r);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EPARSE, slsa_admission_parse(&r, noimg, strlen(noimg), &err));
    assert_string_equal("spec.containers[0] has no image", err.msg);
    slsa_admission_free(r);
    assert_int_equal(0, slsa_admission_parse(&r, del, strlen(del), NULL));
    assert_int_equal(0, r->n_images);
    slsa_admission_free(r);
}

static const char *review(char *buf, size_t n, const char *op, const char *sub, const char *obj,
                          const char *old)
{
    snprintf(buf, n,
             "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
             "{\"uid\":\"u\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
             "\"operation\":\"%s\",%s\"object\":%s,\"oldObject\":%s,\"dryRun\":true}}",
             op, sub, obj, old);
    return buf;
}

/* UPDATE against oldObject: only new or changed images are marked changed; subresources
 * other than ephemeralcontainers, and a top-level kind that is not AdmissionReview */
static void test_update_semantics(void **state)
{
    char body[2048];
    struct slsa_admission_request *r = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char *old = "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":"
                      "\"b\",\"image\":\"b:1\"}]}}";
    const char *upd = "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":"
                      "\"b\",\"image\":\"b:2\"}],\"ephemeralContainers\":[{\"name\":\"e\","
                      "\"image\":\"dbg:1\"}]}}";
    const char *pod_review =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{\"uid\":\"u\"}}";
    (void)state;
    review(body, sizeof(body), "UPDATE", "", upd, old);
    assert_int_equal(0, slsa_admission_parse(&r, body, strlen(body), NULL));
    assert_int_equal(3, r->n_images);
    assert_int_equal(0, r->images[0].changed);
    assert_int_equal(1, r->images[1].changed);
    assert_int_equal(1, r->images[2].changed);
    assert_int_equal(0, r->images[1].ephemeral);
    assert_int_equal(1, r->images[2].ephemeral);
    assert_int_equal(1, r->dry_run);
    assert_string_equal("", r->subresource);
    slsa_admission_free(r);
    review(body, sizeof(body), "UPDATE", "\"subResource\":\"ephemeralcontainers\",", upd, old);
    assert_int_equal(0, slsa_admission_parse(&r, body, strlen(body), NULL));
    assert_string_equal("ephemeralcontainers", r->subresource);
    assert_int_equal(3, r->n_images);
    slsa_admission_free(r);
    review(body, sizeof(body), "UPDATE", "\"subResource\":\"status\",", "{}", "{}");
    assert_int_equal(0, slsa_admission_parse(&r, body, strlen(body), NULL));
    assert_int_equal(0, r->n_images);
    slsa_admission_free(r);
    review(body, sizeof(body), "CREATE", "", upd, "null");
    assert_int_equal(0, slsa_admission_parse(&r, body, strlen(body), NULL));
    assert_int_equal(1, r->images[0].changed);
    slsa_admission_free(r);
    assert_int_equal(VOUCH_EPARSE, slsa_admission_parse(&r, pod_review, strlen(pod_review), &err));
    assert_string_equal("top-level kind 'Pod' is not AdmissionReview", err.msg);
    assert_null(r);
}

static void test_response(void **state)
{
    char *out = NULL;
    size_t len = 0;
    const char *warn[] = {"image x: tag 'latest' is denied"};
    (void)state;
    assert_int_equal(0, slsa_admission_response(&out, &len, "u-1", 1, NULL, NULL, 0, NULL));
    assert_string_equal("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                        "\"response\":{\"uid\":\"u-1\",\"allowed\":true}}",
                        out);
    assert_int_equal(strlen(out), len);
    free(out);
    assert_int_equal(0, slsa_admission_response(&out, &len, "u-2", 0, "no", warn, 1, NULL));
    assert_string_equal("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                        "\"response\":{\"uid\":\"u-2\",\"allowed\":false,\"status\":{\"code\":403,"
                        "\"reason\":\"Forbidden\",\"message\":\"no\"},\"warnings\":[\"image x: tag "
                        "'latest' is denied\"]}}",
                        out);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_pod_request), cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_bad_requests),     cmocka_unit_test(test_update_semantics),
        cmocka_unit_test(test_response),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
