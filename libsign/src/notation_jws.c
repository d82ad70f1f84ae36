/* The JWS JSON serialization envelope (signature-envelope-jws.md): base64url (no padding)
 * protected header and payload, x5c chain and timestamp in the unprotected header. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "notation_internal.h"
#include "vouch/time.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define MAX_CRIT 16

/* Strict decoding: Go's RawURLEncoding for JWS parts, StdEncoding for x5c and the token. */
static int b64_strict(unsigned char **out, size_t *out_len, const char *in, int variant,
                      const char *what, struct vouch_error *err)
{
    size_t n = strlen(in), got = 0;
    const char *end = NULL;
    unsigned char *buf = malloc(n / 4 * 3 + 3);
    *out = NULL;
    if (buf == NULL) {
        return vouch_enomem(err);
    }
    if (sodium_base642bin(buf, n / 4 * 3 + 3, in, n, NULL, &got, &end, variant) != 0 ||
        end != in + n) {
        free(buf);
        return vouch_error_set(err, VOUCH_EVERIFY, "illegal base64 data in %s", what);
    }
    *out = buf;
    *out_len = got;
    return 0;
}

static int str_array(const char **out, size_t *n, size_t max, const json_t *arr, const char *what,
                     struct vouch_error *err)
{
    size_t i;
    const json_t *v;
    *n = 0;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > max) {
        return vouch_error_set(err, VOUCH_EVERIFY, "%s must be a non-empty array", what);
    }
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v)) {
            return vouch_error_set(err, VOUCH_EVERIFY, "%s must hold strings", what);
        }
        out[(*n)++] = json_string_value(v);
    }
    return 0;
}

static int jws_time(int64_t *out, int *has, const json_t *hdr, const char *key,
                    struct vouch_error *err)
{
    const json_t *v = json_object_get(hdr, key);
    if (v == NULL) {
        return 0;
    }
    if (!json_is_string(v) || vouch_time_parse_rfc3339(out, json_string_value(v)) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "header '%s' is not an RFC 3339 time", key);
    }
    *has = 1;
    return 0;
}

/* The protected header: alg, cty, crit, scheme, times, plugin. */
static int jws_protected(struct nt_env *e, const json_t *hdr, struct vouch_error *err)
{
    const char *crit[MAX_CRIT], *present[64], *key, *scheme, *cty, *plugin;
    size_t n_crit = 0, n_present = 0;
    json_t *v;
    int rc;
    e->alg = nt_alg_by_jws(json_string_value(json_object_get(hdr, "alg")));
    if (e->alg == NULL) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signature algorithm is not supported");
    }
    cty = json_string_value(json_object_get(hdr, "cty"));
    if (cty == NULL || strcmp(cty, SIGN_NOTATION_MT_PAYLOAD) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "payload content type is not %s",
                               SIGN_NOTATION_MT_PAYLOAD);
    }
    scheme = json_string_value(json_object_get(hdr, NT_H_SCHEME));
    if (scheme == NULL ||
        (strcmp(scheme, NT_SCHEME_X509_NAME) != 0 && strcmp(scheme, NT_SCHEME_SA_NAME) != 0)) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signing scheme is missing or not supported");
    }
    e->scheme =
        strcmp(scheme, NT_SCHEME_X509_NAME) == 0 ? NT_SCHEME_X509 : NT_SCHEME_SIGNING_AUTHORITY;
    plugin = json_string_value(json_object_get(hdr, NT_H_PLUGIN));
    snprintf(e->plugin, sizeof(e->plugin), "%s", plugin ? plugin : "");
    rc = jws_time(&e->signing_time, &e->has_signing_time, hdr, NT_H_SIGNING_TIME, err);
    rc = rc ? rc : jws_time(&e->authentic_time, &e->has_authentic_time, hdr, NT_H_AUTH_TIME, err);
    rc = rc ? rc : jws_time(&e->expiry, &e->has_expiry, hdr, NT_H_EXPIRY, err);
    rc = rc ? rc : str_array(crit, &n_crit, MAX_CRIT, json_object_get(hdr, "crit"), "crit", err);
    json_object_foreach((json_t *)hdr, key, v)
    {
        if (n_present < sizeof(present) / sizeof(present[0])) {
            present[n_present++] = key;
        }
    }
    return rc ? rc : nt_env_check_crit(e, crit, n_crit, present, n_present, err);
}

