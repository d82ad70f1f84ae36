/* Evidence about one image, gathered by evidence providers and judged by a policy:
 * resolved digest, verified signatures (by key id), verified attestation statements (by
 * predicateType), vulnerability reports, VEX documents, SBOM licences, and what could
 * not be checked or went wrong. Evaluation (slsa/policy.h) only reads it. */
#ifndef SLSA_EVIDENCE_H
#define SLSA_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "slsa/vuln.h"
#include "vouch/error.h"

/** What a provider was able to check cryptographically (bit set). A requirement whose
 *  capability is missing is denied with the recorded reason: never assumed. */
enum slsa_capability {
    SLSA_CAP_DIGEST = 1,       /* tag resolved to a digest at the registry */
    SLSA_CAP_SIGNATURES = 2,   /* image signatures verified against the policy's keys */
    SLSA_CAP_ATTESTATIONS = 4, /* attestations verified against the policy's keys */
};

/** Evidence about one image (opaque). */
struct slsa_evidence;

/** New, empty evidence: nothing checked, nothing found. */
int slsa_evidence_new(struct slsa_evidence **out, struct vouch_error *err);
/** Free; accepts NULL. Borrowed reports/VEX documents are not freed. */
void slsa_evidence_free(struct slsa_evidence *ev);

/** Record the digest the image reference resolves to ("sha256:<64 hex>"); also sets
 *  SLSA_CAP_DIGEST. */
int slsa_evidence_set_digest(struct slsa_evidence *ev, const char *digest, struct vouch_error *err);
/** Resolved digest (borrowed) or NULL. */
const char *slsa_evidence_digest(const struct slsa_evidence *ev);

/** Mark capabilities (slsa_capability bits) as checked by a provider. */
void slsa_evidence_mark_checked(struct slsa_evidence *ev, unsigned caps);
/** The checked capability bits. */
unsigned slsa_evidence_checked(const struct slsa_evidence *ev);

/** Record a failure while gathering evidence (registry down, unreadable report, …).
 *  Any recorded error makes every decision over this evidence a denial. */
int slsa_evidence_add_error(struct slsa_evidence *ev, const char *source, const char *msg,
                            struct vouch_error *err);
/** Number of recorded errors; slsa_evidence_error(ev, i) is the i-th "source: msg". */
size_t slsa_evidence_error_count(const struct slsa_evidence *ev);
const char *slsa_evidence_error(const struct slsa_evidence *ev, size_t i);

/**
 * A signature on the image that a provider verified with the key whose id is key_id
 * (lowercase hex SHA-256 of the key's SubjectPublicKeyInfo DER, see slsa_key_id_pem), or a
 * Notary Project signature verified under the policy's Notation requirement key_id
 * (slsa_policy_notation_at).
 * annotations_json is the optional JSON object of the signed payload's annotations
 * ("optional" in cosign's simple signing payload), or NULL.
 */
int slsa_evidence_add_signature(struct slsa_evidence *ev, const char *key_id,
                                const char *annotations_json, struct vouch_error *err);

/** Who signed what a keyless authority verified (strings copied). */
struct slsa_signer {
    const char *identity; /* the certificate's SAN */
    const char *issuer;   /* its OIDC issuer */
    int64_t log_index;    /* the transparency-log entry's index, or -1 */
    int64_t signed_time;  /* integrated or timestamped time (unix seconds), or 0 */
};

/** As slsa_evidence_add_signature, for a signature verified under the policy's keyless
 *  authority id (slsa_policy_keyless_at) by who. */
int slsa_evidence_add_signature_by(struct slsa_evidence *ev, const char *id,
                                   const char *annotations_json, const struct slsa_signer *who,
                                   struct vouch_error *err);

/** A verified in-toto statement (JSON text) signed by key_id, whose subject matched the
 *  image digest. The statement's predicateType and predicate are read from it. A
 *  vulnerability predicate (cosign vuln/v1, in-toto vulns) also becomes a report, and an
 *  OpenVEX predicate a VEX document, for the vulnerability requirement. */
