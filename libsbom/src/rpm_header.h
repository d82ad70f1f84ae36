/* RPM header blob parser (the header as stored in rpmdb: index count, data length,
 * 16-byte index entries, data store). Every offset and count is bounds-checked. */
#ifndef SBOM_RPM_HEADER_H
#define SBOM_RPM_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/** The fields libsbom uses; strings owned. */
struct rpm_info {
    char *name;
    char *version;
    char *release;
    char *arch;
    char *license;
    char *sourcerpm;
    char *vendor;
    int has_epoch;
    uint32_t epoch;
    struct strv files; /* paths without the leading '/' */
};

/** Parse blob (without the 8-byte header magic) into out; VOUCH_EPARSE on bad input. */
int rpm_header_parse(struct rpm_info *out, const unsigned char *blob, size_t len,
                     struct vouch_error *err);

/** Free the strings; out is zeroed. */
void rpm_info_release(struct rpm_info *info);

#endif
