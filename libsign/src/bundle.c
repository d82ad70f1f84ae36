/* Sigstore bundle reader (protobuf-JSON, v0.1-v0.3 media types) and cosign's old blob bundle.
 * Bundles are parsed, never compared as bytes: protojson may insert random whitespace. */
#include <stdlib.h>
#include <string.h>

#include "bundle_internal.h"
#include "dsse_internal.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

/* sigstore_bundle.proto: v0.3 MUST use the first; readers accept the earlier spellings. */
static const char *const media_types[] = {
    SIGN_BUNDLE_MEDIA_TYPE,
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
};

static const struct {
    const char *name;
    enum sign_hash alg;
} hash_names[] = {
    {"SHA2_256", SIGN_HASH_SHA256},
    {"SHA2_384", SIGN_HASH_SHA384},
    {"SHA2_512", SIGN_HASH_SHA512},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *bundle_hash_name(enum sign_hash alg)
{
    for (size_t i = 0; i < COUNT(hash_names); i++) {
        if (hash_names[i].alg == alg) {
            return hash_names[i].name;
        }
    }
    return NULL;
}

static int dup_str(char **out, const char *s, struct vouch_error *err)
{
    *out = strdup(s);
    return *out == NULL ? vouch_enomem(err) : 0;
}

static int parse_media_type(struct sign_bundle *b, const json_t *root, struct vouch_error *err)
{
    char shown[100];
    const char *mt = NULL;
    int rc = sign_jread_str(&mt, root, "mediaType", "bundle", err);
    if (rc != 0) {
        return rc;
    }
    for (size_t i = 0; i < COUNT(media_types); i++) {
        if (strcmp(mt, media_types[i]) == 0) {
            return dup_str(&b->media_type, mt, err);
        }
    }
    sign_jread_quote(shown, sizeof(shown), mt);
    return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported bundle media type '%s'", shown);
}

static int parse_chain(struct sign_bundle *b, const json_t *chain, struct vouch_error *err)
{
    const json_t *certs = json_object_get(chain, "certificates");
    if (!json_is_array(certs) || json_array_size(certs) == 0) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed bundle: x509CertificateChain has no certificates");
    }
    b->material = SIGN_BUNDLE_MAT_CERTIFICATE;
    b->nchain = json_array_size(certs);
    /* the leaf comes first */
    return sign_jread_b64(&b->cert, &b->cert_len, json_array_get(certs, 0), "rawBytes",
                          "bundle certificate", err);
}

static int parse_material(struct sign_bundle *b, const json_t *root, struct vouch_error *err)
{
    const json_t *vm = NULL;
    const json_t *v;
    const char *hint = NULL;
    int rc = sign_jread_obj(&vm, root, "verificationMaterial", "bundle", err);
    if (rc != 0) {
        return rc;
    }
    b->vm = json_incref((json_t *)vm);
    v = json_object_get(vm, "tlogEntries");
    if (v != NULL && !json_is_array(v)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed bundle: 'tlogEntries' is not an "
                               "array");
    }
    if ((v = json_object_get(vm, "publicKey")) != NULL) {
        b->material = SIGN_BUNDLE_MAT_PUBLIC_KEY;
        rc = json_is_object(v) ? sign_jread_opt_str(&hint, v, "hint", "bundle publicKey", err)
                               : vouch_error_set(err, VOUCH_EPARSE,
                                                 "malformed bundle: 'publicKey' is not an object");
        return rc != 0 || hint == NULL ? rc : dup_str(&b->hint, hint, err);
    }
    if ((v = json_object_get(vm, "certificate")) != NULL) {
        b->material = SIGN_BUNDLE_MAT_CERTIFICATE;
        return sign_jread_b64(&b->cert, &b->cert_len, v, "rawBytes", "bundle certificate", err);
    }
    if ((v = json_object_get(vm, "x509CertificateChain")) != NULL) {
        return parse_chain(b, v, err);
    }
    return 0;
}

static int parse_digest(struct sign_bundle *b, const json_t *md, struct vouch_error *err)
{
    const char *alg = NULL;
    unsigned char *raw = NULL;
    size_t n = 0;
    size_t i;
    int rc = sign_jread_str(&alg, md, "algorithm", "bundle messageDigest", err);
    for (i = 0; rc == 0 && i < COUNT(hash_names); i++) {
        if (strcmp(alg, hash_names[i].name) == 0) {
            break;
        }
    }
    if (rc == 0 && i == COUNT(hash_names)) {
        char shown[40];
        sign_jread_quote(shown, sizeof(shown), alg);
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported message digest algorithm '%s'",
                             shown);
    }
    rc = rc != 0 ? rc : sign_jread_b64(&raw, &n, md, "digest", "bundle messageDigest", err);
    if (rc == 0 && n != sign_hash_size(hash_names[i].alg)) {
        rc =
            vouch_error_set(err, VOUCH_EPARSE, "malformed bundle: %s digest has %zu bytes", alg, n);
    }
    if (rc == 0) {
        b->has_digest = 1;
        b->digest.alg = hash_names[i].alg;
        b->digest.len = n;
        memcpy(b->digest.value, raw, n);
    }
    free(raw);
    return rc;
}

