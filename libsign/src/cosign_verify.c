/* Verify cosign `.sig` layers: blob digest, signature over the exact payload bytes (never
 * re-serialised), then the payload's claims (signing.md §1.3, §8). Fails closed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/cosign_verify.h"
#include "sign/oci.h"
#include "sign/sigstore.h"
#include "vouch/encoding.h"
#include "vouch/mem.h"

#define PAYLOAD_FETCH_MAX ((size_t)4 << 20)

struct verified {
    char *payload;
    size_t len;
    size_t key;
};

struct sign_cosign_result {
    struct verified *ok;
    size_t n_ok;
    char **reasons;
    size_t n_reasons;
};

static int add_reason(struct sign_cosign_result *r, size_t layer, const char *why)
{
    char **grown = realloc(r->reasons, (r->n_reasons + 1) * sizeof(*grown));
    size_t n = strlen(why) + 32;
    char *s = malloc(n);
    if (grown == NULL || s == NULL) {
        free(s);
        if (grown != NULL) {
            r->reasons = grown;
        }
        return VOUCH_ENOMEM;
    }
    snprintf(s, n, "signature %zu: %s", layer + 1, why);
    r->reasons = grown;
    r->reasons[r->n_reasons++] = s;
    return 0;
}

/* cosign layers are sha256-addressed: any other algorithm is refused */
static int digest_matches(const unsigned char *p, size_t n, const char *digest)
{
    char got[SIGN_REF_DIGEST_MAX];
    return strncmp(digest, "sha256:", 7) == 0 && sign_oci_digest_sha256(got, p, n, NULL) == 0 &&
           strcmp(got, digest) == 0;
}

static const char *layer_annotation(const struct sign_sig_layer *l, const char *key)
{
    for (size_t i = 0; i < l->n_annotations; i++) {
        if (strcmp(l->annotations[i].key, key) == 0) {
            return l->annotations[i].value;
        }
    }
    return NULL;
}

static const char *layer_signature(const struct sign_sig_layer *l)
{
    return layer_annotation(l, SIGN_COSIGN_SIG_ANNOTATION);
}

/* How layers are checked: with keys, or (ss set) as sigstore does with a trusted root. */
struct layer_check {
    const struct sign_key *const *keys;
    size_t n_keys;
    const struct sign_sigstore_opts *ss;
};

/* The certificate, Rekor bundle and signature annotations through sigstore's checks. */
static int verify_layer_sigstore(const struct sign_sig_layer *l, const unsigned char *payload,
                                 size_t n, const struct sign_sigstore_opts *ss,
                                 struct vouch_error *err)
{
    const char *b64 = layer_signature(l);
    struct sign_sigstore_legacy in = {payload, n, NULL, 0, NULL, NULL, NULL, NULL};
    struct sign_sigstore_result res;
    unsigned char *sig = NULL;
    int rc;
    if (b64 == NULL || b64[0] == '\0' ||
        vouch_base64_decode(&sig, &in.sig_len, b64, strlen(b64), NULL) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "no base64 signature annotation");
    }
    in.sig = sig;
    in.cert_pem = layer_annotation(l, "dev.sigstore.cosign/certificate");
    in.rekor_bundle = layer_annotation(l, "dev.sigstore.cosign/bundle");
    in.timestamp = layer_annotation(l, SIGN_COSIGN_TIMESTAMP_ANNOTATION);
    rc = sign_sigstore_verify_legacy(&res, &in, ss, err);
    sign_sigstore_result_release(&res);
    free(sig);
    return rc;
}

/* Check one layer. 0 = verified (key index in *which), else a reason in err. */
static int verify_layer(const struct sign_sig_layer *l, const unsigned char *payload, size_t n,
                        const struct sign_key *const *keys, size_t n_keys, size_t *which,
                        struct vouch_error *err)
{
    const char *b64 = layer_signature(l);
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = VOUCH_EVERIFY;
    if (b64 == NULL || b64[0] == '\0') {
        return vouch_error_set(err, VOUCH_EVERIFY, "no signature annotation");
    }
    if (vouch_base64_decode(&sig, &sig_len, b64, strlen(b64), NULL) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signature annotation is not base64");
    }
    for (size_t k = 0; k < n_keys && rc != 0; k++) {
        /* SHA-256 as cosign; the curve's own hash as vouch signed P-384/P-521 before */
        if (sign_key_verify_msg(keys[k], SIGN_HASH_SHA256, payload, n, sig, sig_len, NULL) == 0 ||
            sign_key_verify_msg(keys[k], sign_key_default_hash(keys[k]), payload, n, sig, sig_len,
                                NULL) == 0) {
            *which = k;
            rc = 0;
        }
    }
    free(sig);
    if (rc != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signature does not verify with the key%s",
                               n_keys > 1 ? "s" : "");
    }
    return 0;
}

static int check_claims(const unsigned char *payload, size_t n, const char *image_digest,
                        const struct sign_annotation *req, size_t n_req, struct vouch_error *err)
{
    struct sign_cosign_payload *p = NULL;
    int rc = sign_cosign_payload_parse(&p, payload, n, err);
    if (rc == 0) {
        rc = sign_cosign_payload_check(p, image_digest, req, n_req, err);
    }
    sign_cosign_payload_free(p);
    return rc != 0 ? VOUCH_EVERIFY : 0;
}

