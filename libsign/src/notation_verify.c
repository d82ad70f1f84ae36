/* The Notary Project verification workflow for one envelope (trust-store-trust-policy.md
 * "Signature Verification"): select the statement, then integrity, authenticity, expiry,
 * authentic timestamp and revocation, each enforced, logged or skipped by the level. */
#define _DEFAULT_SOURCE /* timegm */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/x509v3.h>

#include "notation_internal.h"
#include "sign/pkix.h"
#include "vouch/mem.h"

struct vctx {
    struct sign_notation_result *out;
    const struct nt_statement *st;
    const struct sign_notation_opts *opts;
    struct nt_env env;
    int64_t now;
    struct vouch_error first; /* the first enforced failure */
    int rejected;
};

/* Record a check's outcome; a failure under "enforce" rejects and stops (returns 1). */
static int record(struct vctx *v, enum sign_notation_check c, enum sign_notation_outcome o,
                  const struct vouch_error *why)
{
    struct sign_notation_check_result *r = &v->out->checks[c];
    r->outcome = o;
    snprintf(r->detail, sizeof(r->detail), "%s",
             o == SIGN_NOTATION_PASS || why == NULL ? "" : why->msg);
    if (o != SIGN_NOTATION_PASS && r->action == SIGN_NOTATION_ENFORCE) {
        v->rejected = 1;
        vouch_error_set(&v->first, VOUCH_EVERIFY, "%s: %s", sign_notation_check_name(c), r->detail);
        return 1;
    }
    return 0;
}

static int64_t asn1_time(const ASN1_TIME *t)
{
    struct tm tm;
    return ASN1_TIME_to_tm(t, &tm) == 1 ? (int64_t)timegm(&tm) : 0;
}

static void fill_identity(struct vctx *v)
{
    X509 *leaf = sk_X509_value(v->env.chain, 0);
    int64_t t = v->env.has_authentic_time ? v->env.authentic_time : v->env.signing_time;
    snprintf(v->out->scheme, sizeof(v->out->scheme), "%s",
             v->env.scheme == NT_SCHEME_X509 ? NT_SCHEME_X509_NAME : NT_SCHEME_SA_NAME);
    nt_name_text(v->out->subject, sizeof(v->out->subject), X509_get_subject_name(leaf));
    nt_name_text(v->out->issuer, sizeof(v->out->issuer), X509_get_issuer_name(leaf));
    if (v->env.has_authentic_time || v->env.has_signing_time) {
        nt_time_text(v->out->signing_time, sizeof(v->out->signing_time), t);
    }
    if (v->env.has_expiry) {
        nt_time_text(v->out->expiry, sizeof(v->out->expiry), v->env.expiry);
    }
}

static int integrity(struct vctx *v, const struct sign_notation_target *target, const char *mt,
                     const unsigned char *env, size_t len)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc;
    snprintf(v->out->envelope, sizeof(v->out->envelope), "%s", mt);
    if (strcmp(mt, SIGN_NOTATION_MT_JWS) == 0) {
        rc = nt_jws_parse(&v->env, env, len, &e);
    } else if (strcmp(mt, SIGN_NOTATION_MT_COSE) == 0) {
        rc = nt_cose_parse(&v->env, env, len, &e);
    } else {
        rc = vouch_error_set(&e, VOUCH_EVERIFY,
                             "signature envelope format with media type \"%.64s\" is not "
                             "supported",
                             mt);
    }
    if (rc == 0) {
        fill_identity(v);
    }
    rc = rc ? rc : nt_env_verify_signature(&v->env, &e);
    rc = rc ? rc : nt_chain_check(v->env.chain, 0, &e);
    rc = rc ? rc : nt_payload_check(v->env.payload, v->env.payload_len, target, &e);
    if (rc == VOUCH_ENOMEM || rc == VOUCH_EINTERNAL) {
        v->first = e;
        return rc;
    }
    return record(v, SIGN_NOTATION_INTEGRITY, rc ? SIGN_NOTATION_FAIL : SIGN_NOTATION_PASS, &e);
}

