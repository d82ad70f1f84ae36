/* Sigstore trusted_root.json reader: logs with their keys and windows, Fulcio CAs and TSAs as
 * pkix authority sets. */
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "sign/trustroot.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

struct tr_log {
    struct sign_trustroot_log pub;
    char *base_url;
    char *origin;
    unsigned char *id;
    unsigned char *der;
    struct sign_key *key;
};

struct tr_logs {
    struct tr_log *v;
    size_t n;
};

struct sign_trustroot {
    struct tr_logs logs[2]; /* [0] tlogs, [1] ctlogs */
    struct sign_pkix_set *fulcio;
    struct sign_pkix_set *tsas;
};

static const struct {
    const char *name;
    enum sign_hash hash;
} key_details[] = {
    {"PKIX_ECDSA_P256_SHA_256", SIGN_HASH_SHA256},
    {"PKIX_ECDSA_P384_SHA_384", SIGN_HASH_SHA384},
    {"PKIX_ECDSA_P521_SHA_512", SIGN_HASH_SHA512},
    {"PKIX_ED25519", SIGN_HASH_SHA512},
    {"PKIX_RSA_PKCS1V15_2048_SHA256", SIGN_HASH_SHA256},
    {"PKIX_RSA_PKCS1V15_3072_SHA256", SIGN_HASH_SHA256},
    {"PKIX_RSA_PKCS1V15_4096_SHA256", SIGN_HASH_SHA256},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int sign_trustroot_new(struct sign_trustroot **out, struct vouch_error *err)
{
    struct sign_trustroot *tr = calloc(1, sizeof(*tr));
    int rc = tr == NULL ? vouch_enomem(err) : 0;
    rc = rc != 0 ? rc : sign_pkix_set_new(&tr->fulcio, err);
    rc = rc != 0 ? rc : sign_pkix_set_new(&tr->tsas, err);
    if (rc != 0) {
        sign_trustroot_free(tr);
        tr = NULL;
    }
    *out = tr;
    return rc;
}

/* validFor {start (required), end (optional)} */
static int parse_window(int64_t *start, int64_t *end, const json_t *obj, const char *what,
                        struct vouch_error *err)
{
    const json_t *vf = json_object_get(obj, "validFor");
    const char *s = NULL;
    const char *e = NULL;
    int rc;
    if (!json_is_object(vf)) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed trusted root: %s has no validFor",
                               what);
    }
    rc = sign_jread_str(&s, vf, "start", what, err);
    if (rc == 0 && !json_is_null(json_object_get(vf, "end"))) { /* null: open, as absent */
        rc = sign_jread_opt_str(&e, vf, "end", what, err);
    }
    rc = rc != 0 ? rc : sign_pkix_parse_time(start, s, err);
    *end = SIGN_PKIX_OPEN;
    if (rc == 0 && e != NULL) {
        rc = sign_pkix_parse_time(end, e, err);
    }
    if (rc != 0) {
        vouch_error_prefix(err, "malformed trusted root: %s validFor: ", what);
    }
    return rc;
}

static char *origin_of(const char *url)
{
    const char *p = strstr(url, "://");
    size_t n;
    p = p != NULL ? p + 3 : url;
    n = strcspn(p, "/");
    return strndup(p, n);
}

static int log_fill(struct tr_log *l, const json_t *o, const char *what, struct vouch_error *err)
{
    const json_t *pk = json_object_get(o, "publicKey");
    const json_t *id = json_object_get(o, "logId");
    const char *url = NULL;
    const char *det = NULL;
    size_t i;
    int rc = json_is_object(pk) && json_is_object(id)
                 ? 0
                 : vouch_error_set(err, VOUCH_EPARSE,
                                   "malformed trusted root: %s lacks publicKey or logId", what);
    rc = rc != 0 ? rc : sign_jread_str(&url, o, "baseUrl", what, err);
    rc = rc != 0 ? rc : sign_jread_str(&det, pk, "keyDetails", what, err);
    for (i = 0; rc == 0 && i < COUNT(key_details); i++) {
        if (strcmp(det, key_details[i].name) == 0) {
            break;
        }
    }
    if (rc == 0 && i == COUNT(key_details)) {
        char shown[48];
        sign_jread_quote(shown, sizeof(shown), det);
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "%s: unsupported keyDetails '%s'", what,
                               shown);
    }
    rc = rc != 0 ? rc : sign_jread_b64(&l->der, &l->pub.key_der_len, pk, "rawBytes", what, err);
    rc = rc != 0 ? rc : sign_jread_b64(&l->id, &l->pub.log_id_len, id, "keyId", what, err);
    rc = rc != 0 ? rc : parse_window(&l->pub.start, &l->pub.end, pk, what, err);
    rc = rc != 0 ? rc : sign_key_load_public_der(&l->key, l->der, l->pub.key_der_len, what, err);
    if (rc == 0 && ((l->base_url = strdup(url)) == NULL || (l->origin = origin_of(url)) == NULL)) {
        rc = vouch_enomem(err);
    }
    if (rc == 0) {
        l->pub.hash = key_details[i].hash;
    }
    return rc;
}

