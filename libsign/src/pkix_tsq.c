/* Asking an RFC 3161 timestamp authority for a token (RFC 3161 §3.4, over HTTP): the query
 * is built, and the answer's status, nonce and message imprint checked, with OpenSSL's TS
 * API; pkix_http.c carries it. The token's signature is checked by the caller
 * (sign_pkix_timestamp_verify), against the roots it trusts. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include "pkix_internal.h"
#include "vouch/mem.h"

#define TSR_MAX ((size_t)1 << 20)

/* A timeStampReq over data's md_name hash, with a random 64-bit nonce and certReq. */
static TS_REQ *query_new(const char *md_name, const unsigned char *data, size_t len)
{
    TS_REQ *q = TS_REQ_new();
    TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
    X509_ALGOR *algo = X509_ALGOR_new();
    const EVP_MD *md = EVP_get_digestbyname(md_name);
    unsigned char h[EVP_MAX_MD_SIZE], rnd[8];
    unsigned int hl = 0;
    BIGNUM *bn = NULL;
    ASN1_INTEGER *nonce = NULL;
    int ok = q && mi && algo && md && EVP_Digest(data, len, h, &hl, md, NULL) == 1 &&
             X509_ALGOR_set0(algo, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL, NULL) == 1 &&
             TS_MSG_IMPRINT_set_algo(mi, algo) == 1 &&
             TS_MSG_IMPRINT_set_msg(mi, h, (int)hl) == 1 && TS_REQ_set_version(q, 1) == 1 &&
             TS_REQ_set_msg_imprint(q, mi) == 1 && RAND_bytes(rnd, sizeof(rnd)) == 1;
    rnd[0] &= 0x7f; /* a positive INTEGER */
    bn = ok ? BN_bin2bn(rnd, sizeof(rnd), NULL) : NULL;
    nonce = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    ok = nonce != NULL && TS_REQ_set_nonce(q, nonce) == 1 && TS_REQ_set_cert_req(q, 1) == 1;
    ASN1_INTEGER_free(nonce);
    BN_free(bn);
    X509_ALGOR_free(algo);
    TS_MSG_IMPRINT_free(mi);
    if (!ok) {
        TS_REQ_free(q);
        q = NULL;
    }
    return q;
}

int sign_pkix_timestamp_request(unsigned char **token, size_t *token_len, const char *url,
                                const char *md_name, const unsigned char *data, size_t data_len,
                                long timeout_ms, struct vouch_error *err)
{
    TS_REQ *q = query_new(md_name, data, data_len);
    TS_RESP *resp = NULL;
    TS_VERIFY_CTX *ctx = NULL;
    unsigned char *der = NULL, *body = NULL;
    size_t body_len = 0;
    int len = q != NULL ? i2d_TS_REQ(q, &der) : -1, rc = 0;
    *token = NULL;
    *token_len = 0;
    if (len <= 0) {
        rc = vouch_error_ssl(err, VOUCH_ECRYPTO, "cannot build a timestamp request");
    }
    struct pkix_http_req h = {url,    "application/timestamp-query", der, (size_t)len, timeout_ms,
                              TSR_MAX};
    rc = rc ? rc : pkix_http(&body, &body_len, &h, err);
    const unsigned char *p = body;
    resp = rc == 0 ? d2i_TS_RESP(NULL, &p, (long)body_len) : NULL;
    if (rc == 0 && (resp == NULL || p != body + body_len)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "'%s' sent no timestamp response", url);
    }
    /* status granted, version, the nonce and imprint asked for; not the signature (yet) */
    ctx = rc == 0 ? TS_REQ_to_TS_VERIFY_CTX(q, NULL) : NULL;
    if (rc == 0 && ctx == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0 && TS_RESP_verify_response(ctx, resp) != 1) {
        rc = vouch_error_ssl(err, VOUCH_EVERIFY, "timestamp response from '%s' is refused", url);
    }
    PKCS7 *tok = rc == 0 ? TS_RESP_get_token(resp) : NULL;
    unsigned char *tder = NULL;
    int tlen = tok != NULL ? i2d_PKCS7(tok, &tder) : -1;
    if (rc == 0 && tlen <= 0) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "timestamp response from '%s' has no token", url);
    }
    if (rc == 0) {
        *token = malloc((size_t)tlen);
        rc = *token != NULL ? 0 : vouch_enomem(err);
    }
    if (rc == 0) {
        memcpy(*token, tder, (size_t)tlen);
        *token_len = (size_t)tlen;
    }
    OPENSSL_free(tder);
    TS_VERIFY_CTX_free(ctx);
    TS_RESP_free(resp);
    TS_REQ_free(q);
    OPENSSL_free(der);
    free(body);
    ERR_clear_error();
    return rc;
}
