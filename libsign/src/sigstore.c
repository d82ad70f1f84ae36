/* Sigstore bundle verification, in order: material and options, the signature (and DSSE
 * subject), transparency-log entries bound to it, RFC 3161 timestamps, then at every verified
 * time the Fulcio chain, its SCT, and finally the identity. Fail closed: rc starts as
 * VOUCH_EVERIFY and only the last step sets 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "bundle_internal.h"
#include "pkix_internal.h"
#include "sigstore_internal.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"

int ss_add_time(struct ss_run *r, int64_t t)
{
    if (r->ntimes < SS_MAX_TIMES) {
        r->times[r->ntimes++] = t;
    }
    if (r->res->signed_time == 0) {
        r->res->signed_time = t;
    }
    return 0;
}

/* the bundle's chain must not carry a root: trust comes from the trusted root only */
static int check_chain(const struct sign_bundle *b, struct vouch_error *err)
{
    const json_t *certs =
        json_object_get(json_object_get(b->vm, "x509CertificateChain"), "certificates");
    for (size_t i = 0; i < b->nchain; i++) {
        unsigned char *der = NULL;
        size_t n = 0;
        X509 *x = NULL;
        int self;
        if (sign_jread_b64(&der, &n, json_array_get(certs, i), "rawBytes", "bundle certificate",
                           err) != 0 ||
            (x = pkix_cert_parse(der, n)) == NULL) {
            free(der);
            return vouch_error_set(err, VOUCH_EPARSE, "malformed bundle certificate %zu", i);
        }
        self = (X509_get_extension_flags(x) & EXFLAG_SS) != 0;
        X509_free(x);
        free(der);
        if (self) {
            return vouch_error_set(err, VOUCH_EVERIFY,
                                   "bundle's certificate chain includes a root certificate");
        }
    }
    return 0;
}

static int setup(struct ss_run *r, struct vouch_error *err)
{
    const struct sign_bundle *b = r->b;
    size_t n = 0;
    int rc;
    if (b->legacy || b->vm == NULL) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "cosign's old bundle format has no sigstore verification here");
    }
    if (b->material == SIGN_BUNDLE_MAT_NONE) {
        return vouch_error_set(err, VOUCH_EVERIFY, "bundle has no verification material");
    }
    if (r->o->key == NULL && b->material == SIGN_BUNDLE_MAT_PUBLIC_KEY) {
        return vouch_error_set(err, VOUCH_EINVAL, "bundle is signed with a key: a key is needed");
    }
    if (r->o->key == NULL && r->o->identity == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "keyless bundle: an expected identity and issuer are needed");
    }
    if (r->o->key != NULL) {
        r->key = r->o->key;
        rc = sign_key_public_der(&r->signer_der, &n, r->key, err);
        r->s.signer = r->signer_der;
        r->s.signer_len = n;
        return rc;
    }
    r->res->keyless = 1;
    if ((rc = check_chain(b, err)) != 0) {
        return rc;
    }
    if ((r->leaf = pkix_cert_parse(b->cert, b->cert_len)) == NULL) {
        ERR_clear_error();
        return vouch_error_set(err, VOUCH_EPARSE, "malformed bundle certificate");
    }
    rc = sign_key_load_cert(&r->leaf_key, b->cert, b->cert_len, "bundle certificate", err);
    r->key = r->leaf_key;
    r->s.signer = b->cert;
    r->s.signer_len = b->cert_len;
    r->s.signer_is_cert = 1;
    return rc;
}

/* the in-toto statement names the artifact digest as a subject */
static int check_subject(const unsigned char *payload, size_t n, const struct sign_blob_digest *d,
                         struct vouch_error *err)
{
    json_t *st = NULL;
    char hex[2 * SIGN_DIGEST_MAX + 1];
    const json_t *subj;
    const json_t *s;
    size_t i;
    int found = 0;
    int rc = sign_jread_load(&st, payload, n, "dsse payload", err);
    if (rc != 0) {
        return rc;
    }
    vouch_hex_encode(hex, d->value, d->len);
    subj = json_object_get(st, "subject");
    json_array_foreach(subj, i, s)
    {
        const json_t *v = json_object_get(json_object_get(s, "digest"), "sha256");
        found |= json_is_string(v) && strcmp(json_string_value(v), hex) == 0;
    }
    json_decref(st);
    return found ? 0
                 : vouch_error_set(err, VOUCH_EVERIFY,
                                   "artifact sha256:%.16s… is not a subject of the statement", hex);
}

