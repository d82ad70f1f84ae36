/* Catalogers: find OS packages (dpkg, apk, rpm) and the file inventory in a root. */
#ifndef SBOM_CATALOG_H
#define SBOM_CATALOG_H

#include <stddef.h>

#include "sbom/doc.h"
#include "sbom/root.h"
#include "vouch/error.h"

/**
 * Content selector for sources (an sbom_want_fn; ctx unused): the size cap for the files
 * catalogers read (package databases, os-release, copyright files, file lists), 0 for
 * all others.
 */
size_t sbom_catalog_want(const char *path, void *ctx);

/**
 * Run every cataloger over r, add the file inventory, then sort and finish doc (purls,
 * dependency edges). Problems in one database become warnings in doc, not failures;
 * errors are only out-of-memory and internal failures.
 */
int sbom_catalog_run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err);

#endif
