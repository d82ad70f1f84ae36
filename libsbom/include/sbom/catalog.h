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

/** Layer attribution for image sources (opaque). */
struct sbom_layers;

/** Create a tracker; all_layers keeps packages that later layers delete. */
int sbom_layers_new(struct sbom_layers **out, int all_layers, struct vouch_error *err);

/** Free a tracker; accepts NULL. */
void sbom_layers_free(struct sbom_layers *l);

/**
 * An sbom_layer_fn for sbom_image_opts (ctx = the tracker): after each layer that touched
 * a package database, catalogues the packages visible so far, so each package is
 * attributed to the layer that introduced it (re-introduced after a deletion: the later).
 */
int sbom_layers_on_layer(const struct sbom_root *r, size_t index, const char *digest, int touched,
                         void *ctx);

/**
 * sbom_catalog_run for an image root read with the tracker: packages get their layer
 * digests; with all_layers, packages deleted by later layers are listed too.
 */
int sbom_catalog_run_image(struct sbom_doc *doc, const struct sbom_root *r, struct sbom_layers *l,
                           struct vouch_error *err);

#endif
