/* The SBOM document: creation, accessors, sorting and de-duplication. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "vouch/mem.h"

int sbom_doc_new(struct sbom_doc **out, const char *kind, const char *name, struct vouch_error *err)
{
    struct sbom_doc *d = calloc(1, sizeof(*d));
    *out = NULL;
    if (d == NULL) {
        return vouch_enomem(err);
    }
    d->kind = util_strndup(kind, (size_t)-1);
    d->name = util_strndup(name, (size_t)-1);
    if (d->kind == NULL || d->name == NULL) {
        sbom_doc_free(d);
        return vouch_enomem(err);
    }
    *out = d;
    return 0;
}

void doc_pkg_free(struct sbom_pkg *p)
{
    if (p == NULL) {
        return;
    }
    char **s[] = {&p->name,   &p->version,  &p->arch,  &p->epoch, &p->release,
                  &p->source, &p->supplier, &p->layer, &p->purl,  &p->source_version,
                  &p->ref,    &p->ns,       &p->sha1,  &p->sha256};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        free(*s[i]);
    }
    strv_release(&p->licenses);
    strv_release(&p->files);
    strv_release(&p->locations);
    strv_release(&p->depends);
    strv_release(&p->provides);
    free(p->deps);
    free(p->in_doc);
    free(p);
}

void sbom_doc_free(struct sbom_doc *doc)
{
    if (doc == NULL) {
        return;
    }
    for (size_t i = 0; i < doc->npkgs; i++) {
        doc_pkg_free(doc->pkgs[i]);
    }
    free(doc->pkgs);
    doc_files_release(doc);
    strv_release(&doc->warnings);
    free(doc->kind);
    free(doc->name);
    free(doc->distro_id);
    free(doc->distro_version);
    free(doc->distro_name);
    free(doc->distro_like);
    free(doc);
}

int doc_pkg_add(struct sbom_pkg **out, struct sbom_doc *doc, enum sbom_pkg_type t,
                struct vouch_error *err)
{
    struct sbom_pkg *p;
    if (vouch_grow(&doc->pkgs, doc->npkgs, &doc->pcap, sizeof(*doc->pkgs), 64, err) != 0) {
        return VOUCH_ENOMEM;
    }
    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        return vouch_enomem(err);
    }
    p->type = t;
    doc->pkgs[doc->npkgs++] = p;
    *out = p;
    return 0;
}

void doc_pkg_drop_last(struct sbom_doc *doc)
{
    if (doc->npkgs > 0) {
        doc_pkg_free(doc->pkgs[--doc->npkgs]);
    }
}

void doc_warn(struct sbom_doc *doc, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    for (char *c = line; *c != '\0'; c++) {
        if (*c == '\n' || *c == '\r') {
            *c = ' ';
        }
    }
    if (doc->warnings.n < 1000) {
        (void)strv_push(&doc->warnings, line, (size_t)-1, NULL);
    }
}

const char *sbom_doc_source_kind(const struct sbom_doc *doc)
{
    return doc->kind;
}
const char *sbom_doc_source_name(const struct sbom_doc *doc)
{
    return doc->name;
}
const char *sbom_doc_distro_id(const struct sbom_doc *doc)
{
    return doc->distro_id;
}
const char *sbom_doc_distro_version(const struct sbom_doc *doc)
{
    return doc->distro_version;
}
const char *sbom_doc_distro_name(const struct sbom_doc *doc)
{
    return doc->distro_name;
}
size_t sbom_doc_pkg_count(const struct sbom_doc *doc)
{
    return doc->npkgs;
}
const struct sbom_pkg *sbom_doc_pkg(const struct sbom_doc *doc, size_t i)
{
    return i < doc->npkgs ? doc->pkgs[i] : NULL;
}
size_t sbom_doc_warning_count(const struct sbom_doc *doc)
{
    return doc->warnings.n;
}
const char *sbom_doc_warning(const struct sbom_doc *doc, size_t i)
{
    return i < doc->warnings.n ? doc->warnings.v[i] : NULL;
}
