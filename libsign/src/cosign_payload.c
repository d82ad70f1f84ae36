/* cosign simple-signing payloads: built with Go encoding/json's exact bytes, parsed
 * strictly enough that a verifier never trusts a malformed payload (signing.md §1). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/cosign.h"
#include "vouch/buf.h"
#include "vouch/jread.h"
#include "vouch/json.h"
#include "vouch/mem.h"

#define PAYLOAD_MAX ((size_t)1 << 20)

struct sign_cosign_payload {
    char *digest;
    char *identity;
    char *optional_json;
    json_t *optional; /* NULL when "optional" is null or absent */
};

static int cmp_annotation(const void *a, const void *b)
{
    const struct sign_annotation *x = a;
    const struct sign_annotation *y = b;
    return strcmp(x->key, y->key);
}

static int put_kv(struct vouch_buf *b, const char *key, const char *value, struct vouch_error *err)
{
    int rc = vouch_json_go_string(b, key, strlen(key), err);
    if (rc == 0) {
        rc = vouch_buf_append(b, ":", 1, err);
    }
    if (rc == 0) {
        rc = vouch_json_go_string(b, value, strlen(value), err);
    }
    return rc;
}

static int put_optional(struct vouch_buf *b, const struct sign_annotation *ann, size_t n,
                        struct vouch_error *err)
{
    struct sign_annotation *sorted;
    int rc;
    if (n == 0) {
        return vouch_buf_puts(b, "null", err);
    }
    sorted = calloc(n, sizeof(*sorted));
    if (sorted == NULL) {
        return vouch_enomem(err);
    }
    memcpy(sorted, ann, n * sizeof(*sorted));
    /* Go marshals map[string]interface{} with keys in byte order */
    qsort(sorted, n, sizeof(*sorted), cmp_annotation);
    rc = vouch_buf_puts(b, "{", err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i > 0 && strcmp(sorted[i - 1].key, sorted[i].key) == 0) {
            rc = vouch_error_set(err, VOUCH_EINVAL, "annotation '%s' given twice", sorted[i].key);
            break;
        }
        if (i > 0) {
            rc = vouch_buf_puts(b, ",", err);
        }
        if (rc == 0) {
            rc = put_kv(b, sorted[i].key, sorted[i].value, err);
        }
    }
    if (rc == 0) {
        rc = vouch_buf_puts(b, "}", err);
    }
    free(sorted);
    return rc;
}

int sign_cosign_payload_build(char **out, size_t *out_len, const char *identity, const char *digest,
                              const struct sign_annotation *ann, size_t n_ann,
                              struct vouch_error *err)
{
    struct vouch_buf b;
    int rc;
    *out = NULL;
    vouch_buf_init(&b, PAYLOAD_MAX);
    rc = vouch_buf_puts(&b, "{\"critical\":{\"identity\":{", err);
    if (rc == 0) {
        rc = put_kv(&b, "docker-reference", identity, err);
    }
    if (rc == 0) {
        rc = vouch_buf_puts(&b, "},\"image\":{", err);
    }
    if (rc == 0) {
        rc = put_kv(&b, "docker-manifest-digest", digest, err);
    }
    if (rc == 0) {
        rc = vouch_buf_puts(&b, "},", err);
    }
    if (rc == 0) {
        rc = put_kv(&b, "type", SIGN_COSIGN_PAYLOAD_TYPE, err);
    }
    if (rc == 0) {
        rc = vouch_buf_puts(&b, "},\"optional\":", err);
    }
    if (rc == 0) {
        rc = put_optional(&b, ann, n_ann, err);
    }
    if (rc == 0) {
        rc = vouch_buf_puts(&b, "}", err);
    }
    if (rc != 0) {
        vouch_buf_release(&b);
        return rc;
    }
    *out = (char *)vouch_buf_steal(&b, out_len);
    return 0;
}

