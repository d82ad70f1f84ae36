/* The COSE_Sign1_Tagged envelope (signature-envelope-cose.md), decoded with libcbor:
 * protected header map in a bstr, x5chain (label 33) and the timestamp unprotected, and the
 * Sig_structure ["Signature1", protected, h'', payload] the signature covers. */
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "notation_internal.h"
#include "vouch/mem.h"

#define MAX_CRIT 16
#define COSE_TAG_SIGN1 18
#define COSE_TAG18_HEAD 0xd2
#define COSE_LABEL_ALG 1
#define COSE_LABEL_CRIT 2
#define COSE_LABEL_CTY 3
#define COSE_LABEL_X5CHAIN 33

static int bad(struct vouch_error *err, const char *what)
{
    return vouch_error_set(err, VOUCH_EVERIFY, "COSE envelope: %s", what);
}

static int is_text(const cbor_item_t *it, const char *s)
{
    size_t n = strlen(s);
    return cbor_isa_string(it) && cbor_string_is_definite(it) && cbor_string_length(it) == n &&
           memcmp(cbor_string_handle(it), s, n) == 0;
}

static int int_value(int64_t *out, const cbor_item_t *it)
{
    if (cbor_isa_uint(it)) {
        *out = (int64_t)cbor_get_int(it);
        return cbor_get_int(it) <= INT64_MAX;
    }
    if (cbor_isa_negint(it)) {
        *out = -1 - (int64_t)cbor_get_int(it);
        return cbor_get_int(it) < INT64_MAX;
    }
    return 0;
}

static int is_label(const cbor_item_t *it, int64_t label)
{
    int64_t v;
    return int_value(&v, it) && v == label;
}

static int bytes_of(unsigned char **out, size_t *len, const cbor_item_t *it)
{
    if (!cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it)) {
        return 0;
    }
    *len = cbor_bytestring_length(it);
    *out = malloc(*len ? *len : 1);
    if (*out != NULL) {
        memcpy(*out, cbor_bytestring_handle(it), *len);
    }
    return *out != NULL;
}

/* 1(<int>): an epoch date/time (RFC 8949 §3.4.2). */
static int epoch_of(int64_t *out, int *has, const cbor_item_t *it, struct vouch_error *err)
{
    cbor_item_t *inner = NULL;
    int ok = cbor_isa_tag(it) && cbor_tag_value(it) == 1;
    inner = ok ? cbor_tag_item(it) : NULL;
    ok = inner != NULL && int_value(out, inner);
    if (inner != NULL) {
        cbor_decref(&inner);
    }
    *has = ok;
    return ok ? 0 : bad(err, "time attribute is not an epoch date/time");
}

/* Text keys are copied out so the crit rules see C strings. */
struct names {
    char v[64][80];
    const char *p[64];
    size_t n;
};

static void names_add(struct names *nm, const cbor_item_t *it)
{
    size_t len = cbor_string_length(it);
    if (nm->n < 64 && len < sizeof(nm->v[0])) {
        memcpy(nm->v[nm->n], cbor_string_handle(it), len);
        nm->v[nm->n][len] = '\0';
        nm->p[nm->n] = nm->v[nm->n];
        nm->n++;
    }
}

static int crit_of(struct names *out, const cbor_item_t *it, struct vouch_error *err)
{
    cbor_item_t **v = it != NULL && cbor_isa_array(it) ? cbor_array_handle(it) : NULL;
    size_t size = v ? cbor_array_size(it) : 0;
    if (size == 0 || size > MAX_CRIT) {
        return bad(err, "crit must be a non-empty array");
    }
    for (size_t i = 0; i < size; i++) {
        if (!cbor_isa_string(v[i]) || !cbor_string_is_definite(v[i])) {
            return bad(err, "crit holds a label that is not a known attribute");
        }
        names_add(out, v[i]);
    }
    return 0;
}