static int identity_match(const struct vctx *v, X509 *leaf, struct vouch_error *e)
{
    struct nt_dn have, want;
    char list[200] = "";
    if (strcmp(v->st->identities[0], "*") == 0) {
        return 0;
    }
    int rc = nt_dn_of_name(&have, X509_get_subject_name(leaf), e);
    for (size_t i = 0; rc == 0 && i < v->st->n_identities; i++) {
        if (nt_dn_parse(&want, v->st->identities[i] + strlen("x509.subject:"), e) == 0 &&
            nt_dn_subset(&want, &have)) {
            return 0;
        }
        size_t at = strlen(list);
        snprintf(list + at, sizeof(list) - at, "%s%s", at ? "; " : "",
                 v->st->identities[i] + strlen("x509.subject:"));
    }
    return rc ? rc
              : vouch_error_set(e, VOUCH_EVERIFY,
                                "signing certificate from the digital signature does not match "
                                "the X.509 trusted identities [%s] defined in the trust policy "
                                "\"%s\"",
                                list, v->st->name);
}

/* The chain leads to a certificate of the scheme's trust store type; the leaf's subject
 * is a trusted identity. Trust store errors are configuration errors (returned as is). */
static int authenticity(struct vctx *v)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    STACK_OF(X509) *trusted = NULL;
    const char *type = v->env.scheme == NT_SCHEME_X509 ? "ca" : "signingAuthority";
    int found = 0, rc;
    if (v->out->checks[SIGN_NOTATION_AUTHENTICITY].action == SIGN_NOTATION_SKIP) {
        return 0;
    }
    if (v->env.plugin[0] != '\0') {
        /* notation hands such a signature to the plugin (AWS Signer: signing profile and job
         * revocation); vouch runs no plugins, so it cannot call the signature authentic */
        vouch_error_set(&e, VOUCH_EVERIFY,
                        "signature requires verification plugin '%s', which vouch does not run",
                        v->env.plugin);
        return record(v, SIGN_NOTATION_AUTHENTICITY, SIGN_NOTATION_FAIL, &e);
    }
    rc = nt_store_load(&trusted, v->opts->trust_store, v->st, type, &v->first);
    if (rc != 0) {
        return rc;
    }
    for (int i = 0; i < sk_X509_num(v->env.chain) && !found; i++) {
        for (int j = 0; j < sk_X509_num(trusted) && !found; j++) {
            found = X509_cmp(sk_X509_value(v->env.chain, i), sk_X509_value(trusted, j)) == 0;
        }
    }
    sk_X509_pop_free(trusted, X509_free);
    rc = found ? 0
               : vouch_error_set(&e, VOUCH_EVERIFY,
                                 "the signature's certificate chain does not contain any trusted "
                                 "certificate");
    rc = rc ? rc : identity_match(v, sk_X509_value(v->env.chain, 0), &e);
    return record(v, SIGN_NOTATION_AUTHENTICITY, rc ? SIGN_NOTATION_FAIL : SIGN_NOTATION_PASS, &e);
}

static int expiry(struct vctx *v)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    char when[48];
    if (v->out->checks[SIGN_NOTATION_EXPIRY].action == SIGN_NOTATION_SKIP) {
        return 0;
    }
    if (v->env.has_expiry && v->now > v->env.expiry) {
        nt_time_rfc1123(when, sizeof(when), v->env.expiry);
        vouch_error_set(&e, VOUCH_EVERIFY, "digital signature has expired on \"%s\"", when);
        return record(v, SIGN_NOTATION_EXPIRY, SIGN_NOTATION_FAIL, &e);
    }
    return record(v, SIGN_NOTATION_EXPIRY, SIGN_NOTATION_PASS, NULL);
}

