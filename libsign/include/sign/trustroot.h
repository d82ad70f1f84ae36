/* Sigstore trusted roots (application/vnd.dev.sigstore.trustedroot+json;version=0.1): the
 * Fulcio certificate authorities, Rekor v1/v2 transparency logs, CT logs and timestamp
 * authorities, each with its validFor window (start required, end inclusive when present). */
#ifndef SIGN_TRUSTROOT_H
#define SIGN_TRUSTROOT_H

#include <stddef.h>
#include <stdint.h>

#include "sign/digest.h"
#include "sign/key.h"
#include "sign/pkix.h"
#include "vouch/error.h"

/** The trusted root media type. */
#define SIGN_TRUSTROOT_MEDIA_TYPE "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
/** Largest trusted root sign_trustroot_parse accepts (bytes). */
#define SIGN_TRUSTROOT_MAX_BYTES ((size_t)4 << 20)

/** A transparency log or CT log of the root (borrowed from it). */
struct sign_trustroot_log {
    const char *base_url;        /* "https://rekor.sigstore.dev" */
    const char *origin;          /* base_url without scheme and path: checkpoint origin (v2) */
    const unsigned char *log_id; /* logId.keyId bytes */
    size_t log_id_len;
    const unsigned char *key_der; /* the log's SubjectPublicKeyInfo DER */
    size_t key_der_len;
    const struct sign_key *key;
    enum sign_hash hash; /* the key's signature hash (keyDetails) */
    int64_t start;       /* validFor, unix seconds */
    int64_t end;         /* SIGN_PKIX_OPEN when open */
};

/** A parsed trusted root (opaque). */
struct sign_trustroot;

/**
 * Parse a trusted root of at most SIGN_TRUSTROOT_MAX_BYTES. Malformed JSON, a wrong media
 * type, a missing validFor.start, a malformed key, certificate or time: VOUCH_EPARSE naming
 * the member. A log whose keyDetails is unknown here is left out (nothing can verify with it).
 */
int sign_trustroot_parse(struct sign_trustroot **out, const unsigned char *json, size_t len,
                         struct vouch_error *err);

/** The Fulcio certificate authorities (borrowed). */
const struct sign_pkix_set *sign_trustroot_fulcio(const struct sign_trustroot *tr);
/** The timestamp authorities (borrowed). */
const struct sign_pkix_set *sign_trustroot_tsas(const struct sign_trustroot *tr);

/** Number of transparency logs (ct 0) or CT logs (ct 1). */
size_t sign_trustroot_log_count(const struct sign_trustroot *tr, int ct);
/** Log i of the transparency logs (ct 0) or CT logs (ct 1), borrowed. */
const struct sign_trustroot_log *sign_trustroot_log(const struct sign_trustroot *tr, int ct,
                                                    size_t i);
/** The log whose logId is id, or NULL. */
const struct sign_trustroot_log *sign_trustroot_log_by_id(const struct sign_trustroot *tr, int ct,
                                                          const unsigned char *id, size_t len);

/**
 * Add a transparency log by key alone (cosign's --rekor-key): its logId is the SHA-256 of
 * the key's SubjectPublicKeyInfo, its window open.
 */
int sign_trustroot_add_tlog_key(struct sign_trustroot *tr, const struct sign_key *key,
                                struct vouch_error *err);

/** A new empty root (for --rekor-key alone); add logs with sign_trustroot_add_tlog_key. */
int sign_trustroot_new(struct sign_trustroot **out, struct vouch_error *err);

/** Free a root; accepts NULL. */
void sign_trustroot_free(struct sign_trustroot *tr);

#endif
