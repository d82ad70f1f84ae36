/* Image references: sign_ref_parse and every accessor, the familiar and full strings parsed
 * again (they must name the same image), plus the digest and tag validators. */
#include "fuzz.h"
#include "sign/ref.h"

/* Docker Hub names whose first component looks like a host ("docker.io/a.b/c") have a
 * familiar form ("a.b/c:latest") that names another registry, in docker as here. */
static int familiar_ambiguous(const char *familiar)
{
    size_t n = strcspn(familiar, "/");
    return familiar[n] == '/' &&
           (memchr(familiar, '.', n) != NULL || memchr(familiar, ':', n) != NULL ||
            (n == 9 && memcmp(familiar, "localhost", 9) == 0));
}

static void reparse(const struct sign_ref *r)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_ref *again = NULL;
    if (sign_ref_parse(&again, sign_ref_string(r), &err) != 0 ||
        strcmp(sign_ref_string(again), sign_ref_string(r)) != 0) {
        fprintf(stderr, "fuzz: '%s' does not parse back: %s\n", sign_ref_string(r), err.msg);
        abort();
    }
    sign_ref_free(again);
    again = NULL;
    if (strcmp(sign_ref_registry(r), "docker.io") == 0 &&
        familiar_ambiguous(sign_ref_familiar(r))) {
        return;
    }
    if (sign_ref_parse(&again, sign_ref_familiar(r), &err) != 0 ||
        strcmp(sign_ref_string(again), sign_ref_string(r)) != 0) {
        fprintf(stderr, "fuzz: '%s' does not parse back: %s\n", sign_ref_familiar(r), err.msg);
        abort();
    }
    sign_ref_free(again);
}

static void derive(const struct sign_ref *r, const char *s)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_ref *d = NULL;
    int rc = sign_ref_with_tag(&d, r, s, &err);
    fuzz_check_error(rc, &err);
    sign_ref_free(d);
    d = NULL;
    rc = sign_ref_with_digest(&d, r, s, &err);
    fuzz_check_error(rc, &err);
    sign_ref_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_ref *r = NULL;
    char *s = fuzz_cstr(data, size);
    if (s == NULL) {
        return 0;
    }
    fuzz_check_error(sign_ref_digest_check(NULL, s, &err), &err);
    fuzz_check_error(sign_ref_tag_check(s, &err), &err);
    int rc = sign_ref_parse(&r, s, &err);
    fuzz_check_error(rc, &err);
    if (rc == 0) {
        (void)sign_ref_registry(r);
        (void)sign_ref_api_host(r);
        (void)sign_ref_repository(r);
        (void)sign_ref_tag(r);
        (void)sign_ref_digest(r);
        (void)sign_ref_name(r);
        (void)sign_ref_ggcr_name(r);
        (void)sign_ref_is_loopback(r);
        reparse(r);
        derive(r, s);
    }
    sign_ref_free(r);
    free(s);
    return 0;
}
