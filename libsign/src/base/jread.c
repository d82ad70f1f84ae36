/* Readers over jansson values for untrusted JSON (DSSE envelopes, sigstore bundles). */
#include <stdio.h>

#include "vouch/encoding.h"
#include "vouch/jread.h"

/* jansson quotes the input near the error: keep the one-line message printable. */
static void printable(char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) {
            *s = '?';
        }
    }
}

void sign_jread_quote(char *out, size_t n, const char *in)
{
    snprintf(out, n, "%s", in);
    printable(out);
}

json_t *vouch_json_load(const void *data, size_t len, size_t flags, json_error_t *jerr)
{
    return json_loadb(data, len, flags | JSON_REJECT_DUPLICATES, jerr);
}

int sign_jread_load(json_t **out, const unsigned char *json, size_t len, const char *what,
                    struct vouch_error *err)
{
    json_error_t jerr;
    *out = vouch_json_load(json, len, 0, &jerr);
    if (*out == NULL) {
        printable(jerr.text);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed %s: %s at line %d", what, jerr.text,
                               jerr.line);
    }
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return vouch_error_set(err, VOUCH_EPARSE, "malformed %s: not a JSON object", what);
    }
    return 0;
}

int sign_jread_opt_str(const char **out, const json_t *obj, const char *key, const char *what,
                       struct vouch_error *err)
{
    const json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL) {
        return 0;
    }
    if (!json_is_string(v)) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed %s: '%s' is not a string", what, key);
    }
    *out = json_string_value(v);
    return 0;
}

int sign_jread_str(const char **out, const json_t *obj, const char *key, const char *what,
                   struct vouch_error *err)
{
    int rc = sign_jread_opt_str(out, obj, key, what, err);
    if (rc == 0 && *out == NULL) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed %s: missing '%s'", what, key);
    }
    return rc;
}

int sign_jread_obj(const json_t **out, const json_t *obj, const char *key, const char *what,
                   struct vouch_error *err)
{
    const json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed %s: missing '%s'", what, key);
    }
    if (!json_is_object(v)) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed %s: '%s' is not an object", what, key);
    }
    *out = v;
    return 0;
}

int sign_jread_b64(unsigned char **out, size_t *out_len, const json_t *obj, const char *key,
                   const char *what, struct vouch_error *err)
{
    const char *s = NULL;
    int rc;
    *out = NULL;
    *out_len = 0;
    rc = sign_jread_str(&s, obj, key, what, err);
    if (rc != 0) {
        return rc;
    }
    rc = vouch_base64_decode(out, out_len, s, json_string_length(json_object_get(obj, key)), err);
    if (rc != 0) {
        vouch_error_prefix(err, "%s '%s': ", what, key);
    }
    return rc;
}