/* [lo, hi] lies within every certificate's validity; what names the time in messages. */
static int within_chain(const struct vctx *v, int64_t lo, int64_t hi, const char *what,
                        struct vouch_error *e)
{
    for (int i = 0; i < sk_X509_num(v->env.chain); i++) {
        X509 *x = sk_X509_value(v->env.chain, i);
        int64_t nb = asn1_time(X509_get0_notBefore(x)), na = asn1_time(X509_get0_notAfter(x));
        char name[256], when[48];
        nt_name_text(name, sizeof(name), X509_get_subject_name(x));
        if (lo < nb) {
            nt_time_rfc1123(when, sizeof(when), nb);
            return vouch_error_set(e, VOUCH_EVERIFY,
                                   "%s before certificate \"%s\" validity period, it will be valid "
                                   "from \"%s\"",
                                   what, name, when);
        }
        if (hi > na) {
            nt_time_rfc1123(when, sizeof(when), na);
            return vouch_error_set(e, VOUCH_EVERIFY,
                                   "%s after certificate \"%s\" validity period, it was expired at "
                                   "\"%s\"",
                                   what, name, when);
        }
    }
    return 0;
}

static int timestamp_wanted(const struct vctx *v)
{
    int has_tsa = 0;
    for (size_t i = 0; i < v->st->n_stores; i++) {
        has_tsa |= strncmp(v->st->stores[i], "tsa:", 4) == 0;
    }
    if (v->env.scheme != NT_SCHEME_X509 || !has_tsa) {
        return 0;
    }
    if (!v->st->after_cert_expiry) {
        return 1;
    }
    for (int i = 0; i < sk_X509_num(v->env.chain); i++) {
        if (v->now > asn1_time(X509_get0_notAfter(sk_X509_value(v->env.chain, i)))) {
            return 1;
        }
    }
    return 0;
}

/* The tsa roots as sign/pkix.h authorities (a root's own validity bounds its window). */
static int tsa_set(struct sign_pkix_set **out, STACK_OF(X509) * roots, struct vouch_error *err)
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

/* The RFC 3161 countersignature over the signature bytes, verified by sign/pkix.h against
 * the tsa stores; genTime must lie within the signing chain's validity. The token's accuracy
 * is not applied (sign/pkix.h reports genTime only). */
static int countersignature(struct vctx *v, struct vouch_error *e)
{
    STACK_OF(X509) *tsa = NULL;
    struct sign_pkix_set *set = NULL;
    struct sign_pkix_result res = {0, 0};
    int rc;
    if (v->env.tst == NULL || v->env.tst_len == 0) {
        return vouch_error_set(e, VOUCH_EVERIFY,
                               "no timestamp countersignature was found in the signature envelope");
    }
    rc = nt_store_load(&tsa, v->opts->trust_store, v->st, "tsa", &v->first);
    if (rc != 0) {
        return rc;
    }
    rc = tsa_set(&set, tsa, e);
    rc = rc ? rc
            : sign_pkix_timestamp_verify(&res, set, v->env.tst, v->env.tst_len, v->env.sig,
                                         v->env.sig_len, e);
    sign_pkix_set_free(set);
    sk_X509_pop_free(tsa, X509_free);
    if (rc == VOUCH_EPARSE || rc == VOUCH_EVERIFY) {
        vouch_error_prefix(e, "failed to verify the timestamp countersignature: ");
        rc = VOUCH_EVERIFY;
    }
    if (rc == 0) {
        nt_time_text(v->out->timestamp, sizeof(v->out->timestamp), res.time);
        rc = within_chain(v, res.time, res.time, "timestamp can be", e);
    }
    return rc;
}

static int authentic_timestamp(struct vctx *v)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc;
    if (v->out->checks[SIGN_NOTATION_AUTHENTIC_TIMESTAMP].action == SIGN_NOTATION_SKIP) {
        return 0;
    }
    if (v->env.scheme == NT_SCHEME_SIGNING_AUTHORITY) {
        rc = within_chain(v, v->env.authentic_time, v->env.authentic_time,
                          "authentic signing time is", &e);
    } else if (timestamp_wanted(v)) {
        rc = countersignature(v, &e);
        if (rc != 0 && rc != VOUCH_EVERIFY) {
            return rc;
        }
    } else {
        rc = within_chain(v, v->now, v->now, "verification time is", &e);
    }
    return record(v, SIGN_NOTATION_AUTHENTIC_TIMESTAMP,
                  rc ? SIGN_NOTATION_FAIL : SIGN_NOTATION_PASS, &e);
}

