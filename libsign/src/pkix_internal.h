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
