/* Finding a named section in an ELF file held in memory (bounds-checked; 32/64-bit,
 * either byte order). */
#ifndef SBOM_ELF_INTERNAL_H
#define SBOM_ELF_INTERNAL_H

#include <stddef.h>

/** 1 when d starts with the ELF magic. */
int elf_is(const unsigned char *d, size_t len);

/**
 * The contents of section name in *sec, *slen (borrowed from d): 0 when found, 1 when the
 * file has no such section, -1 when its headers are malformed or point outside the file.
 */
int elf_section(const unsigned char **sec, size_t *slen, const unsigned char *d, size_t len,
                const char *name);

#endif