int slsa_evidence_add_attestation(struct slsa_evidence *ev, const char *key_id,
                                  const char *statement_json, size_t len, struct vouch_error *err);
/** Same, verified under the keyless authority id by who. */
int slsa_evidence_add_attestation_by(struct slsa_evidence *ev, const char *id,
                                     const char *statement_json, size_t len,
                                     const struct slsa_signer *who, struct vouch_error *err);

/** A vulnerability report about the image. Borrowed: it must outlive ev. */
int slsa_evidence_add_vuln_report(struct slsa_evidence *ev, const struct slsa_vuln_report *r,
                                  struct vouch_error *err);
/** A VEX document about the image. Borrowed: it must outlive ev. */
int slsa_evidence_add_vex(struct slsa_evidence *ev, const struct slsa_vex *vex,
                          struct vouch_error *err);
/** Same, but ev takes ownership of r (freed with ev, also on failure). For providers that
 *  build reports per image, e.g. from a verified attestation. */
int slsa_evidence_own_vuln_report(struct slsa_evidence *ev, struct slsa_vuln_report *r,
                                  struct vouch_error *err);
/** Same for a VEX document. */
int slsa_evidence_own_vex(struct slsa_evidence *ev, struct slsa_vex *vex, struct vouch_error *err);
/** An SBOM of the image was found; licences are the licence ids/expressions it lists. */
int slsa_evidence_add_sbom(struct slsa_evidence *ev, const char *name, const char *const *licenses,
                           size_t n, struct vouch_error *err);

/**
 * An evidence provider: fills ev for image (the reference as given). collect returns 0,
 * or a negative code when gathering failed (the caller records it as an evidence error,
 * so the image is denied). Providers never decide; they only report what they verified.
 */
struct slsa_evidence_provider {
    const char *name;
    int (*collect)(void *ctx, struct slsa_evidence *ev, const char *image, struct vouch_error *err);
    void *ctx;
};

/** Run providers in order on a new evidence object. Provider failures are recorded in
 *  the evidence (not returned); only allocation failure is returned. */
int slsa_evidence_collect(struct slsa_evidence **out, const struct slsa_evidence_provider *p,
                          size_t n, const char *image, struct vouch_error *err);

/** Local evidence from a directory (opaque): vulnerability reports (*.json, *.sarif),
 *  OpenVEX documents and SPDX/CycloneDX JSON SBOMs, detected by content. */
struct slsa_evidence_dir;

/** Load every regular file of dir (not recursive; at most 256 files of 64 MiB each). An
 *  unreadable or unrecognised file is an error naming it. */
int slsa_evidence_dir_load(struct slsa_evidence_dir **out, const char *dir,
                           struct vouch_error *err);
/** Free; accepts NULL. */
void slsa_evidence_dir_free(struct slsa_evidence_dir *d);
/** A provider that adds the directory's documents to every image's evidence. d must
 *  outlive the evidence collected with it. */
struct slsa_evidence_provider slsa_evidence_dir_provider(struct slsa_evidence_dir *d);

/**
 * The reference provider: if image carries a digest (`…@sha256:…`) nothing more is
 * known; it checks nothing cryptographically. Registry-backed providers replace it.
 */
struct slsa_evidence_provider slsa_evidence_ref_provider(void);

/** The oci-dir provider: for `oci-dir:PATH[:TAG]` it resolves the manifest digest from
 *  PATH/index.json (the manifest annotated with TAG, or the only one) and records it as
 *  the resolved digest. Other references are left alone. Reads local files only. */
struct slsa_evidence_provider slsa_evidence_ocidir_provider(void);

/** Key id of a PEM public key: lowercase hex SHA-256 of its SubjectPublicKeyInfo DER
 *  (65 bytes with the NUL). */
int slsa_key_id_pem(char out[65], const char *pem, size_t len, const char *name,
                    struct vouch_error *err);

#endif
