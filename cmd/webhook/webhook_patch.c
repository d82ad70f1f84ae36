/* The /mutate answer: an RFC 6902 JSON Patch that pins each admitted image given by tag to
 * the digest that was resolved and verified for it, as `repo:tag@sha256:…`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "slsa/admission.h"
#include "vouch/encoding.h"
#include "webhook.h"

/* "spec.template.spec.containers[2]" -> "/spec/template/spec/containers/2/image" */
static int field_pointer(char *out, size_t n, const char *field)
{
    size_t o = 0;
    if (n < 2) {
        return -1;
    }
    out[o++] = '/';
    for (const char *p = field; *p != '\0'; p++) {
        char c = *p == '.' || *p == '[' ? '/' : *p;
        if (*p == ']') {
            continue;
        }
        if (o + 1 >= n) {
            return -1;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return (size_t)snprintf(out + o, n - o, "/image") < n - o ? 0 : -1;
}

static json_t *patch_ops(const struct wh_pin *pins, size_t n)
{
    json_t *ops = json_array();
    char path[512], value[2048];
    for (size_t i = 0; ops != NULL && i < n; i++) {
        int w = snprintf(value, sizeof(value), "%s@%s", pins[i].img->image, pins[i].digest);
        if (field_pointer(path, sizeof(path), pins[i].img->field) != 0 || w < 0 ||
            (size_t)w >= sizeof(value) ||
            json_array_append_new(ops, json_pack("{s:s, s:s, s:s}", "op", "replace", "path", path,
                                                 "value", value)) != 0) {
            json_decref(ops);
            return NULL;
        }
    }
    return ops;
}

static char *patch_base64(const struct wh_pin *pins, size_t n)
{
    json_t *ops = patch_ops(pins, n);
    char *text = ops != NULL ? json_dumps(ops, JSON_COMPACT) : NULL;
    char *b64 = NULL;
    if (text != NULL) {
        (void)vouch_base64_encode(&b64, (const unsigned char *)text, strlen(text), NULL);
    }
    free(text);
    json_decref(ops);
    return b64;
}

int wh_patch_add(char **resp, size_t *resp_len, const struct wh_pin *pins, size_t n)
{
    json_t *doc = json_loadb(*resp, *resp_len, 0, NULL);
    json_t *r = json_object_get(doc, "response");
    char *b64 = patch_base64(pins, n);
    char *text = NULL;
    int rc = -1;
    if (json_is_object(r) && b64 != NULL &&
        json_object_set_new(r, "patchType", json_string("JSONPatch")) == 0 &&
        json_object_set_new(r, "patch", json_string(b64)) == 0 &&
        (text = json_dumps(doc, JSON_COMPACT)) != NULL) {
        free(*resp);
        *resp = text;
        *resp_len = strlen(text);
        rc = 0;
    }
    free(b64);
    json_decref(doc);
    return rc;
}
