/* Certificate revocation over OpenSSL's OCSP and X509_CRL APIs (trust-store-trust-policy.md
 * "Certificate Revocation Evaluation"): OCSP from the AIA extension first, CRLs from the CRL
 * distribution points when OCSP is absent or cannot tell; fetched by pkix_http.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "pkix_internal.h"

#define OCSP_MAX ((size_t)64 << 10)
#define CRL_MAX ((size_t)16 << 20)
#define URLS_MAX 4
/* clock skew allowed on thisUpdate/nextUpdate, as openssl ocsp's default */
#define SKEW 300

static enum pkix_rev why_set(enum pkix_rev r, char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum pkix_rev why_set(enum pkix_rev r, char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    ERR_clear_error();
    return r;
}

/* Up to URLS_MAX http(s) URLs: OCSP responders (AIA) or CRL locations (CDP full names). */
static size_t ocsp_urls(char urls[][512], X509 *x)
{
    STACK_OF(OPENSSL_STRING) *s = X509_get1_ocsp(x);
    size_t n = 0;
    for (int i = 0; i < sk_OPENSSL_STRING_num(s) && n < URLS_MAX; i++) {
        snprintf(urls[n++], 512, "%s", sk_OPENSSL_STRING_value(s, i));
    }
    X509_email_free(s);
    return n;
}

static size_t crl_urls(char urls[][512], X509 *x)
{
    STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
    size_t n = 0;
    for (int i = 0; i < sk_DIST_POINT_num(dps) && n < URLS_MAX; i++) {
        DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
        if (dp->distpoint == NULL || dp->distpoint->type != 0) {
            continue;
        }
        GENERAL_NAMES *names = dp->distpoint->name.fullname;
        for (int j = 0; j < sk_GENERAL_NAME_num(names) && n < URLS_MAX; j++) {
            GENERAL_NAME *g = sk_GENERAL_NAME_value(names, j);
            if (g->type == GEN_URI) {
                const ASN1_IA5STRING *u = g->d.uniformResourceIdentifier;
                snprintf(urls[n++], 512, "%.*s", ASN1_STRING_length(u),
                         (const char *)ASN1_STRING_get0_data(u));
            }
        }
    }
    sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
    return n;
}

static int time_ok(const ASN1_GENERALIZEDTIME *t, int64_t now, int after)
{
    int64_t v = 0;
    if (t == NULL || pkix_asn1_time(&v, t) != 0) {
        return 0;
    }
    return after ? now - SKEW <= v : v <= now + SKEW;
}

/* A verified basic response's status for id. */
static enum pkix_rev ocsp_status(OCSP_BASICRESP *bs, OCSP_CERTID *id, int64_t now, const char *url,
                                 char *why, size_t n)
{
    int status = -1, reason = 0;
    ASN1_GENERALIZEDTIME *rev = NULL, *thisu = NULL, *nextu = NULL;
    if (OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisu, &nextu) != 1) {
        return why_set(PKIX_REV_UNKNOWN, why, n, "OCSP response from '%s' does not name it", url);
    }
    if (!time_ok(thisu, now, 0) || (nextu != NULL && !time_ok(nextu, now, 1))) {
        return why_set(PKIX_REV_UNKNOWN, why, n, "OCSP response from '%s' is not current", url);
    }
    if (status == V_OCSP_CERTSTATUS_GOOD) {
        return PKIX_REV_GOOD;
    }
    if (status == V_OCSP_CERTSTATUS_REVOKED) {
        return why_set(PKIX_REV_REVOKED, why, n, "revoked (OCSP, '%s': %s)", url,
                       OCSP_crl_reason_str(reason));
    }
    return why_set(PKIX_REV_UNKNOWN, why, n, "OCSP responder '%s' does not know it", url);
}

static enum pkix_rev ocsp_one(X509 *cert, X509 *issuer, X509 *anchor, STACK_OF(X509) * untrusted,
                              int64_t now, const char *url, long ms, char *why, size_t n)
{
    OCSP_REQUEST *req = OCSP_REQUEST_new();
    OCSP_CERTID *id = OCSP_cert_to_id(NULL, cert, issuer), *id2 = NULL;
    OCSP_RESPONSE *resp = NULL;
    OCSP_BASICRESP *bs = NULL;
    X509_STORE *store = X509_STORE_new();
    unsigned char *der = NULL, *body = NULL;
    size_t body_len = 0;
    enum pkix_rev r = PKIX_REV_UNKNOWN;
    struct vouch_error e = VOUCH_ERROR_INIT;
    int len = -1;
    id2 = id != NULL ? OCSP_CERTID_dup(id) : NULL;
    if (req != NULL && id2 != NULL && OCSP_request_add0_id(req, id2) != NULL) {
        id2 = NULL; /* owned by req */
        len = OCSP_request_add1_nonce(req, NULL, -1) == 1 ? i2d_OCSP_REQUEST(req, &der) : -1;
    }
    if (len <= 0 || store == NULL || X509_STORE_add_cert(store, anchor) != 1) {
        r = why_set(PKIX_REV_UNKNOWN, why, n, "cannot build an OCSP request");
        goto done;
    }
    struct pkix_http_req h = {url, "application/ocsp-request", der, (size_t)len, ms, OCSP_MAX};
    if (pkix_http(&body, &body_len, &h, &e) != 0) {
        r = why_set(PKIX_REV_UNKNOWN, why, n, "OCSP %s", e.msg);
        goto done;
    }
    const unsigned char *p = body;
    resp = d2i_OCSP_RESPONSE(NULL, &p, (long)body_len);
    if (resp == NULL || OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL ||
        (bs = OCSP_response_get1_basic(resp)) == NULL) {
        r = why_set(PKIX_REV_UNKNOWN, why, n, "OCSP responder '%s' gave no usable response", url);
        goto done;
    }
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)now);
    /* the signer chains to the anchor and is the issuer or a responder it delegated to */
    if (OCSP_basic_verify(bs, untrusted, store, 0) != 1) {
        r = why_set(PKIX_REV_UNKNOWN, why, n, "OCSP response from '%s' is not signed by its CA",
                    url);
        goto done;
    }
    if (OCSP_check_nonce(req, bs) == 0) {
        r = why_set(PKIX_REV_UNKNOWN, why, n, "OCSP response from '%s' has another nonce", url);
        goto done;
    }
    r = ocsp_status(bs, id, now, url, why, n);