static int check_signature(struct ss_run *r, struct vouch_error *err)
{
    const struct sign_bundle *b = r->b;
    const struct sign_blob_digest *d = &r->art->digest;
    int rc;
    if (b->kind == SIGN_BUNDLE_DSSE) {
        rc = sign_dsse_verify(&r->res->payload, &r->res->payload_len, b->dsse, &r->key, 1, 1, err);
        rc = rc != 0 ? rc : check_subject(r->res->payload, r->res->payload_len, d, err);
        r->s.dsse = b->dsse;
        r->s.sig = sign_dsse_sig(b->dsse, 0, &r->s.sig_len);
        return rc;
    }
    r->s.artifact = &r->art->digest;
    r->s.sig = b->sig;
    r->s.sig_len = b->sig_len;
    if (b->has_digest && (b->digest.alg != d->alg || b->digest.len != d->len ||
                          memcmp(b->digest.value, d->value, d->len) != 0)) {
        return vouch_error_set(err, VOUCH_EVERIFY, "bundle message digest is not the artifact's");
    }
    if (sign_key_type_of(r->key) == SIGN_KEY_ED25519) {
        if (r->art->path == NULL) {
            return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                                   "an Ed25519 signature needs the artifact, not its digest");
        }
        return sign_blob_verify(NULL, r->key, r->art->path, NULL, b->sig, b->sig_len, err);
    }
    rc = sign_key_verify_digest(r->key, d->alg, d->value, d->len, b->sig, b->sig_len, NULL);
    return rc == 0 ? 0
                   : vouch_error_set(err, VOUCH_EVERIFY, "signature does not verify with the %s",
                                     r->res->keyless ? "certificate's key" : "given key");
}

static int check_entry(struct ss_run *r, const json_t *o, struct vouch_error *err)
{
    struct ss_entry e;
    int v01 = strstr(r->b->media_type, "version=0.1") != NULL;
    int rc = ss_entry_parse(&e, o, r->o->root, err);
    rc = rc != 0 ? rc : ss_entry_check(r, &e, v01, err);
    ss_entry_release(&e);
    return rc;
}

int ss_entry_check(struct ss_run *r, const struct ss_entry *ep, int v01, struct vouch_error *err)
{
    const struct ss_entry e = *ep;
    int rc = ss_body_check(&e, &r->s, err);
    if (rc == 0 && !e.has_proof && !v01) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "tlog entry %lld has no inclusion proof",
                             (long long)e.log_index);
    }
    if (rc == 0 && !e.has_set && v01) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "tlog entry %lld has no inclusion promise",
                             (long long)e.log_index);
    }
    rc = rc != 0 || !e.has_proof ? rc : ss_entry_verify_proof(&e, err);
    rc = rc != 0 || !e.has_set ? rc : ss_entry_verify_set(&e, err);
    if (rc == 0 && e.has_set &&
        (e.integrated_time < e.log->start || e.integrated_time > e.log->end)) {
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "tlog entry %lld: integrated time is outside the log key's validity",
                             (long long)e.log_index);
    }
    if (rc == 0) {
        r->res->has_log = 1;
        r->res->log_index = e.log_index;
        if (e.has_set) {
            ss_add_time(r, e.integrated_time);
        }
    }
    return rc;
}