static int protected_pair(struct nt_env *e, const struct cbor_pair *kv, const char **scheme,
                          const cbor_item_t **crit, struct vouch_error *err)
{
    int64_t alg;
    if (is_label(kv->key, COSE_LABEL_ALG)) {
        e->alg = int_value(&alg, kv->value) ? nt_alg_by_cose(alg) : NULL;
        return e->alg ? 0 : bad(err, "signature algorithm is not supported");
    }
    if (is_label(kv->key, COSE_LABEL_CRIT)) {
        *crit = kv->value;
        return 0;
    }
    if (is_label(kv->key, COSE_LABEL_CTY)) {
        return is_text(kv->value, SIGN_NOTATION_MT_PAYLOAD)
                   ? 0
                   : bad(err, "payload content type is not " SIGN_NOTATION_MT_PAYLOAD);
    }
    if (is_text(kv->key, NT_H_SCHEME)) {
        *scheme = is_text(kv->value, NT_SCHEME_X509_NAME) ? NT_SCHEME_X509_NAME
                  : is_text(kv->value, NT_SCHEME_SA_NAME) ? NT_SCHEME_SA_NAME
                                                          : NULL;
        return *scheme ? 0 : bad(err, "signing scheme is not supported");
    }
    if (is_text(kv->key, NT_H_SIGNING_TIME)) {
        return epoch_of(&e->signing_time, &e->has_signing_time, kv->value, err);
    }
    if (is_text(kv->key, NT_H_AUTH_TIME)) {
        return epoch_of(&e->authentic_time, &e->has_authentic_time, kv->value, err);
    }
    if (is_text(kv->key, NT_H_EXPIRY)) {
        return epoch_of(&e->expiry, &e->has_expiry, kv->value, err);
    }
    if (is_text(kv->key, NT_H_PLUGIN) && cbor_isa_string(kv->value)) {
        size_t n = cbor_string_length(kv->value);
        n = n < sizeof(e->plugin) ? n : sizeof(e->plugin) - 1;
        memcpy(e->plugin, cbor_string_handle(kv->value), n);
        e->plugin[n] = '\0';
    }
    return 0;
}

static int cose_protected(struct nt_env *e, const unsigned char *p, size_t len,
                          struct vouch_error *err)
{
    struct cbor_load_result res;
    cbor_item_t *map = cbor_load(p, len, &res);
    const char *scheme = NULL;
    const cbor_item_t *crit_item = NULL;
    struct names crit_names, present;
    int rc = 0;
    memset(&present, 0, sizeof(present));
    memset(&crit_names, 0, sizeof(crit_names));
    if (map == NULL || res.error.code != CBOR_ERR_NONE || res.read != len || !cbor_isa_map(map)) {
        rc = bad(err, "protected header is not a CBOR map");
    }
    struct cbor_pair *kv = rc ? NULL : cbor_map_handle(map);
    for (size_t i = 0; rc == 0 && i < cbor_map_size(map); i++) {
        rc = protected_pair(e, &kv[i], &scheme, &crit_item, err);
        if (cbor_isa_string(kv[i].key) && cbor_string_is_definite(kv[i].key)) {
            names_add(&present, kv[i].key);
        }
    }
    if (rc == 0 && (e->alg == NULL || scheme == NULL)) {
        rc = bad(err, "protected header lacks alg or signing scheme");
    }
    rc = rc ? rc : crit_of(&crit_names, crit_item, err);
    if (rc == 0) {
        e->scheme =
            strcmp(scheme, NT_SCHEME_X509_NAME) == 0 ? NT_SCHEME_X509 : NT_SCHEME_SIGNING_AUTHORITY;
        rc = nt_env_check_crit(e, crit_names.p, crit_names.n, present.p, present.n, err);
    }
    if (map != NULL) {
        cbor_decref(&map);
    }
    return rc;
}

static int push_cert(STACK_OF(X509) * chain, const cbor_item_t *it, struct vouch_error *err)
{
    const unsigned char *p;
    X509 *x;
    if (!cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it)) {
        return bad(err, "x5chain entry is not a byte string");
    }
    p = cbor_bytestring_handle(it);
    x = d2i_X509(NULL, &p, (long)cbor_bytestring_length(it));
    if (x == NULL || p != cbor_bytestring_handle(it) + cbor_bytestring_length(it) ||
        sk_X509_push(chain, x) == 0) {
        X509_free(x);
        return bad(err, "x5chain certificate is malformed");
    }
    return 0;
}

