/* Sigstore verification internals: transparency-log entries (sigstore_tlog.c), their bodies
 * (sigstore_body.c), certificates (sigstore_cert.c, sigstore_sct.c), orchestration
 * (sigstore.c). */
#ifndef SIGN_SIGSTORE_INTERNAL_H
#define SIGN_SIGSTORE_INTERNAL_H

#include <jansson.h>
#include <openssl/x509.h>

#include "sign/sigstore.h"

#define SS_HASH 32

/** One tlogEntries[] member. */
struct ss_entry {
    int64_t log_index;
    const struct sign_trustroot_log *log;
    char kind[32];
    char version[16];
    unsigned char *body; /* canonicalizedBody, decoded */
    size_t body_len;
    int has_set;
    unsigned char *set;
    size_t set_len;
    int64_t integrated_time; /* 0 when absent (Rekor v2) */
    int has_proof;
    int64_t proof_index;
    int64_t tree_size;
    unsigned char root[SS_HASH];
    unsigned char (*hashes)[SS_HASH];
    size_t nhashes;
    char *checkpoint; /* the signed note, NULL when absent */
};

/** Parse entry o, finding its log in tr by logId (unknown log: VOUCH_EVERIFY). */
int ss_entry_parse(struct ss_entry *e, const json_t *o, const struct sign_trustroot *tr,
                   struct vouch_error *err);
void ss_entry_release(struct ss_entry *e);
/** The signed entry timestamp over the canonical entry. */
int ss_entry_verify_set(const struct ss_entry *e, struct vouch_error *err);
/** The inclusion proof up to its root, and the checkpoint signed by the log for that root. */
int ss_entry_verify_proof(const struct ss_entry *e, struct vouch_error *err);

/** What the bundle signed, for binding an entry's body to it. */
struct ss_signed {
    const unsigned char *sig; /* the message signature, or the DSSE signature */
    size_t sig_len;
    const unsigned char *signer; /* leaf certificate DER, or the key's SPKI DER */
    size_t signer_len;
    int signer_is_cert;
    const struct sign_blob_digest *artifact; /* message bundles */
    const struct sign_dsse *dsse;            /* DSSE bundles */
};

/** The entry body (hashedrekord 0.0.1/0.0.2, dsse 0.0.1, intoto 0.0.2) names what s signed. */
int ss_body_check(const struct ss_entry *e, const struct ss_signed *s, struct vouch_error *err);

/** The leaf's SAN and issuer into res, checked against id (VOUCH_EPOLICY on mismatch). */
int ss_cert_identity(struct sign_sigstore_result *res, X509 *leaf,
                     const struct sign_sigstore_identity *id, struct vouch_error *err);

/** At least one embedded SCT of leaf (issued by issuer) verifies with a CT log of tr. */
int ss_cert_sct(X509 *leaf, X509 *issuer, const struct sign_trustroot *tr, struct vouch_error *err);

#define SS_MAX_TIMES 16

/* Everything one verification holds (sigstore.c, sigstore_legacy.c). */
struct ss_run {
    const struct sign_bundle *b;
    const struct sign_sigstore_artifact *art;
    const struct sign_sigstore_opts *o;
    struct sign_sigstore_result *res;
    X509 *leaf;
    struct sign_key *leaf_key;
    const struct sign_key *key; /* the key that checks the signature */
    unsigned char *signer_der;  /* key-based: SPKI DER */
    struct ss_signed s;
    int64_t times[SS_MAX_TIMES]; /* verified signing times */
    size_t ntimes;
};

/** Record a verified signing time. */
int ss_add_time(struct ss_run *r, int64_t t);
/** Entry e bound to r's signature, its proofs (v01: the promise is required, else the proof). */
int ss_entry_check(struct ss_run *r, const struct ss_entry *e, int v01, struct vouch_error *err);
/** The Fulcio chain at every verified time and the SCT (keyless). */
int ss_check_cert(struct ss_run *r, struct vouch_error *err);

/** Decode the PEM (or DER) certificate or public key in b64 text into DER for comparison. */
int ss_pem_to_der(unsigned char **out, size_t *out_len, const unsigned char *pem, size_t len);

#endif
