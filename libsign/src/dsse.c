/* DSSE v1 envelopes: PAE, parsing (tolerant of base64 alphabets and unknown fields, strict on
 * types and sizes) and the two serializations cosign emits. Signing/verifying: dsse_sign.c. */
#include <stdlib.h>
#include <string.h>

#include "dsse_internal.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/json.h"
#include "vouch/mem.h"

int sign_dsse_pae(unsigned char **out, size_t *out_len, const char *payload_type,
                  const unsigned char *payload, size_t payload_len, struct vouch_error *err)
{
    struct vouch_buf b;
    size_t tlen = strlen(payload_type);
    int rc;
    *out = NULL;
    *out_len = 0;
    vouch_buf_init(&b, tlen + payload_len + 64);
    /* DSSE protocol.md: LEN is the ASCII decimal byte count without leading zeros. */
    rc = vouch_buf_printf(&b, err, "DSSEv1 %zu %s %zu ", tlen, payload_type, payload_len);
    if (rc == 0) {
        rc = vouch_buf_append(&b, payload, payload_len, err);
    }
    if (rc != 0) {
        vouch_buf_release(&b);
        return rc;
    }
    *out = vouch_buf_steal(&b, out_len);
    return 0;
}

static int sig_from_json(struct dsse_sig *s, const json_t *obj, struct vouch_error *err)
{
    const char *keyid = NULL;
    int rc;
    if (!json_is_object(obj)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed dsse envelope: signature is not "
                               "an object");
    }
    rc = sign_jread_opt_str(&keyid, obj, "keyid", "dsse signature", err);
    if (rc != 0) {
        return rc;
    }
    s->keyid = strdup(keyid != NULL ? keyid : "");
    if (s->keyid == NULL) {
        return vouch_enomem(err);
    }
    return sign_jread_b64(&s->sig, &s->sig_len, obj, "sig", "dsse signature", err);
}

static int sigs_from_json(struct sign_dsse *env, const json_t *obj, struct vouch_error *err)
{
    const json_t *arr = json_object_get(obj, "signatures");
    size_t n;
    if (arr == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed dsse envelope: missing 'signatures'");
    }
    if (!json_is_array(arr)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "malformed dsse envelope: 'signatures' is not an array");
    }
    n = json_array_size(arr);
    if (n > SIGN_DSSE_MAX_SIGS) {
        return vouch_error_set(err, VOUCH_EPARSE, "dsse envelope has %zu signatures (max %d)", n,
                               SIGN_DSSE_MAX_SIGS);
    }
    env->sigs = calloc(n > 0 ? n : 1, sizeof(*env->sigs));
    if (env->sigs == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < n; i++) {
        int rc = sig_from_json(&env->sigs[i], json_array_get(arr, i), err);
        env->nsigs = i + 1;
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int dsse_from_json(struct sign_dsse **out, const json_t *obj, struct vouch_error *err)
{
    const char *type = NULL;
    struct sign_dsse *env;
    int rc;
    *out = NULL;
    env = calloc(1, sizeof(*env));
    if (env == NULL) {
        return vouch_enomem(err);
    }
    rc = sign_jread_str(&type, obj, "payloadType", "dsse envelope", err);
    if (rc == 0 && strlen(type) != json_string_length(json_object_get(obj, "payloadType"))) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed dsse envelope: NUL in 'payloadType'");
    }
    if (rc == 0 && (env->payload_type = strdup(type)) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0) {
        rc = sign_jread_b64(&env->payload, &env->payload_len, obj, "payload", "dsse envelope", err);
    }
    if (rc == 0) {
        rc = sigs_from_json(env, obj, err);
    }
    if (rc != 0) {
        sign_dsse_free(env);
        return rc;
    }
    *out = env;
    return 0;
}

int sign_dsse_parse(struct sign_dsse **out, const unsigned char *json, size_t len,
                    struct vouch_error *err)
{
    json_t *root = NULL;
    int rc;
    *out = NULL;
    if (len > SIGN_DSSE_MAX_BYTES) {
        return vouch_error_set(err, VOUCH_EPARSE, "dsse envelope is too large (%zu bytes)", len);
    }
    rc = sign_jread_load(&root, json, len, "dsse envelope", err);
    if (rc == 0) {
        rc = dsse_from_json(out, root, err);
    }
    json_decref(root);
    return rc;
}

