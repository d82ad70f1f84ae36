/* Making Notation envelopes: the payload, the signed attributes of notary.x509 (signingTime,
 * optional expiry) and the signature, as JWS (keys in the order Go's encoding/json writes
 * notation-go's maps: sorted) or as COSE_Sign1_Tagged built and encoded with libcbor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cbor.h>
#include <jansson.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include "key_internal.h"
#include "notation_internal.h"
#include "vouch/error.h"
#include "vouch/mem.h"

static int nomem(struct vouch_error *err)
{
    return vouch_enomem(err);
}

static int chain_load(STACK_OF(X509) * *out, const unsigned char *pem, size_t len,
                      struct vouch_error *err)
{
    if (nt_pem_certs(out, pem, len) == 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "certificate chain holds no PEM certificate");
    }
    return nt_chain_check(*out, 0, err) == 0
               ? 0
               : vouch_error_set(err, VOUCH_EINVAL, "certificate chain is not usable for signing");
}

/* Sign tbs with the key: RSASSA-PSS (salt = hash length) or ECDSA as raw r||s. */
static int sign_raw(unsigned char **sig, size_t *sig_len, EVP_PKEY *pkey, const struct nt_alg *alg,
                    const unsigned char *tbs, size_t tbs_len, struct vouch_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char *der = NULL;
    size_t der_len = 0;
    int ok = ctx != NULL && EVP_DigestSignInit_ex(ctx, &pctx, alg->md, NULL, NULL, pkey, NULL) == 1;
    if (ok && alg->is_rsa) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
    }
    ok = ok && EVP_DigestSign(ctx, NULL, &der_len, tbs, tbs_len) == 1;
    der = ok ? OPENSSL_malloc(der_len) : NULL;
    ok = der != NULL && EVP_DigestSign(ctx, der, &der_len, tbs, tbs_len) == 1;
    EVP_MD_CTX_free(ctx);
    *sig = NULL;
    if (ok && alg->is_rsa) {
        *sig = malloc(der_len);
        ok = *sig != NULL;
        if (ok) {
            memcpy(*sig, der, der_len);
            *sig_len = der_len;
        }
    } else if (ok) {
        const unsigned char *p = der;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
        *sig = malloc(2 * alg->ec_half);
        ok = es != NULL && *sig != NULL &&
             BN_bn2binpad(ECDSA_SIG_get0_r(es), *sig, (int)alg->ec_half) > 0 &&
             BN_bn2binpad(ECDSA_SIG_get0_s(es), *sig + alg->ec_half, (int)alg->ec_half) > 0;
        *sig_len = 2 * alg->ec_half;
        ECDSA_SIG_free(es);
    }
    OPENSSL_free(der);
    if (!ok) {
        free(*sig);
        *sig = NULL;
        return vouch_error_ssl(err, VOUCH_ECRYPTO, "cannot sign the Notation envelope");
    }
    return 0;
}

static char *b64url(const unsigned char *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *s = malloc(cap);
    return s ? sodium_bin2base64(s, cap, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING) : NULL;
}

static char *b64std(const unsigned char *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(cap);
    return s ? sodium_bin2base64(s, cap, p, n, sodium_base64_VARIANT_ORIGINAL) : NULL;
}

struct sign_in {
    const struct nt_alg *alg;
    EVP_PKEY *pkey;
    STACK_OF(X509) * chain;
    char *payload;
    int64_t signing_time, expiry;
    const char *agent;
    int sa; /* notary.x509.signingAuthority */
    const struct sign_notation_sign_opts *o;
};

/* The countersignature of sig when a TSA is named: *b64 (malloc'd, standard base64) for
 * JWS, or the DER for COSE; NULL without a TSA. */
static int countersign(unsigned char **tst, size_t *tst_len, const struct sign_in *in,
                       const unsigned char *sig, size_t sig_len, struct vouch_error *err)
{
    *tst = NULL;
    *tst_len = 0;
    return in->o->tsa_url != NULL ? nt_timestamp(tst, tst_len, in->alg, sig, sig_len, in->o, err)
                                  : 0;
}

