/* CycloneDX 1.4-1.6 -> SPDX 2.3: metadata.component becomes the described package, other
 * components packages (a parent CONTAINS its nested components), file components files,
 * dependencies DEPENDS_ON; licenses split by acknowledgement into declared and concluded.
 * Every other field is a note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_internal.h"
#include "convert_internal.h"
#include "fmt_internal.h"
#include "sbom/validate.h"
#include "vouch/mem.h"

struct c2s {
    struct cv *c;
    json_t *packages, *files, *rels;
    json_t *ids;       /* SPDXIDs given */
    json_t *refs;      /* bom-ref -> SPDXID */
    json_t *extracted; /* LicenseRef- id -> text */
};

static const char *const comp_fields[] = {
    "bom-ref",    "type",   "name",    "version",     "group",
    "supplier",   "author", "authors", "description", "copyright",
    "licenses",   "hashes", "purl",    "cpe",         "externalReferences",
    "components", NULL};
static const char *const file_fields[] = {"bom-ref",  "type",      "name",       "hashes",
                                          "licenses", "copyright", "components", NULL};
static const char *const doc_fields[] = {"bomFormat",    "specVersion", "serialNumber",
                                         "version",      "metadata",    "components",
                                         "dependencies", "$schema",     NULL};

static const struct {
    const char *cdx, *spdx;
} type_rows[] = {
    {"application", "APPLICATION"},
    {"framework", "FRAMEWORK"},
    {"library", "LIBRARY"},
    {"container", "CONTAINER"},
    {"operating-system", "OPERATING_SYSTEM"},
    {"device", "DEVICE"},
    {"firmware", "FIRMWARE"},
    {"file", "FILE"},
};

static const char *purpose(const char *type)
{
    for (size_t i = 0; type != NULL && i < sizeof(type_rows) / sizeof(type_rows[0]); i++) {
        if (strcmp(type_rows[i].cdx, type) == 0) {
            return type_rows[i].spdx;
        }
    }
    return "OTHER";
}

/* a unique SPDXID: PREFIX-<name>-<hash of the bom-ref or name> */
static const char *new_id(struct c2s *s, const char *prefix, const char *name, const char *key)
{
    char san[48], h[17], id[160];
    fmt_sanitize(san, sizeof(san), name != NULL ? name : "");
    fmt_short_hash(h, key != NULL ? key : "");
    snprintf(id, sizeof(id), "SPDXRef-%s%s%s-%s", prefix, san[0] ? "-" : "", san, h);
    for (int n = 2; json_object_get(s->ids, id) != NULL; n++) {
        snprintf(id, sizeof(id), "SPDXRef-%s%s%s-%s-%d", prefix, san[0] ? "-" : "", san, h, n);
    }
    if (json_object_set_new(s->ids, id, json_true()) != 0) {
        s->c->oom = 1;
        return NULL;
    }
    return json_object_iter_key(json_object_iter_at(s->ids, id));
}

/* one license entry as an SPDX expression into out; unknown names become LicenseRef-s */
static void license_expr(struct c2s *s, char *out, size_t n, const json_t *l)
{
    const json_t *lic = json_object_get(l, "license");
    const char *e = cv_str(l, "expression"), *id = cv_str(lic, "id"), *name = cv_str(lic, "name");
    const char *raw = e != NULL ? e : id != NULL ? id : name;
    char san[256];
    json_t *v;
    const char *k;
    json_object_foreach((json_t *)lic, k, v)
    {
        if (strcmp(k, "id") != 0 && strcmp(k, "name") != 0 && strcmp(k, "acknowledgement") != 0) {
            cv_note(s->c, "CycloneDX license field '%.64s'", k);
        }
    }
    out[0] = '\0';
    if (raw == NULL) {
        return;
    }
    if ((e != NULL || id != NULL) && sbom_license_expression_valid(raw)) {
        snprintf(out, n, "%s", raw);
        return;
    }
    if (e == NULL && id == NULL && lic_spdx_expr(out, n, raw)) {
        return;
    }
    if (e != NULL || id != NULL) {
        cv_note(s->c,
                "CycloneDX license that is not a valid SPDX expression (kept as LicenseRef-)");
    }
    fmt_sanitize(san, sizeof(san), raw);
    snprintf(out, n, "LicenseRef-%s", san);
    if (json_object_get(s->extracted, out) == NULL) {
        cv_set(s->c, s->extracted, out, cv_jstr(raw));
    }
}

