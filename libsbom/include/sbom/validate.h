/* Validating SBOMs made by any tool: SPDX 2.2/2.3 and CycloneDX 1.4-1.6 JSON against the
 * official schemas (format and version detected), plus the checks the schemas cannot make
 * (dangling SPDX relationship ids, duplicate ids and bom-refs, dependencies on unknown
 * refs, malformed PURLs, invalid SPDX license expressions). */
#ifndef SBOM_VALIDATE_H
#define SBOM_VALIDATE_H

#include <stddef.h>

#include "vouch/error.h"

/** The result of one validation (opaque). */
struct sbom_validation;

/**
 * Validate the JSON document data[0..len) (name used in messages) with the schemas in
 * schema_dir (the installed schemas/sbom folder: bom-1.X.schema.json, spdx-2.X.schema.json,
 * spdx.schema.json, jsf-0.82.schema.json). Returns 0 when the document could be checked,
 * whatever was found (see sbom_validation_count); VOUCH_EPARSE when it is not JSON,
 * VOUCH_EUNSUPPORTED when it is neither SPDX 2.2/2.3 nor CycloneDX 1.4-1.6 JSON,
 * VOUCH_ENOTFOUND when the schema is not installed.
 */
int sbom_validate(struct sbom_validation **out, const char *schema_dir, const char *data,
                  size_t len, const char *name, struct vouch_error *err);

/** Free; accepts NULL. */
void sbom_validation_free(struct sbom_validation *v);
/** "spdx" or "cyclonedx" (static). */
const char *sbom_validation_format(const struct sbom_validation *v);
/** The version validated against ("2.3", "1.6"; borrowed). */
const char *sbom_validation_version(const struct sbom_validation *v);
/** Number of problems (0: valid); the list stops at 100. */
size_t sbom_validation_count(const struct sbom_validation *v);
/** Problem i: a JSON pointer into the document ("" for the whole document) and a
 *  one-line reason (both borrowed), or NULL past the end. */
const char *sbom_validation_pointer(const struct sbom_validation *v, size_t i);
const char *sbom_validation_reason(const struct sbom_validation *v, size_t i);

/** 1 when s is a valid SPDX license expression (ids from the SPDX license list, case-
 *  insensitive; LicenseRef-/DocumentRef-; AND, OR, WITH, parentheses, "+"), else 0. */
int sbom_license_expression_valid(const char *s);

#endif
