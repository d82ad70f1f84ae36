/* Private plumbing of the image sources: the backend table, raw readers, hashing and the
 * manifest/index helpers shared by layouts, archives and the registry client. */
#ifndef SIGN_OCI_INTERNAL_H
#define SIGN_OCI_INTERNAL_H

#include <stddef.h>

#include "sign/oci.h"
#include "vouch/buf.h"

/** A raw byte producer for a blob (not yet verified). */
struct oci_reader {
    /* *got = 0 means end of data */
    int (*read)(size_t *got, void *ctx, void *buf, size_t n, struct vouch_error *err);
    void (*close)(void *ctx);
    void *ctx;
};

/** A backend: layout, archive or registry. NULL entries mean "not supported". */
struct oci_ops {
    /* ref: tag or digest (never NULL: oci.c passes the source's own when asked to resolve,
     * "" when the source names neither) */
    int (*manifest_get)(struct sign_oci_manifest *out, struct sign_oci_source *src, const char *ref,
                        struct vouch_error *err);
    /* size: what the descriptor declares, or -1; a backend may stop fetching past it */
    int (*blob_open)(struct oci_reader *out, struct sign_oci_source *src, const char *digest,
                     long long size, struct vouch_error *err);
    /* optional: the whole blob into memory (at most max bytes), digest-checked */
    int (*blob_read)(unsigned char **out, size_t *out_len, struct sign_oci_source *src,
                     const char *digest, size_t max, struct vouch_error *err);
    int (*blob_put)(struct sign_oci_source *src, const char *digest, const void *data, size_t len,
                    struct vouch_error *err);
    /* store a verified stream; size may be -1 when unknown */
    int (*blob_put_stream)(struct sign_oci_source *src, const char *digest,
                           struct sign_oci_blob *in, struct vouch_error *err);
    /* try to make digest available without copying; 1 = done, 0 = copy needed */
    int (*blob_mount)(int *done, struct sign_oci_source *dst, struct sign_oci_source *from,
                      const char *digest, struct vouch_error *err);
    int (*manifest_put)(struct sign_oci_source *src, const char *tag, const char *media_type,
                        const void *data, size_t len, const char *digest, struct vouch_error *err);
    int (*tags)(char ***out, size_t *n, struct sign_oci_source *src, struct vouch_error *err);
    /* referrers API: ENOTFOUND/EUNSUPPORTED means "use the tag schema" */
    int (*referrers)(struct sign_oci_manifest *out, struct sign_oci_source *src, const char *digest,
                     struct vouch_error *err);
    /* optional: referrers of digest found by reading the manifests a layout lists, for when
     * it has no referrers tag; ENOTFOUND when none */
    int (*subject_scan)(struct sign_oci_manifest *out, struct sign_oci_source *src,
                        const char *digest, struct vouch_error *err);
    void (*impl_free)(void *impl);
};

struct sign_oci_source {
    enum sign_oci_kind kind;
    const struct oci_ops *ops;
    char *name;      /* as given */
    char *repo_name; /* without tag or digest (sign_oci_repo_name) */
    char *path;      /* layout or archive path */
    char *want;      /* tag or digest the image string names ("" = none) */
    struct sign_ref *ref;
    struct sign_oci_opts opts;
    void *impl;
};

/* backends (oci_layout.c, oci_archive.c, registry.c) */
int oci_layout_init(struct sign_oci_source *src, struct vouch_error *err);
int oci_archive_init(struct sign_oci_source *src, struct vouch_error *err);
int oci_registry_init(struct sign_oci_source *src, struct vouch_error *err);

/* hashing (oci_hash.c): OCI digest strings over OpenSSL */
struct oci_hash;
int oci_hash_new(struct oci_hash **out, const char *digest, struct vouch_error *err);
int oci_hash_update(struct oci_hash *h, const void *p, size_t n, struct vouch_error *err);
/** Finish into out ("algo:hex", SIGN_REF_DIGEST_MAX bytes). */
int oci_hash_final(struct oci_hash *h, char *out, struct vouch_error *err);
/** Start over (same algorithm). */
int oci_hash_reset(struct oci_hash *h, struct vouch_error *err);
void oci_hash_free(struct oci_hash *h);
/** Digest of p in digest's algorithm compared with digest: 0 or VOUCH_EVERIFY. */
int oci_digest_verify(const char *digest, const void *p, size_t n, const char *what,
                      struct vouch_error *err);

/** Check and fill out from bytes: JSON object, a known manifest type (mediaType field, else
 *  hint), digest computed (and compared with expect when not NULL). Takes data on success. */
int oci_manifest_take(struct sign_oci_manifest *out, unsigned char *data, size_t len,
                      const char *hint, const char *expect, const char *what,
                      struct vouch_error *err);

/** A descriptor picked from an index. Strings malloc'd. */
struct oci_desc {
    char *media_type;
    char *digest;
    long long size;
};
void oci_desc_release(struct oci_desc *d);

/** Find in an OCI index (index.json) the manifest tagged tag (ref.name annotation), or the
 *  only one when tag is "". ENOTFOUND when absent; what names the layout in messages. */
int oci_index_find(struct oci_desc *out, const unsigned char *index, size_t len, const char *tag,
                   const char *what, struct vouch_error *err);

/** 1 if s looks like a digest ("algo:hex"), not a tag. */
int oci_is_digest(const char *s);

/** Reads a layout's index.json (malloc'd) from src. */
typedef int (*oci_index_load_fn)(unsigned char **out, size_t *len, struct sign_oci_source *src,
                                 struct vouch_error *err);

/** manifest_get for layout-shaped sources (directories and oci-archive tarballs): ref is a
 *  digest, or a tag looked up in the index.json that load reads; the manifest blob is read
 *  (digest-checked) and taken into out. */
int oci_layout_manifest_get(struct sign_oci_manifest *out, struct sign_oci_source *src,
                            const char *ref, oci_index_load_fn load, struct vouch_error *err);

/** The manifests of the index.json that load reads whose subject is subject, as a referrers
 *  index (oci_layout_refs.c); VOUCH_ENOTFOUND when there are none. */
int oci_layout_subject_scan(struct sign_oci_manifest *out, struct sign_oci_source *src,
                            const char *subject, oci_index_load_fn load, struct vouch_error *err);

/** Empty OCI index JSON (static). */
extern const char oci_empty_index[];

#endif
