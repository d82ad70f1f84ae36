/* JSON building helpers for the writers (jansson stays inside libsbom). */
#include <stdlib.h>
#include <string.h>

#include "fmt_internal.h"
#include "vouch/mem.h"

json_t *fmt_str(const char *s)
{
    json_t *j = json_string(s != NULL ? s : "");
    if (j == NULL && s != NULL) { /* not UTF-8: keep ASCII, mark the rest */
        char *t = util_strndup(s, (size_t)-1);
        if (t == NULL) {
            return NULL;
        }
        for (char *p = t; *p != '\0'; p++) {
            if ((unsigned char)*p >= 0x80) {
                *p = '?';
            }
        }
        j = json_string(t);
        free(t);
    }
    return j;
}

void fmt_set(struct fmt_ctx *c, json_t *obj, const char *key, json_t *v)
{
    if (v == NULL || json_object_set_new(obj, key, v) != 0) {
        c->oom = 1;
    }
}

void fmt_push(struct fmt_ctx *c, json_t *arr, json_t *v)
{
    if (v == NULL || json_array_append_new(arr, v) != 0) {
        c->oom = 1;
    }
}

int fmt_append(struct vouch_buf *out, struct fmt_ctx *c, const char *sep, json_t *v, int open,
               struct vouch_error *err)
{
    char *s;
    size_t n;
    int rc;
    if (v == NULL || c->oom) {
        json_decref(v);
        return vouch_enomem(err);
    }
    s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(v);
    if (s == NULL) {
        return vouch_enomem(err);
    }
    n = strlen(s);
    rc = sep != NULL ? vouch_buf_puts(out, sep, err) : 0;
    rc = rc ? rc : vouch_buf_append(out, s, open && n > 0 ? n - 1 : n, err);
    free(s);
    return rc ? rc : fmt_flush(out, c, 0, err);
}

int fmt_flush(struct vouch_buf *out, struct fmt_ctx *c, int force, struct vouch_error *err)
{
    int rc;
    if (c->sink == NULL || out->len == 0 || (!force && out->len < FMT_CHUNK)) {
        return 0;
    }
    rc = c->sink(out->data, out->len, c->sink_ctx, err);
    vouch_buf_reset(out);
    return rc;
}

int fmt_append_files(struct vouch_buf *out, struct fmt_ctx *c, const char *first_sep,
                     json_t *(*one)(struct fmt_ctx *c, const struct sbom_file *f), int *any,
                     struct vouch_error *err)
{
    struct sbom_file_iter *it = NULL;
    const struct sbom_file *f = NULL;
    int rc = sbom_file_iter_new(&it, c->doc, err);
    *any = 0;
    while (rc == 0 && (rc = sbom_file_iter_next(&f, it, err)) == 0 && f != NULL) {
        rc = fmt_append(out, c, *any ? "," : first_sep, one(c, f), 0, err);
        *any = 1;
    }
    sbom_file_iter_free(it);
    return rc;
}

void fmt_sanitize(char *out, size_t outsz, const char *s)
{
    size_t i = 0;
    for (; s[i] != '\0' && i + 1 < outsz; i++) {
        char ch = s[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '-';
        out[i] = ok ? ch : '-';
    }
    out[i] = '\0';
}
