/* Amazon ECR lifecycle policies evaluated against a repository's images, aware of cosign's
 * companion tags (sha256-<hex>.sig/.att/.sbom): which images a policy expires, which
 * signatures it orphans, and which kept images lose their signatures or attestations. */
#ifndef SLSA_LIFECYCLE_H
#define SLSA_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "vouch/error.h"

/** A parsed lifecycle policy (opaque). */
struct slsa_lifecycle;

/**
 * Parse an ECR lifecycle policy ({"rules": [{rulePriority, description, selection:
 * {tagStatus, tagPrefixList|tagPatternList, countType, countUnit, countNumber}, action:
 * {type: "expire"}}]}) with ECR's own checks: unique priorities, `any` last, `tagged` with
 * exactly one of the two lists, `untagged` with none, at most one untagged rule, at most
 * four wildcards a pattern. name is used in messages. VOUCH_EPARSE on bad input.
 */
int slsa_lifecycle_parse(struct slsa_lifecycle **out, const char *data, size_t len,
                         const char *name, struct vouch_error *err);
/** Free; accepts NULL. */
void slsa_lifecycle_free(struct slsa_lifecycle *p);

/** What a manifest is to cosign, from its tags. */
enum slsa_lc_role {
    SLSA_LC_IMAGE = 0, /* an image (or anything else) */
    SLSA_LC_SIG,       /* sha256-<hex>.sig: cosign signatures of sha256:<hex> */
    SLSA_LC_ATT,       /* sha256-<hex>.att: attestations */
    SLSA_LC_SBOM,      /* sha256-<hex>.sbom: an attached SBOM */
};

/** One image of the repository with the verdict of a preview. Strings are owned by the plan. */
struct slsa_lc_entry {
    const char *digest;      /* manifest digest */
    const char *const *tags; /* n_tags tags, as listed */
    size_t n_tags;
    int64_t pushed; /* imagePushedAt, seconds since the epoch */
    enum slsa_lc_role role;
    const char *subject; /* companions: the digest the tag names, else NULL */
    int expired;         /* the policy expires it */
    int rule;            /* rulePriority of the rule that expires it, else 0 */
    int orphaned;        /* companion whose subject is absent or expires */
    int breaks;          /* companion that expires while its subject is kept */
};

/** The result of a preview (opaque). */
struct slsa_lc_plan;

/**
 * Read `aws ecr describe-images` output ({"imageDetails": [{imageDigest, imageTags,
 * imagePushedAt (ISO 8601 or epoch seconds)}]}) and evaluate policy p on it as ECR does at
 * time now: rules in rulePriority order; tag selection (every prefix/pattern matched by some
 * tag); imageCountMoreThan keeps the N most recently pushed of the images a rule selects;
 * sinceImagePushed expires those pushed more than N days before now; an image that matched
 * the tag selection of a rule is never expired by a later rule; each image expires once.
 */
int slsa_lifecycle_preview(struct slsa_lc_plan **out, const struct slsa_lifecycle *p,
                           const char *images, size_t len, const char *name, int64_t now,
                           struct vouch_error *err);
/** Free; accepts NULL. */
void slsa_lc_plan_free(struct slsa_lc_plan *plan);
/** Number of images, in the order of the input. */
size_t slsa_lc_plan_count(const struct slsa_lc_plan *plan);
/** Entry i (borrowed), NULL past the end. */
const struct slsa_lc_entry *slsa_lc_plan_at(const struct slsa_lc_plan *plan, size_t i);
/** Static name of a role ("image", "signature", "attestation", "sbom"). */
const char *slsa_lc_role_name(enum slsa_lc_role role);

/**
 * An equivalent policy that keeps companions with their subjects: a first rule selecting
 * the `sha256-` tag prefix with imageCountMoreThan 9999 (so no later rule may expire a
 * signature, attestation or SBOM tag), the other rules unchanged in order (priorities
 * shifted by one only where 1 is taken). Orphans this leaves behind are removed apart.
 * *out is a malloc'd JSON text (indent 2, keys in the input's order, no trailing newline).
 */
int slsa_lifecycle_fix(char **out, const struct slsa_lifecycle *p, struct vouch_error *err);

#endif