static int jws_build(unsigned char **out, size_t *out_len, const struct sign_in *in,
                     struct vouch_error *err)
{
    char st[40], ex[40];
    json_t *hdr, *x5c = json_array(), *env = NULL;
    char *hs = NULL, *hb = NULL, *pb = NULL, *tbs = NULL, *sb = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = 0;
    nt_time_text(st, sizeof(st), in->signing_time);
    nt_time_text(ex, sizeof(ex), in->expiry);
    /* members sorted, as Go writes notation-core-go's header map; crit in its order: the
     * scheme, authenticSigningTime (signingAuthority), expiry */
    hdr = json_pack("{ss s[s] ss}", "alg", in->alg->jws, "crit", NT_H_SCHEME, "cty",
                    SIGN_NOTATION_MT_PAYLOAD);
    json_t *crit = json_object_get(hdr, "crit");
    if (hdr != NULL && in->sa) {
        json_array_append_new(crit, json_string(NT_H_AUTH_TIME));
        json_object_set_new(hdr, NT_H_AUTH_TIME, json_string(st));
    }
    if (hdr != NULL && in->expiry) {
        json_array_append_new(crit, json_string(NT_H_EXPIRY));
        json_object_set_new(hdr, NT_H_EXPIRY, json_string(ex));
    }
    if (hdr != NULL) {
        json_object_set_new(hdr, NT_H_SCHEME,
                            json_string(in->sa ? NT_SCHEME_SA_NAME : NT_SCHEME_X509_NAME));
    }
    if (hdr != NULL && !in->sa) {
        json_object_set_new(hdr, NT_H_SIGNING_TIME, json_string(st));
    }
    for (int i = 0; x5c != NULL && i < sk_X509_num(in->chain); i++) {
        unsigned char *der = NULL;
        int n = i2d_X509(sk_X509_value(in->chain, i), &der);
        char *b = n > 0 ? b64std(der, (size_t)n) : NULL;
        json_array_append_new(x5c, json_string(b));
        free(b);
        OPENSSL_free(der);
    }
    hs = hdr ? json_dumps(hdr, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    hb = hs ? b64url((const unsigned char *)hs, strlen(hs)) : NULL;
    pb = b64url((const unsigned char *)in->payload, strlen(in->payload));
    tbs = hb && pb ? malloc(strlen(hb) + strlen(pb) + 2) : NULL;
    if (tbs == NULL || x5c == NULL) {
        rc = nomem(err);
    } else {
        snprintf(tbs, strlen(hb) + strlen(pb) + 2, "%s.%s", hb, pb);
        rc = sign_raw(&sig, &sig_len, in->pkey, in->alg, (unsigned char *)tbs, strlen(tbs), err);
    }
    unsigned char *tst = NULL;
    size_t tst_len = 0;
    char *tsb = NULL;
    rc = rc ? rc : countersign(&tst, &tst_len, in, sig, sig_len, err);
    if (rc == 0 && tst != NULL && (tsb = b64std(tst, tst_len)) == NULL) {
        rc = nomem(err);
    }
    /* the unprotected header in notation-core-go's order: timestamp, x5c, signing agent */
    json_t *uh = rc ? NULL : json_object();
    if (uh != NULL && tsb != NULL) {
        json_object_set_new(uh, NT_H_TIMESTAMP, json_string(tsb));
    }
    if (uh != NULL) {
        json_object_set(uh, "x5c", x5c);
        json_object_set_new(uh, NT_H_AGENT, json_string(in->agent));
    }
    sb = uh ? b64url(sig, sig_len) : NULL;
    env = sb ? json_pack("{ss ss sO ss}", "payload", pb, "protected", hb, "header", uh, "signature",
                         sb)
             : NULL;
    json_decref(uh);
    free(tst);
    free(tsb);
    *out = env ? (unsigned char *)json_dumps(env, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    *out_len = *out ? strlen((char *)*out) : 0;
    if (rc == 0 && *out == NULL) {
        rc = nomem(err);
    }
    json_decref(env);
    json_decref(hdr);
    json_decref(x5c);
    free(hs);
    free(hb);
    free(pb);
    free(tbs);
    free(sb);
    free(sig);
    return rc;
}

static cbor_item_t *epoch(int64_t t)
{
    return cbor_build_tag(1, cbor_move(cbor_build_uint64((uint64_t)t)));
}

static int map_add(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v)
{
    return k && v && cbor_map_add(map, (struct cbor_pair){cbor_move(k), cbor_move(v)});
}

static cbor_item_t *cose_protected(const struct sign_in *in)
{
    size_t n_crit = 1 + (in->sa ? 1 : 0) + (in->expiry ? 1 : 0);
    cbor_item_t *m = cbor_new_definite_map(4 + n_crit);
    cbor_item_t *crit = cbor_new_definite_array(n_crit);
    int ok = m && crit && cbor_array_push(crit, cbor_move(cbor_build_string(NT_H_SCHEME)));
    ok = ok && (!in->sa || cbor_array_push(crit, cbor_move(cbor_build_string(NT_H_AUTH_TIME))));
    ok = ok && (!in->expiry || cbor_array_push(crit, cbor_move(cbor_build_string(NT_H_EXPIRY))));
    ok = ok && map_add(m, cbor_build_uint8(1), cbor_build_negint8((uint8_t)(-1 - in->alg->cose)));
    ok = ok && map_add(m, cbor_build_uint8(2), crit);
    crit = NULL;
    ok = ok && map_add(m, cbor_build_uint8(3), cbor_build_string(SIGN_NOTATION_MT_PAYLOAD));
    ok = ok && map_add(m, cbor_build_string(NT_H_SCHEME),
                       cbor_build_string(in->sa ? NT_SCHEME_SA_NAME : NT_SCHEME_X509_NAME));
    ok = ok && map_add(m, cbor_build_string(in->sa ? NT_H_AUTH_TIME : NT_H_SIGNING_TIME),
                       epoch(in->signing_time));
    ok = ok && (!in->expiry || map_add(m, cbor_build_string(NT_H_EXPIRY), epoch(in->expiry)));
    if (crit != NULL) {
        cbor_decref(&crit);
    }
    if (!ok && m != NULL) {
        cbor_decref(&m);
    }
    return m;
}

static cbor_item_t *cose_unprotected(const struct sign_in *in, const unsigned char *tst,
                                     size_t tst_len)
{
    cbor_item_t *m = cbor_new_definite_map(tst != NULL ? 3 : 2),
                *x5 = cbor_new_definite_array((size_t)sk_X509_num(in->chain));
    int ok = m != NULL && x5 != NULL;
    for (int i = 0; ok && i < sk_X509_num(in->chain); i++) {
        unsigned char *der = NULL;
        int n = i2d_X509(sk_X509_value(in->chain, i), &der);
        ok = n > 0 && cbor_array_push(x5, cbor_move(cbor_build_bytestring(der, (size_t)n)));
        OPENSSL_free(der);
    }
    ok = ok && map_add(m, cbor_build_uint8(33), x5);
    x5 = NULL;
    ok = ok && map_add(m, cbor_build_string(NT_H_AGENT), cbor_build_string(in->agent));
    ok = ok && (tst == NULL ||
                map_add(m, cbor_build_string(NT_H_TIMESTAMP), cbor_build_bytestring(tst, tst_len)));
    if (x5 != NULL) {
        cbor_decref(&x5);
    }
    if (!ok && m != NULL) {
        cbor_decref(&m);
    }
    return m;
}

static unsigned char *encode(const cbor_item_t *it, size_t *len)
{
    unsigned char *buf = NULL;
    size_t cap = 0;
    *len = it ? cbor_serialize_alloc(it, &buf, &cap) : 0;
    return *len ? buf : NULL;
}

static int cose_build(unsigned char **out, size_t *out_len, const struct sign_in *in,
                      struct vouch_error *err)
{
    cbor_item_t *prot = cose_protected(in), *unprot = NULL, *arr = NULL;
    struct nt_env e;
    size_t plen = 0;
    unsigned char *pbytes = encode(prot, &plen);
    int rc = pbytes ? 0 : nomem(err);
    memset(&e, 0, sizeof(e));
    /* the Sig_structure over the protected bytes and payload, as the verifier builds it */
    cbor_item_t *ss = rc ? NULL : cbor_new_definite_array(4);
    int ok;
    ok = ss && cbor_array_push(ss, cbor_move(cbor_build_string("Signature1"))) &&
         cbor_array_push(ss, cbor_move(cbor_build_bytestring(pbytes, plen))) &&
         cbor_array_push(ss, cbor_move(cbor_build_bytestring(NULL, 0))) &&
         cbor_array_push(ss, cbor_move(cbor_build_bytestring((const unsigned char *)in->payload,
                                                             strlen(in->payload))));
    e.tbs = ok ? encode(ss, &e.tbs_len) : NULL;
    if (rc == 0 && e.tbs == NULL) {
        rc = nomem(err);
    }
    rc = rc ? rc : sign_raw(&e.sig, &e.sig_len, in->pkey, in->alg, e.tbs, e.tbs_len, err);
    rc = rc ? rc : countersign(&e.tst, &e.tst_len, in, e.sig, e.sig_len, err);
    unprot = rc ? NULL : cose_unprotected(in, e.tst, e.tst_len);
    arr = unprot ? cbor_new_definite_array(4) : NULL;
    ok = arr && cbor_array_push(arr, cbor_move(cbor_build_bytestring(pbytes, plen))) &&
         cbor_array_push(arr, unprot) &&
         cbor_array_push(arr, cbor_move(cbor_build_bytestring((const unsigned char *)in->payload,
                                                              strlen(in->payload)))) &&
         cbor_array_push(arr, cbor_move(cbor_build_bytestring(e.sig, e.sig_len)));
    if (rc == 0 && !ok) {
        rc = nomem(err);
    }
    cbor_item_t *tagged = rc ? NULL : cbor_build_tag(18, arr);
    *out = tagged ? encode(tagged, out_len) : NULL;
    if (rc == 0 && *out == NULL) {
        rc = nomem(err);
    }
    cbor_item_t *items[] = {tagged, arr, ss, prot, unprot};
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        if (items[i] != NULL) {
            cbor_decref(&items[i]);
        }
    }
    free(pbytes);
    free(e.tbs);
    free(e.sig);
    free(e.tst);
    return rc;
}

int sign_notation_envelope_sign(unsigned char **out, size_t *out_len,
                                const struct sign_notation_target *target,
                                const struct sign_key *key,
                                const struct sign_notation_sign_opts *opts, struct vouch_error *err)
{
    struct sign_in in;
    char agent[64];
    int rc;
    memset(&in, 0, sizeof(in));
    *out = NULL;
    *out_len = 0;
    snprintf(agent, sizeof(agent), "vouch/%s", vouch_version());
    in.pkey = key->pkey;
    in.alg = nt_alg_for_key(key->pkey);
    in.signing_time = opts->signing_time ? (int64_t)opts->signing_time : (int64_t)time(NULL);
    in.expiry = (int64_t)opts->expiry;
    in.agent = opts->signing_agent ? opts->signing_agent : agent;
    in.sa = opts->signing_authority != 0;
    in.o = opts;
    if (in.alg == NULL || !key->is_private) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "Notation signing needs an RSA 2048/3072/4096 or EC P-256/384/521 "
                               "private key");
    }
    rc = chain_load(&in.chain, opts->chain_pem, opts->chain_len, err);
    if (rc == 0 && EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(in.chain, 0)), key->pkey) != 1) {
        rc = vouch_error_set(err, VOUCH_EINVAL,
                             "the signing key does not match the chain's first certificate");
    }
    json_t *p = json_pack("{s{ss ss sI}}", "targetArtifact", "digest", target->digest, "mediaType",
                          target->media_type, "size", (json_int_t)target->size);
    in.payload = p ? json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(p);
    if (rc == 0 && in.payload == NULL) {
        rc = nomem(err);
    }
    const char *mt = opts->envelope ? opts->envelope : SIGN_NOTATION_MT_JWS;
    if (rc == 0) {
        rc = strcmp(mt, SIGN_NOTATION_MT_JWS) == 0    ? jws_build(out, out_len, &in, err)
             : strcmp(mt, SIGN_NOTATION_MT_COSE) == 0 ? cose_build(out, out_len, &in, err)
                                                      : vouch_error_set(err, VOUCH_EUNSUPPORTED,
                                                                        "envelope type '%s' is "
                                                                        "not supported",
                                                                        mt);
    }
    free(in.payload);
    sk_X509_pop_free(in.chain, X509_free);
    return rc;
}
