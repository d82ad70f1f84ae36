/* Shared by the policy harnesses: parse a policy (the name's suffix picks YAML or JSON) and
 * evaluate it for a few images with no evidence: evaluation must always decide. */
#ifndef VOUCH_FUZZ_POLICY_H
#define VOUCH_FUZZ_POLICY_H

#include "fuzz.h"
#include "slsa/policy.h"

static inline void fuzz_policy(const uint8_t *data, size_t size, const char *name)
{
    static const char *const images[] = {
        "docker.io/library/nginx:1.25",
        "ghcr.io/acme/app@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "Not A Reference",
    };
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_policy *p = NULL;
    /* relative key paths resolve in docs/examples (keys/release.pub, keys/ci.pub) */
    int rc = slsa_policy_parse(&p, (const char *)data, size, name,
                               VOUCH_FUZZ_SRC_DIR "/docs/examples", &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        return;
    }
    (void)slsa_policy_hash(p);
    for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
        struct slsa_decision *d = NULL;
        rc = slsa_policy_eval(&d, p, images[i], NULL, 1700000000, &err);
        fuzz_check_error(rc, &err);
        if (rc != 0) {
            abort(); /* a decision unless memory runs out */
        }
        slsa_decision_free(d);
    }
    slsa_policy_free(p);
}

#endif
