/* SPDX 2.x packages and files -> CycloneDX 1.6 components: type from primaryPackagePurpose,
 * supplier, originator (authors), licenses with their acknowledgement, checksums, the first
 * purl and cpe, download location and homepage; other fields are notes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert_internal.h"
#include "sbom/validate.h"

static const char *const pkg_fields[] = {"SPDXID",
                                         "name",
                                         "versionInfo",
                                         "supplier",
                                         "originator",
                                         "downloadLocation",
                                         "homepage",
                                         "description",
                                         "summary",
                                         "copyrightText",
                                         "externalRefs",
                                         "checksums",
                                         "licenseDeclared",
                                         "licenseConcluded",
                                         "filesAnalyzed",
                                         "primaryPackagePurpose",
                                         "hasFiles",
                                         "licenseInfoFromFiles",
                                         NULL};
static const char *const file_fields[] = {
    "SPDXID",        "fileName", "checksums", "licenseConcluded", "licenseInfoInFiles",
    "copyrightText", NULL};
static const struct {
    const char *spdx, *cdx;
} purpose_rows[] = {
    {"APPLICATION", "application"},
    {"FRAMEWORK", "framework"},
    {"LIBRARY", "library"},
    {"CONTAINER", "container"},
    {"OPERATING_SYSTEM", "operating-system"},
    {"DEVICE", "device"},
    {"FIRMWARE", "firmware"},
    {"FILE", "file"},
};

static const char *cdx_type(struct cv *c, const char *purpose)
{
    if (purpose == NULL) {
        return "library";
    }
    for (size_t i = 0; i < sizeof(purpose_rows) / sizeof(purpose_rows[0]); i++) {
        if (strcmp(purpose_rows[i].spdx, purpose) == 0) {
            return purpose_rows[i].cdx;
        }
    }
    cv_note(c, "SPDX primaryPackagePurpose %.32s (written as library)", purpose);
    return "library";
}

/* one license value: an id of the list, an expression, else a name */
static json_t *license_one(const char *expr, const char *ack)
{
    char id[128];
    if (cv_license_id(id, sizeof(id), expr)) {
        return json_pack("{s:{s:s, s:s}}", "license", "id", id, "acknowledgement", ack);
    }
    if (sbom_license_expression_valid(expr)) {
        return json_pack("{s:s, s:s}", "expression", expr, "acknowledgement", ack);
    }
    return json_pack("{s:{s:o, s:s}}", "license", "name", cv_jstr(expr), "acknowledgement", ack);
}

/* CycloneDX holds either license objects or one expression: two values fit only when
 * neither is a compound expression */
static json_t *licenses(struct cv *c, const char *declared, const char *concluded)
{
    const char *d = cv_unset(declared) ? NULL : declared;
    const char *k = cv_unset(concluded) ? NULL : concluded;
    json_t *a;
    if (d == NULL && k == NULL) {
        return NULL;
    }
    a = json_array();
    if (d != NULL && k != NULL) {
        json_t *x = license_one(d, "declared"), *y = license_one(k, "concluded");
        if (x != NULL && y != NULL && json_object_get(x, "expression") == NULL &&
            json_object_get(y, "expression") == NULL) {
            cv_push(c, a, x);
            cv_push(c, a, y);
            return a;
        }
        json_decref(y);
        cv_note(c, "SPDX concluded license beside a declared one, one of them compound "
                   "(CycloneDX holds one expression)");
        cv_push(c, a, x);
        return a;
    }
    cv_push(c, a, license_one(d != NULL ? d : k, d != NULL ? "declared" : "concluded"));
    return a;
}