/* declared (or unacknowledged) and concluded licenses, each joined with AND */
static void licenses(struct c2s *s, const json_t *lics, char *decl, char *conc, size_t n)
{
    const json_t *l;
    size_t i, nd = 0, nc = 0;
    int many = json_array_size(lics) > 1;
    decl[0] = conc[0] = '\0';
    json_array_foreach(lics, i, l)
    {
        char one[1024];
        const char *ack = cv_str(l, "acknowledgement");
        if (ack == NULL) {
            ack = cv_str(json_object_get(l, "license"), "acknowledgement");
        }
        int concluded = ack != NULL && strcmp(ack, "concluded") == 0;
        char *to = concluded ? conc : decl;
        size_t *at = concluded ? &nc : &nd;
        int paren;
        license_expr(s, one, sizeof(one), l);
        paren = many && strchr(one, ' ') != NULL;
        if (one[0] != '\0' && *at + strlen(one) + 8 < n) {
            *at += (size_t)snprintf(to + *at, n - *at, "%s%s%s%s", *at > 0 ? " AND " : "",
                                    paren ? "(" : "", one, paren ? ")" : "");
        }
    }
}

static json_t *checksums(struct cv *c, const json_t *hashes)
{
    json_t *a = json_array();
    const json_t *h;
    size_t i;
    json_array_foreach(hashes, i, h)
    {
        const char *alg = cv_hash_to_spdx(cv_str(h, "alg")), *v = cv_str(h, "content");
        if (alg == NULL || v == NULL) {
            cv_note(c, "CycloneDX hash algorithm %.32s",
                    cv_str(h, "alg") ? cv_str(h, "alg") : "(none)");
            continue;
        }
        cv_push(c, a, json_pack("{s:s, s:o}", "algorithm", alg, "checksumValue", cv_jstr(v)));
    }
    return a;
}

/* "Name <mail>" reads as a person, anything else as an organization */
static json_t *actor(const char *name)
{
    return json_pack("s++", strchr(name, '@') != NULL ? "Person" : "Organization", ": ", name);
}

static void ext_refs(struct c2s *s, json_t *j, const json_t *comp, json_t *refs)
{
    const json_t *x;
    const char *vcs = NULL;
    size_t i;
    json_array_foreach(json_object_get(comp, "externalReferences"), i, x)
    {
        const char *t = cv_str(x, "type"), *url = cv_str(x, "url");
        if (t == NULL || url == NULL) {
            cv_note(s->c, "CycloneDX external reference without a type or url");
        } else if ((strcmp(t, "distribution") == 0 || strcmp(t, "distribution-intake") == 0) &&
                   json_object_get(j, "downloadLocation") == NULL) {
            cv_set(s->c, j, "downloadLocation", cv_jstr(url));
        } else if (strcmp(t, "website") == 0 && json_object_get(j, "homepage") == NULL) {
            cv_set(s->c, j, "homepage", cv_jstr(url));
        } else if (strcmp(t, "vcs") == 0 && vcs == NULL) {
            vcs = url;
        } else if (strcmp(t, "advisories") == 0) {
            cv_push(s->c, refs,
                    json_pack("{s:s, s:s, s:o}", "referenceCategory", "SECURITY", "referenceType",
                              "advisory", "referenceLocator", cv_jstr(url)));
        } else {
            cv_note(s->c, "CycloneDX external reference type %.48s", t);
        }
    }
    if (json_object_get(j, "downloadLocation") == NULL && vcs != NULL) {
        cv_set(s->c, j, "downloadLocation", cv_jstr(vcs));
    } else if (vcs != NULL) {
        cv_note(s->c, "CycloneDX vcs reference beside a distribution");
    }
    if (json_object_get(j, "downloadLocation") == NULL) {
        cv_set(s->c, j, "downloadLocation", json_string("NOASSERTION"));
    }
}