static int jws_chain(struct nt_env *e, const json_t *x5c, struct vouch_error *err)
{
    const char *certs[16];
    size_t n = 0;
    int rc = str_array(certs, &n, 16, x5c, "x5c", err);
    e->chain = rc ? NULL : sk_X509_new_null();
    if (rc == 0 && e->chain == NULL) {
        rc = vouch_enomem(err);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        unsigned char *der = NULL;
        size_t len = 0;
        rc = b64_strict(&der, &len, certs[i], sodium_base64_VARIANT_ORIGINAL, "x5c", err);
        const unsigned char *p = der;
        X509 *x = rc ? NULL : d2i_X509(NULL, &p, (long)len);
        if (rc == 0 && (x == NULL || p != der + len || sk_X509_push(e->chain, x) == 0)) {
            X509_free(x);
            rc = vouch_error_set(err, VOUCH_EVERIFY, "x5c certificate %zu is malformed", i);
        }
        free(der);
    }
    return rc;
}

static int jws_unprotected(struct nt_env *e, const json_t *hdr, struct vouch_error *err)
{
    const json_t *ts = json_object_get(hdr, NT_H_TIMESTAMP);
    int rc = json_is_object(hdr) ? jws_chain(e, json_object_get(hdr, "x5c"), err)
                                 : vouch_error_set(err, VOUCH_EVERIFY, "header is missing");
    if (rc == 0 && ts != NULL) {
        rc = json_is_string(ts)
                 ? b64_strict(&e->tst, &e->tst_len, json_string_value(ts),
                              sodium_base64_VARIANT_ORIGINAL, NT_H_TIMESTAMP, err)
                 : vouch_error_set(err, VOUCH_EVERIFY, "%s is not a string", NT_H_TIMESTAMP);
    }
    return rc;
}

int nt_jws_parse(struct nt_env *out, const unsigned char *data, size_t len, struct vouch_error *err)
{
    json_t *root = NULL, *hdr = NULL;
    const char *prot = NULL, *payload = NULL, *sig = NULL, *key;
    unsigned char *hdr_bytes = NULL;
    size_t hdr_len = 0;
    json_t *v;
    memset(out, 0, sizeof(*out));
    int rc = sign_jread_load(&root, data, len, "JWS envelope", err);
    rc = rc ? rc : sign_jread_str(&prot, root, "protected", "JWS envelope", err);
    rc = rc ? rc : sign_jread_str(&payload, root, "payload", "JWS envelope", err);
    rc = rc ? rc : sign_jread_str(&sig, root, "signature", "JWS envelope", err);
    json_object_foreach(rc ? NULL : root, key, v)
    {
        if (strcmp(key, "protected") != 0 && strcmp(key, "payload") != 0 &&
            strcmp(key, "signature") != 0 && strcmp(key, "header") != 0) {
            rc =
                vouch_error_set(err, VOUCH_EVERIFY, "JWS envelope has unknown member '%.64s'", key);
            break;
        }
    }
    int v_url = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    rc = rc ? rc : b64_strict(&hdr_bytes, &hdr_len, prot, v_url, "protected header", err);
    rc = rc ? rc : b64_strict(&out->payload, &out->payload_len, payload, v_url, "payload", err);
    rc = rc ? rc : b64_strict(&out->sig, &out->sig_len, sig, v_url, "signature", err);
    rc = rc ? rc : sign_jread_load(&hdr, hdr_bytes, hdr_len, "JWS protected header", err);
    rc = rc ? rc : jws_protected(out, hdr, err);
    rc = rc ? rc : jws_unprotected(out, json_object_get(root, "header"), err);
    if (rc == 0) {
        size_t pl = strlen(prot), yl = strlen(payload);
        out->tbs = malloc(pl + 1 + yl);
        rc = out->tbs ? 0 : vouch_enomem(err);
        if (rc == 0) {
            memcpy(out->tbs, prot, pl);
            out->tbs[pl] = '.';
            memcpy(out->tbs + pl + 1, payload, yl);
            out->tbs_len = pl + 1 + yl;
        }
    }
    if (rc == VOUCH_EPARSE && err != NULL) {
        err->code = VOUCH_EVERIFY;
    }
    rc = rc == VOUCH_EPARSE ? VOUCH_EVERIFY : rc;
    if (rc != 0) {
        nt_env_release(out);
    }
    json_decref(hdr);
    json_decref(root);
    free(hdr_bytes);
    return rc;
}
