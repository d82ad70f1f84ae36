/* Private to the Python catalogers: header parsing, owned files, dependency edges. */
#ifndef SBOM_CAT_PYTHON_INTERNAL_H
#define SBOM_CAT_PYTHON_INTERNAL_H

#include "cat_internal.h"

struct py_ctx {
    struct sbom_doc *doc;
    const struct sbom_root *r;
    size_t first; /* index of this run's first package */
    struct vouch_error *err;
};

struct meta;

/** State while reading one METADATA header block. */
struct py_hdr_ctx {
    struct meta *meta;
    struct sbom_pkg *k;
    struct strv classifier_lics;
    struct vouch_error *err;
};

typedef int (*py_hdr_fn)(const char *key, size_t kn, const char *v, size_t vn, void *ctx);

/** Core-metadata headers (RFC 822 style, up to the first blank line): fn per field, the
 *  value's first line trimmed (continuations are description text). */
int py_headers(const char *d, size_t len, py_hdr_fn fn, void *ctx);

/** A Requires-Dist value ("name[extra] (>=1); python_version < '3'"): the name, unless the
 *  marker limits it to an extra. */
int py_add_requirement(struct strv *deps, const char *v, size_t n, struct vouch_error *err);

/** Files of the package whose metadata is at path: RECORD or installed-files.txt. */
int py_owned_files(struct py_ctx *c, struct sbom_pkg *k, const char *path);

/** Resolve the names in depends of packages from first on (PEP 503 comparison) into
 *  "NAME@VERSION" of the first such distribution ("name@version" entries: of that version);
 *  names without a distribution are dropped. */
int py_link(struct sbom_doc *doc, size_t first, struct vouch_error *err);

/** Python lockfiles of one kept file (cat_python_lock.c): poetry.lock, uv.lock, Pipfile.lock. */
int py_lock_file(struct sbom_doc *doc, const char *path, const unsigned char *d, size_t len,
                 struct vouch_error *err);

/** Pinned requirements of a requirements file (cat_python_req.c). */
int py_req_file(struct sbom_doc *doc, const struct sbom_root *r, const char *path,
                const unsigned char *d, size_t len, struct vouch_error *err);

/** 1 if path names a requirements file the Python lock cataloger keeps. */
int py_req_path(const char *path);

#endif
