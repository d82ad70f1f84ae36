/* Shared by policy_eval*.c: the evaluation context and reason recording. */
#ifndef SLSA_POLICY_EVAL_INTERNAL_H
#define SLSA_POLICY_EVAL_INTERNAL_H

#include <stdint.h>

#include "evidence_internal.h"
#include "image_ref.h"
#include "policy_internal.h"

struct ectx {
    const struct slsa_policy *p;
    const struct slsa_evidence *ev; /* never NULL (an empty record stands in) */
    struct image_ref ref;
    const char *image;  /* normalised reference for messages */
    const char *digest; /* known digest or NULL */
    int64_t now;
    struct slsa_decision *d;
    int oom;
};

/** Record a checked requirement. */
void ereason(struct ectx *c, const char *rule, const char *req, enum slsa_mode mode, int passed,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/** Attach who signed to the last recorded reason (nothing when who is key-signed). */
void ereason_signer(struct ectx *c, const struct ev_signer *who);
/** "subject 'S', issuer 'I'" of k's first identity (or the regexps), and how many more. */
void keyless_describe(char *buf, size_t n, const struct pol_keyless *k);

/* policy_eval_att.c */
void eval_attestation(struct ectx *c, const struct pol_rule *r, size_t i);
void eval_vulnerabilities(struct ectx *c, const struct pol_rule *r);

#endif
