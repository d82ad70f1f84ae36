/* The registry evidence provider of `vouch admit --registry`. */
#ifndef VOUCH_CMD_ADMIT_REGISTRY_H
#define VOUCH_CMD_ADMIT_REGISTRY_H

#include "regopts.h"
#include "sign/key.h"
#include "sign/cosign.h"
#include "sign/oci.h"
#include "sign/trustroot.h"
#include "slsa/policy.h"

struct admit_registry {
    const struct regopts *ro; /* registry options and COSIGN_REPOSITORY (borrowed) */
    struct sign_key **keys;   /* the policy's keys, loaded */
    const char **ids;         /* their ids (borrowed from the policy) */
    size_t n;
    const struct slsa_policy *policy;    /* its Notation and keyless authorities (borrowed) */
    size_t n_keyless;                    /* slsa_policy_keyless_count */
    struct sign_trustroot *default_root; /* for keyless authorities without trustedRoot */
};

/** Load the policy's keys for verification. Release with admit_registry_release. */
int admit_registry_init(struct admit_registry *r, const struct slsa_policy *p,
                        const struct regopts *ro, struct vouch_error *err);
void admit_registry_release(struct admit_registry *r);

/* admit_keyless.c: keyless authorities (admit_registry_init/_release call the first two). */
int admit_keyless_init(struct admit_registry *r, struct vouch_error *err);
void admit_keyless_release(struct admit_registry *r);
/** The `.sig` layers of img (read from sigsrc) under each signatures authority. */
int admit_keyless_sigs(struct admit_registry *r, struct slsa_evidence *ev,
                       const struct sign_sigimage *img, struct sign_oci_source *sigsrc,
                       const char *digest, struct vouch_error *err);
/** The sigstore bundles attached to digest as referrers in src, under each authority caps
 *  asks for (cosign v3 signatures, DSSE attestations of the authority's type). */
int admit_keyless_bundles(struct admit_registry *r, struct slsa_evidence *ev,
                          struct sign_oci_source *src, const char *digest, unsigned caps,
                          struct vouch_error *err);

/** For images whose matching rules need registry evidence (slsa_policy_needs): resolve the
 *  digest, verify `.sig` signatures and `.att` attestations with the policy's keys and
 *  Notation signatures under its Notation requirements, add what verified. Registry errors
 *  are evidence errors (deny, exit 2). Other images get the oci-dir provider's local digest. */
struct slsa_evidence_provider admit_registry_provider(struct admit_registry *r);

/** The provider's work for one image, checking only caps (slsa_capability bits: the digest
 *  is always resolved; signatures and attestations when asked for). */
int admit_registry_collect(struct admit_registry *r, struct slsa_evidence *ev, const char *image,
                           unsigned caps, struct vouch_error *err);

#endif
