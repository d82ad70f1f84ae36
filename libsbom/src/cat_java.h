/* Private interface of the Java archive cataloger (cat_java.c, cat_java_meta.c). */
#ifndef SBOM_CAT_JAVA_H
#define SBOM_CAT_JAVA_H

#include <stddef.h>

#include "util.h"

/** Maven coordinates read from an archive. */
struct java_coord {
    char group[256];
    char artifact[256];
    char version[128];
};

/** Parse pom.properties: 0 when groupId, artifactId and version are all present. */
int java_pom_props(struct java_coord *c, const char *d, size_t len);

/** Value of key in MANIFEST.MF's main section (continuations joined, trimmed): 0 if set. */
int java_manifest_get(char *out, size_t outsz, const char *d, size_t len, const char *key);

/**
 * Coordinates from a manifest when the archive has no pom.properties: version from
 * Implementation-/Bundle-/Specification-Version, the id from Bundle-SymbolicName (or
 * Automatic-Module-Name) split at its last dot, group overridden by Implementation-Vendor-Id.
 * 0 when all three are found.
 */
int java_manifest_coord(struct java_coord *c, const char *d, size_t len);

/**
 * The <project><licenses><license><name> values of a pom.xml (libxml2; no network, no
 * entity substitution), each pushed to out as "FOLDER\x1fNAME" (FOLDER: folder[0..flen)).
 * A malformed pom adds nothing; only out of memory is an error.
 */
int java_pom_licenses(struct strv *out, const char *folder, size_t flen, const char *d, size_t len,
                      struct vouch_error *err);

#endif
