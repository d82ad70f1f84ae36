/* Binding a transparency-log entry's body to what the bundle signed: the artifact digest (or
 * the DSSE payload), the signature and the signer's certificate or key, for Rekor's
 * hashedrekord 0.0.1 / 0.0.2, dsse 0.0.1 and intoto 0.0.2 kinds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "sigstore_internal.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"

/* the string at a '/'-separated path of objects, or NULL */
static const char *jpath(const json_t *v, const char *path)
{
    char buf[160];
    char *save = NULL;
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *k = strtok_r(buf, "/", &save); k != NULL && v != NULL;
         k = strtok_r(NULL, "/", &save)) {
        v = json_is_object(v) ? json_object_get(v, k) : NULL;
    }
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* base64 text equals bytes */
static int b64_is(const char *text, const unsigned char *want, size_t want_len)
{
    unsigned char *raw = NULL;
    size_t n = 0;
    int ok = text != NULL && vouch_base64_decode(&raw, &n, text, strlen(text), NULL) == 0 &&
             n == want_len && memcmp(raw, want, n) == 0;
    free(raw);
    return ok;
}

/* base64 of base64 (intoto 0.0.2 stores the envelope's base64 fields base64-encoded again) */
static int b64b64_is(const char *text, const unsigned char *want, size_t want_len)
{
    unsigned char *once = NULL;
    size_t n = 0;
    int ok = text != NULL && vouch_base64_decode(&once, &n, text, strlen(text), NULL) == 0;
    if (ok) {
        char *s = malloc(n + 1);
        ok = s != NULL;
        if (ok) {
            memcpy(s, once, n);
            s[n] = '\0';
            ok = b64_is(s, want, want_len);
        }
        free(s);
    }
    free(once);
    return ok;
}

int ss_pem_to_der(unsigned char **out, size_t *out_len, const unsigned char *pem, size_t len)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    char *name = NULL;
    char *header = NULL;
    unsigned char *data = NULL;
    long n = 0;
    int rc = -1;
    *out = NULL;
    if (bio != NULL && PEM_read_bio(bio, &name, &header, &data, &n) == 1 && n > 0) {
        *out = malloc((size_t)n);
        if (*out != NULL) {
            memcpy(*out, data, (size_t)n);
            *out_len = (size_t)n;
            rc = 0;
        }
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    BIO_free(bio);
    ERR_clear_error();
    return rc;
}

/* base64 of a PEM certificate or key equals the signer (DER) */
static int pem_b64_is(const char *text, const struct ss_signed *s)
{
    unsigned char *pem = NULL;
    unsigned char *der = NULL;
    size_t n = 0;
    size_t dn = 0;
    int ok = text != NULL && vouch_base64_decode(&pem, &n, text, strlen(text), NULL) == 0 &&
             ss_pem_to_der(&der, &dn, pem, n) == 0 && dn == s->signer_len &&
             memcmp(der, s->signer, dn) == 0;
    free(pem);
    free(der);
    return ok;
}

static int hex_is(const char *hex, const unsigned char *want, size_t n)
{
    unsigned char raw[64];
    return hex != NULL && n <= sizeof(raw) && strlen(hex) == 2 * n &&
           vouch_hex_decode(raw, n, hex, 2 * n, NULL) == 0 && memcmp(raw, want, n) == 0;
}

static int payload_hash(unsigned char *out, const struct sign_dsse *env)
{
    size_t n = 0;
    const unsigned char *p = sign_dsse_payload(env, &n);
    SHA256(p, n, out);
    return 0;
}

static int pae_hash(unsigned char *out, const struct sign_dsse *env)
{
    unsigned char *pae = NULL;
    size_t n = 0;
    size_t pn = 0;
    const unsigned char *p = sign_dsse_payload(env, &pn);
    if (sign_dsse_pae(&pae, &n, sign_dsse_payload_type(env), p, pn, NULL) != 0) {
        return -1;
    }
    SHA256(pae, n, out);
    free(pae);
    return 0;
}

static const char *check_hashedrekord1(const json_t *spec, const struct ss_signed *s)
{
    const char *alg = jpath(spec, "data/hash/algorithm");
    if (s->artifact == NULL) {
        return "a hashedrekord entry for a dsse envelope";
    }
    if (alg == NULL || strcmp(alg, "sha256") != 0 ||
        !hex_is(jpath(spec, "data/hash/value"), s->artifact->value, SS_HASH)) {
        return "entry is for another artifact digest";
    }
    if (!b64_is(jpath(spec, "signature/content"), s->sig, s->sig_len)) {
        return "entry holds another signature";
    }
    return pem_b64_is(jpath(spec, "signature/publicKey/content"), s)
               ? NULL
               : "entry names another certificate or key";
}

