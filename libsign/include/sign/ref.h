/* Container image references, parsed and normalised as docker does
 * (distribution/reference ParseNormalizedNamed + TagNameOnly), and OCI digest strings. */
#ifndef SIGN_REF_H
#define SIGN_REF_H

#include <stddef.h>

#include "vouch/digest.h"
#include "vouch/error.h"

/** A parsed image reference (opaque, immutable). */
struct sign_ref;

/** Longest digest string "sha512:<128 hex>" plus NUL. */
#define SIGN_REF_DIGEST_MAX 136

/**
 * Parse an image reference as docker does: `alpine` is `docker.io/library/alpine:latest`,
 * `index.docker.io/x` is `docker.io/library/x`, `host:5000/a/b:tag`, `[::1]:5000/a`,
 * `repo@sha256:<hex>`, `repo:tag@sha256:<hex>`. A reference with neither tag nor digest gets
 * the tag "latest". Invalid input (uppercase repository, bad tag, unsupported or malformed
 * digest, a bare 64-hex identifier, names over 255 characters) is VOUCH_EINVAL with a
 * message naming the input. *out is freed with sign_ref_free.
 */
int sign_ref_parse(struct sign_ref **out, const char *s, struct vouch_error *err);

/** Free a reference; accepts NULL. */
void sign_ref_free(struct sign_ref *r);

/** A copy of r with the given digest (validated) and the same tag (docker's WithDigest). */
int sign_ref_with_digest(struct sign_ref **out, const struct sign_ref *r, const char *digest,
                         struct vouch_error *err);

/** A copy of r naming tag (validated) in the same repository, without a digest. */
int sign_ref_with_tag(struct sign_ref **out, const struct sign_ref *r, const char *tag,
                      struct vouch_error *err);

/** Registry as normalised by docker: "docker.io", "host:5000", "[::1]:5000" (borrowed). */
const char *sign_ref_registry(const struct sign_ref *r);

/** Host[:port] to contact for the Distribution API: "index.docker.io" for Docker Hub, else
 *  the registry (borrowed). */
const char *sign_ref_api_host(const struct sign_ref *r);

/** Repository path: "library/alpine", "a/b" (borrowed). */
const char *sign_ref_repository(const struct sign_ref *r);

/** Tag, or NULL when the reference names only a digest (borrowed). */
const char *sign_ref_tag(const struct sign_ref *r);

/** Digest "algo:hex", or NULL (borrowed). */
const char *sign_ref_digest(const struct sign_ref *r);

/** Docker's normalised name "docker.io/library/alpine" (borrowed). */
const char *sign_ref_name(const struct sign_ref *r);

/** go-containerregistry's Repository.Name(): "index.docker.io/library/alpine" for Docker Hub,
 *  else as sign_ref_name. cosign writes this in payload identities (borrowed). */
const char *sign_ref_ggcr_name(const struct sign_ref *r);

/** Full normalised string "docker.io/library/alpine:latest[@sha256:...]" (borrowed). */
const char *sign_ref_string(const struct sign_ref *r);

/** Docker's familiar string: "alpine:latest", "user/app@sha256:..." (borrowed). */
const char *sign_ref_familiar(const struct sign_ref *r);

/** 1 if the registry is loopback: "localhost", 127.0.0.0/8 or [::1] (any port). */
int sign_ref_is_loopback(const struct sign_ref *r);

/**
 * Validate an OCI digest string "algo:hex": algo sha256, sha384 or sha512 and exactly that
 * many lowercase hex digits. Unknown algorithms are VOUCH_EUNSUPPORTED, anything else
 * malformed VOUCH_EINVAL. On success *alg (may be NULL) receives the hash.
 */
int sign_ref_digest_check(enum sign_hash *alg, const char *digest, struct vouch_error *err);

/** Check a tag against docker's grammar [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
int sign_ref_tag_check(const char *tag, struct vouch_error *err);

#endif
