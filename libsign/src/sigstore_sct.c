/* Embedded SCTs of a Fulcio certificate, validated by OpenSSL's CT code (SCT_validate: the
 * precertificate TBS, issuer key hash and extensions are rebuilt by OpenSSL, not here). The CT
 * logs of the trusted root reach OpenSSL's log store as a generated log-list file, the only
 * way its API takes logs, held in an anonymous memory file. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/ct.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "sigstore_internal.h"
#include "vouch/buf.h"
#include "vouch/encoding.h"

/* OpenSSL's log-list format: enabled_logs = l0,l1 then [lN] key = <base64 SPKI> */
static int log_list(struct vouch_buf *b, const struct sign_trustroot *tr, struct vouch_error *err)
{
    size_t n = sign_trustroot_log_count(tr, 1);
    int rc = vouch_buf_puts(b, "enabled_logs = ", err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = vouch_buf_printf(b, err, "%sl%zu", i > 0 ? "," : "", i);
    }
    rc = rc != 0 ? rc : vouch_buf_puts(b, "\n", err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct sign_trustroot_log *l = sign_trustroot_log(tr, 1, i);
        char *key = NULL;
        rc = vouch_base64_encode(&key, l->key_der, l->key_der_len, err);
        rc = rc != 0
                 ? rc
                 : vouch_buf_printf(b, err, "[l%zu]\ndescription = l%zu\nkey = %s\n", i, i, key);
        free(key);
    }
    return rc;
}

static int load_store(CTLOG_STORE **out, const struct sign_trustroot *tr, struct vouch_error *err)
{
    struct vouch_buf b;
    char path[64];
    int fd = -1;
    int rc;
    *out = NULL;
    vouch_buf_init(&b, 0);
    rc = log_list(&b, tr, err);
    if (rc == 0 && (fd = memfd_create("vouch-ctlogs", MFD_CLOEXEC)) < 0) {
        rc = vouch_error_sys(err, VOUCH_EINTERNAL, errno, "cannot hold the CT log list");
    }
    if (rc == 0 && write(fd, b.data, b.len) != (ssize_t)b.len) {
        rc = vouch_error_sys(err, VOUCH_EINTERNAL, errno, "cannot hold the CT log list");
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    if (rc == 0 && ((*out = CTLOG_STORE_new()) == NULL || CTLOG_STORE_load_file(*out, path) != 1)) {
        rc = vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot load the CT logs of the trusted root");
        CTLOG_STORE_free(*out);
        *out = NULL;
    }
    if (fd >= 0) {
        close(fd);
    }
    vouch_buf_release(&b);
    return rc;
}

/* 1 when sct is valid and its log is trusted at the SCT's time */
static int sct_ok(SCT *sct, CT_POLICY_EVAL_CTX *ctx, const struct sign_trustroot *tr)
{
    unsigned char *id = NULL;
    size_t n = SCT_get0_log_id(sct, &id);
    const struct sign_trustroot_log *l = sign_trustroot_log_by_id(tr, 1, id, n);
    int64_t t = (int64_t)(SCT_get_timestamp(sct) / 1000);
    if (l == NULL || t < l->start || t > l->end) {
        return 0;
    }
    return SCT_validate(sct, ctx) == 1 &&
           SCT_get_validation_status(sct) == SCT_VALIDATION_STATUS_VALID;
}

int ss_cert_sct(X509 *leaf, X509 *issuer, const struct sign_trustroot *tr, struct vouch_error *err)
{
    STACK_OF(SCT) *scts = X509_get_ext_d2i(leaf, NID_ct_precert_scts, NULL, NULL);
    CTLOG_STORE *store = NULL;
    CT_POLICY_EVAL_CTX *ctx = NULL;
    int good = 0;
    int rc;
    if (scts == NULL || sk_SCT_num(scts) == 0) {
        SCT_LIST_free(scts);
        ERR_clear_error();
        return vouch_error_set(err, VOUCH_EVERIFY, "certificate has no embedded SCT");
    }
    rc = load_store(&store, tr, err);
    if (rc == 0 &&
        ((ctx = CT_POLICY_EVAL_CTX_new()) == NULL || CT_POLICY_EVAL_CTX_set1_cert(ctx, leaf) != 1 ||
         CT_POLICY_EVAL_CTX_set1_issuer(ctx, issuer) != 1)) {
        rc = vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot check SCTs");
    }
    if (rc == 0) {
        CT_POLICY_EVAL_CTX_set_shared_CTLOG_STORE(ctx, store);
        for (int i = 0; i < sk_SCT_num(scts) && !good; i++) {
            good = sct_ok(sk_SCT_value(scts, i), ctx, tr);
        }
        if (!good) {
            rc = vouch_error_set(err, VOUCH_EVERIFY,
                                 "no embedded SCT verifies with a CT log of the trusted root");
        }
    }
    CT_POLICY_EVAL_CTX_free(ctx);
    CTLOG_STORE_free(store);
    SCT_LIST_free(scts);
    ERR_clear_error();
    return rc;
}