/* Offline: a certificate naming OCSP responders or CRL distribution points has an unknown
 * revocation status; one naming neither is taken as not revoked (the spec's rule). A
 * signature asking for a verification plugin's extended validation is unknown too. */
static int revocation(struct vctx *v)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    if (v->out->checks[SIGN_NOTATION_REVOCATION].action == SIGN_NOTATION_SKIP) {
        return 0;
    }
    if (v->env.plugin[0] != '\0') {
        /* AWS Signer's plugin checks signing profile revocation; vouch runs no plugins */
        vouch_error_set(&e, VOUCH_EVERIFY,
                        "revocation status from verification plugin '%s' is unknown: vouch "
                        "does not run plugins",
                        v->env.plugin);
        return record(v, SIGN_NOTATION_REVOCATION, SIGN_NOTATION_UNKNOWN, &e);
    }
    for (int i = 0; i < sk_X509_num(v->env.chain); i++) {
        X509 *x = sk_X509_value(v->env.chain, i);
        if (X509_get_ext_by_NID(x, NID_info_access, -1) >= 0 ||
            X509_get_ext_by_NID(x, NID_crl_distribution_points, -1) >= 0) {
            char name[256];
            nt_name_text(name, sizeof(name), X509_get_subject_name(x));
            vouch_error_set(&e, VOUCH_EVERIFY,
                            "revocation status of certificate \"%s\" is unknown: OCSP and CRL "
                            "are not checked offline",
                            name);
            return record(v, SIGN_NOTATION_REVOCATION, SIGN_NOTATION_UNKNOWN, &e);
        }
    }
    return record(v, SIGN_NOTATION_REVOCATION, SIGN_NOTATION_PASS, NULL);
}

int sign_notation_verify_envelope(struct sign_notation_result *out,
                                  const struct sign_notation_policy *policy, const char *repo_uri,
                                  const struct sign_notation_target *target, const char *env_mt,
                                  const unsigned char *env, size_t env_len,
                                  const struct sign_notation_opts *opts, struct vouch_error *err)
{
    struct vctx v;
    int rc;
    memset(out, 0, sizeof(*out));
    memset(&v, 0, sizeof(v));
    v.out = out;
    v.opts = opts;
    v.now = opts->now ? (int64_t)opts->now : (int64_t)time(NULL);
    v.st = nt_policy_select(policy, repo_uri);
    if (v.st == NULL) {
        return vouch_error_set(err, VOUCH_EPOLICY,
                               "artifact \"%s\" has no applicable trust policy statement",
                               repo_uri ? repo_uri : "");
    }
    snprintf(out->policy, sizeof(out->policy), "%s", v.st->name);
    snprintf(out->level, sizeof(out->level), "%s", nt_level_name(v.st->level));
    for (int c = 0; c < SIGN_NOTATION_NCHECKS; c++) {
        out->checks[c].action = v.st->actions[c];
    }
    if (v.st->actions[SIGN_NOTATION_INTEGRITY] == SIGN_NOTATION_SKIP) {
        out->verified = 1;
        return 0;
    }
    rc = integrity(&v, target, env_mt, env, env_len);
    rc = rc ? rc : authenticity(&v);
    rc = rc ? rc : expiry(&v);
    rc = rc ? rc : authentic_timestamp(&v);
    rc = rc ? rc : revocation(&v);
    nt_env_release(&v.env);
    out->verified = rc == 0 && !v.rejected;
    if ((rc < 0 || v.rejected) && err != NULL) {
        *err = v.first;
    }
    if (rc < 0) {
        return rc;
    }
    if (v.rejected) {
        return VOUCH_EVERIFY;
    }
    return 0;
}
