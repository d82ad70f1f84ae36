/* Admission policy: load (YAML or JSON, strictly validated) and evaluate, as a pure
 * function of (policy, image reference, evidence, time), into a decision with reasons. */
#ifndef SLSA_POLICY_H
#define SLSA_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "slsa/evidence.h"
#include "sign/notation.h"
#include "sign/sigstore.h"
#include "sign/trustroot.h"
#include "vouch/error.h"

/** A loaded policy (opaque, immutable, safe to share between threads). */
struct slsa_policy;

/**
 * Load a policy file (".json" is JSON; anything else YAML). Relative key paths are
 * resolved against the file's directory. Any invalid content (unknown key, wrong type,
 * bad regex/glob/date/mode, unreadable key) is VOUCH_EPARSE with a message
 * "FILE:LINE:COL: reason".
 */
int slsa_policy_load(struct slsa_policy **out, const char *path, struct vouch_error *err);

/** Same from memory; name is used in messages and its suffix picks the format; base_dir
 *  resolves relative key paths (NULL: the current directory). */
int slsa_policy_parse(struct slsa_policy **out, const char *text, size_t len, const char *name,
                      const char *base_dir, struct vouch_error *err);

/** Free; accepts NULL. */
void slsa_policy_free(struct slsa_policy *p);

/** Lowercase hex SHA-256 over the policy text and its keys (borrowed, 64 chars). */
const char *slsa_policy_hash(const struct slsa_policy *p);

/** Number of distinct public keys the policy names, and key i: its id and PEM text
 *  (borrowed), for providers that verify signatures. */
size_t slsa_policy_key_count(const struct slsa_policy *p);
int slsa_policy_key_at(const struct slsa_policy *p, size_t i, const char **id, const char **pem);

/**
 * Number of Notation requirements (a rule's signatures.notation), and requirement i: the id
 * a provider records with slsa_evidence_add_signature when a Notary Project signature of the
 * image verified under it ("notation:RULE"), the one-statement trust policy (scope "*") it
 * stands for and its trust store folder (all borrowed; valid while p lives).
 */
size_t slsa_policy_notation_count(const struct slsa_policy *p);
int slsa_policy_notation_at(const struct slsa_policy *p, size_t i, const char **id,
                            const struct sign_notation_policy **tp, const char **trust_store);

/** A keyless authority of the policy: a rule's signatures.keyless, or an attestation
 *  requirement's keyless. What verified under it is recorded with id (slsa_evidence_add_*_by). */
struct slsa_keyless {
    const char *id;             /* "keyless:RULE" or "keyless:RULE/attestations[N]" */
    int attestation;            /* 0: image signatures; 1: attestations of predicate_type */
    const char *predicate_type; /* attestations: the predicateType URI; else NULL */
    const struct sign_sigstore_identity *identities; /* any one of them must have signed */
    size_t n_identities;
    const struct sign_trustroot *root; /* the policy's trustedRoot, or NULL: the default one */
};

/** Number of keyless authorities, and authority i (borrowed; valid while p lives). */
size_t slsa_policy_keyless_count(const struct slsa_policy *p);
int slsa_policy_keyless_at(const struct slsa_policy *p, size_t i, struct slsa_keyless *out);

/**
 * The evidence the rules matching image need (slsa_capability bits): SLSA_CAP_DIGEST for
 * tag pins, SLSA_CAP_SIGNATURES for signature requirements, SLSA_CAP_ATTESTATIONS for
 * attestation, vulnerability and SBOM requirements. With first-match only the first
 * matching rule counts. 0 when no rule matches (the default decides) or only the
 * reference is checked, and for an unparsable reference (evaluation denies it): a
 * caller need not contact a registry for it.
 */
unsigned slsa_policy_needs(const struct slsa_policy *p, const char *image);

enum slsa_mode {
    SLSA_MODE_ENFORCE = 0, /* a failure denies */
    SLSA_MODE_WARN,        /* a failure admits with a warning */
    SLSA_MODE_AUDIT,       /* a failure admits, recorded only */
};

/** One checked requirement. Strings are owned by the decision. */
struct slsa_reason {
    const char *rule;        /* rule name, or "(default)" / "(reference)" / "(evidence)" */
    const char *requirement; /* "tags", "signatures", "attestations[0]", "vulnerabilities", … */
    enum slsa_mode mode;
    int passed;          /* 1 passed, 0 failed */
    const char *message; /* what was checked or what failed */
    /* keyless: who signed what passed (NULL otherwise), its log index (-1: none) and
     * integrated or timestamped time (0: none) */
    const char *signer;
    const char *issuer;
    int64_t log_index;
    int64_t signed_time;
};

/** The decision for one image. */
struct slsa_decision {
    int allowed;  /* 1 admit, 0 deny */
    int error;    /* 1 when denied because evidence or the reference was erroneous */
    char *image;  /* the normalised reference ("docker.io/library/nginx:1.25") */
    char *digest; /* digest known for it, or NULL */
    struct slsa_reason *reasons;
    size_t n_reasons;
};

/** Free; accepts NULL. */
void slsa_decision_free(struct slsa_decision *d);

/** Static name of a mode ("enforce", "warn", "audit"). */
const char *slsa_mode_name(enum slsa_mode m);

/**
 * Evaluate image (a reference as given by the user or a pod spec) under p with evidence ev
 * (may be NULL: nothing known) at time now (seconds since the epoch, for allow-list
 * expiry). Always produces a decision unless memory runs out; it fails closed: an
 * unparsable reference, an evidence error, or a requirement that cannot be checked denies.
 */
int slsa_policy_eval(struct slsa_decision **out, const struct slsa_policy *p, const char *image,
                     const struct slsa_evidence *ev, int64_t now, struct vouch_error *err);

#endif
