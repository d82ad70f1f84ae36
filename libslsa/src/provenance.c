/* SLSA Provenance v1 predicate builder (slsa spec/build-provenance.md): string fields,
 * parameter maps, ResourceDescriptor lists, and deterministic JSON output. */
#include <stdlib.h>
#include <string.h>

#include "provenance_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define PATH_MAX_DEPTH 8

static const char *const field_names[FIELD_COUNT] = {"buildType", "builder.id", "invocationId",
                                                     "startedOn", "finishedOn"};

int slsa_provenance_new(struct slsa_provenance **out, struct vouch_error *err)
{
    struct slsa_provenance *p = calloc(1, sizeof(*p));
    int ok = p != NULL;
    for (size_t i = 0; ok && i < 2; i++) {
        ok = (p->params[i] = json_object()) != NULL;
    }
    for (size_t i = 0; ok && i < 3; i++) {
        ok = (p->lists[i] = json_array()) != NULL;
    }
    if (ok) {
        ok = (p->version = json_object()) != NULL;
    }
    *out = NULL;
    if (!ok) {
        slsa_provenance_free(p);
        return vouch_enomem(err);
    }
    *out = p;
    return 0;
}

static int digits(const char *s, size_t n, int lo, int hi)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v >= lo && v <= hi;
}

/* RFC 3339 in UTC, as the provenance cue summary shows: YYYY-MM-DDThh:mm:ss[.frac]Z. */
static int is_timestamp(const char *s)
{
    size_t n = strlen(s), i = 19;
    if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
        return 0;
    }
    if (!digits(s, 4, 0, 9999) || !digits(s + 5, 2, 1, 12) || !digits(s + 8, 2, 1, 31) ||
        !digits(s + 11, 2, 0, 23) || !digits(s + 14, 2, 0, 59) || !digits(s + 17, 2, 0, 60)) {
        return 0;
    }
    if (s[i] == '.') {
        size_t start = ++i;
        while (s[i] >= '0' && s[i] <= '9') {
            i++;
        }
        if (i == start || i - start > 9) {
            return 0;
        }
    }
    return s[i] == 'Z' && s[i + 1] == '\0';
}

int slsa_provenance_set(struct slsa_provenance *p, enum slsa_field field, const char *value,
                        struct vouch_error *err)
{
    char *copy = NULL;
    if ((unsigned)field >= FIELD_COUNT) {
        return vouch_error_set(err, VOUCH_EINVAL, "unknown provenance field");
    }
    if (value != NULL) {
        int is_uri = field == SLSA_FIELD_BUILD_TYPE || field == SLSA_FIELD_BUILDER_ID;
        int is_time = field == SLSA_FIELD_STARTED_ON || field == SLSA_FIELD_FINISHED_ON;
        if ((is_uri && !slsa_is_absolute_uri(value)) || (is_time && !is_timestamp(value)) ||
            value[0] == '\0') {
            return vouch_error_set(err, VOUCH_EINVAL, "bad %s '%.100s'%s", field_names[field],
                                   value, is_time ? " (want YYYY-MM-DDThh:mm:ssZ)" : "");
        }
        copy = strdup(value);
        if (copy == NULL) {
            return vouch_enomem(err);
        }
    }
    free(p->fields[field]);
    p->fields[field] = copy;
    return 0;
}

const char *slsa_provenance_get(const struct slsa_provenance *p, enum slsa_field field)
{
    return (unsigned)field < FIELD_COUNT ? p->fields[field] : NULL;
}

/* Walk path "a.b.c" in obj, creating objects for a and b; set c = value (stolen). */
static int set_path(json_t *obj, const char *path, json_t *value, struct vouch_error *err)
{
    char key[256];
    const char *dot;
    int depth = 0;
    while ((dot = strchr(path, '.')) != NULL) {
        json_t *next;
        size_t n = (size_t)(dot - path);
        if (n == 0 || n >= sizeof(key) || ++depth > PATH_MAX_DEPTH) {
            json_decref(value);
            return vouch_error_set(err, VOUCH_EINVAL, "bad parameter path '%.100s'", path);
        }
        memcpy(key, path, n);
        key[n] = '\0';
        next = json_object_get(obj, key);
        if (!json_is_object(next)) {
            next = json_object();
            if (json_object_set_new(obj, key, next) != 0) {
                json_decref(value);
                return vouch_enomem(err);
            }
        }
        obj = next;
        path = dot + 1;
    }
    if (path[0] == '\0' || json_object_set_new(obj, path, value) != 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "bad parameter '%.100s' (not UTF-8?)", path);
    }
    return 0;
}

