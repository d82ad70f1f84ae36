/* Catalogers: find OS packages (dpkg, apk, rpm) and the file inventory in a root. */
#ifndef SBOM_CATALOG_H
#define SBOM_CATALOG_H

#include <stddef.h>

#include "sbom/doc.h"
#include "sbom/root.h"
#include "vouch/error.h"

/** A choice of catalogers (opaque). NULL wherever one is taken means every cataloger. */
struct sbom_select;

/**
 * Parse a selection the way syft reads its cataloger expressions: comma-separated terms,
 * each a cataloger name (dpkg, apk, rpm, npm, npm-lock, python, python-lock, go, java,
 * rust, ruby, php, dotnet) or tag (os, language, installed, declared, image, directory,
 * package, binary, and ecosystem names such as javascript, golang, maven, cargo, gem,
 * composer, nuget). Plain terms keep only what they name, "+TERM" adds, "-TERM" removes
 * (after the others); os-release is always read. VOUCH_EINVAL names a term that names no
 * cataloger or tag. Free with sbom_select_free.
 */
int sbom_select_parse(struct sbom_select **out, const char *expr, struct vouch_error *err);

/** Free a selection; accepts NULL. */
void sbom_select_free(struct sbom_select *s);

/** Run only the catalogers of s (borrowed, must outlive doc; NULL: all) into doc. */
void sbom_catalog_select(struct sbom_doc *doc, const struct sbom_select *s);

/**
 * Content selector for sources (an sbom_want_fn; ctx a const struct sbom_select * or
 * NULL): the size cap for the files the selected catalogers read (package databases,
 * os-release, copyright files, file lists), 0 for all others.
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

/** Run only the catalogers of s (borrowed, must outlive l) after each layer. */
void sbom_layers_select(struct sbom_layers *l, const struct sbom_select *s);

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
