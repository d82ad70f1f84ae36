/* X.509 path validation at a given time and RFC 3161 timestamp verification, over OpenSSL's
 * X509 and TS APIs. The trust material is a set of authorities: each is a certificate chain
 * (issuing or TSA certificate first, root last) with its own validity window, as a sigstore
 * trusted root lists Fulcio CAs and TSAs, or a Notary trust store lists roots. Nothing here
 * looks at the current time: every check happens at the time the caller names. */
#ifndef SIGN_PKIX_H
#define SIGN_PKIX_H

#include <stddef.h>
#include <stdint.h>

#include "vouch/error.h"

/** An authority window end meaning "no end". */
#define SIGN_PKIX_OPEN INT64_MAX

/** Extended key usage the end-entity certificate must carry. */
enum sign_pkix_eku {
    SIGN_PKIX_EKU_ANY = 0,      /* no requirement */
    SIGN_PKIX_EKU_CODE_SIGNING, /* id-kp-codeSigning (Fulcio, Notary signing certificates) */
    SIGN_PKIX_EKU_TIMESTAMPING, /* id-kp-timeStamping */
};

/** A set of trusted authorities (opaque). */
struct sign_pkix_set;

/** A new empty set. */
int sign_pkix_set_new(struct sign_pkix_set **out, struct vouch_error *err);

/**
 * Add an authority: n >= 1 DER certificates, the issuing (or TSA) certificate first and the
 * trust anchor last (it need not be self-signed), trusted for times t with
 * start <= t <= end (unix seconds; end SIGN_PKIX_OPEN for none). A malformed certificate is
 * VOUCH_EPARSE and leaves the set unchanged. name (copied) labels the authority in messages.
 */
int sign_pkix_set_add(struct sign_pkix_set *set, const char *name, const unsigned char *const *der,
                      const size_t *len, size_t n, int64_t start, int64_t end,
                      struct vouch_error *err);

/**
 * Add an authority from PEM text holding one or more certificates (cosign's
 * --certificate-chain: the issuing certificate first, the root last), trusted at any time.
 * No certificate, or a malformed one, is VOUCH_EPARSE.
 */
int sign_pkix_set_add_pem(struct sign_pkix_set *set, const char *name, const unsigned char *pem,
                          size_t len, struct vouch_error *err);

/** Number of authorities. */
size_t sign_pkix_set_count(const struct sign_pkix_set *set);

/** Borrowed name of authority i. */
const char *sign_pkix_set_name(const struct sign_pkix_set *set, size_t i);

/** Free a set; accepts NULL. */
void sign_pkix_set_free(struct sign_pkix_set *set);

/** What a successful verification used. */
struct sign_pkix_result {
    size_t authority; /* index in the set */
    int64_t time;     /* the time checked: t, or a timestamp's genTime */
    /* a timestamp's accuracy in seconds, rounded up: TSTInfo.accuracy, else 1 for RFC 3628's
     * baseline policy, else 0; genTime +- accuracy is when the timestamp was made */
    int64_t accuracy;
};

/**
 * Verify the DER certificate leaf at time t: a path from leaf, through the untrusted DER
 * certificates extra[0..nextra) (may be 0) and the authority's own certificates, to the
 * authority's last certificate; every certificate valid at t; t inside the authority's
 * window; the leaf's extended key usage includes eku. The first authority that passes wins.
 * 0, VOUCH_EVERIFY with the reason (the chain error of the last authority tried, or that no
 * authority is valid at t), VOUCH_EPARSE for a malformed certificate. res may be NULL.
 */
int sign_pkix_verify_at(struct sign_pkix_result *res, const struct sign_pkix_set *set,
                        const unsigned char *leaf, size_t leaf_len,
                        const unsigned char *const *extra, const size_t *extra_len, size_t nextra,
                        int64_t t, enum sign_pkix_eku eku, struct vouch_error *err);

/**
 * Verify an RFC 3161 timestamp over data: token is a DER TimeStampResp (status granted) or a
 * bare TimeStampToken (CMS ContentInfo). Its message imprint must be the hash of data, its
 * signature must verify with a TSA certificate (embedded in the token, or the first
 * certificate of an authority when the token carries none) that chains to an authority of tsas
 * at the token's genTime, with the timeStamping usage OpenSSL requires of TSA certificates, and
 * genTime must be inside that authority's window. On success res->time is genTime (unix
 * seconds). 0, VOUCH_EVERIFY with the reason, VOUCH_EPARSE for a malformed token.
 */
int sign_pkix_timestamp_verify(struct sign_pkix_result *res, const struct sign_pkix_set *tsas,
                               const unsigned char *token, size_t token_len,
                               const unsigned char *data, size_t data_len, struct vouch_error *err);

/**
 * Ask the RFC 3161 timestamp authority at url (http or https, no redirects, at most
 * timeout_ms) for a timestamp over data: a query with data's md_name hash ("SHA256"), a
 * random nonce and certReq; the response must be granted with that nonce and imprint.
 * *token (malloc'd) gets the TimeStampToken DER, whose signature is NOT checked here: verify
 * it with sign_pkix_timestamp_verify. VOUCH_ENETWORK, VOUCH_EPARSE or VOUCH_EVERIFY.
 */
int sign_pkix_timestamp_request(unsigned char **token, size_t *token_len, const char *url,
                                const char *md_name, const unsigned char *data, size_t data_len,
                                long timeout_ms, struct vouch_error *err);

/**
 * genTime of an RFC 3161 timestamp (TimeStampResp or TimeStampToken) without verifying it:
 * for messages and ordering only, never for trust decisions.
 */
int sign_pkix_timestamp_time(int64_t *out, const unsigned char *token, size_t token_len,
                             struct vouch_error *err);

/** Parse an RFC 3339 UTC time ("2025-06-12T12:02:20Z", fractions truncated) to unix seconds. */
int sign_pkix_parse_time(int64_t *out, const char *text, struct vouch_error *err);

#endif
