/* Converting SBOMs made by any tool between SPDX 2.x JSON and CycloneDX JSON: packages,
 * purls, versions, licenses (declared and concluded), checksums, files and dependency
 * edges; what the target format cannot hold is reported as notes, never silently lost. */
#ifndef SBOM_CONVERT_H
#define SBOM_CONVERT_H

#include <stddef.h>
#include <stdint.h>

#include "sbom/format.h"
#include "vouch/error.h"

/** Options of a conversion (the caller reads the clock and SOURCE_DATE_EPOCH). */
struct sbom_convert_opts {
    int64_t created;          /* creation time when the input has none (CycloneDX) */
    const char *tool_version; /* "0.1.0"; NULL means vouch_version() */
};

/** One conversion's result: the output document and the notes (opaque). */
struct sbom_conversion;

/**
 * Convert the SPDX 2.2/2.3 or CycloneDX 1.4-1.6 JSON document data[0..len) (name used in
 * messages) to `to`: SBOM_FMT_SPDX_JSON (SPDX 2.3) or SBOM_FMT_CYCLONEDX_JSON (CycloneDX 1.6).
 * The output is a function of the input and the options (ids derive from the input's own).
 * Returns 0; VOUCH_EPARSE when it is not JSON, VOUCH_EUNSUPPORTED when it is neither format
 * (or `to` is not a JSON SBOM format), VOUCH_EINVAL when it is too large or nested too deep.
 */
int sbom_convert(struct sbom_conversion **out, const char *data, size_t len, const char *name,
                 enum sbom_format to, const struct sbom_convert_opts *o, struct vouch_error *err);

/** Free; accepts NULL. */
void sbom_conversion_free(struct sbom_conversion *c);
/** The output document (borrowed, NUL-terminated, ends with a newline); *len its size. */
const char *sbom_conversion_data(const struct sbom_conversion *c, size_t *len);
/** Number of notes: each names a kind of content the target format cannot hold. */
size_t sbom_conversion_note_count(const struct sbom_conversion *c);
/** Note i ("SPDX relationship GENERATED_FROM", borrowed) and how many times it was met;
 *  NULL past the end. */
const char *sbom_conversion_note(const struct sbom_conversion *c, size_t i, size_t *count);

#endif