static void pkg_ids(struct c2s *s, json_t *refs, const json_t *comp)
{
    const char *purl = cv_str(comp, "purl"), *cpe = cv_str(comp, "cpe");
    if (purl != NULL && cv_purl_ok(purl)) {
        cv_push(s->c, refs,
                json_pack("{s:s, s:s, s:o}", "referenceCategory", "PACKAGE-MANAGER",
                          "referenceType", "purl", "referenceLocator", cv_jstr(purl)));
    } else if (purl != NULL) {
        cv_note(s->c, "CycloneDX malformed purl");
    }
    if (cpe != NULL) {
        cv_push(s->c, refs,
                json_pack("{s:s, s:s, s:o}", "referenceCategory", "SECURITY", "referenceType",
                          strncmp(cpe, "cpe:2.3:", 8) == 0 ? "cpe23Type" : "cpe22Type",
                          "referenceLocator", cv_jstr(cpe)));
    }
    if (cv_str(comp, "group") != NULL && purl == NULL) {
        cv_note(s->c, "CycloneDX component group without a purl");
    }
}

static const char *pkg_elem(struct c2s *s, const json_t *comp)
{
    const char *name = cv_str(comp, "name"), *ref = cv_str(comp, "bom-ref");
    const char *sup = cv_str(json_object_get(comp, "supplier"), "name");
    const char *author = cv_str(comp, "author");
    const char *id = new_id(s, "Package", name, ref != NULL ? ref : name);
    const json_t *authors = json_object_get(comp, "authors");
    json_t *j = json_object(), *refs = json_array();
    char decl[4096], conc[4096];
    if (id == NULL || j == NULL || refs == NULL) {
        json_decref(j);
        json_decref(refs);
        s->c->oom = 1;
        return NULL;
    }
    author = author != NULL ? author : cv_str(json_array_get(authors, 0), "name");
    licenses(s, json_object_get(comp, "licenses"), decl, conc, sizeof(decl));
    cv_set(s->c, j, "name", cv_jstr(name != NULL ? name : "(unnamed)"));
    cv_set(s->c, j, "SPDXID", json_string(id));
    if (cv_str(comp, "version") != NULL) {
        cv_set(s->c, j, "versionInfo", cv_jstr(cv_str(comp, "version")));
    }
    if (sup != NULL) {
        cv_set(s->c, j, "supplier", actor(sup));
    }
    if (author != NULL) {
        cv_set(s->c, j, "originator", json_pack("s+", "Person: ", author));
    }
    if (json_array_size(authors) > 1) {
        cv_note(s->c, "CycloneDX component author beyond the first");
    }
    ext_refs(s, j, comp, refs);
    cv_set(s->c, j, "filesAnalyzed", json_false());
    if (json_array_size(json_object_get(comp, "hashes")) > 0) {
        cv_set(s->c, j, "checksums", checksums(s->c, json_object_get(comp, "hashes")));
    }
    cv_set(s->c, j, "licenseConcluded", json_string(conc[0] ? conc : "NOASSERTION"));
    cv_set(s->c, j, "licenseDeclared", json_string(decl[0] ? decl : "NOASSERTION"));
    cv_set(s->c, j, "copyrightText",
           cv_str(comp, "copyright") ? cv_jstr(cv_str(comp, "copyright"))
                                     : json_string("NOASSERTION"));
    if (cv_str(comp, "description") != NULL) {
        cv_set(s->c, j, "description", cv_jstr(cv_str(comp, "description")));
    }
    pkg_ids(s, refs, comp);
    if (json_array_size(refs) > 0) {
        cv_set(s->c, j, "externalRefs", json_incref(refs));
    }
    json_decref(refs);
    cv_set(s->c, j, "primaryPackagePurpose", json_string(purpose(cv_str(comp, "type"))));
    cv_note_unknown(s->c, comp, comp_fields, "CycloneDX component");
    cv_push(s->c, s->packages, j);
    return id;
}