static json_t *hashes(struct cv *c, const json_t *sums)
{
    json_t *a = json_array();
    const json_t *s;
    size_t i;
    json_array_foreach(sums, i, s)
    {
        const char *alg = cv_hash_to_cdx(cv_str(s, "algorithm")), *v = cv_str(s, "checksumValue");
        if (alg == NULL) {
            cv_note(c, "SPDX checksum algorithm %.32s",
                    cv_str(s, "algorithm") ? cv_str(s, "algorithm") : "(none)");
        } else if (!cv_hash_value_ok(v)) {
            cv_note(c, "SPDX checksum value that is not a hex digest");
        } else {
            cv_push(c, a, json_pack("{s:s, s:s}", "alg", alg, "content", v));
        }
    }
    if (json_array_size(a) == 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static void ext_ref(struct cv *c, json_t *refs, const char *type, const char *url, const char *what)
{
    if (cv_unset(url)) {
        return;
    }
    if (!cv_iri_ok(url)) {
        cv_note(c, "SPDX %s that is not an IRI", what);
        return;
    }
    cv_push(c, refs, json_pack("{s:o, s:s}", "url", cv_jstr(url), "type", type));
}

/* externalRefs: the first purl and cpe, advisories; the rest are notes */
static void package_refs(struct cv *c, json_t *comp, json_t *refs, const json_t *p)
{
    const json_t *x;
    size_t i;
    json_array_foreach(json_object_get(p, "externalRefs"), i, x)
    {
        const char *t = cv_str(x, "referenceType"), *loc = cv_str(x, "referenceLocator");
        const char *key = NULL;
        if (t == NULL || loc == NULL) {
            cv_note(c, "SPDX external reference without a type or locator");
            continue;
        }
        if (strcmp(t, "purl") == 0) {
            key = "purl";
            if (!cv_purl_ok(loc)) {
                cv_note(c, "SPDX malformed purl");
                continue;
            }
        } else if (strcmp(t, "cpe23Type") == 0 || strcmp(t, "cpe22Type") == 0) {
            key = "cpe";
        } else if (strcmp(t, "advisory") == 0 || strcmp(t, "fix") == 0) {
            ext_ref(c, refs, "advisories", loc, "advisory locator");
            continue;
        } else {
            cv_note(c, "SPDX external reference type %.48s", t);
            continue;
        }
        if (json_object_get(comp, key) != NULL) {
            cv_note(c, "SPDX second %s of a package (CycloneDX holds one)", key);
            continue;
        }
        cv_set(c, comp, key, cv_jstr(loc));
    }
}

/* "Organization: X" / "Person: X" -> X; NULL for NOASSERTION */
static const char *actor(const char *s)
{
    const char *colon;
    if (cv_unset(s)) {
        return NULL;
    }
    colon = strstr(s, ": ");
    return colon != NULL ? colon + 2 : s;
}

json_t *cv_cdx_package(struct cv *c, const json_t *p, const char *ref)
{
    json_t *j = json_object(), *refs = json_array();
    const char *desc = cv_str(p, "description"), *sum = cv_str(p, "summary");
    const char *sup = actor(cv_str(p, "supplier")), *orig = actor(cv_str(p, "originator"));
    cv_set(c, j, "bom-ref", cv_jstr(ref));
    cv_set(c, j, "type", json_string(cdx_type(c, cv_str(p, "primaryPackagePurpose"))));
    if (sup != NULL) {
        cv_set(c, j, "supplier", json_pack("{s:o}", "name", cv_jstr(sup)));
    }
    if (orig != NULL) {
        cv_set(c, j, "authors", json_pack("[{s:o}]", "name", cv_jstr(orig)));
    }
    cv_set(c, j, "name", cv_jstr(cv_str(p, "name") ? cv_str(p, "name") : "(unnamed)"));
    if (cv_str(p, "versionInfo") != NULL) {
        cv_set(c, j, "version", cv_jstr(cv_str(p, "versionInfo")));
    }
    if (desc != NULL || sum != NULL) {
        cv_set(c, j, "description", cv_jstr(desc != NULL ? desc : sum));
    }
    if (desc != NULL && sum != NULL) {
        cv_note(c, "SPDX package summary beside a description");
    }
    json_t *h = hashes(c, json_object_get(p, "checksums"));
    if (h != NULL) {
        cv_set(c, j, "hashes", h);
    }
    if (json_object_get(p, "licenseInfoFromFiles") != NULL) {
        const json_t *v;
        size_t i;
        json_array_foreach(json_object_get(p, "licenseInfoFromFiles"), i, v)
        {
            if (!cv_unset(json_string_value(v))) {
                cv_note(c, "SPDX package licenseInfoFromFiles");
                break;
            }
        }
    }
    json_t *lic = licenses(c, cv_str(p, "licenseDeclared"), cv_str(p, "licenseConcluded"));
    if (lic != NULL) {
        cv_set(c, j, "licenses", lic);
    }
    if (!cv_unset(cv_str(p, "copyrightText"))) {
        cv_set(c, j, "copyright", cv_jstr(cv_str(p, "copyrightText")));
    }
    package_refs(c, j, refs, p);
    ext_ref(c, refs, "distribution", cv_str(p, "downloadLocation"), "downloadLocation");
    ext_ref(c, refs, "website", cv_str(p, "homepage"), "homepage");
    if (json_array_size(refs) > 0) {
        cv_set(c, j, "externalReferences", refs);
    } else {
        json_decref(refs);
    }
    cv_note_unknown(c, p, pkg_fields, "SPDX package");
    return j;
}

json_t *cv_cdx_file(struct cv *c, const json_t *f, const char *ref)
{
    json_t *j = json_object(), *h, *lic;
    const char *name = cv_str(f, "fileName");
    char decl[4096];
    size_t n = 0, i;
    const json_t *v;
    decl[0] = '\0';
    json_array_foreach(json_object_get(f, "licenseInfoInFiles"), i, v)
    {
        const char *s = json_string_value(v);
        if (!cv_unset(s) && n + strlen(s) + 6 < sizeof(decl)) {
            n += (size_t)snprintf(decl + n, sizeof(decl) - n, "%s%s", n > 0 ? " AND " : "", s);
        }
    }
    if (name != NULL && strncmp(name, "./", 2) == 0) {
        name += 2;
    }
    cv_set(c, j, "bom-ref", cv_jstr(ref));
    cv_set(c, j, "type", json_string("file"));
    cv_set(c, j, "name", cv_jstr(name != NULL ? name : "(unnamed)"));
    if ((h = hashes(c, json_object_get(f, "checksums"))) != NULL) {
        cv_set(c, j, "hashes", h);
    }
    if ((lic = licenses(c, n > 0 ? decl : NULL, cv_str(f, "licenseConcluded"))) != NULL) {
        cv_set(c, j, "licenses", lic);
    }
    if (!cv_unset(cv_str(f, "copyrightText"))) {
        cv_set(c, j, "copyright", cv_jstr(cv_str(f, "copyrightText")));
    }
    cv_note_unknown(c, f, file_fields, "SPDX file");
    return j;
}
