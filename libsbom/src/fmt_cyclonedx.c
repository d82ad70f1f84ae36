/* CycloneDX 1.6 JSON: metadata.component for the source, an operating-system component,
 * one library component per package (bom-ref = purl), file components with SHA-1 and
 * SHA-256, and dependencies for every package. */
#include <stdio.h>
#include <string.h>

#include "cat_internal.h"
#include "fmt_internal.h"
#include "vouch/encoding.h"

static json_t *prop(struct fmt_ctx *c, const char *name, const char *value)
{
    json_t *p = json_object();
    fmt_set(c, p, "name", json_string(name));
    fmt_set(c, p, "value", fmt_str(value));
    return p;
}

/* One SPDX id -> {license:{id}}; a compound expression (single license) -> {expression};
 * anything else -> {license:{name}} (never a license with only a url). */
static json_t *licenses(struct fmt_ctx *c, const struct sbom_pkg *p)
{
    char expr[1024];
    json_t *arr = json_array();
    for (size_t i = 0; i < p->licenses.n; i++) {
        json_t *l = json_object(), *w = json_object();
        int ok = lic_spdx_expr(expr, sizeof(expr), p->licenses.v[i]);
        if (ok && strchr(expr, ' ') != NULL && p->licenses.n == 1) {
            json_decref(l);
            fmt_set(c, w, "expression", fmt_str(expr));
            fmt_push(c, arr, w);
            break;
        }
        if (ok && strchr(expr, ' ') == NULL) {
            fmt_set(c, l, "id", fmt_str(expr));
        } else {
            fmt_set(c, l, "name", fmt_str(p->licenses.v[i]));
        }
        fmt_set(c, w, "license", l);
        fmt_push(c, arr, w);
    }
    return arr;
}

static json_t *component(struct fmt_ctx *c, const struct sbom_pkg *p)
{
    json_t *j = json_object(), *props = json_array();
    fmt_set(c, j, "bom-ref", fmt_str(p->purl));
    fmt_set(c, j, "type", json_string("library"));
    if (p->supplier != NULL) {
        json_t *s = json_object();
        fmt_set(c, s, "name", fmt_str(p->supplier));
        fmt_set(c, j, "supplier", s);
    }
    if (p->ns != NULL) {
        fmt_set(c, j, "group", fmt_str(p->ns));
    }
    fmt_set(c, j, "name", fmt_str(p->name));
    if (p->version != NULL) {
        fmt_set(c, j, "version", fmt_str(p->version));
    }
    if (p->sha1 != NULL || p->sha256 != NULL) {
        const char *alg[2] = {"SHA-1", "SHA-256"}, *val[2] = {p->sha1, p->sha256};
        json_t *hashes = json_array();
        for (size_t i = 0; i < 2; i++) {
            json_t *h = val[i] != NULL ? json_object() : NULL;
            if (h != NULL) {
                fmt_set(c, h, "alg", json_string(alg[i]));
                fmt_set(c, h, "content", fmt_str(val[i]));
                fmt_push(c, hashes, h);
            }
        }
        fmt_set(c, j, "hashes", hashes);
    }
    if (p->licenses.n > 0) {
        fmt_set(c, j, "licenses", licenses(c, p));
    }
    fmt_set(c, j, "purl", fmt_str(p->purl));
    if (p->locations.n > 0) { /* the files it was found in (CycloneDX 1.6 evidence) */
        json_t *ev = json_object(), *occ = json_array();
        for (size_t i = 0; i < p->locations.n; i++) {
            json_t *o = json_object();
            fmt_set(c, o, "location", fmt_str(p->locations.v[i]));
            fmt_push(c, occ, o);
        }
        fmt_set(c, ev, "occurrences", occ);
        fmt_set(c, j, "evidence", ev);
    }
    fmt_push(c, props, prop(c, "vouch:package:type", sbom_pkg_type_name(p->type)));
    if (p->arch != NULL) {
        fmt_push(c, props, prop(c, "vouch:package:arch", p->arch));
    }
    if (p->source != NULL) {
        fmt_push(c, props, prop(c, "vouch:package:source", p->source));
    }
    if (p->layer != NULL) {
        fmt_push(c, props, prop(c, "vouch:layer", p->layer));
    }
    fmt_set(c, j, "properties", props);
    return j;
}

static json_t *file(struct fmt_ctx *c, const struct sbom_file *f)
{
    char ref[CAT_PATH_MAX + 8], hex[65];
    json_t *j = json_object(), *hashes = json_array(), *h1 = json_object(), *h2 = json_object();
    snprintf(ref, sizeof(ref), "file:%s", f->path);
    fmt_set(c, j, "bom-ref", fmt_str(ref));
    fmt_set(c, j, "type", json_string("file"));
    fmt_set(c, j, "name", fmt_str(f->path));
    vouch_hex_encode(hex, f->sha1, 20);
    fmt_set(c, h1, "alg", json_string("SHA-1"));
    fmt_set(c, h1, "content", json_string(hex));
    vouch_hex_encode(hex, f->sha256, 32);
    fmt_set(c, h2, "alg", json_string("SHA-256"));
    fmt_set(c, h2, "content", json_string(hex));
    fmt_push(c, hashes, h1);
    fmt_push(c, hashes, h2);
    fmt_set(c, j, "hashes", hashes);
    if (f->layer != NULL) {
        json_t *props = json_array();
        fmt_push(c, props, prop(c, "vouch:layer", f->layer));
        fmt_set(c, j, "properties", props);
    }
    return j;
}

