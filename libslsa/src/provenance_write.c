/* SLSA Provenance v1 output (field order as in spec/build-provenance.md), --material
 * specs, and CodeBuild's millisecond timestamps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "provenance_internal.h"
#include "vouch/mem.h"

/* Set key to a borrowed value when it is non-empty (empty = unset, "omit when unknown"). */
static int put(json_t *o, const char *key, json_t *v)
{
    if (v == NULL) {
        return 0;
    }
    if ((json_is_object(v) && json_object_size(v) == 0) ||
        (json_is_array(v) && json_array_size(v) == 0)) {
        return 0;
    }
    return json_object_set(o, key, v);
}

static int put_str(json_t *o, const char *key, const char *s)
{
    return s == NULL ? 0 : json_object_set_new(o, key, json_string(s));
}

static json_t *build_definition(const struct slsa_provenance *p)
{
    json_t *bd = json_object();
    if (bd == NULL || put_str(bd, "buildType", p->fields[SLSA_FIELD_BUILD_TYPE]) ||
        /* externalParameters is REQUIRED, even when empty */
        json_object_set(bd, "externalParameters", p->params[SLSA_PARAMS_EXTERNAL]) ||
        put(bd, "internalParameters", p->params[SLSA_PARAMS_INTERNAL]) ||
        put(bd, "resolvedDependencies", p->lists[SLSA_RES_DEPENDENCIES])) {
        json_decref(bd);
        return NULL;
    }
    return bd;
}

static json_t *run_details(const struct slsa_provenance *p)
{
    json_t *rd = json_object(), *b = json_object(), *m = json_object();
    int bad = rd == NULL || b == NULL || m == NULL;
    bad = bad || put_str(b, "id", p->fields[SLSA_FIELD_BUILDER_ID]) ||
          put(b, "builderDependencies", p->lists[SLSA_RES_BUILDER_DEPS]) ||
          put(b, "version", p->version);
    bad = bad || put_str(m, "invocationId", p->fields[SLSA_FIELD_INVOCATION_ID]) ||
          put_str(m, "startedOn", p->fields[SLSA_FIELD_STARTED_ON]) ||
          put_str(m, "finishedOn", p->fields[SLSA_FIELD_FINISHED_ON]);
    bad = bad || json_object_set(rd, "builder", b) || put(rd, "metadata", m) ||
          put(rd, "byproducts", p->lists[SLSA_RES_BYPRODUCTS]);
    json_decref(b);
    json_decref(m);
    if (bad) {
        json_decref(rd);
        return NULL;
    }
    return rd;
}

int slsa_provenance_write(char **out, size_t *out_len, const struct slsa_provenance *p, int flags,
                          struct vouch_error *err)
{
    json_t *root = NULL;
    int rc = VOUCH_ENOMEM;
    *out = NULL;
    if (p->fields[SLSA_FIELD_BUILD_TYPE] == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "provenance has no buildType");
    }
    if (p->fields[SLSA_FIELD_BUILDER_ID] == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "provenance has no builder.id");
    }
    root = json_object();
    if (root == NULL || json_object_set_new(root, "buildDefinition", build_definition(p)) ||
        json_object_set_new(root, "runDetails", run_details(p))) {
        rc = vouch_error_set(err, VOUCH_ENOMEM, "cannot build provenance json");
        goto done;
    }
    rc = slsa_json_dump(out, out_len, root, flags, err);
done:
    json_decref(root);
    return rc;
}

/* "ALG:HEX" with ALG in [A-Za-z0-9_] and a valid digest: split into alg/hex. */
static int split_digest(char *s, const char **alg, const char **hex)
{
    char *colon = strchr(s, ':');
    if (colon == NULL || colon == s) {
        return 0;
    }
    for (char *c = s; c < colon; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_')) {
            return 0;
        }
    }
    *colon = '\0';
    if (statement_check_digest(s, colon + 1, NULL) != 0 || colon[1] == '\0') {
        *colon = ':';
        return 0;
    }
    *alg = s;
    *hex = colon + 1;
    return 1;
}

int slsa_provenance_add_material(struct slsa_provenance *p, const char *spec,
                                 struct vouch_error *err)
{
    struct slsa_resource r = {NULL, NULL, NULL, NULL};
    char *copy = strdup(spec), *at;
    int rc;
    if (copy == NULL) {
        return vouch_enomem(err);
    }
    at = strrchr(copy, '@');
    if (at != NULL && split_digest(at + 1, &r.alg, &r.hex)) {
        *at = '\0';
    }
    r.uri = copy;
    if (!slsa_is_absolute_uri(copy)) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "bad material '%.100s' (want URI@ALG:HEX)", spec);
    } else {
        rc = slsa_provenance_add_resource(p, SLSA_RES_DEPENDENCIES, &r, err);
    }
    free(copy);
    return rc;
}

int slsa_time_from_ms(char *buf, size_t size, const char *ms, struct vouch_error *err)
{
    char *end = NULL;
    long long v;
    time_t secs;
    struct tm tm;
    size_t n;
    errno = 0;
    v = strtoll(ms, &end, 10);
    if (errno != 0 || end == ms || *end != '\0' || v < 0 || v > 253402300799999LL) {
        return vouch_error_set(err, VOUCH_EINVAL, "bad millisecond time '%.40s'", ms);
    }
    secs = (time_t)(v / 1000);
    if (gmtime_r(&secs, &tm) == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "bad millisecond time '%.40s'", ms);
    }
    n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    if (n == 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "time buffer too small");
    }
    if (v % 1000 != 0) {
        snprintf(buf + n, size - n, ".%03lldZ", v % 1000);
    } else {
        snprintf(buf + n, size - n, "Z");
    }
    return 0;
}
