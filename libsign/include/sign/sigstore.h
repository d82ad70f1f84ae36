/* Sigstore verification of bundles against a trusted root: Fulcio certificate chain at the
 * signing time, codeSigning usage and embedded SCTs, the signer's identity (SAN, OIDC issuer,
 * GitHub workflow claims), Rekor v1 (SET, inclusion proof, signed checkpoint) and v2 entries
 * (checkpoint, no integrated time) bound to the artifact, signature and certificate, and
 * RFC 3161 timestamps. Key-based bundles get the same transparency checks with a given key. */
#ifndef SIGN_SIGSTORE_H
#define SIGN_SIGSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "sign/blob.h"
#include "sign/bundle.h"
#include "sign/dsse.h"
#include "sign/key.h"
#include "sign/trustroot.h"
#include "vouch/error.h"

/** What the signing certificate must say; a NULL member is not checked. Regular expressions
 * are POSIX extended, searched (not anchored) as cosign's Go regexps are. */
struct sign_sigstore_identity {
    const char *subject;        /* exact SAN: URI or email */
    const char *subject_regexp; /* regex over each SAN */
    const char *issuer;         /* exact OIDC issuer (Fulcio extension .1.8, else .1.1) */
    const char *issuer_regexp;
    const char *gh_trigger;    /* GitHub workflow trigger (.1.2, else .1.20) */
    const char *gh_sha;        /* commit (.1.3, else .1.13) */
    const char *gh_name;       /* workflow name (.1.4) */
    const char *gh_repository; /* owner/repo (.1.5) */
    const char *gh_ref;        /* git ref (.1.6, else .1.14) */
};

/** How to verify. */
struct sign_sigstore_opts {
    const struct sign_trustroot *root;             /* logs, CAs, CT logs, TSAs (required) */
    const struct sign_sigstore_identity *identity; /* keyless: who must have signed */
    const struct sign_key *key; /* key-based: the signer's key (then identity is unused) */
    int ignore_tlog;            /* 1: no transparency-log or timestamp checks (key-based only) */
};

/** The artifact: its SHA-256 digest, and (optional) its path for Ed25519 message signatures. */
struct sign_sigstore_artifact {
    struct sign_blob_digest digest;
    const char *path;
};

/** What verified. */
struct sign_sigstore_result {
    int keyless;            /* 1 when a Fulcio certificate signed */
    char subject[256];      /* the certificate's SAN (keyless) */
    char issuer[256];       /* its OIDC issuer (keyless) */
    int has_log;            /* a transparency-log entry was verified */
    int64_t log_index;      /* its logIndex */
    int64_t signed_time;    /* integrated time (Rekor v1) or the first timestamp, unix seconds */
    unsigned char *payload; /* DSSE: malloc'd verified payload, else NULL; free it */
    size_t payload_len;
};

/**
 * Verify bundle b over the artifact with o. Message bundles: the signature over the artifact
 * digest; DSSE bundles: the envelope, and the artifact digest must be a subject of the
 * in-toto statement it carries. 0 when every check passed; VOUCH_EVERIFY or VOUCH_EPOLICY
 * (identity mismatch) with a one-line reason; VOUCH_EINVAL when o lacks what the bundle
 * needs (a keyless bundle and no identity, a key bundle and no key); VOUCH_EPARSE for
 * malformed material inside the bundle. res may be NULL; on success free res->payload.
 */
int sign_sigstore_verify(struct sign_sigstore_result *res, const struct sign_bundle *b,
                         const struct sign_sigstore_artifact *artifact,
                         const struct sign_sigstore_opts *o, struct vouch_error *err);

/** One legacy cosign `.sig` layer (simple-signing payload) with its annotations. */
struct sign_sigstore_legacy {
    const unsigned char *payload; /* the layer blob */
    size_t payload_len;
    const unsigned char *sig; /* dev.cosignproject.cosign/signature, base64-decoded */
    size_t sig_len;
    const char *cert_pem;         /* dev.sigstore.cosign/certificate, or NULL (key-signed) */
    const char *rekor_bundle;     /* dev.sigstore.cosign/bundle JSON, or NULL */
    const char *timestamp;        /* dev.sigstore.cosign/rfc3161timestamp JSON, or NULL */
    const struct sign_dsse *dsse; /* `.att` layers: the envelope (then sig is unused) */
};

/**
 * Verify a legacy layer as sign_sigstore_verify does a bundle: the signature over the payload
 * (with o->key, or keyless with the leaf of cert_pem, whose chain annotation is never trusted),
 * or with dsse the envelope (res->payload gets its verified payload); the Rekor bundle's SET
 * over its canonical entry whose body names the payload digest (hashedrekord) or the envelope
 * (dsse, intoto), the signature and signer; the RFC 3161 timestamp, when there is one, over
 * the signature bytes (the layer bytes for dsse) against the trusted root's TSAs, checked even
 * when o->ignore_tlog skips the Rekor bundle; then (keyless) the Fulcio chain at every
 * verified time, the SCT and the identity. The payload's own claims (image digest, statement
 * subject) are the caller's to check. On success free res->payload.
 */
int sign_sigstore_verify_legacy(struct sign_sigstore_result *res,
                                const struct sign_sigstore_legacy *l,
                                const struct sign_sigstore_opts *o, struct vouch_error *err);

/** Release what a result owns (res->payload); accepts a zeroed result. */
void sign_sigstore_result_release(struct sign_sigstore_result *res);

#endif
