/* SPDX license ids and their lookup (license.c, generated spdx_ids.c). */
#ifndef SBOM_LICENSE_INTERNAL_H
#define SBOM_LICENSE_INTERNAL_H

#include <stddef.h>

/** Lines "|id|id|...|", NULL-terminated (generated from CycloneDX's SPDX id list). */
extern const char *const spdx_id_lines[];

/** The SPDX licence id s[0..n) names, canonically spelled, into out; 1 when found. */
int lic_id_lookup(char *out, size_t outsz, const char *s, size_t n);

#endif