static json_t *os_component(struct fmt_ctx *c, const struct sbom_doc *doc)
{
    char ref[256];
    json_t *j = json_object();
    snprintf(ref, sizeof(ref), "os:%s@%s", doc->distro_id,
             doc->distro_version ? doc->distro_version : "");
    fmt_set(c, j, "bom-ref", fmt_str(ref));
    fmt_set(c, j, "type", json_string("operating-system"));
    fmt_set(c, j, "name", fmt_str(doc->distro_id));
    if (doc->distro_version != NULL) {
        fmt_set(c, j, "version", fmt_str(doc->distro_version));
    }
    if (doc->distro_name != NULL) {
        fmt_set(c, j, "description", fmt_str(doc->distro_name));
    }
    return j;
}

static json_t *metadata(struct fmt_ctx *c, const struct sbom_doc *doc)
{
    json_t *m = json_object(), *tools = json_object(), *tc = json_array(), *t = json_object();
    json_t *subj = json_object();
    fmt_set(c, m, "timestamp", json_string(c->created));
    fmt_set(c, t, "type", json_string("application"));
    fmt_set(c, t, "name", json_string("vouch"));
    fmt_set(c, t, "version", fmt_str(c->tool_version));
    fmt_push(c, tc, t);
    fmt_set(c, tools, "components", tc);
    fmt_set(c, m, "tools", tools);
    fmt_set(c, subj, "bom-ref", json_string("vouch:source"));
    fmt_set(c, subj, "type", json_string(strcmp(doc->kind, "image") == 0 ? "container" : "file"));
    fmt_set(c, subj, "name", fmt_str(doc->name));
    fmt_set(c, m, "component", subj);
    return m;
}

static json_t *dependencies(struct fmt_ctx *c, const struct sbom_doc *doc)
{
    json_t *deps = json_array(), *top = json_object(), *all = json_array();
    for (size_t i = 0; i < doc->npkgs; i++) {
        const struct sbom_pkg *p = doc->pkgs[i];
        json_t *d = json_object(), *on = json_array();
        fmt_push(c, all, fmt_str(p->purl));
        for (size_t k = 0; k < p->ndeps; k++) {
            fmt_push(c, on, fmt_str(doc->pkgs[p->deps[k]]->purl));
        }
        fmt_set(c, d, "ref", fmt_str(p->purl));
        fmt_set(c, d, "dependsOn", on);
        fmt_push(c, deps, d);
    }
    fmt_set(c, top, "ref", json_string("vouch:source"));
    fmt_set(c, top, "dependsOn", all);
    json_array_insert_new(deps, 0, top);
    return deps;
}

int fmt_cyclonedx(struct vouch_buf *out, struct fmt_ctx *c, struct vouch_error *err)
{
    const struct sbom_doc *doc = c->doc;
    char serial[64];
    const char *sep = ",\"components\":[";
    json_t *j = json_object();
    int rc, any = 0;
    snprintf(serial, sizeof(serial), "urn:uuid:%s", c->uuid);
    fmt_set(c, j, "$schema", json_string("http://cyclonedx.org/schema/bom-1.6.schema.json"));
    fmt_set(c, j, "bomFormat", json_string("CycloneDX"));
    fmt_set(c, j, "specVersion", json_string("1.6"));
    fmt_set(c, j, "serialNumber", json_string(serial));
    fmt_set(c, j, "version", json_integer(1));
    fmt_set(c, j, "metadata", metadata(c, doc));
    rc = fmt_append(out, c, NULL, j, 1, err);
    /* components one at a time: memory does not grow with the number of files */
    if (rc == 0 && doc->distro_id != NULL) {
        rc = fmt_append(out, c, sep, os_component(c, doc), 0, err);
        sep = ",";
    }
    for (size_t i = 0; rc == 0 && i < doc->npkgs; i++, sep = ",") {
        rc = fmt_append(out, c, sep, component(c, doc->pkgs[i]), 0, err);
    }
    rc = rc ? rc : fmt_append_files(out, c, sep, file, &any, err);
    if (rc == 0 && !any && strcmp(sep, ",") != 0) {
        rc = vouch_buf_puts(out, sep, err);
    }
    rc = rc ? rc : fmt_append(out, c, "],\"dependencies\":", dependencies(c, doc), 0, err);
    return rc ? rc : vouch_buf_puts(out, "}\n", err);
}
