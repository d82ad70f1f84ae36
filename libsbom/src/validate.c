/* sbom_validate: format and version detection, the official schema, then the semantic
 * checks a schema cannot express (references that must resolve, unique ids, PURLs and
 * license expressions that must parse). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jschema_internal.h"
#include "sbom/purl.h"
#include "sbom/validate.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

struct sbom_validation {
    const char *format;
    char version[16];
    struct js_problems p;
};

/* ids seen: a sorted array built once, searched with bsearch */
struct idset {
    const char **v;
    size_t n, cap;
};

static int idset_add(struct idset *s, const char *id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        const char **v = realloc(s->v, cap * sizeof(*v));
        if (v == NULL) {
            return VOUCH_ENOMEM;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = id;
    return 0;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int idset_has(const struct idset *s, const char *id)
{
    return s->n > 0 && bsearch(&id, s->v, s->n, sizeof(*s->v), str_cmp) != NULL;
}

/* sort, and report each id that occurs twice (what = "SPDXID", "bom-ref") */
static int idset_seal(struct idset *s, struct js_problems *p, const char *what)
{
    int rc = 0;
    if (s->n > 1) {
        qsort(s->v, s->n, sizeof(*s->v), str_cmp);
    }
    for (size_t i = 1; i < s->n && rc == 0; i++) {
        if (strcmp(s->v[i - 1], s->v[i]) == 0 && (i < 2 || strcmp(s->v[i - 2], s->v[i]) != 0)) {
            rc = js_problem_add(p, "", "%s '%.100s' is used more than once", what, s->v[i]);
        }
    }
    return rc;
}

static int purl_check(struct js_problems *p, const char *ptr, const char *purl)
{
    struct sbom_purl *parsed = NULL;
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc = 0;
    if (purl != NULL && sbom_purl_parse(&parsed, purl, 0, &e) != 0) {
        rc = js_problem_add(p, ptr, "malformed purl '%.100s': %s", purl, e.msg);
    }
    sbom_purl_free(parsed);
    return rc;
}

static int license_check(struct js_problems *p, const char *ptr, const char *expr)
{
    if (expr == NULL || strcmp(expr, "NOASSERTION") == 0 || strcmp(expr, "NONE") == 0 ||
        sbom_license_expression_valid(expr)) {
        return 0;
    }
    return js_problem_add(p, ptr, "'%.100s' is not a valid SPDX license expression", expr);
}

/* ---- SPDX 2.x */

static int spdx_ids(struct idset *ids, const json_t *doc)
{
    static const char *const lists[] = {"packages", "files", "snippets"};
    const json_t *e;
    size_t i;
    int rc = 0;
    if (json_is_string(json_object_get(doc, "SPDXID"))) {
        rc = idset_add(ids, json_string_value(json_object_get(doc, "SPDXID")));
    }
    for (size_t l = 0; l < 3; l++) {
        json_array_foreach(json_object_get(doc, lists[l]), i, e)
        {
            const char *id = json_string_value(json_object_get(e, "SPDXID"));
            if (rc == 0 && id != NULL) {
                rc = idset_add(ids, id);
            }
        }
    }
    return rc;
}

static int spdx_ref_ok(const struct idset *ids, const json_t *doc, const char *ref)
{
    const json_t *x;
    size_t i, n;
    const char *colon = strchr(ref, ':');
    if (strcmp(ref, "NOASSERTION") == 0 || strcmp(ref, "NONE") == 0 || idset_has(ids, ref)) {
        return 1;
    }
    if (colon == NULL || strncmp(ref, "DocumentRef-", 12) != 0) {
        return 0;
    }
    n = (size_t)(colon - ref);
    json_array_foreach(json_object_get(doc, "externalDocumentRefs"), i, x)
    {
        const char *d = json_string_value(json_object_get(x, "externalDocumentId"));
        if (d != NULL && strlen(d) == n && strncmp(d, ref, n) == 0) {
            return 1;
        }
    }
    return 0;
}

static int spdx_relationships(struct js_problems *p, const struct idset *ids, const json_t *doc)
{
    static const char *const ends[] = {"spdxElementId", "relatedSpdxElement"};
    const json_t *r, *d;
    size_t i;
    char ptr[96];
    int rc = 0;
    json_array_foreach(json_object_get(doc, "relationships"), i, r)
    {
        for (size_t k = 0; k < 2 && rc == 0; k++) {
            const char *id = json_string_value(json_object_get(r, ends[k]));
            snprintf(ptr, sizeof(ptr), "/relationships/%zu/%s", i, ends[k]);
            if (id != NULL && !spdx_ref_ok(ids, doc, id)) {
                rc = js_problem_add(p, ptr, "'%.100s' is not an element of the document", id);
            }
        }
    }
    json_array_foreach(json_object_get(doc, "documentDescribes"), i, d)
    {
        snprintf(ptr, sizeof(ptr), "/documentDescribes/%zu", i);
        if (rc == 0 && json_is_string(d) && !spdx_ref_ok(ids, doc, json_string_value(d))) {
            rc = js_problem_add(p, ptr, "'%.100s' is not an element of the document",
                                json_string_value(d));
        }
    }
    return rc;
}

static int spdx_packages(struct js_problems *p, const json_t *doc)
{
    static const char *const lic[] = {"licenseConcluded", "licenseDeclared"};
    const json_t *k, *x;
    size_t i, j;
    char ptr[96];
    int rc = 0;
    json_array_foreach(json_object_get(doc, "packages"), i, k)
    {
        for (size_t l = 0; l < 2 && rc == 0; l++) {
            snprintf(ptr, sizeof(ptr), "/packages/%zu/%s", i, lic[l]);
            rc = license_check(p, ptr, json_string_value(json_object_get(k, lic[l])));
        }
        json_array_foreach(json_object_get(k, "externalRefs"), j, x)
        {
            const char *type = json_string_value(json_object_get(x, "referenceType"));
            snprintf(ptr, sizeof(ptr), "/packages/%zu/externalRefs/%zu/referenceLocator", i, j);
            if (rc == 0 && type != NULL && strcmp(type, "purl") == 0) {
                rc = purl_check(p, ptr, json_string_value(json_object_get(x, "referenceLocator")));
            }
        }
    }
    return rc;
}

static int spdx_semantic(struct js_problems *p, const json_t *doc)
{
    struct idset ids = {0};
    int rc = spdx_ids(&ids, doc);
    rc = rc ? rc : idset_seal(&ids, p, "SPDXID");
    rc = rc ? rc : spdx_relationships(p, &ids, doc);
    rc = rc ? rc : spdx_packages(p, doc);
    free(ids.v);
    return rc;
}

/* ---- CycloneDX */

/* every component (nested ones too) and service: bom-refs, purls, license expressions */
static int cdx_walk(struct js_problems *p, struct idset *refs, const json_t *list, const char *base,
                    int depth)
{
    const json_t *c, *l;
    size_t i, j;
    char ptr[512];
    int rc = 0;
    if (depth > 64) {
        return js_problem_add(p, base, "components nest deeper than 64 levels");
    }
    json_array_foreach(list, i, c)
    {
        const char *ref = json_string_value(json_object_get(c, "bom-ref"));
        if (rc == 0 && ref != NULL) {
            rc = idset_add(refs, ref);
        }
        snprintf(ptr, sizeof(ptr), "%s/%zu/purl", base, i);
        rc = rc ? rc : purl_check(p, ptr, json_string_value(json_object_get(c, "purl")));
        json_array_foreach(json_object_get(c, "licenses"), j, l)
        {
            snprintf(ptr, sizeof(ptr), "%s/%zu/licenses/%zu/expression", base, i, j);
            rc = rc ? rc
                    : license_check(p, ptr, json_string_value(json_object_get(l, "expression")));
        }
        snprintf(ptr, sizeof(ptr), "%s/%zu/components", base, i);
        rc = rc ? rc : cdx_walk(p, refs, json_object_get(c, "components"), ptr, depth + 1);
    }
    return rc;
}

static int cdx_dependencies(struct js_problems *p, const struct idset *refs, const json_t *doc)
{
    const json_t *d, *on;
    size_t i, j;
    char ptr[96];
    int rc = 0;
    json_array_foreach(json_object_get(doc, "dependencies"), i, d)
    {
        const char *ref = json_string_value(json_object_get(d, "ref"));
        snprintf(ptr, sizeof(ptr), "/dependencies/%zu/ref", i);
        if (rc == 0 && ref != NULL && !idset_has(refs, ref)) {
            rc = js_problem_add(p, ptr, "'%.100s' is not the bom-ref of a component or service",
                                ref);
        }
        json_array_foreach(json_object_get(d, "dependsOn"), j, on)
        {
            snprintf(ptr, sizeof(ptr), "/dependencies/%zu/dependsOn/%zu", i, j);
            if (rc == 0 && json_is_string(on) && !idset_has(refs, json_string_value(on))) {
                rc = js_problem_add(p, ptr, "'%.100s' is not the bom-ref of a component or service",
                                    json_string_value(on));
            }
        }
    }
    return rc;
}

static int cdx_semantic(struct js_problems *p, const json_t *doc)
{
    struct idset refs = {0};
    const json_t *meta = json_object_get(json_object_get(doc, "metadata"), "component");
    json_t *one = meta != NULL ? json_pack("[O]", meta) : NULL;
    int rc = cdx_walk(p, &refs, one, "/metadata/component", 0);
    json_decref(one);
    rc = rc ? rc : cdx_walk(p, &refs, json_object_get(doc, "components"), "/components", 0);
    rc = rc ? rc : cdx_walk(p, &refs, json_object_get(doc, "services"), "/services", 0);
    rc = rc ? rc : idset_seal(&refs, p, "bom-ref");
    rc = rc ? rc : cdx_dependencies(p, &refs, doc);
    free(refs.v);
    return rc;
}

/* ---- detection and the public API */

static int detect(struct sbom_validation *v, char *schema, size_t n, const json_t *doc,
                  struct vouch_error *err)
{
    const char *spdx = json_string_value(json_object_get(doc, "spdxVersion"));
    const char *cdx = json_string_value(json_object_get(doc, "specVersion"));
    const char *bf = json_string_value(json_object_get(doc, "bomFormat"));
    if (spdx != NULL && (strcmp(spdx, "SPDX-2.2") == 0 || strcmp(spdx, "SPDX-2.3") == 0)) {
        v->format = "spdx";
        snprintf(v->version, sizeof(v->version), "%s", spdx + 5);
        snprintf(schema, n, "spdx-%s.schema.json", v->version);
        return 0;
    }
    if (cdx != NULL && (bf == NULL || strcmp(bf, "CycloneDX") != 0)) {
        /* a CycloneDX document with a wrong bomFormat: let the schema say why */
        bf = "CycloneDX";
    }
    if (bf != NULL && strcmp(bf, "CycloneDX") == 0 && cdx != NULL &&
        (strcmp(cdx, "1.4") == 0 || strcmp(cdx, "1.5") == 0 || strcmp(cdx, "1.6") == 0)) {
        v->format = "cyclonedx";
        snprintf(v->version, sizeof(v->version), "%s", cdx);
        snprintf(schema, n, "bom-%s.schema.json", cdx);
        return 0;
    }
    if (spdx != NULL || cdx != NULL) {
        return vouch_error_set(
            err, VOUCH_EUNSUPPORTED, "%s %.20s is not supported (SPDX 2.2/2.3, CycloneDX 1.4-1.6)",
            spdx != NULL ? "SPDX version" : "CycloneDX specVersion", spdx != NULL ? spdx : cdx);
    }
    return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                           "not an SPDX or CycloneDX JSON document (no spdxVersion or "
                           "bomFormat/specVersion)");
}

int sbom_validate(struct sbom_validation **out, const char *schema_dir, const char *data,
                  size_t len, const char *name, struct vouch_error *err)
{
    struct sbom_validation *v = calloc(1, sizeof(*v));
    struct js_set *set = NULL;
    json_error_t jerr;
    json_t *doc = NULL;
    char schema[64];
    int rc;
    *out = NULL;
    if (v == NULL) {
        return vouch_enomem(err);
    }
    doc = vouch_json_load(data, len, 0, &jerr);
    rc = doc == NULL ? vouch_error_set(err, VOUCH_EPARSE, "invalid JSON at line %d: %s", jerr.line,
                                       jerr.text)
                     : detect(v, schema, sizeof(schema), doc, err);
    rc = rc ? rc : js_set_load(&set, schema_dir, err);
    rc = rc ? rc : js_validate(&v->p, set, schema, doc, err);
    if (rc == 0 && strcmp(v->format, "spdx") == 0) {
        rc = spdx_semantic(&v->p, doc);
    } else if (rc == 0) {
        rc = cdx_semantic(&v->p, doc);
    }
    js_set_free(set);
    json_decref(doc);
    if (rc != 0) {
        vouch_error_prefix(err, "'%s': ", name);
        sbom_validation_free(v);
        return rc == VOUCH_ENOMEM ? vouch_error_set(err, rc, "out of memory") : rc;
    }
    *out = v;
    return 0;
}

void sbom_validation_free(struct sbom_validation *v)
{
    if (v != NULL) {
        js_problems_release(&v->p);
        free(v);
    }
}

const char *sbom_validation_format(const struct sbom_validation *v)
{
    return v->format;
}

const char *sbom_validation_version(const struct sbom_validation *v)
{
    return v->version;
}

size_t sbom_validation_count(const struct sbom_validation *v)
{
    return v->p.n;
}

const char *sbom_validation_pointer(const struct sbom_validation *v, size_t i)
{
    return i < v->p.n ? v->p.v[i].pointer : NULL;
}

const char *sbom_validation_reason(const struct sbom_validation *v, size_t i)
{
    return i < v->p.n ? v->p.v[i].reason : NULL;
}
