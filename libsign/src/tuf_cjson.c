/* OLPC canonical JSON, as securesystemslib's encode_canonical writes it: the bytes TUF
 * signatures cover. Keys sorted by bytes, no whitespace, strings with only '"' and '\'
 * escaped (everything else raw UTF-8), integers only. */
#include <stdlib.h>
#include <string.h>

#include "tuf_internal.h"
#include "vouch/mem.h"

static int put_string(struct vouch_buf *out, const char *s, size_t n, struct vouch_error *err)
{
    size_t start = 0;
    int rc = vouch_buf_append(out, "\"", 1, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') {
            rc = vouch_buf_append(out, s + start, i - start, err);
            rc = rc ? rc : vouch_buf_append(out, "\\", 1, err);
            start = i;
        }
    }
    rc = rc ? rc : vouch_buf_append(out, s + start, n - start, err);
    return rc ? rc : vouch_buf_append(out, "\"", 1, err);
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int put_object(struct vouch_buf *out, const json_t *v, struct vouch_error *err)
{
    size_t n = json_object_size(v), i = 0;
    const char **keys = calloc(n > 0 ? n : 1, sizeof(*keys));
    const char *k;
    json_t *val;
    int rc = 0;
    if (keys == NULL) {
        return vouch_enomem(err);
    }
    json_object_foreach((json_t *)v, k, val)
    {
        keys[i++] = k;
    }
    qsort(keys, n, sizeof(*keys), cmp_keys);
    rc = vouch_buf_append(out, "{", 1, err);
    for (i = 0; rc == 0 && i < n; i++) {
        if (i > 0) {
            rc = vouch_buf_append(out, ",", 1, err);
        }
        rc = rc ? rc : put_string(out, keys[i], strlen(keys[i]), err);
        rc = rc ? rc : vouch_buf_append(out, ":", 1, err);
        rc = rc ? rc : tuf_cjson(out, json_object_get(v, keys[i]), err);
    }
    free(keys);
    return rc ? rc : vouch_buf_append(out, "}", 1, err);
}

int tuf_cjson(struct vouch_buf *out, const json_t *v, struct vouch_error *err)
{
    int rc = 0;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return put_object(out, v, err);
    case JSON_ARRAY:
        rc = vouch_buf_append(out, "[", 1, err);
        for (size_t i = 0; rc == 0 && i < json_array_size(v); i++) {
            if (i > 0) {
                rc = vouch_buf_append(out, ",", 1, err);
            }
            rc = rc ? rc : tuf_cjson(out, json_array_get(v, i), err);
        }
        return rc ? rc : vouch_buf_append(out, "]", 1, err);
    case JSON_STRING:
        return put_string(out, json_string_value(v), json_string_length(v), err);
    case JSON_INTEGER:
        return vouch_buf_printf(out, err, "%lld", (long long)json_integer_value(v));
    case JSON_TRUE:
        return vouch_buf_puts(out, "true", err);
    case JSON_FALSE:
        return vouch_buf_puts(out, "false", err);
    case JSON_NULL:
        return vouch_buf_puts(out, "null", err);
    default:
        return vouch_error_set(err, VOUCH_EPARSE,
                               "canonical JSON has no real numbers (TUF metadata uses integers)");
    }
}