/* Append "name":"<base64 of p>" (with a leading comma unless first). */
static int put_b64(struct vouch_buf *b, const char *name, const unsigned char *p, size_t n,
                   struct vouch_error *err)
{
    char *s = NULL;
    int rc = vouch_base64_encode(&s, p, n, err);
    if (rc == 0) {
        rc = vouch_buf_printf(b, err, "\"%s\":\"%s\"", name, s);
    }
    free(s);
    return rc;
}

static int put_str(struct vouch_buf *b, const char *name, const char *s, struct vouch_error *err)
{
    int rc = vouch_buf_printf(b, err, "\"%s\":", name);
    return rc != 0 ? rc : vouch_json_go_string(b, s, strlen(s), err);
}

static int put_sigs(struct vouch_buf *b, const struct sign_dsse *env, int proto,
                    struct vouch_error *err)
{
    int rc = vouch_buf_puts(b, "\"signatures\":[", err);
    for (size_t i = 0; rc == 0 && i < env->nsigs; i++) {
        const struct dsse_sig *s = &env->sigs[i];
        rc = vouch_buf_puts(b, i > 0 ? ",{" : "{", err);
        /* go-securesystemslib always writes keyid; protobuf-JSON omits the empty default */
        if (rc == 0 && (!proto || s->keyid[0] != '\0')) {
            rc = put_str(b, "keyid", s->keyid, err);
            rc = rc != 0 ? rc : vouch_buf_puts(b, ",", err);
        }
        rc = rc != 0 ? rc : put_b64(b, "sig", s->sig, s->sig_len, err);
        rc = rc != 0 ? rc : vouch_buf_puts(b, "}", err);
    }
    return rc != 0 ? rc : vouch_buf_puts(b, "]", err);
}

int dsse_write_proto(struct vouch_buf *b, const struct sign_dsse *env, struct vouch_error *err)
{
    int rc = vouch_buf_puts(b, "{", err);
    rc = rc != 0 ? rc : put_b64(b, "payload", env->payload, env->payload_len, err);
    rc = rc != 0 ? rc : vouch_buf_puts(b, ",", err);
    rc = rc != 0 ? rc : put_str(b, "payloadType", env->payload_type, err);
    rc = rc != 0 ? rc : vouch_buf_puts(b, ",", err);
    rc = rc != 0 ? rc : put_sigs(b, env, 1, err);
    return rc != 0 ? rc : vouch_buf_puts(b, "}", err);
}

int sign_dsse_write(char **out, size_t *out_len, const struct sign_dsse *env,
                    struct vouch_error *err)
{
    struct vouch_buf b;
    int rc;
    *out = NULL;
    *out_len = 0;
    vouch_buf_init(&b, SIGN_DSSE_MAX_BYTES);
    rc = vouch_buf_puts(&b, "{", err);
    rc = rc != 0 ? rc : put_str(&b, "payloadType", env->payload_type, err);
    rc = rc != 0 ? rc : vouch_buf_puts(&b, ",", err);
    rc = rc != 0 ? rc : put_b64(&b, "payload", env->payload, env->payload_len, err);
    rc = rc != 0 ? rc : vouch_buf_puts(&b, ",", err);
    rc = rc != 0 ? rc : put_sigs(&b, env, 0, err);
    rc = rc != 0 ? rc : vouch_buf_puts(&b, "}", err);
    if (rc != 0) {
        vouch_buf_release(&b);
        return rc;
    }
    *out = (char *)vouch_buf_steal(&b, out_len);
    return 0;
}

const char *sign_dsse_payload_type(const struct sign_dsse *env)
{
    return env->payload_type;
}

const unsigned char *sign_dsse_payload(const struct sign_dsse *env, size_t *len)
{
    *len = env->payload_len;
    return env->payload;
}

size_t sign_dsse_sig_count(const struct sign_dsse *env)
{
    return env->nsigs;
}

const char *sign_dsse_sig_keyid(const struct sign_dsse *env, size_t i)
{
    return i < env->nsigs ? env->sigs[i].keyid : NULL;
}

const unsigned char *sign_dsse_sig(const struct sign_dsse *env, size_t i, size_t *len)
{
    if (i >= env->nsigs) {
        *len = 0;
        return NULL;
    }
    *len = env->sigs[i].sig_len;
    return env->sigs[i].sig;
}

void sign_dsse_free(struct sign_dsse *env)
{
    if (env == NULL) {
        return;
    }
    for (size_t i = 0; i < env->nsigs; i++) {
        free(env->sigs[i].keyid);
        free(env->sigs[i].sig);
    }
    free(env->sigs);
    free(env->payload_type);
    free(env->payload);
    free(env);
}
