/* Schema sets: read from a directory, $ref resolution between their documents, freeing;
 * and the problem list validations fill. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jschema_internal.h"
#include "vouch/io.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define JS_SCHEMA_MAX ((size_t)16 << 20)
#define JS_SCHEMAS_MAX 64

static int is_json(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0 && name[0] != '.';
}

static int load_one(struct js_set *s, const char *dir, const char *name, struct vouch_error *err)
{
    char path[4096];
    unsigned char *text = NULL;
    size_t len = 0;
    json_error_t jerr;
    json_t *root;
    int rc;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    rc = vouch_file_read(&text, &len, path, JS_SCHEMA_MAX, err);
    if (rc != 0) {
        return rc;
    }
    root = vouch_json_load((const char *)text, len, 0, &jerr);
    free(text);
    if (root == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "schema '%s': invalid JSON at line %d: %s", path,
                               jerr.line, jerr.text);
    }
    s->docs[s->n].name = strdup(name);
    s->docs[s->n].root = root;
    if (s->docs[s->n].name == NULL) {
        json_decref(root);
        return vouch_enomem(err);
    }
    s->n++;
    return 0;
}

int js_set_load(struct js_set **out, const char *dir, struct vouch_error *err)
{
    struct js_set *s;
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;
    *out = NULL;
    if (d == NULL) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "cannot open schema directory '%s'", dir);
    }
    s = calloc(1, sizeof(*s));
    if (s == NULL || (s->docs = calloc(JS_SCHEMAS_MAX, sizeof(*s->docs))) == NULL) {
        closedir(d);
        js_set_free(s);
        return vouch_enomem(err);
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (!is_json(e->d_name)) {
            continue;
        }
        rc = s->n < JS_SCHEMAS_MAX
                 ? load_one(s, dir, e->d_name, err)
                 : vouch_error_set(err, VOUCH_EINVAL, "more than %d schemas in '%s'",
                                   JS_SCHEMAS_MAX, dir);
    }
    closedir(d);
    if (rc != 0) {
        js_set_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

const json_t *js_set_get(const struct js_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->docs[i].name, name) == 0) {
            return s->docs[i].root;
        }
    }
    return NULL;
}

/* RFC 6901 pointer (without '#') inside doc */
static const json_t *resolve_pointer(const json_t *doc, const char *p)
{
    char seg[256];
    while (doc != NULL && *p == '/') {
        size_t n = 0;
        p++;
        while (*p != '\0' && *p != '/' && n + 1 < sizeof(seg)) {
            if (p[0] == '~' && (p[1] == '0' || p[1] == '1')) {
                seg[n++] = p[1] == '0' ? '~' : '/';
                p += 2;
            } else {
                seg[n++] = *p++;
            }
        }
        seg[n] = '\0';
        if (json_is_array(doc)) {
            char *end;
            unsigned long i = strtoul(seg, &end, 10);
            doc = *end == '\0' ? json_array_get(doc, i) : NULL;
        } else {
            doc = json_object_get(doc, seg);
        }
    }
    return *p == '\0' ? doc : NULL;
}

/* "#/definitions/x", "other.json", "other.json#/x", "http://host/path/other.json#/x" */
const json_t *js_resolve_ref(const struct js_set *set, const json_t *doc, const char *ref,
                             const json_t **ref_doc)
{
    const char *hash = strchr(ref, '#'), *base;
    char name[256];
    size_t n = hash != NULL ? (size_t)(hash - ref) : strlen(ref);
    if (n > 0) {
        base = ref + n;
        while (base > ref && base[-1] != '/') {
            base--;
        }
        n -= (size_t)(base - ref);
        if (n >= sizeof(name)) {
            return NULL;
        }
        memcpy(name, base, n);
        name[n] = '\0';
        doc = js_set_get(set, name);
    }
    *ref_doc = doc;
    return doc == NULL                       ? NULL
           : hash == NULL || hash[1] == '\0' ? doc
                                             : resolve_pointer(doc, hash + 1);
}

