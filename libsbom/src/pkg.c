/* Read-only accessors of packages and files. */
#include "doc_internal.h"

/* One row per enum sbom_pkg_type, in its order. */
static const struct pkg_type_info types[SBOM_PKG_NTYPES] = {
    [SBOM_PKG_DEB] = {"deb", "DPKG DB", 1},
    [SBOM_PKG_APK] = {"apk", "APK DB", 1},
    [SBOM_PKG_RPM] = {"rpm", "RPM DB", 1},
    [SBOM_PKG_NPM] = {"npm", "npm package metadata", 0},
    [SBOM_PKG_PYPI] = {"pypi", "Python package metadata", 0},
    [SBOM_PKG_GOLANG] = {"golang", "Go module information", 0},
    [SBOM_PKG_MAVEN] = {"maven", "Java archive metadata", 0},
    [SBOM_PKG_CARGO] = {"cargo", "Cargo metadata", 0},
    [SBOM_PKG_GEM] = {"gem", "RubyGems metadata", 0},
    [SBOM_PKG_COMPOSER] = {"composer", "Composer metadata", 0},
    [SBOM_PKG_NUGET] = {"nuget", ".NET package metadata", 0},
};

const struct pkg_type_info *pkg_type_info(enum sbom_pkg_type t)
{
    return &types[(unsigned)t < SBOM_PKG_NTYPES ? t : SBOM_PKG_DEB];
}

enum sbom_pkg_type sbom_pkg_type(const struct sbom_pkg *p)
{
    return p->type;
}
const char *sbom_pkg_type_name(enum sbom_pkg_type t)
{
    return (unsigned)t < SBOM_PKG_NTYPES ? types[t].name : "unknown";
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
size_t sbom_pkg_license_count(const struct sbom_pkg *p)
{
    return p->licenses.n;
}
const char *sbom_pkg_license(const struct sbom_pkg *p, size_t i)
{
    return i < p->licenses.n ? p->licenses.v[i] : NULL;
}
const char *sbom_pkg_namespace(const struct sbom_pkg *p)
{
    return p->ns;
}
const char *sbom_pkg_sha1(const struct sbom_pkg *p)
{
    return p->sha1;
}
size_t sbom_pkg_location_count(const struct sbom_pkg *p)
{
    return p->locations.n;
}
const char *sbom_pkg_location(const struct sbom_pkg *p, size_t i)
{
    return i < p->locations.n ? p->locations.v[i] : NULL;
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