static int parse_message(struct sign_bundle *b, const json_t *ms, struct vouch_error *err)
{
    const json_t *md = json_object_get(ms, "messageDigest");
    int rc;
    b->kind = SIGN_BUNDLE_MESSAGE;
    if (!json_is_object(ms)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed bundle: 'messageSignature' is not "
                               "an object");
    }
    rc = sign_jread_b64(&b->sig, &b->sig_len, ms, "signature", "bundle messageSignature", err);
    if (rc == 0 && md != NULL) {
        rc = json_is_object(md) ? parse_digest(b, md, err)
                                : vouch_error_set(err, VOUCH_EPARSE,
                                                  "malformed bundle: "
                                                  "'messageDigest' is not an "
                                                  "object");
    }
    return rc;
}

static int parse_content(struct sign_bundle *b, const json_t *root, struct vouch_error *err)
{
    const json_t *ms = json_object_get(root, "messageSignature");
    const json_t *de = json_object_get(root, "dsseEnvelope");
    if ((ms == NULL) == (de == NULL)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed bundle: need exactly one of "
                               "'messageSignature' and 'dsseEnvelope'");
    }
    if (ms != NULL) {
        return parse_message(b, ms, err);
    }
    b->kind = SIGN_BUNDLE_DSSE;
    if (!json_is_object(de)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed bundle: 'dsseEnvelope' is not an "
                               "object");
    }
    return dsse_from_json(&b->dsse, de, err);
}

/* cosign's old blob bundle: {"base64Signature","cert"(b64 of PEM),"rekorBundle"}. */
static int parse_legacy(struct sign_bundle *b, const json_t *root, struct vouch_error *err)
{
    const json_t *rb = json_object_get(root, "rekorBundle");
    int rc;
    b->legacy = 1;
    b->kind = SIGN_BUNDLE_MESSAGE;
    rc = sign_jread_b64(&b->sig, &b->sig_len, root, "base64Signature", "cosign bundle", err);
    if (rc == 0 && rb != NULL && !json_is_object(rb) && !json_is_null(rb)) {
        rc = vouch_error_set(err, VOUCH_EPARSE,
                             "malformed cosign bundle: 'rekorBundle' is not "
                             "an object");
    }
    if (rc == 0 && json_object_get(root, "cert") != NULL) {
        rc = sign_jread_b64(&b->cert, &b->cert_len, root, "cert", "cosign bundle", err);
    }
    if (rc == 0 && b->cert != NULL) {
        /* v3 puts the public-key PEM here for key-signed blobs, older versions a cert */
        b->material = strstr((char *)b->cert, "CERTIFICATE") != NULL ? SIGN_BUNDLE_MAT_CERTIFICATE
                                                                     : SIGN_BUNDLE_MAT_PUBLIC_KEY;
    }
    return rc;
}

int sign_bundle_parse(struct sign_bundle **out, const unsigned char *json, size_t len,
                      struct vouch_error *err)
{
    struct sign_bundle *b = NULL;
    json_t *root = NULL;
    int rc;
    *out = NULL;
    if (len > SIGN_BUNDLE_MAX_BYTES) {
        return vouch_error_set(err, VOUCH_EPARSE, "bundle is too large (%zu bytes)", len);
    }
    rc = sign_jread_load(&root, json, len, "bundle", err);
    if (rc == 0 && (b = calloc(1, sizeof(*b))) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0 && json_object_get(root, "mediaType") == NULL &&
        json_object_get(root, "base64Signature") != NULL) {
        rc = parse_legacy(b, root, err);
    } else if (rc == 0) {
        rc = parse_media_type(b, root, err);
        rc = rc != 0 ? rc : parse_material(b, root, err);
        rc = rc != 0 ? rc : parse_content(b, root, err);
    }
    json_decref(root);
    if (rc != 0) {
        sign_bundle_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

void sign_bundle_free(struct sign_bundle *b)
{
    if (b == NULL) {
        return;
    }
    free(b->media_type);
    free(b->hint);
    free(b->cert);
    free(b->sig);
    sign_dsse_free(b->dsse);
    json_decref(b->vm);
    free(b);
}
