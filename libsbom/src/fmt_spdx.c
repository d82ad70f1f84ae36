/* SPDX 2.3 JSON: a root package for the source (DESCRIBES), the OS packages it CONTAINS,
 * their DEPENDS_ON edges, and every regular file with SHA-1 (mandatory) and SHA-256. */
#include <stdio.h>
#include <string.h>

#include "cat_internal.h"
#include "fmt_internal.h"
#include "vouch/encoding.h"

#define ID_MAX 192

static void pkg_id(char out[ID_MAX], const struct sbom_pkg *p)
{
    char name[96], h[17];
    fmt_sanitize(name, sizeof(name), p->name ? p->name : "");
    fmt_short_hash(h, p->purl ? p->purl : "");
    snprintf(out, ID_MAX, "SPDXRef-Package-%s-%s-%s", sbom_pkg_type_name(p->type), name, h);
}

static void file_id(char out[ID_MAX], const char *path)
{
    char h[17];
    fmt_short_hash(h, path);
    snprintf(out, ID_MAX, "SPDXRef-File-%s", h);
}

static void root_id(char out[ID_MAX], const struct sbom_doc *doc)
{
    char name[96];
    fmt_sanitize(name, sizeof(name), doc->name);
    snprintf(out, ID_MAX, "SPDXRef-DocumentRoot-%s-%s", doc->kind, name);
}

static json_t *rel(struct fmt_ctx *c, const char *a, const char *type, const char *b)
{
    json_t *r = json_object();
    if (r != NULL) {
        fmt_set(c, r, "spdxElementId", fmt_str(a));
        fmt_set(c, r, "relationshipType", json_string(type));
        fmt_set(c, r, "relatedSpdxElement", fmt_str(b));
    }
    return r;
}

/* licenseDeclared: SPDX expressions joined by AND; others become LicenseRef-s. */
static json_t *declared(struct fmt_ctx *c, const struct sbom_pkg *p, json_t *extracted)
{
    char expr[4096] = "", one[1024], ref[300];
    size_t pos = 0;
    for (size_t i = 0; i < p->licenses.n; i++) {
        const char *raw = p->licenses.v[i], *use = one;
        int multi = p->licenses.n > 1;
        if (!lic_spdx_expr(one, sizeof(one), raw)) {
            char san[256];
            fmt_sanitize(san, sizeof(san), raw);
            snprintf(ref, sizeof(ref), "LicenseRef-%s", san);
            use = ref;
            if (json_object_get(extracted, ref) == NULL) {
                fmt_set(c, extracted, ref, fmt_str(raw));
            }
        }
        multi = multi && strchr(use, ' ') != NULL;
        int n = snprintf(expr + pos, sizeof(expr) - pos, "%s%s%s%s", pos ? " AND " : "",
                         multi ? "(" : "", use, multi ? ")" : "");
        if (n < 0 || (size_t)n >= sizeof(expr) - pos) {
            return json_string("NOASSERTION");
        }
        pos += (size_t)n;
    }
    return fmt_str(pos > 0 ? expr : "NOASSERTION");
}