done:
    OCSP_CERTID_free(id);
    OCSP_CERTID_free(id2);
    OCSP_REQUEST_free(req);
    OCSP_RESPONSE_free(resp);
    OCSP_BASICRESP_free(bs);
    X509_STORE_free(store);
    OPENSSL_free(der);
    free(body);
    ERR_clear_error();
    return r;
}

static X509_CRL *crl_parse(const unsigned char *data, size_t len)
{
    const unsigned char *p = data;
    X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)len);
    if (crl != NULL && p != data + len) {
        X509_CRL_free(crl);
        crl = NULL;
    }
    if (crl == NULL) {
        BIO *bio = BIO_new_mem_buf(data, (int)len);
        crl = bio != NULL ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
    }
    return crl;
}

static enum pkix_rev crl_one(X509 *cert, X509 *issuer, int64_t now, const char *url, long ms,
                             char *why, size_t n)
{
    unsigned char *body = NULL;
    size_t len = 0;
    struct vouch_error e = VOUCH_ERROR_INIT;
    struct pkix_http_req h = {url, NULL, NULL, 0, ms, CRL_MAX};
    X509_CRL *crl = NULL;
    X509_REVOKED *rev = NULL;
    int64_t thisu = 0, nextu = 0;
    enum pkix_rev r;
    if (pkix_http(&body, &len, &h, &e) != 0) {
        return why_set(PKIX_REV_UNKNOWN, why, n, "CRL %s", e.msg);
    }
    crl = crl_parse(body, len);
    free(body);
    if (crl == NULL) {
        return why_set(PKIX_REV_UNKNOWN, why, n, "CRL from '%s' is malformed", url);
    }
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0 ||
        X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1) {
        r = why_set(PKIX_REV_UNKNOWN, why, n, "CRL from '%s' is not signed by its CA", url);
    } else if (X509_CRL_get_ext_by_NID(crl, NID_freshest_crl, -1) >= 0 ||
               X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0) {
        r = why_set(PKIX_REV_UNKNOWN, why, n, "CRL from '%s' has a delta CRL, not fetched", url);
    } else if (X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(cert)) == 1) {
        r = why_set(PKIX_REV_REVOKED, why, n, "revoked (CRL '%s')", url);
    } else if (pkix_asn1_time(&thisu, X509_CRL_get0_lastUpdate(crl)) != 0 ||
               X509_CRL_get0_nextUpdate(crl) == NULL ||
               pkix_asn1_time(&nextu, X509_CRL_get0_nextUpdate(crl)) != 0 || thisu > now + SKEW ||
               nextu < now - SKEW) {
        r = why_set(PKIX_REV_UNKNOWN, why, n, "CRL from '%s' is not current", url);
    } else {
        r = PKIX_REV_GOOD;
    }
    X509_CRL_free(crl);
    ERR_clear_error();
    return r;
}

enum pkix_rev pkix_revocation(X509 *cert, X509 *issuer, X509 *anchor, STACK_OF(X509) * untrusted,
                              int64_t now, long ocsp_ms, long crl_ms, char *why, size_t why_len)
{
    char ocsp[URLS_MAX][512], crl[URLS_MAX][512];
    size_t n_ocsp = ocsp_urls(ocsp, cert), n_crl = crl_urls(crl, cert);
    enum pkix_rev r = PKIX_REV_UNKNOWN;
    why[0] = '\0';
    if (n_ocsp == 0 && n_crl == 0) {
        int has_ext = X509_get_ext_by_NID(cert, NID_crl_distribution_points, -1) >= 0;
        return has_ext ? why_set(PKIX_REV_UNKNOWN, why, why_len,
                                 "its CRL distribution points name no URL")
                       : PKIX_REV_GOOD;
    }
    /* each URL in turn until one answers; OCSP unknown falls back to the CRLs */
    for (size_t i = 0; i < n_ocsp && r == PKIX_REV_UNKNOWN; i++) {
        r = ocsp_one(cert, issuer, anchor, untrusted, now, ocsp[i], ocsp_ms, why, why_len);
    }
    for (size_t i = 0; i < n_crl && r == PKIX_REV_UNKNOWN; i++) {
        r = crl_one(cert, issuer, now, crl[i], crl_ms, why, why_len);
    }
    return r;
}
