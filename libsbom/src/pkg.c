/* Read-only accessors of packages and files. */
#include "doc_internal.h"

static const char *const type_names[] = {"deb",   "apk", "rpm",      "maven",
                                         "cargo", "gem", "composer", "nuget"};

enum sbom_pkg_type sbom_pkg_type(const struct sbom_pkg *p)
{
    return p->type;
}
const char *sbom_pkg_type_name(enum sbom_pkg_type t)
{
    return (unsigned)t < sizeof(type_names) / sizeof(type_names[0]) ? type_names[t] : "unknown";
}
const char *sbom_pkg_name(const struct sbom_pkg *p)
{
    return p->name;
}
const char *sbom_pkg_version(const struct sbom_pkg *p)
{
    return p->version;
}
const char *sbom_pkg_arch(const struct sbom_pkg *p)
{
    return p->arch;
}
const char *sbom_pkg_epoch(const struct sbom_pkg *p)
{
    return p->epoch;
}
const char *sbom_pkg_release(const struct sbom_pkg *p)
{
    return p->release;
}
const char *sbom_pkg_source(const struct sbom_pkg *p)
{
    return p->source;
}
const char *sbom_pkg_supplier(const struct sbom_pkg *p)
{
    return p->supplier;
}
const char *sbom_pkg_layer(const struct sbom_pkg *p)
{
    return p->layer;
}
const char *sbom_pkg_purl(const struct sbom_pkg *p)
{
    return p->purl;
}
const char *sbom_pkg_namespace(const struct sbom_pkg *p)
{
    return p->ns;
}
const char *sbom_pkg_location(const struct sbom_pkg *p)
{
    return p->location;
}
const char *sbom_pkg_sha1(const struct sbom_pkg *p)
{
    return p->sha1;
}
size_t sbom_pkg_license_count(const struct sbom_pkg *p)
{
    return p->licenses.n;
}
const char *sbom_pkg_license(const struct sbom_pkg *p, size_t i)
{
    return i < p->licenses.n ? p->licenses.v[i] : NULL;
}
size_t sbom_pkg_file_count(const struct sbom_pkg *p)
{
    return p->files.n;
}
const char *sbom_pkg_file(const struct sbom_pkg *p, size_t i)
{
    return i < p->files.n ? p->files.v[i] : NULL;
}
size_t sbom_pkg_dep_count(const struct sbom_pkg *p)
{
    return p->ndeps;
}
size_t sbom_pkg_dep(const struct sbom_pkg *p, size_t i)
{
    return i < p->ndeps ? p->deps[i] : 0;
}

const char *sbom_file_path(const struct sbom_file *f)
{
    return f->path;
}
const unsigned char *sbom_file_sha256(const struct sbom_file *f)
{
    return f->sha256;
}
const unsigned char *sbom_file_sha1(const struct sbom_file *f)
{
    return f->sha1;
}
uint64_t sbom_file_size(const struct sbom_file *f)
{
    return f->size;
}
const char *sbom_file_layer(const struct sbom_file *f)
{
    return f->layer;
}