static void log_release(struct tr_log *l)
{
    free(l->base_url);
    free(l->origin);
    free(l->id);
    free(l->der);
    sign_key_free(l->key);
}

static void log_publish(struct tr_log *l)
{
    l->pub.base_url = l->base_url;
    l->pub.origin = l->origin;
    l->pub.log_id = l->id;
    l->pub.key_der = l->der;
    l->pub.key = l->key;
}

static int logs_add(struct tr_logs *ls, struct tr_log *l, struct vouch_error *err)
{
    struct tr_log *grown = realloc(ls->v, (ls->n + 1) * sizeof(*grown));
    if (grown == NULL) {
        log_release(l);
        return vouch_enomem(err);
    }
    ls->v = grown;
    ls->v[ls->n++] = *l;
    /* re-point every entry: realloc may have moved them */
    for (size_t i = 0; i < ls->n; i++) {
        log_publish(&ls->v[i]);
    }
    return 0;
}

static int parse_logs(struct tr_logs *ls, const json_t *root, const char *key,
                      struct vouch_error *err)
{
    const json_t *arr = json_object_get(root, key);
    size_t i;
    const json_t *o;
    if (arr == NULL) {
        return 0;
    }
    if (!json_is_array(arr)) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed trusted root: '%s' is not an array",
                               key);
    }
    json_array_foreach(arr, i, o)
    {
        struct tr_log l;
        char what[48];
        int rc;
        memset(&l, 0, sizeof(l));
        snprintf(what, sizeof(what), "%s[%zu]", key, i);
        rc = json_is_object(o)
                 ? log_fill(&l, o, what, err)
                 : vouch_error_set(err, VOUCH_EPARSE, "malformed trusted root: %s is not an object",
                                   what);
        if (rc == VOUCH_EUNSUPPORTED) { /* a key type no check here can use: not trusted */
            log_release(&l);
            vouch_error_clear(err);
            continue;
        }
        if (rc != 0) {
            log_release(&l);
            return rc;
        }
        if ((rc = logs_add(ls, &l, err)) != 0) {
            return rc;
        }
    }
    return 0;
}

/* certChain.certificates[].rawBytes into a pkix authority. */
static int authority_add(struct sign_pkix_set *set, const json_t *o, const char *what,
                         struct vouch_error *err)
{
    const json_t *chain = json_object_get(o, "certChain");
    const json_t *certs = json_is_object(chain) ? json_object_get(chain, "certificates") : NULL;
    size_t n = json_is_array(certs) ? json_array_size(certs) : 0;
    unsigned char **der = calloc(n + 1, sizeof(*der));
    size_t *len = calloc(n + 1, sizeof(*len));
    const char *uri = NULL;
    int64_t start = 0;
    int64_t end = 0;
    int rc = der == NULL || len == NULL ? vouch_enomem(err) : 0;
    if (rc == 0 && n == 0) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed trusted root: %s has no certificates",
                             what);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const json_t *c = json_array_get(certs, i);
        rc = json_is_object(c) ? sign_jread_b64(&der[i], &len[i], c, "rawBytes", what, err)
                               : vouch_error_set(err, VOUCH_EPARSE,
                                                 "malformed trusted root: %s certificate", what);
    }
    rc = rc != 0 ? rc : sign_jread_opt_str(&uri, o, "uri", what, err);
    rc = rc != 0 ? rc : parse_window(&start, &end, o, what, err);
    rc = rc != 0 ? rc
                 : sign_pkix_set_add(set, uri != NULL ? uri : what,
                                     (const unsigned char *const *)der, len, n, start, end, err);
    for (size_t i = 0; der != NULL && i < n; i++) {
        free(der[i]);
    }
    free(der);
    free(len);
    return rc;
}

