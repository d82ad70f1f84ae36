/* Private to the Go cataloger: build info (cat_go.c) and go.mod (cat_go_mod.c). */
#ifndef SBOM_CAT_GO_INTERNAL_H
#define SBOM_CAT_GO_INTERNAL_H

#include "cat_internal.h"

struct go_ctx {
    struct sbom_doc *doc;
    const struct sbom_root *r;
    struct vouch_error *err;
};

/** Packages of one binary's modinfo text ("mod", "dep", "=>" lines) and its Go version. */
int go_modinfo(struct go_ctx *c, const char *path, const char *ver, size_t vn, const char *mod,
               size_t mn);

/** The requirements of a go.mod, with its replace directives applied. */
int go_mod_read(struct go_ctx *c, const char *path, const char *d, size_t len);

#endif
