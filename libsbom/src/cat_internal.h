/* Private interface of the catalogers (one cat_<name>.c each) and their helpers. */
#ifndef SBOM_CAT_INTERNAL_H
#define SBOM_CAT_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

#include "doc_internal.h"
#include "sbom/root.h"

/** A content rule: files matching glob (fnmatch, FNM_PATHNAME) are kept up to cap bytes. */
struct want_rule {
    const char *glob;
    size_t cap;
};

/** One row of the cataloger table. */
struct cataloger {
    const char *name;
    const struct want_rule *rules; /* terminated by a NULL glob */
    int (*run)(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err);
};

extern const struct cataloger cat_osrelease;
extern const struct cataloger cat_dpkg;
extern const struct cataloger cat_apk;
extern const struct cataloger cat_rpm;
extern const struct cataloger cat_npm;
extern const struct cataloger cat_npm_lock;
extern const struct cataloger cat_python;
extern const struct cataloger cat_pylock;
extern const struct cataloger cat_go;
extern const struct cataloger cat_java;
extern const struct cataloger cat_rust;
extern const struct cataloger cat_ruby;
extern const struct cataloger cat_php;
extern const struct cataloger cat_dotnet;

/** Run the cataloger table over r (packages only). */
int catalog_packages(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err);

/** Add r's warnings and regular files to doc. */
int catalog_inventory(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err);

/**
 * Read a file for a cataloger: 0 with contents, 1 when absent (nothing to do), or a
 * negative code after recording a warning in doc for unreadable files (loops, too big).
 */
int cat_read(const unsigned char **out, size_t *len, struct sbom_doc *doc,
             const struct sbom_root *r, const char *path);

/** 1 if path matches glob: fnmatch with FNM_PATHNAME, plus "**\/" for any number of
 *  whole path components (zero included). */
int cat_glob(const char *glob, const char *path);

/** Called by cat_each with a kept file's path and contents (borrowed). */
typedef int (*cat_file_fn)(const char *path, const unsigned char *d, size_t len, void *ctx);

/** Visit the kept files matching rules[0..nrules) in path order (a non-zero return stops). */
int cat_each(const struct sbom_root *r, const struct want_rule *rules, size_t nrules,
             cat_file_fn fn, void *ctx);

/** 1 for dir: sources: lockfiles and manifests are read only there (trivy's rule: images
 *  show what is installed). */
int cat_declared(const struct sbom_doc *doc);

#define CAT_PATH_MAX 4096

/** A language package of type t found in file location: name, version (copied; NULL or ""
 *  versions are left unset). Borrowed pointer in *out. */
int cat_lang_pkg(struct sbom_pkg **out, struct sbom_doc *doc, enum sbom_pkg_type t,
                 const char *name, size_t name_len, const char *version, size_t version_len,
                 const char *location, struct vouch_error *err);

/** Parse a JSON manifest (object or array); NULL after a warning "CAT: 'PATH': ..." when it
 *  is not one. */
json_t *cat_json(struct sbom_doc *doc, const char *cat, const char *path, const unsigned char *data,
                 size_t len);

/** A non-empty string member of obj, else NULL. */
const char *cat_json_str(const json_t *obj, const char *key);

/** Record a dependency edge of p: "NAME@VERSION" (resolved exactly by doc_finish). */
int cat_dep(struct sbom_pkg *p, const char *name, const char *version, struct vouch_error *err);

/** Dependencies recorded by name only (no '@') of the packages doc->pkgs[first..]: each
 *  becomes NAME@VERSION when exactly one of those packages has that name, else is dropped
 *  (one file's packages resolve among themselves). */
int cat_lang_resolve(struct sbom_doc *doc, size_t first, struct vouch_error *err);

/** cargo-auditable packages of one ELF binary d (cat_rust_audit.c; bad sections become
 *  warnings). */
int rust_audit_parse(struct sbom_doc *doc, const char *path, const unsigned char *d, size_t len,
                     struct vouch_error *err);

/** A deb822 field (value spans continuation lines; first line trimmed by ctl_line). */
struct ctl_field {
    const char *name;
    size_t name_len;
    const char *val;
    size_t val_len;
};

#define CTL_MAX_FIELDS 64

/** One paragraph of a control file. */
struct ctl_para {
    struct ctl_field f[CTL_MAX_FIELDS];
    size_t n;
    size_t bad_lines; /* lines that are neither "Field: value" nor continuations */
};

typedef int (*ctl_para_fn)(const struct ctl_para *p, void *ctx);

/** Parse deb822 paragraphs from data (bounded by len), calling fn for each non-empty one. */
int ctl_parse(const char *data, size_t len, ctl_para_fn fn, void *ctx);

/** Value of field name (case-insensitive) or NULL; *len its length. */
const char *ctl_get(const struct ctl_para *p, const char *name, size_t *len);

/** Trimmed first line of a field value: sets *len. */
const char *ctl_line(const char *val, size_t vlen, size_t *len);

/** Parse one RPM header blob into a package of doc (bad blobs become warnings). */
int rpm_add_blob(struct sbom_doc *doc, const unsigned char *blob, size_t len, const char *path,
                 struct vouch_error *err);

/** Read rpm's Berkeley DB Packages (cat_rpm_bdb.c); bad databases become warnings. */
int rpm_read_bdb(struct sbom_doc *doc, const unsigned char *d, size_t len, const char *path,
                 struct vouch_error *err);

/** Read rpm's NDB Packages.db (cat_rpm_ndb.c); bad databases become warnings. */
int rpm_read_ndb(struct sbom_doc *doc, const unsigned char *d, size_t len, const char *path,
                 struct vouch_error *err);

/** Normalise a license string into an SPDX expression in out; 1 if it is one, else 0. */
int lic_spdx_expr(char *out, size_t outsz, const char *raw);

#endif
