/* Docker-normalised image references for policy matching ("nginx" is
 * docker.io/library/nginx). Private to libslsa. */
#ifndef SLSA_IMAGE_REF_H
#define SLSA_IMAGE_REF_H

#include "vouch/error.h"

struct image_ref {
    char *repo;   /* "docker.io/library/nginx", "localhost:5000/a/b", "oci-dir:/abs/path" */
    char *tag;    /* NULL when absent */
    char *digest; /* "sha256:<hex>" or NULL */
    int oci_dir;  /* 1 for oci-dir: references */
};

/** Parse and normalise s. Bad references are VOUCH_EINVAL naming s. */
int image_ref_parse(struct image_ref *out, const char *s, struct vouch_error *err);
/** Free the fields; the struct may be reused. */
void image_ref_release(struct image_ref *r);
/** Normalise a repository glob the same way ("nginx" → "docker.io/library/nginx",
 *  "index.docker.io/x/..." → "docker.io/x/..."). *out is malloc'd. */
int image_ref_normalise_glob(char **out, const char *pattern, struct vouch_error *err);
/** 1 if s is "sha256:" + 64 lowercase hex (or sha512 + 128). */
int image_ref_digest_valid(const char *s);

#endif
