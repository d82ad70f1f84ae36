/* Image sources: one API over registries (Distribution API v2), OCI image layouts
 * (oci-dir:), OCI archives (oci-archive:) and docker save tarballs (docker-archive:).
 * Every manifest and blob read is digest-checked; every reader has a cap. */
#ifndef SIGN_OCI_H
#define SIGN_OCI_H

#include <stddef.h>

#include "sign/ref.h"
#include "vouch/error.h"

#define SIGN_OCI_MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define SIGN_OCI_MT_INDEX "application/vnd.oci.image.index.v1+json"
#define SIGN_OCI_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define SIGN_OCI_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define SIGN_OCI_MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define SIGN_OCI_MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define SIGN_OCI_MT_LAYER_TAR "application/vnd.docker.image.rootfs.diff.tar"

/** Largest manifest, index or config read (4 MiB). */
#define SIGN_OCI_MANIFEST_MAX ((size_t)4 << 20)

/** One HTTP exchange of the registry client, for a caller's request log. It holds no
 *  credentials: url has neither userinfo nor query, and no header is given. */
struct sign_oci_http_event {
    const char *method; /* GET HEAD PUT POST PATCH DELETE */
    const char *url;    /* scheme://host/path */
    long status;        /* the answer's HTTP status, or 0 when none came */
    long long ms;       /* time from send to answer or failure */
    const char *error;  /* the transport failure, or NULL */
};

/** Called once per HTTP exchange, after it ended (borrowed event, valid during the call). */
typedef void (*sign_oci_http_log_fn)(void *ctx, const struct sign_oci_http_event *ev);

/** How to reach registries. Zeroed means: anonymous (or docker config), TLS verified with the
 *  system CAs, plain HTTP only for loopback hosts, default timeouts and retries. */
/** Default overall deadline of a registry source, in seconds. */
#define SIGN_OCI_DEADLINE_DEFAULT 600L

struct sign_oci_opts {
    const char *username;          /* explicit credentials (both or neither) */
    const char *password;          /* never logged; not copied beyond the source's lifetime */
    const char *docker_config;     /* path of a docker config.json for `auths` credentials */
    const char *ca_file;           /* extra PEM CA bundle for TLS verification */
    const char *token;             /* an explicit bearer token (never logged), or NULL */
    int allow_insecure;            /* any host: plain HTTP fallback and no TLS verification */
    int allow_http;                /* any host: plain HTTP fallback, TLS still verified */
    long connect_timeout;          /* seconds; 0 = 30 */
    long timeout;                  /* seconds for one request; 0 = none (the deadline bounds it) */
    long deadline;                 /* seconds for everything done with one source, from
                                    * sign_oci_open: every request, retry, redirect and byte of
                                    * it (cosign's --timeout); 0 = SIGN_OCI_DEADLINE_DEFAULT,
                                    * negative = none */
    int retries;                   /* retries on 429/5xx/reset; 0 = 3, negative = none */
    size_t chunk_size;             /* chunked upload chunk; 0 = 8 MiB */
    long helper_timeout;           /* seconds for a docker credential helper; 0 = 30 */
    sign_oci_http_log_fn http_log; /* or NULL: told of every HTTP exchange */
    void *http_log_ctx;
};

/** Where a source lives. */
enum sign_oci_kind {
    SIGN_OCI_REGISTRY = 0,
    SIGN_OCI_LAYOUT,         /* oci-dir:PATH[:TAG|@DIGEST] (read/write) */
    SIGN_OCI_OCI_ARCHIVE,    /* oci-archive:TAR[:TAG] (read only) */
    SIGN_OCI_DOCKER_ARCHIVE, /* docker-archive:TAR[:REPO:TAG] (read only) */
};

/** An opened image source (opaque). */
struct sign_oci_source;

/** The OCI digest string ("sha256:<hex>", SIGN_REF_DIGEST_MAX bytes of room) of p[0..n). */
int sign_oci_digest_sha256(char *out, const void *p, size_t n, struct vouch_error *err);

/** A manifest or index: its exact bytes, media type and digest. Caller-owned. */
struct sign_oci_manifest {
    unsigned char *data;
    size_t len;
    char media_type[128];
    char digest[SIGN_REF_DIGEST_MAX];
};

/** A blob being read (opaque). */
struct sign_oci_blob;

/**
 * Open an image: "oci-dir:PATH[:TAG|@DIGEST]", "oci-archive:TAR[:TAG]",
 * "docker-archive:TAR[:NAME:TAG]", "registry:REF" or a bare registry REF (sign_ref_parse).
 * Nothing is fetched yet, except that archives are checked to be readable. opts may be
 * NULL; its strings must outlive the source.
 */
int sign_oci_open(struct sign_oci_source **out, const char *image, const struct sign_oci_opts *opts,
                  struct vouch_error *err);

/** Close and free; accepts NULL. */
void sign_oci_free(struct sign_oci_source *src);

/** Kind of the source. */
enum sign_oci_kind sign_oci_kind_of(const struct sign_oci_source *src);

/** The registry reference of a registry source, else NULL (borrowed). */
const struct sign_ref *sign_oci_ref(const struct sign_oci_source *src);

/** The image as the user named it, for messages (borrowed). */
const char *sign_oci_name(const struct sign_oci_source *src);

