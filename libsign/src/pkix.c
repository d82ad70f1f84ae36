/* Authority sets and X.509 path validation at a caller-given time (OpenSSL X509_verify_cert
 * with X509_VERIFY_PARAM_set_time; the anchor is the authority's last certificate). */
#define _DEFAULT_SOURCE /* timegm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "pkix_internal.h"
#include "vouch/mem.h"
#include "vouch/time.h"

#define PKIX_PEM_MAX 16 /* certificates in one PEM chain */

X509 *pkix_cert_parse(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    X509 *x;
    if (len == 0 || len > (size_t)1 << 20) {
        return NULL;
    }
    x = d2i_X509(NULL, &p, (long)len);
    if (x != NULL && p != der + len) {
        X509_free(x);
        return NULL;
    }
    return x;
}

void pkix_format_time(char *out, size_t n, int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (gmtime_r(&tt, &tm) == NULL || strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        snprintf(out, n, "@%lld", (long long)t);
    }
}

int pkix_asn1_time(int64_t *out, const ASN1_TIME *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
        return VOUCH_EPARSE;
    }
    *out = (int64_t)timegm(&tm);
    return 0;
}

int sign_pkix_parse_time(int64_t *out, const char *text, struct vouch_error *err)
{
    size_t n = strlen(text);
    /* trusted roots and TUF metadata write UTC ("...Z"); an offset is not their format */
    if (n == 0 || text[n - 1] != 'Z' || vouch_time_parse_rfc3339(out, text) != 0) {
        char shown[40];
        snprintf(shown, sizeof(shown), "%.32s", text);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed time '%s' (want RFC 3339 UTC)", shown);
    }
    return 0;
}

int sign_pkix_set_new(struct sign_pkix_set **out, struct vouch_error *err)
{
    *out = calloc(1, sizeof(**out));
    return *out == NULL ? vouch_enomem(err) : 0;
}

int sign_pkix_set_add_pem(struct sign_pkix_set *set, const char *name, const unsigned char *pem,
                          size_t len, struct vouch_error *err)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    unsigned char *der[PKIX_PEM_MAX];
    size_t n[PKIX_PEM_MAX];
    size_t count = 0;
    X509 *x = NULL;
    int rc = 0;
    while (bio != NULL && count < PKIX_PEM_MAX &&
           (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        unsigned char *d = NULL;
        int l = i2d_X509(x, &d);
        X509_free(x);
        if (l <= 0) {
            break;
        }
        der[count] = d;
        n[count++] = (size_t)l;
    }
    ERR_clear_error();
    BIO_free(bio);
    if (count == 0) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "'%s' holds no PEM certificate", name);
    } else {
        rc = sign_pkix_set_add(set, name, (const unsigned char *const *)der, n, count, 0,
                               SIGN_PKIX_OPEN, err);
    }
    for (size_t i = 0; i < count; i++) {
        OPENSSL_free(der[i]);
    }
    return rc;
}

static void auth_release(struct pkix_auth *a)
{
    for (size_t i = 0; i < a->n; i++) {
        X509_free(a->certs[i]);
    }
    free(a->certs);
    free(a->name);
}

int sign_pkix_set_add(struct sign_pkix_set *set, const char *name, const unsigned char *const *der,
                      const size_t *len, size_t n, int64_t start, int64_t end,
                      struct vouch_error *err)
{
    struct pkix_auth a = {0};
    struct pkix_auth *grown;
    if (n == 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "authority '%s' has no certificates", name);
    }
    a.certs = calloc(n, sizeof(*a.certs));
    a.name = strdup(name);
    if (a.certs == NULL || a.name == NULL) {
        auth_release(&a);
        return vouch_enomem(err);
    }
    for (a.n = 0; a.n < n; a.n++) {
        if ((a.certs[a.n] = pkix_cert_parse(der[a.n], len[a.n])) == NULL) {
            auth_release(&a);
            ERR_clear_error();
            return vouch_error_set(err, VOUCH_EPARSE, "malformed certificate %zu of '%s'", a.n,
                                   name);
        }
    }
    a.start = start;
    a.end = end;
    grown = realloc(set->auth, (set->n + 1) * sizeof(*grown));
    if (grown == NULL) {
        auth_release(&a);
        return vouch_enomem(err);
    }
    set->auth = grown;
    set->auth[set->n++] = a;
    return 0;
}

size_t sign_pkix_set_count(const struct sign_pkix_set *set)
{
    return set->n;
}

const char *sign_pkix_set_name(const struct sign_pkix_set *set, size_t i)
{
    return i < set->n ? set->auth[i].name : NULL;
}

void sign_pkix_set_free(struct sign_pkix_set *set)
{
    if (set == NULL) {
        return;
    }
    for (size_t i = 0; i < set->n; i++) {
        auth_release(&set->auth[i]);
    }
    free(set->auth);
    free(set);
}

