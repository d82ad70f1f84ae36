/* Internals of the pkix module shared with the sigstore verifier (SCT checks need the
 * issuer of a verified certificate). */
#ifndef SIGN_PKIX_INTERNAL_H
#define SIGN_PKIX_INTERNAL_H

#include <openssl/x509.h>

#include "sign/pkix.h"

/** One authority: certs[0] issues (or signs timestamps), certs[n-1] is the anchor. */
struct pkix_auth {
    char *name;
    X509 **certs;
    size_t n;
    int64_t start;
    int64_t end;
};

struct sign_pkix_set {
    struct pkix_auth *auth;
    size_t n;
};

struct vouch_buf;

/** A libcurl write callback (CURLOPT_WRITEFUNCTION, ud a struct pkix_body) appending to a
 *  bounded buffer: when the buffer's cap is reached it sets too_large and aborts the
 *  transfer. Shared by the PKIX exchanges and the TUF client's fetches. */
struct pkix_body {
    struct vouch_buf *buf;
    int too_large;
};
size_t pkix_body_write(char *p, size_t size, size_t nmemb, void *ud);

/** One bounded HTTP exchange (pkix_http.c): a GET, or a POST of body when it is not NULL. */
struct pkix_http_req {
    const char *url;
    const char *content_type; /* of body */
    const unsigned char *body;
    size_t body_len;
    long timeout_ms; /* connect and whole transfer */
    size_t max;      /* largest response body read */
};

/** *out (malloc'd) gets a 2xx response's body. VOUCH_ENETWORK for transport errors, timeouts
 *  and other statuses, VOUCH_EVERIFY for a body over req->max or an empty one. */
int pkix_http(unsigned char **out, size_t *out_len, const struct pkix_http_req *req,
              struct vouch_error *err);

/** Revocation status of one certificate (pkix_revoke.c). */
enum pkix_rev { PKIX_REV_GOOD = 0, PKIX_REV_REVOKED, PKIX_REV_UNKNOWN };

/**
 * The revocation status of cert, issued by issuer, at now: OCSP from its authority
 * information access first (response signed by the issuer or a responder it delegated to,
 * chaining to anchor, current), else (no OCSP, or its answer unknown) the CRLs of its
 * distribution points (signed by issuer, current). A certificate naming neither is GOOD, as
 * the Notary Project says. why gets the reason for REVOKED and UNKNOWN. Each request waits at
 * most ocsp_ms or crl_ms.
 */
enum pkix_rev pkix_revocation(X509 *cert, X509 *issuer, X509 *anchor, STACK_OF(X509) * untrusted,
                              int64_t now, long ocsp_ms, long crl_ms, char *why, size_t why_len);

/** Parse one DER certificate (the whole input, nothing trailing); NULL when malformed. */
X509 *pkix_cert_parse(const unsigned char *der, size_t len);

/**
 * sign_pkix_verify_at over a parsed leaf; on success *chain (when not NULL) gets the verified
 * path, leaf first (the caller frees it with OSSL_STACK_OF_X509_free / sk_X509_pop_free).
 */
int pkix_verify_x509(struct sign_pkix_result *res, STACK_OF(X509) * *chain,
                     const struct sign_pkix_set *set, X509 *leaf, STACK_OF(X509) * extra, int64_t t,
                     enum sign_pkix_eku eku, struct vouch_error *err);

/** "2025-06-12T12:02:20Z" for messages (out has at least 24 bytes). */
void pkix_format_time(char *out, size_t n, int64_t t);

/** An ASN1_TIME as unix seconds. */
int pkix_asn1_time(int64_t *out, const ASN1_TIME *t);

#endif