static const char *check_hashedrekord2(const json_t *spec, const struct ss_signed *s)
{
    const json_t *v = json_object_get(spec, "hashedRekordV002");
    const char *alg = jpath(v, "data/algorithm");
    const char *signer = jpath(v, s->signer_is_cert ? "signature/verifier/x509Certificate/rawBytes"
                                                    : "signature/verifier/publicKey/rawBytes");
    unsigned char want[SS_HASH];
    if (s->artifact != NULL) {
        memcpy(want, s->artifact->value, SS_HASH);
    } else if (pae_hash(want, s->dsse) != 0) {
        return "cannot hash the dsse envelope";
    }
    if (alg == NULL || strcmp(alg, "SHA2_256") != 0 ||
        !b64_is(jpath(v, "data/digest"), want, SS_HASH)) {
        return s->artifact != NULL ? "entry is for another artifact digest"
                                   : "entry is for another dsse envelope";
    }
    if (!b64_is(jpath(v, "signature/content"), s->sig, s->sig_len)) {
        return "entry holds another signature";
    }
    return b64_is(signer, s->signer, s->signer_len) ? NULL
                                                    : "entry names another certificate or key";
}

/* dsse 0.0.1: payloadHash and the signature set */
static const char *check_dsse(const json_t *spec, const struct ss_signed *s)
{
    const json_t *sigs = json_object_get(spec, "signatures");
    unsigned char ph[SS_HASH];
    const char *alg = jpath(spec, "payloadHash/algorithm");
    size_t i;
    const json_t *o;
    if (s->dsse == NULL) {
        return "a dsse entry for a message signature";
    }
    payload_hash(ph, s->dsse);
    if (alg == NULL || strcmp(alg, "sha256") != 0 ||
        !hex_is(jpath(spec, "payloadHash/value"), ph, SS_HASH)) {
        return "entry is for another dsse payload";
    }
    if (!json_is_array(sigs) || json_array_size(sigs) != sign_dsse_sig_count(s->dsse)) {
        return "entry holds other dsse signatures";
    }
    json_array_foreach(sigs, i, o)
    {
        if (b64_is(jpath(o, "signature"), s->sig, s->sig_len) &&
            pem_b64_is(jpath(o, "verifier"), s)) {
            return NULL;
        }
    }
    return "entry holds other dsse signatures";
}

/* intoto 0.0.2: the envelope itself, its payload and signatures base64-encoded twice */
static const char *check_intoto(const json_t *spec, const struct ss_signed *s)
{
    const json_t *env = json_object_get(json_object_get(spec, "content"), "envelope");
    const json_t *sigs = json_object_get(env, "signatures");
    const char *pt = jpath(env, "payloadType");
    unsigned char ph[SS_HASH];
    size_t pn = 0;
    const unsigned char *p;
    size_t i;
    const json_t *o;
    if (s->dsse == NULL) {
        return "an intoto entry for a message signature";
    }
    p = sign_dsse_payload(s->dsse, &pn);
    payload_hash(ph, s->dsse);
    if (pt == NULL || strcmp(pt, sign_dsse_payload_type(s->dsse)) != 0 ||
        !b64b64_is(jpath(env, "payload"), p, pn) ||
        !hex_is(jpath(spec, "content/payloadHash/value"), ph, SS_HASH)) {
        return "entry is for another dsse payload";
    }
    json_array_foreach(sigs, i, o)
    {
        if (b64b64_is(jpath(o, "sig"), s->sig, s->sig_len) &&
            pem_b64_is(jpath(o, "publicKey"), s)) {
            return NULL;
        }
    }
    return "entry holds other dsse signatures";
}

static const struct {
    const char *kind;
    const char *version;
    const char *(*check)(const json_t *spec, const struct ss_signed *s);
} kinds[] = {
    {"hashedrekord", "0.0.1", check_hashedrekord1},
    {"hashedrekord", "0.0.2", check_hashedrekord2},
    {"dsse", "0.0.1", check_dsse},
    {"intoto", "0.0.2", check_intoto},
};

int ss_body_check(const struct ss_entry *e, const struct ss_signed *s, struct vouch_error *err)
{
    json_t *body = NULL;
    const char *why = "unsupported entry kind";
    long long idx = (long long)e->log_index;
    int rc = sign_jread_load(&body, e->body, e->body_len, "tlog entry body", err);
    if (rc != 0) {
        return rc;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        const char *k = jpath(body, "kind");
        const char *v = jpath(body, "apiVersion");
        if (strcmp(e->kind, kinds[i].kind) != 0 || strcmp(e->version, kinds[i].version) != 0) {
            continue;
        }
        if (k == NULL || v == NULL || strcmp(k, e->kind) != 0 || strcmp(v, e->version) != 0) {
            why = "body kind differs from the entry's kindVersion";
        } else {
            why = kinds[i].check(json_object_get(body, "spec"), s);
        }
        break;
    }
    json_decref(body);
    if (why == NULL) {
        return 0;
    }
    return vouch_error_set(err, VOUCH_EVERIFY, "tlog entry %lld (%s %s): %s", idx, e->kind,
                           e->version, why);
}