static int eku_ok(X509 *leaf, enum sign_pkix_eku eku)
{
    uint32_t want = eku == SIGN_PKIX_EKU_CODE_SIGNING ? XKU_CODE_SIGN : XKU_TIMESTAMP;
    if (eku == SIGN_PKIX_EKU_ANY) {
        return 1;
    }
    return (X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) != 0 &&
           (X509_get_extended_key_usage(leaf) & want) != 0;
}

/* One authority: 1 verified (chain set), 0 rejected (reason in err), <0 internal. */
static int verify_one(STACK_OF(X509) * *chain, const struct pkix_auth *a, X509 *leaf,
                      STACK_OF(X509) * extra, int64_t t, struct vouch_error *err)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    int rc = -1;
    for (size_t i = 0; untrusted != NULL && i + 1 < a->n; i++) {
        if (!sk_X509_push(untrusted, a->certs[i])) {
            goto done;
        }
    }
    for (int i = 0; untrusted != NULL && extra != NULL && i < sk_X509_num(extra); i++) {
        if (!sk_X509_push(untrusted, sk_X509_value(extra, i))) {
            goto done;
        }
    }
    if (store == NULL || ctx == NULL || untrusted == NULL ||
        X509_STORE_add_cert(store, a->certs[a->n - 1]) != 1 ||
        X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
        goto done;
    }
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)t);
    X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), X509_V_FLAG_PARTIAL_CHAIN);
    if (X509_verify_cert(ctx) == 1) {
        rc = 1;
        if (chain != NULL && (*chain = X509_STORE_CTX_get1_chain(ctx)) == NULL) {
            rc = -1;
        }
    } else {
        char when[32];
        pkix_format_time(when, sizeof(when), t);
        vouch_error_clear(err);
        vouch_error_set(err, VOUCH_EVERIFY, "certificate does not chain to '%s' at %s: %s", a->name,
                        when, X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
        rc = 0;
    }
done:
    ERR_clear_error();
    sk_X509_free(untrusted);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return rc;
}

int pkix_verify_x509(struct sign_pkix_result *res, STACK_OF(X509) * *chain,
                     const struct sign_pkix_set *set, X509 *leaf, STACK_OF(X509) * extra, int64_t t,
                     enum sign_pkix_eku eku, struct vouch_error *err)
{
    struct vouch_error last = VOUCH_ERROR_INIT;
    char when[32];
    int tried = 0;
    pkix_format_time(when, sizeof(when), t);
    if (!eku_ok(leaf, eku)) {
        return vouch_error_set(err, VOUCH_EVERIFY, "certificate lacks the %s extended key usage",
                               eku == SIGN_PKIX_EKU_CODE_SIGNING ? "codeSigning" : "timeStamping");
    }
    for (size_t i = 0; i < set->n; i++) {
        const struct pkix_auth *a = &set->auth[i];
        int ok;
        if (t < a->start || t > a->end) {
            continue;
        }
        tried = 1;
        ok = verify_one(chain, a, leaf, extra, t, &last);
        if (ok < 0) {
            return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot verify a certificate chain");
        }
        if (ok == 1) {
            if (res != NULL) {
                res->authority = i;
                res->time = t;
            }
            return 0;
        }
    }
    if (!tried) {
        return vouch_error_set(err, VOUCH_EVERIFY, "no trusted authority is valid at %s", when);
    }
    return vouch_error_set(err, VOUCH_EVERIFY, "%s", last.msg);
}

static void extra_free(STACK_OF(X509) * s)
{
    sk_X509_pop_free(s, X509_free);
}

int sign_pkix_verify_at(struct sign_pkix_result *res, const struct sign_pkix_set *set,
                        const unsigned char *leaf, size_t leaf_len,
                        const unsigned char *const *extra, const size_t *extra_len, size_t nextra,
                        int64_t t, enum sign_pkix_eku eku, struct vouch_error *err)
{
    X509 *x = pkix_cert_parse(leaf, leaf_len);
    STACK_OF(X509) *ex = sk_X509_new_null();
    int rc;
    if (x == NULL || ex == NULL) {
        X509_free(x);
        sk_X509_free(ex);
        ERR_clear_error();
        return vouch_error_set(err, x == NULL ? VOUCH_EPARSE : VOUCH_ENOMEM,
                               x == NULL ? "malformed certificate" : "out of memory");
    }
    for (size_t i = 0; i < nextra; i++) {
        X509 *c = pkix_cert_parse(extra[i], extra_len[i]);
        if (c == NULL || !sk_X509_push(ex, c)) {
            X509_free(c);
            X509_free(x);
            extra_free(ex);
            ERR_clear_error();
            return vouch_error_set(err, VOUCH_EPARSE, "malformed chain certificate %zu", i);
        }
    }
    rc = pkix_verify_x509(res, NULL, set, x, ex, t, eku, err);
    extra_free(ex);
    X509_free(x);
    return rc;
}
