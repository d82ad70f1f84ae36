/* RFC 3161 timestamp countersignatures for Notation, with OpenSSL's TS API: the token is
 * CMS SignedData over TSTInfo, its imprint is the hash of the envelope's signature bytes,
 * its signer chains to a tsa root (valid at genTime) with a timeStamping EKU and the ESS
 * signing-certificate attribute (both checked by TS_RESP_verify_token). */
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>

#include "notation_internal.h"

/* The ETSI baseline time-stamp policy (RFC 3628 §5.2): accuracy of one second. */
#define BASELINE_POLICY "0.4.0.2023.1.1"

static int64_t asn1_int(const ASN1_INTEGER *i)
{
    int64_t v = 0;
    return i != NULL && ASN1_INTEGER_get_int64(&v, i) == 1 ? v : 0;
}

static int64_t accuracy_of(TS_TST_INFO *info)
{
    TS_ACCURACY *acc = TS_TST_INFO_get_accuracy(info);
    char oid[64] = "";
    if (acc != NULL) {
        int64_t sub =
            asn1_int(TS_ACCURACY_get_millis(acc)) * 1000 + asn1_int(TS_ACCURACY_get_micros(acc));
        return asn1_int(TS_ACCURACY_get_seconds(acc)) + (sub > 0 ? (sub + 999999) / 1000000 : 0);
    }
    OBJ_obj2txt(oid, sizeof(oid), TS_TST_INFO_get_policy_id(info), 1);
    return strcmp(oid, BASELINE_POLICY) == 0 ? 1 : 0;
}

static int token_parse(PKCS7 **p7, TS_TST_INFO **info, const unsigned char *tst, size_t len,
                       struct vouch_error *err)
{
    const unsigned char *p = tst;
    *info = NULL;
    *p7 = d2i_PKCS7(NULL, &p, (long)len);
    if (*p7 == NULL || p != tst + len || !PKCS7_type_is_signed(*p7)) {
        return vouch_error_ssl(err, VOUCH_EVERIFY,
                               "failed to parse timestamp countersignature: not CMS SignedData");
    }
    const ASN1_OBJECT *ct = (*p7)->d.sign->contents->type;
    if (OBJ_obj2nid(ct) != NID_id_smime_ct_TSTInfo) {
        char oid[64];
        OBJ_obj2txt(oid, sizeof(oid), ct, 1);
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "failed to parse timestamp countersignature: unexpected content "
                               "type %s, expected id-ct-TSTInfo",
                               oid);
    }
    *info = PKCS7_to_TS_TST_INFO(*p7);
    return *info ? 0 : vouch_error_ssl(err, VOUCH_EVERIFY, "cannot read the timestamp TSTInfo");
}

int nt_tsa_verify(int64_t *gen_time, int64_t *accuracy, const unsigned char *tst, size_t tst_len,
                  const unsigned char *sig, size_t sig_len, STACK_OF(X509) * tsa,
                  struct vouch_error *err)
{
    PKCS7 *p7 = NULL;
    TS_TST_INFO *info = NULL;
    TS_VERIFY_CTX *ctx = NULL;
    X509_STORE *store = NULL;
    struct tm tm;
    int rc = token_parse(&p7, &info, tst, tst_len, err);
    if (rc == 0 && ASN1_TIME_to_tm(TS_TST_INFO_get_time(info), &tm) != 1) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "timestamp genTime is malformed");
    }
    if (rc == 0 && sk_X509_num(tsa) == 0) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "no trusted TSA certificate found in trust store");
    }
    if (rc == 0) {
        *gen_time = (int64_t)timegm(&tm);
        *accuracy = accuracy_of(info);
        ctx = TS_VERIFY_CTX_new();
        store = X509_STORE_new();
        rc = ctx && store ? 0 : vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
    }
    for (int i = 0; rc == 0 && i < sk_X509_num(tsa); i++) {
        rc = X509_STORE_add_cert(store, sk_X509_value(tsa, i)) == 1
                 ? 0
                 : vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot use the tsa trust store");
    }
    if (rc == 0) {
        BIO *data = BIO_new_mem_buf(sig, (int)sig_len);
        /* the TSA certificate must have been valid when it issued the token */
        X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)*gen_time);
        TS_VERIFY_CTX_set_store(ctx, store);
        store = NULL; /* owned by ctx now */
        TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
        if (data == NULL || TS_VERIFY_CTX_set_data(ctx, data) == NULL) {
            BIO_free(data);
            rc = vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
        }
    }
    if (rc == 0 && TS_RESP_verify_token(ctx, p7) != 1) {
        rc = vouch_error_ssl(err, VOUCH_EVERIFY, "failed to verify the timestamp countersignature");
    }
    TS_VERIFY_CTX_free(ctx);
    X509_STORE_free(store);
    TS_TST_INFO_free(info);
    PKCS7_free(p7);
    ERR_clear_error();
    return rc;
}
