/* Package URLs (ECMA-427, github.com/package-url/purl-spec): one builder and one parser
 * for every ecosystem libsbom knows, with the spec's per-type normalisation rules. */
#ifndef SBOM_PURL_H
#define SBOM_PURL_H

#include <stddef.h>

#include "vouch/error.h"

/** One qualifier: key (lowercase ASCII letters, digits, '.', '-', '_') and its decoded value. */
struct sbom_purl_qualifier {
    const char *key;
    const char *value;
};

/**
 * A package URL's decoded components. NULL means absent. namespace and subpath hold their
 * segments joined by '/' (an npm scope keeps its '@': "@angular"). Qualifiers may come in
 * any order and with empty values (dropped on build).
 */
struct sbom_purl {
    const char *type;
    const char *ns;
    const char *name;
    const char *version;
    const struct sbom_purl_qualifier *qualifiers;
    size_t nqualifiers;
    const char *subpath;
};

/** Parse flags. */
enum {
    /** Accept what the spec's "recommended" cases normalise: mixed-case qualifier keys are
     *  lowercased instead of refused. */
    SBOM_PURL_NORMALIZE = 1u << 0,
};

/**
 * Build the canonical string of p into *out (malloc'd, free()): type lowercased, the
 * type's case and name rules applied (deb/apk/composer/pypi lowercase; pypi names
 * normalised per PEP 503), every component percent-encoded, qualifiers sorted by key,
 * subpath without empty, "." and ".." segments. Fails with VOUCH_EINVAL (message names
 * the component) for a missing or malformed type, a missing name, a namespace on a type
 * that prohibits one, or a malformed or repeated qualifier key.
 */
int sbom_purl_build(char **out, const struct sbom_purl *p, struct vouch_error *err);

/**
 * Parse s ("pkg:type/namespace/name@version?qualifiers#subpath") into *out: one heap
 * block holding the struct and every string it points at, normalised as sbom_purl_build
 * would; free with sbom_purl_free. Fails with VOUCH_EPARSE for anything the spec rejects
 * (no "pkg:" scheme, bad type, no name, bad percent-escapes, bad qualifier keys).
 */
int sbom_purl_parse(struct sbom_purl **out, const char *s, unsigned flags, struct vouch_error *err);

/** Free a parsed purl; accepts NULL. */
void sbom_purl_free(struct sbom_purl *p);

/** Parse s with flags and build it again: its canonical form in *out (malloc'd). */
int sbom_purl_canonical(char **out, const char *s, unsigned flags, struct vouch_error *err);

#endif