/* "a AND b" (no OR, no parentheses) -> ["a","b"]; anything else is one item */
static json_t *info_in_files(const char *decl)
{
    json_t *a = json_array();
    const char *p = decl;
    if (decl[0] == '\0') {
        json_array_append_new(a, json_string("NOASSERTION"));
        return a;
    }
    if (strstr(decl, " OR ") != NULL || strchr(decl, '(') != NULL) {
        json_array_append_new(a, json_string(decl));
        return a;
    }
    while (*p != '\0') {
        const char *e = strstr(p, " AND ");
        size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        p += n + (e != NULL ? 5 : 0);
    }
    return a;
}

static const char *file_elem(struct c2s *s, const json_t *comp)
{
    const char *name = cv_str(comp, "name"), *ref = cv_str(comp, "bom-ref");
    json_t *sums = checksums(s->c, json_object_get(comp, "hashes")), *j;
    char decl[4096], conc[4096], *path;
    const char *id;
    if (json_array_size(sums) == 0) {
        json_decref(sums);
        cv_note(s->c, "CycloneDX file component without a hash (an SPDX file needs a checksum)");
        return NULL;
    }
    id = new_id(s, "File", NULL, ref != NULL ? ref : name);
    name = name != NULL ? name : "(unnamed)";
    path = vouch_strf("%s%s", name[0] == '/' || strncmp(name, "./", 2) == 0 ? "" : "./", name);
    licenses(s, json_object_get(comp, "licenses"), decl, conc, sizeof(decl));
    j = json_pack("{s:o, s:s?, s:o, s:s, s:o, s:o}", "fileName", path ? cv_jstr(path) : NULL,
                  "SPDXID", id, "checksums", sums, "licenseConcluded",
                  conc[0] ? conc : "NOASSERTION", "licenseInfoInFiles", info_in_files(decl),
                  "copyrightText",
                  cv_str(comp, "copyright") ? cv_jstr(cv_str(comp, "copyright"))
                                            : json_string("NOASSERTION"));
    free(path);
    cv_note_unknown(s->c, comp, file_fields, "CycloneDX file component");
    cv_push(s->c, s->files, j);
    return j != NULL ? id : NULL;
}

static void relate(struct c2s *s, const char *a, const char *type, const char *b)
{
    cv_push(s->c, s->rels,
            json_pack("{s:s, s:s, s:s}", "spdxElementId", a, "relationshipType", type,
                      "relatedSpdxElement", b));
}

static void remember(struct c2s *s, const json_t *comp, const char *id)
{
    const char *ref = cv_str(comp, "bom-ref");
    if (ref == NULL || id == NULL) {
        return;
    }
    if (json_object_get(s->refs, ref) != NULL) {
        cv_note(s->c, "CycloneDX bom-ref used more than once");
        return;
    }
    cv_set(s->c, s->refs, ref, json_string(id));
}

