/* Private layout of the SBOM model, shared by catalogers and writers inside libsbom. */
#ifndef SBOM_DOC_INTERNAL_H
#define SBOM_DOC_INTERNAL_H

#include <stdint.h>

#include "sbom/doc.h"
#include "spool_internal.h"
#include "util.h"

struct sbom_pkg {
    enum sbom_pkg_type type;
    char *name;
    char *version;
    char *arch;
    char *epoch;
    char *release;
    char *source;
    char *source_version;
    char *supplier;
    char *layer;
    char *ns;     /* purl namespace when it is not part of name (maven groupId) */
    char *sha1;   /* lowercase hex SHA-1 of the package's archive (Java) */
    char *sha256; /* lowercase hex SHA-256: Go's h1: module hash (go.sum, build info) */
    char *purl;   /* computed by doc_finish */
    char *ref;    /* SPDX id suffix, computed by doc_finish */
    struct strv licenses;
    struct strv files;
    struct strv locations; /* files the package was read from (language catalogers) */
    struct strv depends;   /* raw names (deb package names, apk tokens) */
    struct strv provides;  /* apk p: tokens, deb Provides names */
    size_t *deps;          /* resolved by doc_finish */
    size_t ndeps;
    unsigned char *in_doc; /* by doc_finish: files.v[i] is one of the document's files */
};

/* One file record as read back from the document's spool (see doc_files.c). */
struct sbom_file {
    const char *path;
    unsigned char sha256[32];
    unsigned char sha1[20];
    uint64_t size;
    const char *layer; /* borrowed from the document's layers */
};

#define DOC_PATH_MAX 4096

struct sbom_file_iter {
    const struct sbom_doc *doc;
    struct spool_reader r;
    size_t i; /* records read so far */
    struct sbom_file f;
    char path[DOC_PATH_MAX + 1];
};

struct sbom_doc {
    char *kind;
    char *name;
    char *distro_id;
    char *distro_version;
    char *distro_name;
    char *distro_like;
    struct sbom_pkg **pkgs;
    size_t npkgs;
    size_t pcap;
    struct spool files; /* file records in strictly ascending path order, on disk */
    size_t nfiles;
    struct strv layers; /* the distinct layer digests file records name */
    char *last_path;    /* the last path added (order check) */
    struct strv warnings;
    const struct sbom_select *select; /* borrowed; NULL: every cataloger */
};

/** Append a new empty package of type t; borrowed pointer in *out. */
int doc_pkg_add(struct sbom_pkg **out, struct sbom_doc *doc, enum sbom_pkg_type t,
                struct vouch_error *err);

/** Free one package (not linked to a document); accepts NULL. */
void doc_pkg_free(struct sbom_pkg *p);

/** Drop the last package added (a cataloger rejecting an incomplete record). */
void doc_pkg_drop_last(struct sbom_doc *doc);

/** Append a file record to the document's spool; paths must come in strictly ascending
 *  strcmp order (a root's walk order), else VOUCH_EINTERNAL. */
int doc_file_add(struct sbom_doc *doc, const char *path, const unsigned char sha256[32],
                 const unsigned char sha1[20], uint64_t size, const char *layer,
                 struct vouch_error *err);

/** Set each package's in_doc flags: which of its files are among the document's files. */
int doc_files_mark(struct sbom_doc *doc, struct vouch_error *err);

/** Free the file records (spool, layers, order check). */
void doc_files_release(struct sbom_doc *doc);

/** Record a warning (printf-style, truncated to one line of 512 bytes). */
void doc_warn(struct sbom_doc *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Sort packages and files, merge duplicate packages, compute purls and resolve deps. */
int doc_finish(struct sbom_doc *doc, struct vouch_error *err);

/** Per-type facts: purl type, SPDX sourceInfo, 1 for OS package managers. */
struct pkg_type_info {
    const char *name;
    const char *source;
    int os;
};

/** The row of type t (any value below SBOM_PKG_NTYPES). */
const struct pkg_type_info *pkg_type_info(enum sbom_pkg_type t);

/** purl of p (OS types: in doc's distro context; purl_pkg.c); malloc'd string in *out. */
int purl_make(char **out, const struct sbom_doc *doc, const struct sbom_pkg *p,
              struct vouch_error *err);

#endif