static int keep(struct sign_cosign_result *r, unsigned char *payload, size_t n, size_t key)
{
    struct verified *grown = realloc(r->ok, (r->n_ok + 1) * sizeof(*grown));
    if (grown == NULL) {
        return VOUCH_ENOMEM;
    }
    r->ok = grown;
    r->ok[r->n_ok].payload = (char *)payload;
    r->ok[r->n_ok].len = n;
    r->ok[r->n_ok].key = key;
    r->n_ok++;
    return 0;
}

/* One layer: fetch, check, and record the outcome. Returns non-zero only on hard errors. */
static int one_layer(struct sign_cosign_result *r, size_t i, const struct sign_sig_layer *l,
                     sign_blob_fetch_fn fetch, void *ctx, const struct layer_check *chk,
                     const char *image_digest, const struct sign_annotation *req, size_t n_req)
{
    struct vouch_error why = VOUCH_ERROR_INIT;
    unsigned char *payload = NULL;
    size_t n = 0;
    size_t which = 0;
    int rc;
    if (strcmp(l->media_type, SIGN_COSIGN_SIMPLESIGNING_MT) != 0) {
        return add_reason(r, i, "not a simple-signing layer");
    }
    rc = fetch(ctx, l->digest, PAYLOAD_FETCH_MAX, &payload, &n, &why);
    if (rc == 0 && !digest_matches(payload, n, l->digest)) {
        rc =
            vouch_error_set(&why, VOUCH_EVERIFY, "payload does not match its digest %s", l->digest);
    }
    if (rc == 0) {
        rc = chk->ss != NULL ? verify_layer_sigstore(l, payload, n, chk->ss, &why)
                             : verify_layer(l, payload, n, chk->keys, chk->n_keys, &which, &why);
    }
    if (rc == 0) {
        rc = check_claims(payload, n, image_digest, req, n_req, &why);
    }
    if (rc == 0 && keep(r, payload, n, which) == 0) {
        return 0;
    }
    free(payload);
    if (rc == VOUCH_ENOMEM) {
        return rc;
    }
    return add_reason(r, i, why.msg[0] != '\0' ? why.msg : vouch_code_str(rc));
}

static int verify_all(struct sign_cosign_result **out, const struct sign_sigimage *img,
                      sign_blob_fetch_fn fetch, void *ctx, const struct layer_check *chk,
                      const char *image_digest, const struct sign_annotation *req, size_t n_req,
                      struct vouch_error *err)
{
    struct sign_cosign_result *r = calloc(1, sizeof(*r));
    int rc = VOUCH_EVERIFY;
    *out = NULL;
    if (r == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < sign_sigimage_count(img); i++) {
        if (one_layer(r, i, sign_sigimage_layer(img, i), fetch, ctx, chk, image_digest, req,
                      n_req) != 0) {
            sign_cosign_result_free(r);
            return vouch_enomem(err);
        }
    }
    *out = r;
    if (r->n_ok > 0) {
        return 0;
    }
    if (r->n_reasons == 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "no signatures found");
    }
    /* report the first reason; callers list the rest from the result */
    vouch_error_set(err, rc, "no valid signature: %s%s", r->reasons[0],
                    r->n_reasons > 1 ? " (and more)" : "");
    return rc;
}

size_t sign_cosign_result_count(const struct sign_cosign_result *r)
{
    return r->n_ok;
}

const char *sign_cosign_result_payload(const struct sign_cosign_result *r, size_t i, size_t *len)
{
    if (len != NULL) {
        *len = r->ok[i].len;
    }
    return r->ok[i].payload;
}

size_t sign_cosign_result_key(const struct sign_cosign_result *r, size_t i)
{
    return r->ok[i].key;
}

size_t sign_cosign_result_refused(const struct sign_cosign_result *r)
{
    return r->n_reasons;
}

const char *sign_cosign_result_reason(const struct sign_cosign_result *r, size_t j)
{
    return r->reasons[j];
}

void sign_cosign_result_free(struct sign_cosign_result *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->n_ok; i++) {
        free(r->ok[i].payload);
    }
    for (size_t j = 0; j < r->n_reasons; j++) {
        free(r->reasons[j]);
    }
    free(r->ok);
    free(r->reasons);
    free(r);
}

int sign_cosign_verify(struct sign_cosign_result **out, const struct sign_sigimage *img,
                       sign_blob_fetch_fn fetch, void *ctx, const struct sign_key *const *keys,
                       size_t n_keys, const char *image_digest, const struct sign_annotation *req,
                       size_t n_req, struct vouch_error *err)
{
    const struct layer_check chk = {keys, n_keys, NULL};
    return verify_all(out, img, fetch, ctx, &chk, image_digest, req, n_req, err);
}

int sign_cosign_verify_sigstore(struct sign_cosign_result **out, const struct sign_sigimage *img,
                                sign_blob_fetch_fn fetch, void *ctx,
                                const struct sign_sigstore_opts *ss, const char *image_digest,
                                const struct sign_annotation *req, size_t n_req,
                                struct vouch_error *err)
{
    const struct layer_check chk = {NULL, 0, ss};
    return verify_all(out, img, fetch, ctx, &chk, image_digest, req, n_req, err);
}
