/* SPDX license ids and their lookup (license.c, generated spdx_ids.c). */
#ifndef SBOM_LICENSE_INTERNAL_H
#define SBOM_LICENSE_INTERNAL_H

#include <stddef.h>

/** Lines "|id|id|...|", NULL-terminated (generated from CycloneDX's SPDX id list). */
extern const char *const spdx_id_lines[];

/** Canonical spelling of id s[0..n) (case-insensitive) into out; 1 if known, else 0. */
int lic_id_lookup(char *out, size_t outsz, const char *s, size_t n);

#endif
