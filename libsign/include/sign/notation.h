/* Notary Project signatures (Notation, AWS Signer): JWS and COSE_Sign1 envelopes over a
 * targetArtifact descriptor, X.509 chains checked against Notation trust stores under a
 * trustpolicy.json statement, attached to images as OCI referrers. */
#ifndef SIGN_NOTATION_H
#define SIGN_NOTATION_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sign/key.h"
#include "sign/oci.h"
#include "vouch/error.h"

#define SIGN_NOTATION_ARTIFACT_TYPE "application/vnd.cncf.notary.signature"
#define SIGN_NOTATION_MT_JWS "application/jose+json"
#define SIGN_NOTATION_MT_COSE "application/cose"
#define SIGN_NOTATION_MT_PAYLOAD "application/vnd.cncf.notary.payload.v1+json"

/** Largest envelope read (signature layer): 4 MiB, as notation-go's limit. */
#define SIGN_NOTATION_ENVELOPE_MAX ((size_t)4 << 20)

/** The five validations of a verification level, in the order they are evaluated. */
enum sign_notation_check {
    SIGN_NOTATION_INTEGRITY = 0,
    SIGN_NOTATION_AUTHENTICITY,
    SIGN_NOTATION_EXPIRY,
    SIGN_NOTATION_AUTHENTIC_TIMESTAMP,
    SIGN_NOTATION_REVOCATION,
    SIGN_NOTATION_NCHECKS
};

/** What a level does with a failed validation. */
enum sign_notation_action { SIGN_NOTATION_ENFORCE = 0, SIGN_NOTATION_LOG, SIGN_NOTATION_SKIP };

/** The outcome of one validation. UNKNOWN: revocation could not be determined (offline). */
enum sign_notation_outcome {
    SIGN_NOTATION_NOT_RUN = 0,
    SIGN_NOTATION_PASS,
    SIGN_NOTATION_FAIL,
    SIGN_NOTATION_UNKNOWN,
};

/** A parsed, validated trustpolicy.json (version 1.0, OCI), opaque. */
struct sign_notation_policy;

/**
 * Parse and validate a trust policy document by the spec's constraints (version 1.0, unique
 * names, registryScopes with at most one global "*", levels strict/permissive/audit/skip
 * with override, "{ca|signingAuthority|tsa}:NAME" trust stores, "*" or "x509.subject:DN"
 * identities with C, ST and O, none overlapping). Errors are VOUCH_EPARSE/VOUCH_EINVAL
 * naming the statement; name is used in messages.
 */
int sign_notation_policy_parse(struct sign_notation_policy **out, const unsigned char *json,
                               size_t len, const char *name, struct vouch_error *err);

/**
 * A one-statement policy for every repository (scope "*"): level ("strict" if NULL),
 * trust stores ("ca:NAME", ...) and identities ("*" or "x509.subject:DN"), validated as a
 * parsed document would be. Used by admission policies.
 */
int sign_notation_policy_single(struct sign_notation_policy **out, const char *level,
                                const char *const *stores, size_t n_stores,
                                const char *const *identities, size_t n_identities,
                                struct vouch_error *err);

void sign_notation_policy_free(struct sign_notation_policy *p);

/** The artifact a signature must name (the signed manifest). */
struct sign_notation_target {
    const char *digest;     /* "sha256:<hex>" */
    const char *media_type; /* the manifest's media type */
    uint64_t size;          /* the manifest's size in bytes */
};

/** Where trust comes from and when verification happens. */
struct sign_notation_opts {
    const char *trust_store; /* directory holding x509/{ca,signingAuthority,tsa}/NAME/ */
    time_t now;              /* verification time; 0 = the current time */
};

/** One validation's action under the level and what happened. */
struct sign_notation_check_result {
    enum sign_notation_action action;
    enum sign_notation_outcome outcome;
    char detail[256]; /* why it failed (or "" when it passed) */
};

/** The verdict on one envelope. Caller-owned; no heap members. */
struct sign_notation_result {
    int verified;              /* 1: no enforced validation failed */
    char policy[128];          /* the trust policy statement applied */
    char level[16];            /* its level */
    char envelope[32];         /* media type of the envelope */
    char scheme[40];           /* signing scheme */
    char subject[512];         /* signing certificate subject (RFC 2253, as notation prints it) */
    char issuer[512];          /* its issuer */
    char signing_time[40];     /* RFC 3339 UTC: signingTime or authenticSigningTime, or "" */
    char expiry[40];           /* RFC 3339 UTC, or "" */
    char timestamp[40];        /* TSA genTime when a countersignature was verified, or "" */
    char signature_digest[80]; /* digest of the signature manifest (set by the OCI layer) */
    struct sign_notation_check_result checks[SIGN_NOTATION_NCHECKS];
};

