/* Private helpers of the purl module (purl.c builds, purl_parse.c parses, purl_pkg.c
 * derives a package's purl). */
#ifndef SBOM_PURL_INTERNAL_H
#define SBOM_PURL_INTERNAL_H

#include "sbom/purl.h"

/* Per-type rules from the purl-spec type definitions. */
enum {
    PURL_NS_LOWER = 1u << 0,    /* namespace is case-insensitive: lowercased */
    PURL_NAME_LOWER = 1u << 1,  /* name is case-insensitive: lowercased */
    PURL_VER_LOWER = 1u << 2,   /* version is case-insensitive: lowercased */
    PURL_NS_NONE = 1u << 3,     /* the type prohibits a namespace */
    PURL_NAME_PEP503 = 1u << 4, /* runs of "-_." become "-" (PyPI, PEP 503) */
};

struct purl_rule {
    const char *type;
    unsigned flags;
};

/** The PURL_* flags of a (lowercase) type; 0 for types without special rules. */
unsigned purl_type_flags(const char *type);

/** Lowercase ASCII letters in place. */
void purl_lower(char *s);

/** PEP 503 name normalisation in place (without the lowercasing). */
void purl_pep503(char *s);

/** 1 if t is a well-formed type: letters, digits, '.', '+', '-', not starting with a digit. */
int purl_type_ok(const char *t);

/** 1 if k is a well-formed qualifier key: letters, digits, '.', '-', '_', no leading digit. */
int purl_key_ok(const char *k);

#endif
