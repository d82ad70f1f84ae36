/* The packages an SBOM made by any tool lists (SPDX 2.x or CycloneDX JSON), read into one
 * model for comparing, querying and converting. */
#ifndef SBOM_INVENTORY_H
#define SBOM_INVENTORY_H

#include <stddef.h>

#include "vouch/error.h"

/** One package or component. Strings are borrowed from the inventory; any may be NULL. */
struct sbom_item {
    const char *ref; /* SPDXID or bom-ref */
    const char *name;
    const char *version;
    const char *purl;
    const char *license;   /* one SPDX expression (CycloneDX licenses joined with AND) */
    const char *ecosystem; /* the purl type ("npm", "deb"), else NULL */
    const char *layer;     /* vouch:layer / syft:location:0:layerID property, else NULL */
    const char *sha256;    /* a SHA-256 checksum or hash, else NULL */
    const char *sha1;
    const size_t *deps; /* indexes of the items it depends on */
    size_t ndeps;
};

/** An SBOM's packages (opaque). */
struct sbom_inventory;

/**
 * Read the packages of an SPDX 2.x ("packages", relationships DEPENDS_ON/DEPENDENCY_OF) or
 * CycloneDX ("components" recursively, "dependencies") JSON document. The SPDX document's
 * own describing package is kept like any other. VOUCH_EPARSE for bad JSON,
 * VOUCH_EUNSUPPORTED for a document of neither format.
 */
int sbom_inventory_read(struct sbom_inventory **out, const char *data, size_t len, const char *name,
                        struct vouch_error *err);
/** Free; accepts NULL. */
void sbom_inventory_free(struct sbom_inventory *inv);
/** "spdx" or "cyclonedx" (static). */
const char *sbom_inventory_format(const struct sbom_inventory *inv);
/** Number of items, and item i (borrowed; NULL past the end). */
size_t sbom_inventory_count(const struct sbom_inventory *inv);
const struct sbom_item *sbom_inventory_at(const struct sbom_inventory *inv, size_t i);

/**
 * The identity diff and query use for it: its purl without the version, qualifiers and
 * subpath (pkg:npm/%40scope/name), else "ECOSYSTEM/NAME" or "NAME". *out is malloc'd.
 */
int sbom_item_key(char **out, const struct sbom_item *it, struct vouch_error *err);

#endif