static int check_tlog(struct ss_run *r, struct vouch_error *err)
{
    const json_t *entries = json_object_get(r->b->vm, "tlogEntries");
    size_t i;
    const json_t *o;
    if (json_array_size(entries) == 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "bundle has no transparency-log entry");
    }
    json_array_foreach(entries, i, o)
    {
        int rc = check_entry(r, o, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* base64 as Go's decoder reads it: line breaks are skipped (`base64` wraps at 76) */
static int b64_lines(unsigned char **out, size_t *n, const json_t *o, const char *key,
                     struct vouch_error *err)
{
    const json_t *v = json_object_get(o, key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    char *flat = s != NULL ? malloc(len + 1) : NULL;
    size_t k = 0;
    int rc;
    if (flat == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed bundle: no rfc3161 '%s'", key);
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\n' && s[i] != '\r') {
            flat[k++] = s[i];
        }
    }
    rc = vouch_base64_decode(out, n, flat, k, NULL);
    free(flat);
    return rc == 0 ? 0
                   : vouch_error_set(err, VOUCH_EPARSE,
                                     "malformed bundle: rfc3161 '%s' is not "
                                     "base64",
                                     key);
}

static int check_timestamps(struct ss_run *r, struct vouch_error *err)
{
    const json_t *tvd = json_object_get(r->b->vm, "timestampVerificationData");
    const json_t *ts = json_object_get(tvd, "rfc3161Timestamps");
    size_t i;
    const json_t *o;
    json_array_foreach(ts, i, o)
    {
        struct sign_pkix_result pr;
        unsigned char *tok = NULL;
        size_t n = 0;
        int rc = b64_lines(&tok, &n, o, "signedTimestamp", err);
        rc = rc != 0 ? rc
                     : sign_pkix_timestamp_verify(&pr, sign_trustroot_tsas(r->o->root), tok, n,
                                                  r->s.sig, r->s.sig_len, err);
        free(tok);
        if (rc != 0) {
            return rc;
        }
        ss_add_time(r, pr.time);
    }
    return 0;
}

/* the Fulcio chain at every verified time, the SCT once */
int ss_check_cert(struct ss_run *r, struct vouch_error *err)
{
    STACK_OF(X509) *chain = NULL;
    int rc = 0;
    if (r->ntimes == 0) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "no verified signing time (no inclusion promise, no trusted "
                               "timestamp)");
    }
    for (size_t i = 0; rc == 0 && i < r->ntimes; i++) {
        rc = pkix_verify_x509(NULL, i == 0 ? &chain : NULL, sign_trustroot_fulcio(r->o->root),
                              r->leaf, NULL, r->times[i], SIGN_PKIX_EKU_CODE_SIGNING, err);
    }
    if (rc == 0) {
        rc = sk_X509_num(chain) >= 2
                 ? ss_cert_sct(r->leaf, sk_X509_value(chain, 1), r->o->root, err)
                 : vouch_error_set(err, VOUCH_EVERIFY, "certificate is its own issuer");
    }
    sk_X509_pop_free(chain, X509_free);
    return rc;
}

int sign_sigstore_verify(struct sign_sigstore_result *res, const struct sign_bundle *b,
                         const struct sign_sigstore_artifact *artifact,
                         const struct sign_sigstore_opts *o, struct vouch_error *err)
{
    struct sign_sigstore_result local;
    struct ss_run r;
    int rc;
    memset(&r, 0, sizeof(r));
    r.res = res != NULL ? res : &local;
    memset(r.res, 0, sizeof(*r.res));
    r.b = b;
    r.art = artifact;
    r.o = o;
    rc = setup(&r, err);
    rc = rc != 0 ? rc : check_signature(&r, err);
    if (rc == 0 && !o->ignore_tlog) {
        rc = check_tlog(&r, err);
        rc = rc != 0 ? rc : check_timestamps(&r, err);
    } else if (rc == 0 && r.res->keyless) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "a keyless bundle cannot skip the tlog checks");
    }
    rc = rc != 0 || !r.res->keyless ? rc : ss_check_cert(&r, err);
    rc = rc != 0 || !r.res->keyless ? rc : ss_cert_identity(r.res, r.leaf, o->identity, err);
    X509_free(r.leaf);
    sign_key_free(r.leaf_key);
    free(r.signer_der);
    if (rc != 0 || res == NULL) {
        sign_sigstore_result_release(r.res);
    }
    return rc;
}

void sign_sigstore_result_release(struct sign_sigstore_result *res)
{
    free(res->payload);
    res->payload = NULL;
    res->payload_len = 0;
}