static json_t *package(struct fmt_ctx *c, const struct sbom_pkg *p, json_t *extracted)
{
    char id[ID_MAX], info[1024];
    json_t *j = json_object(), *refs = json_array(), *ref = json_object();
    pkg_id(id, p);
    fmt_set(c, j, "name", fmt_str(p->name));
    fmt_set(c, j, "SPDXID", fmt_str(id));
    if (p->version != NULL) {
        fmt_set(c, j, "versionInfo", fmt_str(p->version));
    }
    if (p->supplier != NULL) {
        char sup[600];
        snprintf(sup, sizeof(sup), "%s: %s", p->type == SBOM_PKG_RPM ? "Organization" : "Person",
                 p->supplier);
        fmt_set(c, j, "supplier", fmt_str(sup));
    }
    fmt_set(c, j, "downloadLocation", json_string("NOASSERTION"));
    fmt_set(c, j, "filesAnalyzed", json_false());
    if (p->sha1 != NULL || p->sha256 != NULL) { /* Go's h1: as SHA256, as syft writes it */
        const char *alg[2] = {"SHA1", "SHA256"}, *val[2] = {p->sha1, p->sha256};
        json_t *sums = json_array();
        for (size_t i = 0; i < 2; i++) {
            json_t *s1 = val[i] != NULL ? json_object() : NULL;
            if (s1 != NULL) {
                fmt_set(c, s1, "algorithm", json_string(alg[i]));
                fmt_set(c, s1, "checksumValue", fmt_str(val[i]));
                fmt_push(c, sums, s1);
            }
        }
        fmt_set(c, j, "checksums", sums);
    }
    fmt_set(c, j, "licenseConcluded", json_string("NOASSERTION"));
    fmt_set(c, j, "licenseDeclared", declared(c, p, extracted));
    fmt_set(c, j, "copyrightText", json_string("NOASSERTION"));
    snprintf(info, sizeof(info), "acquired package info from %s%s%s",
             pkg_type_info(p->type)->source, p->locations.n > 0 ? ": " : "",
             p->locations.n > 0 ? p->locations.v[0] : "");
    fmt_set(c, j, "sourceInfo", fmt_str(info));
    fmt_set(c, ref, "referenceCategory", json_string("PACKAGE-MANAGER"));
    fmt_set(c, ref, "referenceType", json_string("purl"));
    fmt_set(c, ref, "referenceLocator", fmt_str(p->purl));
    fmt_push(c, refs, ref);
    fmt_set(c, j, "externalRefs", refs);
    return j;
}

static json_t *file(struct fmt_ctx *c, const struct sbom_file *f)
{
    char id[ID_MAX], hex[65], name[CAT_PATH_MAX + 4];
    json_t *j = json_object(), *sums = json_array(), *s1 = json_object(), *s2 = json_object();
    file_id(id, f->path);
    snprintf(name, sizeof(name), "./%s", f->path);
    fmt_set(c, j, "fileName", fmt_str(name));
    fmt_set(c, j, "SPDXID", json_string(id));
    vouch_hex_encode(hex, f->sha1, 20);
    fmt_set(c, s1, "algorithm", json_string("SHA1"));
    fmt_set(c, s1, "checksumValue", json_string(hex));
    vouch_hex_encode(hex, f->sha256, 32);
    fmt_set(c, s2, "algorithm", json_string("SHA256"));
    fmt_set(c, s2, "checksumValue", json_string(hex));
    fmt_push(c, sums, s1);
    fmt_push(c, sums, s2);
    fmt_set(c, j, "checksums", sums);
    fmt_set(c, j, "licenseConcluded", json_string("NOASSERTION"));
    fmt_set(c, j, "copyrightText", json_string("NOASSERTION"));
    return j;
}

static void pkg_rels(struct fmt_ctx *c, json_t *rels, const struct sbom_doc *doc, size_t i,
                     const char *root)
{
    const struct sbom_pkg *p = doc->pkgs[i];
    char id[ID_MAX], other[ID_MAX];
    pkg_id(id, p);
    fmt_push(c, rels, rel(c, root, "CONTAINS", id));
    for (size_t k = 0; k < p->files.n; k++) {
        if (p->in_doc != NULL && p->in_doc[k]) {
            file_id(other, p->files.v[k]);
            fmt_push(c, rels, rel(c, id, "CONTAINS", other));
        }
    }
    for (size_t k = 0; k < p->ndeps; k++) {
        pkg_id(other, doc->pkgs[p->deps[k]]);
        fmt_push(c, rels, rel(c, id, "DEPENDS_ON", other));
    }
}

static json_t *root_package(struct fmt_ctx *c, const struct sbom_doc *doc, const char *id)
{
    json_t *j = json_object();
    fmt_set(c, j, "name", fmt_str(doc->name));
    fmt_set(c, j, "SPDXID", fmt_str(id));
    fmt_set(c, j, "downloadLocation", json_string("NOASSERTION"));
    fmt_set(c, j, "filesAnalyzed", json_false());
    fmt_set(c, j, "primaryPackagePurpose",
            json_string(strcmp(doc->kind, "image") == 0 ? "CONTAINER" : "FILE"));
    return j;
}