static int cose_unprotected(struct nt_env *e, const cbor_item_t *map, struct vouch_error *err)
{
    struct cbor_pair *kv = cbor_isa_map(map) ? cbor_map_handle(map) : NULL;
    int rc = cbor_isa_map(map) ? 0 : bad(err, "unprotected header is not a map");
    e->chain = sk_X509_new_null();
    if (rc == 0 && e->chain == NULL) {
        rc = vouch_enomem(err);
    }
    for (size_t i = 0; rc == 0 && i < cbor_map_size(map); i++) {
        if (is_label(kv[i].key, COSE_LABEL_X5CHAIN) && cbor_isa_array(kv[i].value)) {
            cbor_item_t **v = cbor_array_handle(kv[i].value);
            for (size_t j = 0; rc == 0 && j < cbor_array_size(kv[i].value) && j < 16; j++) {
                rc = push_cert(e->chain, v[j], err);
            }
        } else if (is_label(kv[i].key, COSE_LABEL_X5CHAIN)) {
            rc = push_cert(e->chain, kv[i].value, err);
        } else if (is_text(kv[i].key, NT_H_TIMESTAMP) &&
                   !bytes_of(&e->tst, &e->tst_len, kv[i].value)) {
            rc = bad(err, "timestamp signature is not a byte string");
        }
    }
    if (rc == 0 && sk_X509_num(e->chain) == 0) {
        rc = bad(err, "x5chain is missing");
    }
    return rc;
}

/* Sig_structure for COSE_Sign1 (RFC 9052 §4.4), CBOR-encoded by libcbor. */
static int sig_structure(struct nt_env *e, const cbor_item_t *prot, struct vouch_error *err)
{
    cbor_item_t *a = cbor_new_definite_array(4);
    int ok = a != NULL && cbor_array_push(a, cbor_move(cbor_build_string("Signature1"))) &&
             cbor_array_push(a, cbor_move(cbor_build_bytestring(cbor_bytestring_handle(prot),
                                                                cbor_bytestring_length(prot)))) &&
             cbor_array_push(a, cbor_move(cbor_build_bytestring(NULL, 0))) &&
             cbor_array_push(a, cbor_move(cbor_build_bytestring(e->payload, e->payload_len)));
    size_t cap = 0;
    e->tbs = NULL;
    e->tbs_len = ok ? cbor_serialize_alloc(a, &e->tbs, &cap) : 0;
    if (a != NULL) {
        cbor_decref(&a);
    }
    return e->tbs_len > 0 ? 0 : vouch_enomem(err);
}

int nt_cose_parse(struct nt_env *out, const unsigned char *data, size_t len,
                  struct vouch_error *err)
{
    struct cbor_load_result res;
    cbor_item_t *root = NULL, *arr = NULL, **v = NULL;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (len > 1 && data[0] == COSE_TAG18_HEAD) {
        /* libcbor 0.8 (Debian 12) refuses tags 6..20 as "unassigned"; 0xd2 is the one-byte
         * head of tag 18, so the COSE_Sign1 array after it is decoded on its own */
        arr = cbor_load(data + 1, len - 1, &res);
        if (arr == NULL || res.error.code != CBOR_ERR_NONE || res.read != len - 1) {
            rc = bad(err, "COSE_Sign1 is not well-formed CBOR");
        }
    } else {
        root = cbor_load(data, len, &res);
        if (root == NULL || res.error.code != CBOR_ERR_NONE || res.read != len ||
            !cbor_isa_tag(root) || cbor_tag_value(root) != COSE_TAG_SIGN1) {
            rc = bad(err, "not a COSE_Sign1_Tagged object");
        }
        arr = rc ? NULL : cbor_tag_item(root);
    }
    if (rc == 0 && (arr == NULL || !cbor_isa_array(arr) || cbor_array_size(arr) != 4)) {
        rc = bad(err, "COSE_Sign1 is not an array of four");
    }
    v = rc ? NULL : cbor_array_handle(arr);
    if (rc == 0 && (!cbor_isa_bytestring(v[0]) || !cbor_bytestring_is_definite(v[0]))) {
        rc = bad(err, "protected header is not a byte string");
    }
    if (rc == 0 && !bytes_of(&out->payload, &out->payload_len, v[2])) {
        rc = bad(err, "payload is not an attached byte string");
    }
    if (rc == 0 && !bytes_of(&out->sig, &out->sig_len, v[3])) {
        rc = bad(err, "signature is not a byte string");
    }
    rc = rc ? rc
            : cose_protected(out, cbor_bytestring_handle(v[0]), cbor_bytestring_length(v[0]), err);
    rc = rc ? rc : cose_unprotected(out, v[1], err);
    rc = rc ? rc : sig_structure(out, v[0], err);
    if (arr != NULL) {
        cbor_decref(&arr);
    }
    if (root != NULL) {
        cbor_decref(&root);
    }
    if (rc != 0) {
        nt_env_release(out);
    }
    return rc;
}
