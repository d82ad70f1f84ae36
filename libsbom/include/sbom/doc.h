/* The SBOM document model: the packages and files found in one source, read-only views
 * for writers and callers. Catalogers fill a document through libsbom's private API. */
#ifndef SBOM_DOC_H
#define SBOM_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "vouch/error.h"

/** Package ecosystems known to libsbom. */
enum sbom_pkg_type {
    SBOM_PKG_DEB = 0,
    SBOM_PKG_APK,
    SBOM_PKG_RPM,
    SBOM_PKG_NPM,      /* node_modules, package-lock.json, yarn.lock, pnpm-lock.yaml */
    SBOM_PKG_PYPI,     /* dist-info, egg-info, Python lockfiles */
    SBOM_PKG_GOLANG,   /* Go build info, go.mod */
    SBOM_PKG_MAVEN,    /* Java archives */
    SBOM_PKG_CARGO,    /* Cargo.lock, cargo-auditable */
    SBOM_PKG_GEM,      /* Ruby gems */
    SBOM_PKG_COMPOSER, /* PHP composer */
    SBOM_PKG_NUGET,    /* .NET */
    SBOM_PKG_NTYPES
};

/** A document (opaque): packages, files, distro, warnings. */
struct sbom_doc;
/** A package (opaque, owned by its document). */
struct sbom_pkg;
/** A file of the inventory (opaque, owned by the cursor that read it). */
struct sbom_file;
/** A cursor over the document's files (opaque). */
struct sbom_file_iter;

/**
 * Create an empty document describing a source. kind is "dir", "file" or "image"; name is
 * what the user gave (a path or reference). Free with sbom_doc_free.
 */
int sbom_doc_new(struct sbom_doc **out, const char *kind, const char *name,
                 struct vouch_error *err);

/** Free a document and everything it owns; accepts NULL. */
void sbom_doc_free(struct sbom_doc *doc);

/** Source kind and name given to sbom_doc_new (borrowed). */
const char *sbom_doc_source_kind(const struct sbom_doc *doc);
const char *sbom_doc_source_name(const struct sbom_doc *doc);

/** Distro from os-release (borrowed; NULL when unknown): ID, VERSION_ID, PRETTY_NAME. */
const char *sbom_doc_distro_id(const struct sbom_doc *doc);
const char *sbom_doc_distro_version(const struct sbom_doc *doc);
const char *sbom_doc_distro_name(const struct sbom_doc *doc);

/** Packages, sorted by (type, name, version, arch) once cataloguing has finished. */
size_t sbom_doc_pkg_count(const struct sbom_doc *doc);
const struct sbom_pkg *sbom_doc_pkg(const struct sbom_doc *doc, size_t i);

/** Number of regular files of the source. */
size_t sbom_doc_file_count(const struct sbom_doc *doc);

/**
 * The files are kept in a temporary file, not in memory: read them in path order with a
 * cursor. Several cursors may read one document. Free with sbom_file_iter_free.
 */
int sbom_file_iter_new(struct sbom_file_iter **out, const struct sbom_doc *doc,
                       struct vouch_error *err);

/** Next file in *out (borrowed until the next call on it), or NULL after the last one. */
int sbom_file_iter_next(const struct sbom_file **out, struct sbom_file_iter *it,
                        struct vouch_error *err);

/** Free a cursor; accepts NULL. */
void sbom_file_iter_free(struct sbom_file_iter *it);

/** Non-fatal problems met while cataloguing (one line each, borrowed). */
size_t sbom_doc_warning_count(const struct sbom_doc *doc);
const char *sbom_doc_warning(const struct sbom_doc *doc, size_t i);

/* Package fields (borrowed strings; NULL when absent). version is what the package
 * manager shows: deb "EPOCH:UPSTREAM-REVISION", apk "VER-rN", rpm "[EPOCH:]VERSION-RELEASE". */
enum sbom_pkg_type sbom_pkg_type(const struct sbom_pkg *p);
/** The purl type of t ("deb", "apk", "rpm", "npm", "pypi", "golang", "maven", ...). */
const char *sbom_pkg_type_name(enum sbom_pkg_type t);
const char *sbom_pkg_name(const struct sbom_pkg *p);
const char *sbom_pkg_version(const struct sbom_pkg *p);
const char *sbom_pkg_arch(const struct sbom_pkg *p);
const char *sbom_pkg_epoch(const struct sbom_pkg *p);
const char *sbom_pkg_release(const struct sbom_pkg *p);
const char *sbom_pkg_source(const struct sbom_pkg *p); /* deb Source, apk origin, rpm srpm */
const char *sbom_pkg_supplier(const struct sbom_pkg *p);
const char *sbom_pkg_layer(const struct sbom_pkg *p); /* layer digest that introduced it */
const char *sbom_pkg_purl(const struct sbom_pkg *p);
/** Paths (no leading '/') of the files the package was found in (a package.json, a
 *  lockfile, a binary), sorted; empty for OS packages (their database is the source). */
size_t sbom_pkg_location_count(const struct sbom_pkg *p);
const char *sbom_pkg_location(const struct sbom_pkg *p, size_t i);
/** purl namespace set by the cataloger (Maven groupId), else NULL. */
const char *sbom_pkg_namespace(const struct sbom_pkg *p);
/** Lowercase hex SHA-1 of the package's own archive (Java), else NULL. */
const char *sbom_pkg_sha1(const struct sbom_pkg *p);
size_t sbom_pkg_license_count(const struct sbom_pkg *p);
const char *sbom_pkg_license(const struct sbom_pkg *p, size_t i);
/** Paths (no leading '/') of the files the package owns, sorted. */
size_t sbom_pkg_file_count(const struct sbom_pkg *p);
const char *sbom_pkg_file(const struct sbom_pkg *p, size_t i);
/** Resolved dependencies: indexes into the document's packages, sorted, unique. */
size_t sbom_pkg_dep_count(const struct sbom_pkg *p);
size_t sbom_pkg_dep(const struct sbom_pkg *p, size_t i);

/** File fields: path without leading '/', digests (32 and 20 bytes), size, layer or NULL. */
const char *sbom_file_path(const struct sbom_file *f);
const unsigned char *sbom_file_sha256(const struct sbom_file *f);
const unsigned char *sbom_file_sha1(const struct sbom_file *f);
uint64_t sbom_file_size(const struct sbom_file *f);
const char *sbom_file_layer(const struct sbom_file *f);

#endif