/* parent: the package holding list (NULL at the top); root: the described package */
static int walk(struct c2s *s, const json_t *list, const char *parent, const char *root, int depth,
                struct vouch_error *err)
{
    const json_t *comp;
    size_t i;
    if (depth > CV_MAX_DEPTH) {
        return vouch_error_set(err, VOUCH_EINVAL, "components nest deeper than %d levels",
                               CV_MAX_DEPTH);
    }
    json_array_foreach(list, i, comp)
    {
        const char *type = cv_str(comp, "type"), *id;
        int file = type != NULL && strcmp(type, "file") == 0;
        int rc;
        if (!json_is_object(comp)) {
            return vouch_error_set(err, VOUCH_EPARSE, "a component is not an object");
        }
        id = file ? file_elem(s, comp) : pkg_elem(s, comp);
        remember(s, comp, id);
        if (id != NULL && parent != NULL) {
            relate(s, parent, "CONTAINS", id);
        } else if (id != NULL && !file && root != NULL) {
            relate(s, root, "CONTAINS", id);
        }
        rc = walk(s, json_object_get(comp, "components"), file || id == NULL ? parent : id, root,
                  depth + 1, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static void dependencies(struct c2s *s)
{
    const json_t *d, *on;
    size_t i, k;
    json_array_foreach(json_object_get(s->c->in, "dependencies"), i, d)
    {
        const char *a =
            json_string_value(json_object_get(s->refs, cv_str(d, "ref") ? cv_str(d, "ref") : ""));
        json_array_foreach(json_object_get(d, "dependsOn"), k, on)
        {
            const char *ref = json_string_value(on);
            const char *b = ref != NULL ? json_string_value(json_object_get(s->refs, ref)) : NULL;
            if (a == NULL || b == NULL || strcmp(a, b) == 0) {
                cv_note(s->c, "CycloneDX dependency naming no package of the document");
                continue;
            }
            relate(s, a, "DEPENDS_ON", b);
        }
        if (json_object_get(d, "provides") != NULL) {
            cv_note(s->c, "CycloneDX dependency field 'provides'");
        }
    }
}

static json_t *extracted_infos(struct c2s *s)
{
    json_t *a = json_array(), *v;
    const char *k;
    json_object_foreach(s->extracted, k, v)
    {
        cv_push(s->c, a,
                json_pack("{s:s, s:O, s:O}", "licenseId", k, "extractedText", v, "name", v));
    }
    return a;
}

int cv_to_spdx(struct cv *c, struct vouch_error *err)
{
    const json_t *meta = json_object_get(c->in, "metadata");
    const json_t *mc = json_object_get(meta, "component");
    struct c2s s = {.c = c};
    const char *root = NULL, *name = cv_str(mc, "name");
    int rc = 0;
    s.packages = json_array();
    s.files = json_array();
    s.rels = json_array();
    s.ids = json_object();
    s.refs = json_object();
    s.extracted = json_object();
    c->out = cv_spdx_document(c, name != NULL ? name : "sbom");
    if (c->out == NULL || s.packages == NULL || s.files == NULL || s.rels == NULL ||
        s.ids == NULL || s.refs == NULL || s.extracted == NULL) {
        rc = VOUCH_ENOMEM;
    }
    if (rc == 0 && json_is_object(mc)) {
        root = pkg_elem(&s, mc);
        remember(&s, mc, root);
        if (root != NULL) {
            relate(&s, "SPDXRef-DOCUMENT", "DESCRIBES", root);
        }
        rc = walk(&s, json_object_get(mc, "components"), root, root, 1, err);
    }
    rc = rc ? rc : walk(&s, json_object_get(c->in, "components"), NULL, root, 0, err);
    if (rc == 0) {
        dependencies(&s);
        cv_note_unknown(c, c->in, doc_fields, "CycloneDX document");
        cv_set(c, c->out, "packages", json_incref(s.packages));
        if (json_array_size(s.files) > 0) {
            cv_set(c, c->out, "files", json_incref(s.files));
        }
        if (json_object_size(s.extracted) > 0) {
            cv_set(c, c->out, "hasExtractedLicensingInfos", extracted_infos(&s));
        }
        cv_set(c, c->out, "relationships", json_incref(s.rels));
    }
    json_decref(s.packages);
    json_decref(s.files);
    json_decref(s.rels);
    json_decref(s.ids);
    json_decref(s.refs);
    json_decref(s.extracted);
    return rc;
}
