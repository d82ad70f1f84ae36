/* RFC 3161 countersignatures of Notation signatures (signature-specification.md "Signing
 * time"): the TSA roots as sign/pkix.h authorities, and at sign time a token over the
 * signature value, fetched and verified through sign/pkix.h. */
#include <stdio.h>
#include <stdlib.h>

#include "notation_internal.h"
#include "sign/pkix.h"
#include "vouch/mem.h"

int nt_tsa_set(struct sign_pkix_set **out, STACK_OF(X509) * roots, struct vouch_error *err)
{
    int rc = sign_pkix_set_new(out, err);
    for (int i = 0; rc == 0 && i < sk_X509_num(roots); i++) {
        unsigned char *der = NULL;
        int len = i2d_X509(sk_X509_value(roots, i), &der);
        const unsigned char *certs[1] = {der};
        size_t lens[1] = {len > 0 ? (size_t)len : 0};
        char name[256];
        nt_name_text(name, sizeof(name), X509_get_subject_name(sk_X509_value(roots, i)));
        rc = len > 0 ? sign_pkix_set_add(*out, name, certs, lens, 1, INT64_MIN, SIGN_PKIX_OPEN, err)
                     : vouch_enomem(err);
        OPENSSL_free(der);
    }
    return rc;
}

static int roots_load(STACK_OF(X509) * *out, const unsigned char *pem, size_t len,
                      struct vouch_error *err)
{
    return nt_pem_certs(out, pem, len) > 0
               ? 0
               : vouch_error_set(err, VOUCH_EINVAL, "timestamp root holds no PEM certificate");
}

int nt_timestamp(unsigned char **tok, size_t *tok_len, const struct nt_alg *alg,
                 const unsigned char *sig, size_t sig_len,
                 const struct sign_notation_sign_opts *opts, struct vouch_error *err)
{
    STACK_OF(X509) *roots = NULL;
    struct sign_pkix_set *set = NULL;
    struct sign_pkix_result res = {0, 0, 0};
    long ms = opts->tsa_timeout_ms > 0 ? opts->tsa_timeout_ms : 10000;
    *tok = NULL;
    *tok_len = 0;
    int rc = roots_load(&roots, opts->tsa_root_pem, opts->tsa_root_len, err);
    rc = rc ? rc : nt_tsa_set(&set, roots, err);
    rc = rc ? rc
            : sign_pkix_timestamp_request(tok, tok_len, opts->tsa_url, alg->md, sig, sig_len, ms,
                                          err);
    /* as notation does: a token that does not verify against the given root is not used */
    rc = rc ? rc : sign_pkix_timestamp_verify(&res, set, *tok, *tok_len, sig, sig_len, err);
    if (rc == VOUCH_EVERIFY || rc == VOUCH_EPARSE) {
        vouch_error_prefix(err, "timestamp from '%s': ", opts->tsa_url);
    }
    if (rc != 0 && *tok != NULL) {
        free(*tok);
        *tok = NULL;
        *tok_len = 0;
    }
    sign_pkix_set_free(set);
    sk_X509_pop_free(roots, X509_free);
    return rc;
}