/** The repository the image lives in, without tag or digest (borrowed): for registries
 *  go-containerregistry's Repository.Name() ("index.docker.io/library/alpine", what cosign
 *  writes as identity), else the name as given without its :TAG/@DIGEST
 *  ("oci-dir:/path/img"). */
const char *sign_oci_repo_name(const struct sign_oci_source *src);

/** Free the manifest's bytes and zero it; accepts a zeroed struct. */
void sign_oci_manifest_release(struct sign_oci_manifest *m);

/**
 * Fetch the manifest the source names (its tag or digest): an image manifest or an index.
 * A missing image or tag is VOUCH_ENOTFOUND; bytes not matching the requested digest (or
 * the registry's Docker-Content-Digest) VOUCH_EVERIFY; unknown media types or malformed
 * JSON VOUCH_EPARSE.
 */
int sign_oci_resolve(struct sign_oci_manifest *out, struct sign_oci_source *src,
                     struct vouch_error *err);

/** Fetch a manifest of the same repository (layout) by tag or "algo:hex" digest. */
int sign_oci_manifest_get(struct sign_oci_manifest *out, struct sign_oci_source *src,
                          const char *tag_or_digest, struct vouch_error *err);

/**
 * The image manifest for platform ("os/arch[/variant]", NULL = linux and this machine's
 * architecture): resolves the source and, for an index, picks the matching entry (an index
 * with one entry is taken as is). No match is VOUCH_ENOTFOUND naming the platform.
 */
int sign_oci_image_manifest(struct sign_oci_manifest *out, struct sign_oci_source *src,
                            const char *platform, struct vouch_error *err);

/** Read a whole blob of at most max bytes, digest-checked. *out is malloc'd. */
int sign_oci_blob_read(unsigned char **out, size_t *out_len, struct sign_oci_source *src,
                       const char *digest, size_t max, struct vouch_error *err);

/**
 * Open a blob as a stream. Bytes are hashed as they are read; the read that reaches the
 * end reports VOUCH_EVERIFY instead of EOF when the digest does not match (a truncated or
 * tampered blob), so a consumer never sees a clean EOF on bad data. Registry blobs are
 * spooled to an unlinked temporary file and verified before the first byte is returned.
 */
int sign_oci_blob_open(struct sign_oci_blob **out, struct sign_oci_source *src, const char *digest,
                       struct vouch_error *err);

/** sign_oci_blob_open for a blob whose descriptor declares size bytes (-1: unknown): the
 *  stream stops with VOUCH_EVERIFY as soon as more arrive (a registry is cut off there, not
 *  spooled further), and fewer at the end are VOUCH_EVERIFY too. */
int sign_oci_blob_open_sized(struct sign_oci_blob **out, struct sign_oci_source *src,
                             const char *digest, long long size, struct vouch_error *err);

/** Read up to n bytes into buf; *got is 0 only at the verified end of the blob. */
int sign_oci_blob_read_some(size_t *got, struct sign_oci_blob *b, void *buf, size_t n,
                            struct vouch_error *err);

/** Close a blob stream; accepts NULL. */
void sign_oci_blob_free(struct sign_oci_blob *b);

/** Store a blob given in memory (its digest is computed and checked against digest when
 *  digest is not NULL). Registries: skipped when present, else monolithic upload. */
int sign_oci_blob_put(struct sign_oci_source *src, const char *digest, const void *data, size_t len,
                      struct vouch_error *err);

/** Copy a blob from another source, streamed (registries: cross-repository mount when both
 *  are on the same registry, else chunked upload). Nothing is left half-written. */
int sign_oci_blob_copy(struct sign_oci_source *dst, struct sign_oci_source *from,
                       const char *digest, struct vouch_error *err);

/**
 * Store a manifest (bytes as given) under tag (NULL: by digest only). Its blobs must have
 * been stored first. digest_out (SIGN_REF_DIGEST_MAX bytes, may be NULL) receives its
 * sha256 digest. Layouts also record tag in index.json (org.opencontainers.image.ref.name).
 */
int sign_oci_manifest_put(char *digest_out, struct sign_oci_source *src, const char *tag,
                          const char *media_type, const void *data, size_t len,
                          struct vouch_error *err);

/** All tags (registries: every page of the tag list). *out is a malloc'd array of malloc'd
 *  strings; free with sign_oci_strv_free. */
int sign_oci_tags(char ***out, size_t *n, struct sign_oci_source *src, struct vouch_error *err);

/** Free an array from sign_oci_tags. */
void sign_oci_strv_free(char **v, size_t n);

/**
 * The referrers of digest as an OCI image index: the OCI 1.1 referrers API, else the
 * referrers tag schema (tag "sha256-<hex>"), else an empty index. artifact_type (may be
 * NULL) keeps only matching entries.
 */
int sign_oci_referrers(struct sign_oci_manifest *out, struct sign_oci_source *src,
                       const char *digest, const char *artifact_type, struct vouch_error *err);

/** 1 if media_type is one of the two index types (OCI index, docker manifest list). */
int sign_oci_is_index(const char *media_type);

/** 1 if media_type is one of the four manifest types. */
int sign_oci_is_manifest_type(const char *media_type);

#endif