int slsa_provenance_set_param(struct slsa_provenance *p, enum slsa_params which, const char *path,
                              const char *value, struct vouch_error *err)
{
    json_t *v = json_string(value);
    if ((unsigned)which > SLSA_PARAMS_INTERNAL) {
        json_decref(v);
        return vouch_error_set(err, VOUCH_EINVAL, "unknown parameter map");
    }
    if (v == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "parameter '%.100s' is not UTF-8", path);
    }
    return set_path(p->params[which], path, v, err);
}

int slsa_provenance_set_param_json(struct slsa_provenance *p, enum slsa_params which,
                                   const char *path, const char *json, size_t len,
                                   struct vouch_error *err)
{
    json_error_t jerr;
    json_t *v;
    if ((unsigned)which > SLSA_PARAMS_INTERNAL) {
        return vouch_error_set(err, VOUCH_EINVAL, "unknown parameter map");
    }
    v = vouch_json_load(json, len, JSON_DECODE_ANY, &jerr);
    if (v == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "parameter '%.100s' is not json: %s", path,
                               jerr.text);
    }
    return set_path(p->params[which], path, v, err);
}

int slsa_provenance_set_builder_version(struct slsa_provenance *p, const char *component,
                                        const char *version, struct vouch_error *err)
{
    if (component[0] == '\0' ||
        json_object_set_new(p->version, component, json_string(version)) != 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "bad builder version '%.100s'", component);
    }
    return 0;
}

static int resource_new(json_t **out, const struct slsa_resource *r, struct vouch_error *err)
{
    json_t *o = json_object(), *set = NULL;
    int rc = 0;
    *out = NULL;
    if (r->uri == NULL && r->hex == NULL) {
        json_decref(o);
        return vouch_error_set(err, VOUCH_EINVAL, "a resource needs a uri or a digest");
    }
    if (r->hex != NULL) {
        rc = statement_check_digest(r->alg != NULL ? r->alg : "", r->hex, err);
    }
    if (rc == 0 && ((r->name != NULL && json_object_set_new(o, "name", json_string(r->name))) ||
                    (r->uri != NULL && json_object_set_new(o, "uri", json_string(r->uri))))) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "resource name or uri is not UTF-8");
    }
    if (rc == 0 && r->hex != NULL) {
        set = json_object();
        if (json_object_set_new(set, r->alg, json_string(r->hex)) ||
            json_object_set_new(o, "digest", set)) {
            rc = vouch_enomem(err);
        }
    }
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

int slsa_provenance_add_resource(struct slsa_provenance *p, enum slsa_resources list,
                                 const struct slsa_resource *r, struct vouch_error *err)
{
    json_t *o = NULL;
    int rc;
    if ((unsigned)list > SLSA_RES_BUILDER_DEPS) {
        return vouch_error_set(err, VOUCH_EINVAL, "unknown resource list");
    }
    if (json_array_size(p->lists[list]) >= SLSA_MAX_SUBJECTS) {
        return vouch_error_set(err, VOUCH_EINVAL, "too many resources");
    }
    rc = resource_new(&o, r, err);
    if (rc == 0 && json_array_append_new(p->lists[list], o) != 0) {
        rc = vouch_enomem(err);
    }
    return rc;
}

void slsa_provenance_free(struct slsa_provenance *p)
{
    if (p == NULL) {
        return;
    }
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        free(p->fields[i]);
    }
    for (size_t i = 0; i < 2; i++) {
        json_decref(p->params[i]);
    }
    for (size_t i = 0; i < 3; i++) {
        json_decref(p->lists[i]);
    }
    json_decref(p->version);
    free(p);
}