static int is_sha256_digest(const char *s)
{
    if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64) {
        return 0;
    }
    for (const char *p = s + 7; *p != '\0'; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

static int payload_fill(struct sign_cosign_payload *p, json_t *root, struct vouch_error *err)
{
    json_t *crit = json_object_get(root, "critical");
    json_t *type = json_object_get(crit, "type");
    json_t *dig = json_object_get(json_object_get(crit, "image"), "docker-manifest-digest");
    json_t *ref = json_object_get(json_object_get(crit, "identity"), "docker-reference");
    json_t *opt = json_object_get(root, "optional");
    if (!json_is_object(crit) || !json_is_string(type) ||
        strcmp(json_string_value(type), SIGN_COSIGN_PAYLOAD_TYPE) != 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "not a cosign simple-signing payload");
    }
    if (!json_is_string(dig) || !is_sha256_digest(json_string_value(dig))) {
        return vouch_error_set(err, VOUCH_EPARSE, "payload has no valid docker-manifest-digest");
    }
    if (ref != NULL && !json_is_string(ref)) {
        return vouch_error_set(err, VOUCH_EPARSE, "payload docker-reference is not a string");
    }
    if (opt != NULL && !json_is_null(opt) && !json_is_object(opt)) {
        return vouch_error_set(err, VOUCH_EPARSE, "payload 'optional' is not an object");
    }
    p->digest = strdup(json_string_value(dig));
    p->identity = strdup(ref != NULL ? json_string_value(ref) : "");
    p->optional_json =
        json_is_object(opt) ? json_dumps(opt, JSON_COMPACT | JSON_SORT_KEYS) : strdup("null");
    if (p->digest == NULL || p->identity == NULL || p->optional_json == NULL) {
        return vouch_enomem(err);
    }
    if (json_is_object(opt)) {
        p->optional = json_incref(opt);
    }
    return 0;
}

int sign_cosign_payload_parse(struct sign_cosign_payload **out, const unsigned char *data,
                              size_t len, struct vouch_error *err)
{
    struct sign_cosign_payload *p = NULL;
    json_error_t jerr;
    json_t *root = NULL;
    int rc;
    *out = NULL;
    if (len > PAYLOAD_MAX) {
        return vouch_error_set(err, VOUCH_EPARSE, "payload too large (%zu bytes)", len);
    }
    root = vouch_json_load((const char *)data, len, 0, &jerr);
    if (!json_is_object(root)) {
        json_decref(root);
        return vouch_error_set(err, VOUCH_EPARSE, "payload is not a JSON object: %s", jerr.text);
    }
    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        rc = vouch_enomem(err);
        goto done;
    }
    rc = payload_fill(p, root, err);
    if (rc == 0) {
        *out = p;
        p = NULL;
    }
done:
    json_decref(root);
    sign_cosign_payload_free(p);
    return rc;
}

const char *sign_cosign_payload_digest(const struct sign_cosign_payload *p)
{
    return p->digest;
}

const char *sign_cosign_payload_identity(const struct sign_cosign_payload *p)
{
    return p->identity;
}

const char *sign_cosign_payload_optional_json(const struct sign_cosign_payload *p)
{
    return p->optional_json;
}

int sign_cosign_payload_check(const struct sign_cosign_payload *p, const char *want_digest,
                              const struct sign_annotation *req, size_t n_req,
                              struct vouch_error *err)
{
    if (strcmp(p->digest, want_digest) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "payload signs digest %s, not the image's %s",
                               p->digest, want_digest);
    }
    for (size_t i = 0; i < n_req; i++) {
        json_t *v = json_object_get(p->optional, req[i].key);
        if (!json_is_string(v) || strcmp(json_string_value(v), req[i].value) != 0) {
            return vouch_error_set(err, VOUCH_EVERIFY, "annotation %s=%s not in the payload",
                                   req[i].key, req[i].value);
        }
    }
    return 0;
}

void sign_cosign_payload_free(struct sign_cosign_payload *p)
{
    if (p == NULL) {
        return;
    }
    free(p->digest);
    free(p->identity);
    free(p->optional_json);
    json_decref(p->optional);
    free(p);
}

int sign_cosign_tag(char **out, const char *digest, const char *suffix, struct vouch_error *err)
{
    const char *colon = strchr(digest, ':');
    size_t n;
    *out = NULL;
    if (colon == NULL || colon == digest || colon[1] == '\0') {
        return vouch_error_set(err, VOUCH_EINVAL, "invalid digest '%s'", digest);
    }
    n = strlen(digest) + strlen(suffix) + 2;
    *out = malloc(n);
    if (*out == NULL) {
        return vouch_enomem(err);
    }
    /* the first ':' becomes '-' (cosign's tag scheme) */
    snprintf(*out, n, "%.*s-%s%s%s", (int)(colon - digest), digest, colon + 1, suffix[0] ? "." : "",
             suffix);
    return 0;
}