/** Name of a check ("integrity", "authenticity", "expiry", "authenticTimestamp",
 *  "revocation"), an action ("enforce"/"log"/"skip") or an outcome ("pass"/"fail"/
 *  "unknown"/"not run"); static strings. */
const char *sign_notation_check_name(enum sign_notation_check c);
const char *sign_notation_action_name(enum sign_notation_action a);
const char *sign_notation_outcome_name(enum sign_notation_outcome o);

/**
 * Verify one envelope (media type env_mt: SIGN_NOTATION_MT_JWS or _COSE) over target for
 * the artifact in repository repo_uri ("registry/namespace/repo", the policy selector),
 * following the spec's order: policy selection, then integrity (envelope, signature,
 * certificate chain, payload = target), authenticity (trust store, trusted identities),
 * expiry, authentic timestamp (RFC 3161 countersignature against the tsa store, or the
 * chain valid now; authentic signing time for signingAuthority) and revocation (offline:
 * "unknown" when a certificate names OCSP/CRL locations). Returns 0 when verified,
 * VOUCH_EVERIFY (err: the first enforced failure) when rejected, VOUCH_EPOLICY when no
 * statement applies to repo_uri, VOUCH_EINVAL/ENOTFOUND for a broken trust store. out is
 * filled as far as verification got either way.
 */
int sign_notation_verify_envelope(struct sign_notation_result *out,
                                  const struct sign_notation_policy *policy, const char *repo_uri,
                                  const struct sign_notation_target *target, const char *env_mt,
                                  const unsigned char *env, size_t env_len,
                                  const struct sign_notation_opts *opts, struct vouch_error *err);

/** Every Notation signature of one image that was looked at. Caller-owned. */
struct sign_notation_report {
    struct sign_notation_result *r;
    size_t n;
    int skipped; /* 1: the statement's level is skip, no signature was looked at */
    char policy[128];
};

void sign_notation_report_release(struct sign_notation_report *rep);

/**
 * Find the Notation signatures of digest in src (referrers API, else the referrers tag
 * schema; artifactType or config.mediaType SIGN_NOTATION_ARTIFACT_TYPE, one envelope layer,
 * subject = digest) and verify each; 0 when one verifies (or the level is skip), else
 * VOUCH_EVERIFY with err naming why (no signature, or the last rejection). repo_uri selects
 * the trust policy statement.
 */
int sign_notation_verify_image(struct sign_notation_report *out, struct sign_oci_source *src,
                               const char *digest, const char *repo_uri,
                               const struct sign_notation_policy *policy,
                               const struct sign_notation_opts *opts, struct vouch_error *err);

/** How to sign. */
struct sign_notation_sign_opts {
    const char *envelope;           /* SIGN_NOTATION_MT_JWS (NULL) or SIGN_NOTATION_MT_COSE */
    const unsigned char *chain_pem; /* signing certificate first, then intermediates, root */
    size_t chain_len;
    time_t signing_time;       /* 0 = now */
    time_t expiry;             /* 0 = none */
    const char *signing_agent; /* NULL = "vouch/<version>" */
    /* 1: notary.x509.signingAuthority (the signing time is written as authenticSigningTime,
     * which verifiers check against the chain instead of asking for a timestamp); 0:
     * notary.x509 */
    int signing_authority;
};

/**
 * Build an envelope over target signed with key (whose public key must be the chain's
 * first certificate; RSA gets PS256/384/512 and EC ES256/384/512 by key size, as the spec's
 * algorithm selection says). *out is malloc'd.
 */
int sign_notation_envelope_sign(unsigned char **out, size_t *out_len,
                                const struct sign_notation_target *target,
                                const struct sign_key *key,
                                const struct sign_notation_sign_opts *opts,
                                struct vouch_error *err);

/**
 * Sign digest's manifest in src and push the envelope as a Notation signature manifest
 * (artifactType SIGN_NOTATION_ARTIFACT_TYPE, empty config, one envelope layer, subject =
 * digest, io.cncf.notary.x509chain.thumbprint#S256 annotation), also listed in the
 * "sha256-<hex>" referrers tag. sig_digest (SIGN_REF_DIGEST_MAX bytes) gets its digest.
 */
int sign_notation_sign_image(char *sig_digest, struct sign_oci_source *src, const char *digest,
                             const struct sign_key *key, const struct sign_notation_sign_opts *opts,
                             struct vouch_error *err);

#endif
