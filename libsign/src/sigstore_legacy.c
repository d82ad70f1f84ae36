/* Legacy cosign `.sig` layers: the certificate annotation and the old RekorBundle
 * {"SignedEntryTimestamp","Payload":{"body","integratedTime","logIndex","logID"}}, checked
 * with the same entry, chain, SCT and identity steps as sigstore bundles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "pkix_internal.h"
#include "sigstore_internal.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

static int jnum(int64_t *out, const json_t *o, const char *key, struct vouch_error *err)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed rekor bundle: '%s'", key);
    }
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* the kind is the body's own (the SET covers the body) */
static int body_kind(struct ss_entry *e, struct vouch_error *err)
{
    json_t *body = NULL;
    const char *kind = NULL;
    const char *version = NULL;
    int rc = sign_jread_load(&body, e->body, e->body_len, "rekor entry body", err);
    rc = rc != 0 ? rc : sign_jread_str(&kind, body, "kind", "rekor entry body", err);
    rc = rc != 0 ? rc : sign_jread_str(&version, body, "apiVersion", "rekor entry body", err);
    if (rc == 0) {
        snprintf(e->kind, sizeof(e->kind), "%s", kind);
        snprintf(e->version, sizeof(e->version), "%s", version);
    }
    json_decref(body);
    return rc;
}

/* the RekorBundle as a tlog entry with a promise and no proof */
static int rekor_entry(struct ss_entry *e, const char *json, const struct sign_trustroot *tr,
                       struct vouch_error *err)
{
    json_t *root = NULL;
    const json_t *p = NULL;
    const char *id = NULL;
    unsigned char raw[64];
    size_t idn;
    int rc = sign_jread_load(&root, (const unsigned char *)json, strlen(json), "rekor bundle", err);
    memset(e, 0, sizeof(*e));
    rc = rc != 0 ? rc : sign_jread_obj(&p, root, "Payload", "rekor bundle", err);
    rc = rc != 0 ? rc : jnum(&e->log_index, p, "logIndex", err);
    rc = rc != 0 ? rc : jnum(&e->integrated_time, p, "integratedTime", err);
    rc = rc != 0 ? rc : sign_jread_b64(&e->body, &e->body_len, p, "body", "rekor bundle", err);
    rc = rc != 0 ? rc
                 : sign_jread_b64(&e->set, &e->set_len, root, "SignedEntryTimestamp",
                                  "rekor bundle", err);
    rc = rc != 0 ? rc : sign_jread_str(&id, p, "logID", "rekor bundle", err);
    idn = id != NULL ? strlen(id) / 2 : 0;
    if (rc == 0 &&
        (idn == 0 || idn > sizeof(raw) || vouch_hex_decode(raw, idn, id, 2 * idn, NULL) != 0)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed rekor bundle: 'logID'");
    }
    if (rc == 0 && (e->log = sign_trustroot_log_by_id(tr, 0, raw, idn)) == NULL) {
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "rekor entry %lld is from a log the trusted root does not list",
                             (long long)e->log_index);
    }
    e->has_set = rc == 0;
    json_decref(root);
    return rc != 0 ? rc : body_kind(e, err);
}

static int leaf_from_pem(struct ss_run *r, const char *pem, struct vouch_error *err)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *x = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    unsigned char *der = NULL;
    int n = x != NULL ? i2d_X509(x, &der) : -1;
    int rc;
    BIO_free(bio);
    ERR_clear_error();
    if (n <= 0) {
        X509_free(x);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed certificate annotation");
    }
    r->leaf = x;
    rc = sign_key_load_cert(&r->leaf_key, der, (size_t)n, "certificate annotation", err);
    r->signer_der = malloc((size_t)n);
    if (rc == 0 && r->signer_der == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0) {
        memcpy(r->signer_der, der, (size_t)n);
        r->s.signer = r->signer_der;
        r->s.signer_len = (size_t)n;
        r->s.signer_is_cert = 1;
        r->key = r->leaf_key;
    }
    OPENSSL_free(der);
    return rc;
}

static int setup(struct ss_run *r, const struct sign_sigstore_legacy *l, struct vouch_error *err)
{
    size_t n = 0;
    int rc;
    if (r->o->key != NULL) {
        r->key = r->o->key;
        rc = sign_key_public_der(&r->signer_der, &n, r->key, err);
        r->s.signer = r->signer_der;
        r->s.signer_len = n;
        return rc;
    }
    if (l->cert_pem == NULL || l->cert_pem[0] == '\0') {
        return vouch_error_set(err, VOUCH_EINVAL, "signature has no certificate: a key is needed");
    }
    if (r->o->identity == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "keyless signature: an expected identity and issuer are needed");
    }
    r->res->keyless = 1;
    return leaf_from_pem(r, l->cert_pem, err);
}

