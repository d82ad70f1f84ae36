/* RFC 3161 timestamps over OpenSSL's TS API: the token's signature, message imprint and TSA
 * certificate path are checked by TS_RESP_verify_token, with the path validated at the
 * token's own genTime against one authority at a time. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ts.h>

#include "pkix_internal.h"
#include "vouch/mem.h"

/* The token inside a TimeStampResp (status granted) or a bare TimeStampToken. */
static int load_token(PKCS7 **out, const unsigned char *der, size_t len, struct vouch_error *err)
{
    const unsigned char *p = der;
    TS_RESP *resp;
    *out = NULL;
    if (len == 0 || len > (size_t)1 << 20) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed timestamp: %zu bytes", len);
    }
    resp = d2i_TS_RESP(NULL, &p, (long)len);
    if (resp != NULL && p == der + len) {
        const ASN1_INTEGER *st = TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp));
        long status = ASN1_INTEGER_get(st);
        PKCS7 *tok = TS_RESP_get_token(resp);
        if ((status != 0 && status != 1) || tok == NULL) {
            TS_RESP_free(resp);
            return vouch_error_set(err, VOUCH_EVERIFY, "timestamp response was not granted");
        }
        *out = PKCS7_dup(tok);
        TS_RESP_free(resp);
    } else {
        TS_RESP_free(resp);
        p = der;
        *out = d2i_PKCS7(NULL, &p, (long)len);
        if (*out != NULL && p != der + len) {
            PKCS7_free(*out);
            *out = NULL;
        }
    }
    ERR_clear_error();
    return *out == NULL ? vouch_error_set(err, VOUCH_EPARSE, "malformed timestamp token") : 0;
}

static int token_time(int64_t *out, PKCS7 *tok, struct vouch_error *err)
{
    TS_TST_INFO *info = PKCS7_to_TS_TST_INFO(tok);
    int rc = info == NULL ? VOUCH_EPARSE : pkix_asn1_time(out, TS_TST_INFO_get_time(info));
    TS_TST_INFO_free(info);
    ERR_clear_error();
    return rc != 0 ? vouch_error_set(err, VOUCH_EPARSE, "malformed timestamp: no genTime") : 0;
}

/* RFC 3161 §2.4.2 accuracy, rounded up to whole seconds; 1 s for RFC 3628's baseline policy
 * (0.4.0.2023.1.1) without one, as the Notary Project says; else 0. */
static int64_t token_accuracy(PKCS7 *tok)
{
    TS_TST_INFO *info = PKCS7_to_TS_TST_INFO(tok);
    TS_ACCURACY *acc = info != NULL ? TS_TST_INFO_get_accuracy(info) : NULL;
    int64_t r = 0;
    if (acc != NULL) {
        const ASN1_INTEGER *sec = TS_ACCURACY_get_seconds(acc);
        const ASN1_INTEGER *ms = TS_ACCURACY_get_millis(acc), *us = TS_ACCURACY_get_micros(acc);
        long s = sec ? ASN1_INTEGER_get(sec) : 0, m = ms ? ASN1_INTEGER_get(ms) : 0;
        long u = us ? ASN1_INTEGER_get(us) : 0;
        r = (int64_t)(s > 0 ? s : 0) + ((m > 0 || u > 0) ? 1 : 0);
    } else if (info != NULL) {
        char oid[64];
        ASN1_OBJECT *pol = TS_TST_INFO_get_policy_id(info);
        if (pol != NULL && OBJ_obj2txt(oid, sizeof(oid), pol, 1) > 0 &&
            strcmp(oid, "0.4.0.2023.1.1") == 0) {
            r = 1;
        }
    }
    TS_TST_INFO_free(info);
    ERR_clear_error();
    return r;
}

int sign_pkix_timestamp_time(int64_t *out, const unsigned char *token, size_t token_len,
                             struct vouch_error *err)
{
    PKCS7 *tok = NULL;
    int rc = load_token(&tok, token, token_len, err);
    rc = rc != 0 ? rc : token_time(out, tok, err);
    PKCS7_free(tok);
    return rc;
}

/* A verify context for one authority at time t; NULL on allocation failure. */
static TS_VERIFY_CTX *auth_ctx(const struct pkix_auth *a, int64_t t, const unsigned char *data,
                               size_t data_len)
{
    TS_VERIFY_CTX *ctx = TS_VERIFY_CTX_new();
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *certs = sk_X509_new_null();
    BIO *bio = BIO_new_mem_buf(data, (int)data_len);
    int ok = ctx != NULL && store != NULL && certs != NULL && bio != NULL &&
             X509_STORE_add_cert(store, a->certs[a->n - 1]) == 1;
    for (size_t i = 0; ok && i < a->n; i++) {
        ok = X509_up_ref(a->certs[i]) == 1;
        if (ok && !sk_X509_push(certs, a->certs[i])) {
            X509_free(a->certs[i]);
            ok = 0;
        }
    }
    if (!ok) {
        TS_VERIFY_CTX_free(ctx);
        X509_STORE_free(store);
        sk_X509_pop_free(certs, X509_free);
        BIO_free(bio);
        return NULL;
    }
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)t);
    X509_VERIFY_PARAM_set_flags(X509_STORE_get0_param(store), X509_V_FLAG_PARTIAL_CHAIN);
    TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
    TS_VERIFY_CTX_set_store(ctx, store);
    TS_VERIFY_CTX_set_certs(ctx, certs);
    TS_VERIFY_CTX_set_data(ctx, bio);
    return ctx;
}

/* The first queued OpenSSL reason, for messages. */
static const char *ssl_reason(void)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;
    return r != NULL ? r : "signature or data mismatch";
}

int sign_pkix_timestamp_verify(struct sign_pkix_result *res, const struct sign_pkix_set *tsas,
                               const unsigned char *token, size_t token_len,
                               const unsigned char *data, size_t data_len, struct vouch_error *err)
{
    PKCS7 *tok = NULL;
    int64_t t = 0;
    char when[32];
    char why[160] = "";
    int tried = 0;
    int rc = load_token(&tok, token, token_len, err);
    rc = rc != 0 ? rc : token_time(&t, tok, err);
    if (rc != 0) {
        PKCS7_free(tok);
        return rc;
    }
    pkix_format_time(when, sizeof(when), t);
    rc = VOUCH_EVERIFY;
    for (size_t i = 0; i < tsas->n && rc != 0; i++) {
        const struct pkix_auth *a = &tsas->auth[i];
        TS_VERIFY_CTX *ctx;
        if (t < a->start || t > a->end) {
            continue;
        }
        tried = 1;
        if ((ctx = auth_ctx(a, t, data, data_len)) == NULL) {
            PKCS7_free(tok);
            return vouch_enomem(err);
        }
        if (TS_RESP_verify_token(ctx, tok) == 1) {
            rc = 0;
            if (res != NULL) {
                res->authority = i;
                res->time = t;
                res->accuracy = token_accuracy(tok);
            }
        } else {
            snprintf(why, sizeof(why), "not verified by '%s': %s", a->name, ssl_reason());
        }
        ERR_clear_error();
        TS_VERIFY_CTX_free(ctx);
    }
    PKCS7_free(tok);
    if (rc == 0) {
        return 0;
    }
    if (!tried) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "timestamp of %s: no trusted timestamp authority is valid then",
                               when);
    }
    return vouch_error_set(err, VOUCH_EVERIFY, "timestamp of %s %s", when, why);
}