static json_t *extracted_infos(struct fmt_ctx *c, json_t *extracted)
{
    json_t *arr = json_array(), *v;
    const char *k;
    json_object_foreach(extracted, k, v)
    {
        json_t *e = json_object();
        fmt_set(c, e, "licenseId", fmt_str(k));
        fmt_set(c, e, "extractedText", json_incref(v));
        fmt_set(c, e, "name", json_incref(v));
        fmt_push(c, arr, e);
    }
    return arr;
}

static json_t *header(struct fmt_ctx *c, const struct sbom_doc *doc)
{
    char ns[512], name[128], tool[64];
    json_t *j = json_object(), *ci = json_object(), *creators = json_array();
    fmt_set(c, j, "spdxVersion", json_string("SPDX-2.3"));
    fmt_set(c, j, "dataLicense", json_string("CC0-1.0"));
    fmt_set(c, j, "SPDXID", json_string("SPDXRef-DOCUMENT"));
    fmt_set(c, j, "name", fmt_str(doc->name));
    fmt_sanitize(name, sizeof(name), doc->name);
    snprintf(ns, sizeof(ns), "https://vouch.dev/spdxdocs/%s/%s-%s", doc->kind, name, c->uuid);
    fmt_set(c, j, "documentNamespace", json_string(ns));
    snprintf(tool, sizeof(tool), "Tool: vouch-%s", c->tool_version);
    fmt_push(c, creators, json_string(tool));
    fmt_set(c, ci, "creators", creators);
    fmt_set(c, ci, "created", json_string(c->created));
    fmt_set(c, j, "creationInfo", ci);
    return j;
}

/* Relationships, one at a time: DESCRIBES, then per package CONTAINS and DEPENDS_ON. */
static int relationships(struct vouch_buf *out, struct fmt_ctx *c, const char *root,
                         struct vouch_error *err)
{
    const struct sbom_doc *doc = c->doc;
    int rc = fmt_append(out, c, ",\"relationships\":[",
                        rel(c, "SPDXRef-DOCUMENT", "DESCRIBES", root), 0, err);
    for (size_t i = 0; rc == 0 && i < doc->npkgs; i++) {
        json_t *rels = json_array();
        pkg_rels(c, rels, doc, i, root);
        for (size_t k = 0; rc == 0 && k < json_array_size(rels); k++) {
            rc = fmt_append(out, c, ",", json_incref(json_array_get(rels, k)), 0, err);
        }
        json_decref(rels);
    }
    return rc ? rc : vouch_buf_puts(out, "]}\n", err);
}

int fmt_spdx(struct vouch_buf *out, struct fmt_ctx *c, struct vouch_error *err)
{
    const struct sbom_doc *doc = c->doc;
    char root[ID_MAX];
    json_t *extracted = json_object();
    int rc, any = 0;
    root_id(root, doc);
    /* arrays are streamed element by element: memory does not grow with the file count */
    rc = fmt_append(out, c, NULL, header(c, doc), 1, err);
    rc = rc ? rc : fmt_append(out, c, ",\"packages\":[", root_package(c, doc, root), 0, err);
    for (size_t i = 0; rc == 0 && i < doc->npkgs; i++) {
        rc = fmt_append(out, c, ",", package(c, doc->pkgs[i], extracted), 0, err);
    }
    rc = rc ? rc : vouch_buf_puts(out, "]", err);
    rc = rc ? rc : fmt_append_files(out, c, ",\"files\":[", file, &any, err);
    if (rc == 0) {
        rc = vouch_buf_puts(out, any ? "]" : ",\"files\":[]", err);
    }
    if (rc == 0 && json_object_size(extracted) > 0) {
        rc = fmt_append(out, c, ",\"hasExtractedLicensingInfos\":", extracted_infos(c, extracted),
                        0, err);
    }
    json_decref(extracted);
    return rc ? rc : relationships(out, c, root, err);
}