/* cosign's RFC3161Timestamp annotation {"SignedRFC3161Timestamp":"<base64 DER>"}, over the raw
 * signature (the layer bytes of an attestation, whose signature annotation is empty) */
static int check_timestamp(struct ss_run *r, const struct sign_sigstore_legacy *l,
                           struct vouch_error *err)
{
    struct sign_pkix_result pr;
    json_t *root = NULL;
    unsigned char *tok = NULL;
    size_t n = 0;
    const unsigned char *over = l->dsse != NULL ? l->payload : r->s.sig;
    size_t over_len = l->dsse != NULL ? l->payload_len : r->s.sig_len;
    int rc = sign_jread_load(&root, (const unsigned char *)l->timestamp, strlen(l->timestamp),
                             "rfc3161 timestamp annotation", err);
    rc = rc != 0 ? rc
                 : sign_jread_b64(&tok, &n, root, "SignedRFC3161Timestamp",
                                  "rfc3161 timestamp annotation", err);
    rc = rc != 0 ? rc
                 : sign_pkix_timestamp_verify(&pr, sign_trustroot_tsas(r->o->root), tok, n, over,
                                              over_len, err);
    if (rc == VOUCH_EVERIFY) {
        vouch_error_prefix(err, "rfc3161 timestamp annotation: ");
    }
    if (rc == 0) {
        ss_add_time(r, pr.time);
    }
    free(tok);
    json_decref(root);
    return rc;
}

/* the signature over the payload digest, or the envelope (its payload into res) */
static int check_signature(struct ss_run *r, const struct sign_sigstore_legacy *l,
                           struct vouch_error *err)
{
    const struct sign_blob_digest *d = r->s.artifact;
    if (l->dsse != NULL) {
        r->s.artifact = NULL;
        r->s.dsse = l->dsse;
        r->s.sig = sign_dsse_sig(l->dsse, 0, &r->s.sig_len);
        return sign_dsse_verify(&r->res->payload, &r->res->payload_len, l->dsse, &r->key, 1, 1,
                                err);
    }
    if (sign_key_verify_digest(r->key, SIGN_HASH_SHA256, d->value, d->len, l->sig, l->sig_len,
                               NULL) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signature does not verify over the payload");
    }
    return 0;
}

int sign_sigstore_verify_legacy(struct sign_sigstore_result *res,
                                const struct sign_sigstore_legacy *l,
                                const struct sign_sigstore_opts *o, struct vouch_error *err)
{
    struct sign_sigstore_result local;
    struct sign_sigstore_artifact art;
    struct ss_entry e;
    struct ss_run r;
    int rc;
    memset(&r, 0, sizeof(r));
    memset(&e, 0, sizeof(e));
    memset(&art, 0, sizeof(art));
    r.res = res != NULL ? res : &local;
    memset(r.res, 0, sizeof(*r.res));
    r.o = o;
    r.art = &art;
    art.digest.alg = SIGN_HASH_SHA256;
    art.digest.len = SHA256_DIGEST_LENGTH;
    SHA256(l->payload, l->payload_len, art.digest.value);
    r.s.artifact = &art.digest;
    r.s.sig = l->sig;
    r.s.sig_len = l->sig_len;
    rc = setup(&r, l, err);
    rc = rc != 0 ? rc : check_signature(&r, l, err);
    if (rc == 0 && !o->ignore_tlog) {
        rc = l->rekor_bundle == NULL
                 ? vouch_error_set(err, VOUCH_EVERIFY, "signature has no rekor bundle")
                 : rekor_entry(&e, l->rekor_bundle, o->root, err);
        rc = rc != 0 ? rc : ss_entry_check(&r, &e, 1, err);
    } else if (rc == 0 && r.res->keyless) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "a keyless signature cannot skip the tlog checks");
    }
    if (rc == 0 && l->timestamp != NULL && sign_pkix_set_count(sign_trustroot_tsas(o->root)) > 0) {
        rc = check_timestamp(&r, l, err);
    }
    rc = rc != 0 || !r.res->keyless ? rc : ss_check_cert(&r, err);
    rc = rc != 0 || !r.res->keyless ? rc : ss_cert_identity(r.res, r.leaf, o->identity, err);
    ss_entry_release(&e);
    X509_free(r.leaf);
    sign_key_free(r.leaf_key);
    free(r.signer_der);
    if (rc != 0 || res == NULL) {
        sign_sigstore_result_release(r.res);
    }
    return rc;
}
