/* SPDX license ids and their lookup (license.c, generated spdx_ids.c). */
#ifndef SBOM_LICENSE_INTERNAL_H
#define SBOM_LICENSE_INTERNAL_H

#include <stddef.h>

/** Lines "|id|id|...|", NULL-terminated (generated from CycloneDX's SPDX id list). */
extern const char *const spdx_id_lines[];

#endif
