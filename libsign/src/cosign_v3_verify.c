/* Verifying the bundle referrers of cosign v3 (signing.md §2.3). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/bundle.h"
#include "sign/cosign_att.h"
#include "sign/cosign_v3.h"
#include "sign/dsse.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

struct walk {
    struct sign_cosign_v3_result *res;
    const char *digest;
    const struct sign_key *key;
    const struct sign_annotation *ann;
    size_t n_ann;
    const struct sign_sigstore_opts *ss; /* sigstore checks instead of key */
};

__attribute__((format(printf, 2, 3))) static void reason_add(struct sign_cosign_v3_result *r,
                                                             const char *fmt, ...)
{
    size_t used = strlen(r->reasons);
    va_list ap;
    va_start(ap, fmt);
    if (used + 2 < sizeof(r->reasons)) {
        if (used > 0) {
            r->reasons[used++] = ';';
            r->reasons[used++] = ' ';
            r->reasons[used] = '\0';
        }
        vsnprintf(r->reasons + used, sizeof(r->reasons) - used, fmt, ap);
    }
    va_end(ap);
}

static int str_is(json_t *j, const char *want)
{
    const char *s = json_string_value(j);
    return s != NULL && strcmp(s, want) == 0;
}

/* NULL when the statement is the cosign v3 signature of digest with every annotation. */
static const char *statement_check(json_t *st, const struct walk *w)
{
    json_t *subj = json_array_get(json_object_get(st, "subject"), 0);
    const char *hex = json_string_value(json_object_get(json_object_get(subj, "digest"), "sha256"));
    json_t *ann = json_object_get(subj, "annotations");
    if (!json_is_object(st) || json_array_size(json_object_get(st, "subject")) != 1) {
        return "statement is not one-subject json";
    }
    if (!str_is(json_object_get(st, "_type"), "https://in-toto.io/Statement/v1") ||
        !str_is(json_object_get(st, "predicateType"), SIGN_COSIGN_V3_PREDICATE)) {
        return "statement is not a cosign v3 signature";
    }
    if (hex == NULL || strcmp(hex, w->digest + strlen("sha256:")) != 0) {
        return "statement subject is not the image digest";
    }
    for (size_t i = 0; i < w->n_ann; i++) {
        const char *v = json_string_value(json_object_get(ann, w->ann[i].key));
        if (v == NULL || strcmp(v, w->ann[i].value) != 0) {
            return "annotations do not match";
        }
    }
    return NULL;
}

static int keep(struct sign_cosign_v3_result *r, unsigned char *payload, size_t len,
                struct vouch_error *err)
{
    char **s = realloc(r->stmt, (r->n + 1) * sizeof(*s));
    size_t *l = s ? realloc(r->len, (r->n + 1) * sizeof(*l)) : NULL;
    if (s != NULL) {
        r->stmt = s;
    }
    if (l == NULL) {
        free(payload);
        return vouch_enomem(err);
    }
    r->len = l;
    r->stmt[r->n] = (char *)payload;
    r->len[r->n++] = len;
    return 0;
}

/* The bundle as sigstore checks it (keyless, or a key with its log entries), over the image
 * digest: a DSSE bundle whose statement names it. */
static int verify_sigstore(unsigned char **payload, size_t *plen, const struct sign_bundle *b,
                           const struct walk *w, struct vouch_error *err)
{
    struct sign_sigstore_artifact art;
    struct sign_sigstore_result res;
    int rc;
    memset(&art, 0, sizeof(art));
    art.digest.alg = SIGN_HASH_SHA256;
    art.digest.len = 32;
    if (sign_bundle_dsse(b) == NULL) {
        return vouch_error_set(err, VOUCH_EVERIFY, "bundle holds no dsseEnvelope");
    }
    if (strncmp(w->digest, "sha256:", 7) != 0 ||
        vouch_hex_decode(art.digest.value, 32, w->digest + 7, 64, NULL) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "image digest '%s' is not sha256", w->digest);
    }
    rc = sign_sigstore_verify(&res, b, &art, w->ss, err);
    if (rc == 0) {
        *payload = res.payload;
        *plen = res.payload_len;
        w->res->verified = res; /* the last one that verified, for --output */
        w->res->verified.payload = NULL;
    }
    return rc;
}

static int walk_bundle(void *ctx, const unsigned char *data, size_t len, struct vouch_error *err)
{
    struct walk *w = ctx;
    struct sign_bundle *b = NULL;
    struct vouch_error e = VOUCH_ERROR_INIT;
    unsigned char *payload = NULL;
    size_t plen = 0;
    json_t *st = NULL;
    const char *why = NULL;
    int rc = sign_bundle_parse(&b, data, len, &e);
    w->res->seen++;
    if (rc == 0 && w->ss != NULL) {
        rc = verify_sigstore(&payload, &plen, b, w, &e);
    } else {
        rc = rc ? rc : sign_bundle_verify_dsse(&payload, &plen, b, w->key, &e);
    }
    if (rc == 0 &&
        strcmp(sign_dsse_payload_type(sign_bundle_dsse(b)), "application/vnd.in-toto+json") != 0) {
        why = "payloadType is not application/vnd.in-toto+json";
    } else if (rc == 0) {
        st = vouch_json_load((const char *)payload, plen, 0, NULL);
        why = statement_check(st, w);
    }
    if (rc != 0 || why != NULL) {
        reason_add(w->res, "bundle: %s", rc ? e.msg : why);
        free(payload);
    } else {
        rc = keep(w->res, payload, plen, err);
    }
    json_decref(st);
    sign_bundle_free(b);
    return rc == VOUCH_ENOMEM ? rc : 0;
}

int sign_cosign_v3_verify(struct sign_cosign_v3_result *out, struct sign_oci_source *src,
                          const char *digest, const struct sign_key *key,
                          const struct sign_annotation *ann, size_t n_ann, struct vouch_error *err)
{
    struct walk w = {out, digest, key, ann, n_ann, NULL};
    size_t count = 0;
    memset(out, 0, sizeof(*out));
    return sign_cosign_att_each_bundle(&count, src, digest, walk_bundle, &w, err);
}

int sign_cosign_v3_verify_sigstore(struct sign_cosign_v3_result *out, struct sign_oci_source *src,
                                   const char *digest, const struct sign_sigstore_opts *ss,
                                   const struct sign_annotation *ann, size_t n_ann,
                                   struct vouch_error *err)
{
    struct walk w = {out, digest, NULL, ann, n_ann, ss};
    size_t count = 0;
    memset(out, 0, sizeof(*out));
    return sign_cosign_att_each_bundle(&count, src, digest, walk_bundle, &w, err);
}

void sign_cosign_v3_result_release(struct sign_cosign_v3_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->stmt[i]);
    }
    free(r->stmt);
    free(r->len);
    memset(r, 0, sizeof(*r));
}