void js_set_free(struct js_set *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        free(s->docs[i].name);
        json_decref(s->docs[i].root);
    }
    for (size_t i = 0; i < s->nrx; i++) {
        pcre2_code_free((pcre2_code *)s->rx[i].re);
    }
    pcre2_match_data_free((pcre2_match_data *)s->md);
    for (size_t i = 0; i < s->nen; i++) {
        free(s->en[i].v);
    }
    free(s->en);
    free(s->rx);
    free(s->docs);
    free(s);
}

/* ---- problems */

int js_problem_add(struct js_problems *p, const char *pointer, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    if (p->n >= (p->max ? p->max : 100)) {
        return 0;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        struct js_problem *v = realloc(p->v, cap * sizeof(*v));
        if (v == NULL) {
            return VOUCH_ENOMEM;
        }
        p->v = v;
        p->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    p->v[p->n].pointer = strdup(pointer);
    p->v[p->n].reason = strdup(buf);
    if (p->v[p->n].pointer == NULL || p->v[p->n].reason == NULL) {
        free(p->v[p->n].pointer);
        free(p->v[p->n].reason);
        return VOUCH_ENOMEM;
    }
    p->n++;
    return 0;
}

void js_problems_release(struct js_problems *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].pointer);
        free(p->v[i].reason);
    }
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
}

int js_cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the sorted strings of an all-string enum (cached), or NULL when it holds other values */
const struct js_enum *js_enum_strings(struct js_set *s, const json_t *en)
{
    struct js_enum e = {en, NULL, json_array_size(en)};
    const json_t *v;
    size_t i;
    for (i = 0; i < s->nen; i++) {
        if (s->en[i].id == en) {
            return s->en[i].v != NULL ? &s->en[i] : NULL;
        }
    }
    json_array_foreach(en, i, v)
    {
        if (!json_is_string(v)) {
            e.n = 0;
            break;
        }
    }
    if (e.n > 0 && (e.v = calloc(e.n, sizeof(*e.v))) != NULL) {
        json_array_foreach(en, i, v)
        {
            e.v[i] = json_string_value(v);
        }
        qsort(e.v, e.n, sizeof(*e.v), js_cmp_cstr);
    }
    if (s->nen == s->capen) {
        size_t cap = s->capen ? s->capen * 2 : 32;
        struct js_enum *nv = realloc(s->en, cap * sizeof(*nv));
        if (nv == NULL) {
            free(e.v);
            return NULL;
        }
        s->en = nv;
        s->capen = cap;
    }
    s->en[s->nen++] = e;
    return e.v != NULL ? &s->en[s->nen - 1] : NULL;
}

struct js_dump {
    char *s;
    size_t i;
};

static int dump_cmp(const void *a, const void *b)
{
    const struct js_dump *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

/* uniqueItems in O(n log n): items compared by their canonical text (sorted keys), which
 * agrees with json_equal (1 and 1.0 differ in both) */
int js_first_duplicate(const json_t *arr, size_t *a, size_t *b)
{
    size_t n = json_array_size(arr), i;
    struct js_dump *d;
    int found = 0;
    if (n < 2) {
        return 0;
    }
    d = calloc(n, sizeof(*d));
    for (i = 0; d != NULL && i < n; i++) {
        d[i].s =
            json_dumps(json_array_get(arr, i), JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        d[i].i = i;
        if (d[i].s == NULL) {
            break;
        }
    }
    if (d == NULL || i < n) {
        found = -1;
    } else {
        qsort(d, n, sizeof(*d), dump_cmp);
        for (i = 1; i < n && !found; i++) {
            if (strcmp(d[i - 1].s, d[i].s) == 0) {
                *a = d[i - 1].i;
                *b = d[i].i;
                found = 1;
            }
        }
    }
    for (i = 0; d != NULL && i < n; i++) {
        free(d[i].s);
    }
    free(d);
    return found;
}