static int parse_authorities(struct sign_pkix_set *set, const json_t *root, const char *key,
                             struct vouch_error *err)
{
    const json_t *arr = json_object_get(root, key);
    size_t i;
    const json_t *o;
    if (arr != NULL && !json_is_array(arr)) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed trusted root: '%s' is not an array",
                               key);
    }
    json_array_foreach(arr, i, o)
    {
        char what[64];
        int rc;
        snprintf(what, sizeof(what), "%s[%zu]", key, i);
        rc = json_is_object(o)
                 ? authority_add(set, o, what, err)
                 : vouch_error_set(err, VOUCH_EPARSE, "malformed trusted root: %s is not an object",
                                   what);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int sign_trustroot_parse(struct sign_trustroot **out, const unsigned char *json, size_t len,
                         struct vouch_error *err)
{
    struct sign_trustroot *tr = NULL;
    json_t *root = NULL;
    const char *mt = NULL;
    int rc;
    *out = NULL;
    if (len > SIGN_TRUSTROOT_MAX_BYTES) {
        return vouch_error_set(err, VOUCH_EPARSE, "trusted root is too large (%zu bytes)", len);
    }
    rc = sign_jread_load(&root, json, len, "trusted root", err);
    rc = rc != 0 ? rc : sign_jread_str(&mt, root, "mediaType", "trusted root", err);
    if (rc == 0 && strcmp(mt, SIGN_TRUSTROOT_MEDIA_TYPE) != 0) {
        char shown[100];
        sign_jread_quote(shown, sizeof(shown), mt);
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported trusted root media type '%s'",
                             shown);
    }
    rc = rc != 0 ? rc : sign_trustroot_new(&tr, err);
    rc = rc != 0 ? rc : parse_logs(&tr->logs[0], root, "tlogs", err);
    rc = rc != 0 ? rc : parse_logs(&tr->logs[1], root, "ctlogs", err);
    rc = rc != 0 ? rc : parse_authorities(tr->fulcio, root, "certificateAuthorities", err);
    rc = rc != 0 ? rc : parse_authorities(tr->tsas, root, "timestampAuthorities", err);
    json_decref(root);
    if (rc != 0) {
        sign_trustroot_free(tr);
        return rc;
    }
    *out = tr;
    return 0;
}

int sign_trustroot_add_tlog_key(struct sign_trustroot *tr, const struct sign_key *key,
                                struct vouch_error *err)
{
    struct tr_log l;
    int rc;
    memset(&l, 0, sizeof(l));
    rc = sign_key_public_der(&l.der, &l.pub.key_der_len, key, err);
    if (rc == 0 && ((l.id = malloc(SHA256_DIGEST_LENGTH)) == NULL ||
                    (l.base_url = strdup("")) == NULL || (l.origin = strdup("")) == NULL)) {
        rc = vouch_enomem(err);
    }
    rc =
        rc != 0 ? rc : sign_key_load_public_der(&l.key, l.der, l.pub.key_der_len, "rekor key", err);
    if (rc != 0) {
        log_release(&l);
        return rc;
    }
    SHA256(l.der, l.pub.key_der_len, l.id);
    l.pub.log_id_len = SHA256_DIGEST_LENGTH;
    l.pub.hash = sign_key_default_hash(l.key);
    l.pub.start = INT64_MIN;
    l.pub.end = SIGN_PKIX_OPEN;
    return logs_add(&tr->logs[0], &l, err);
}

const struct sign_pkix_set *sign_trustroot_fulcio(const struct sign_trustroot *tr)
{
    return tr->fulcio;
}

const struct sign_pkix_set *sign_trustroot_tsas(const struct sign_trustroot *tr)
{
    return tr->tsas;
}

size_t sign_trustroot_log_count(const struct sign_trustroot *tr, int ct)
{
    return tr->logs[ct != 0].n;
}

const struct sign_trustroot_log *sign_trustroot_log(const struct sign_trustroot *tr, int ct,
                                                    size_t i)
{
    const struct tr_logs *ls = &tr->logs[ct != 0];
    return i < ls->n ? &ls->v[i].pub : NULL;
}

const struct sign_trustroot_log *sign_trustroot_log_by_id(const struct sign_trustroot *tr, int ct,
                                                          const unsigned char *id, size_t len)
{
    const struct tr_logs *ls = &tr->logs[ct != 0];
    for (size_t i = 0; i < ls->n; i++) {
        if (ls->v[i].pub.log_id_len == len && memcmp(ls->v[i].id, id, len) == 0) {
            return &ls->v[i].pub;
        }
    }
    return NULL;
}

void sign_trustroot_free(struct sign_trustroot *tr)
{
    if (tr == NULL) {
        return;
    }
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < tr->logs[k].n; i++) {
            log_release(&tr->logs[k].v[i]);
        }
        free(tr->logs[k].v);
    }
    sign_pkix_set_free(tr->fulcio);
    sign_pkix_set_free(tr->tsas);
    free(tr);
}
