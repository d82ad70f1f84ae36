/* Sigstore trust material: a TUF 1.0 client that fetches trusted_root.json from a TUF
 * repository (Sigstore's layout), and the lookup of the trusted root used by default. */
#ifndef SIGN_TUF_H
#define SIGN_TUF_H

#include <stddef.h>

#include "vouch/error.h"

/** Sigstore's public-good TUF repository. */
#define SIGN_TUF_DEFAULT_MIRROR "https://tuf-repo-cdn.sigstore.dev"
/** The target fetched by default, and the file name of a trusted root in a data or cache
 *  directory. */
#define SIGN_TRUSTED_ROOT_NAME "trusted_root.json"
/** File name of the TUF root.json installed beside it: the first trusted root of a new
 *  cache (Sigstore's public-good repository). */
#define SIGN_TUF_ROOT_NAME "tuf-root.json"

/** What sign_tuf_update needs. All strings are borrowed. */
struct sign_tuf_opts {
    const char *mirror;        /* repository base URL: metadata at MIRROR/N.root.json, ... */
    const char *cache_dir;     /* trusted metadata and the target live here (created) */
    const unsigned char *root; /* a root.json trusted on first use, when the cache holds */
    size_t root_len;           /* none (ignored otherwise); NULL: a cache root is required */
    const char *root_name;     /* its name in messages (a file path) */
    const char *target;        /* NULL: "trusted_root.json" (a plain name, no '/') */
    long long now;             /* update start time, Unix seconds: expiry is checked at it */
    long timeout;              /* seconds per request; 0: 60 */
    const char *ca_file;       /* CA bundle for https; NULL: the system's */
};

/** What sign_tuf_update did. Caller-owned; release with sign_tuf_result_release. */
struct sign_tuf_result {
    long long root_version;
    long long timestamp_version;
    long long snapshot_version;
    long long targets_version;
    int root_rotations; /* new root versions accepted in this run */
    int target_changed; /* 1 when the target file was written (it was absent or stale) */
    char *target_path;  /* malloc'd: CACHE_DIR/<target> */
};

/**
 * Run the TUF 1.0 client workflow (spec §5) against opts->mirror: update the root (each
 * version N+1 signed by a threshold of the old and of its own root keys), then timestamp,
 * snapshot and targets (signature thresholds, exact versions, hashes and lengths from the
 * referring metadata, rollback against the cached versions, expiry at opts->now), and
 * download the target, checked against its length and hashes, into the cache. Consistent
 * snapshots (N.snapshot.json, N.targets.json, targets/<sha256>.<name>) when the root asks
 * for them. Keys: ecdsa-sha2-nistp256/384 (PEM) and ed25519 (hex); signatures over OLPC
 * canonical JSON. Rejections (bad or missing signatures, rollback, expiry, hash or length
 * mismatch) are VOUCH_EVERIFY; transport failures VOUCH_ENETWORK; a malformed document
 * VOUCH_EPARSE. Only verified metadata is written to the cache, atomically.
 */
int sign_tuf_update(struct sign_tuf_result *out, const struct sign_tuf_opts *opts,
                    struct vouch_error *err);

/** Free what out holds; accepts a zeroed or already released struct. */
void sign_tuf_result_release(struct sign_tuf_result *r);

/** Where a default trusted root may come from, tried in this order. Strings borrowed. */
struct sign_trusted_root_search {
    const char *file;             /* an explicit file: used if set, and must exist */
    const char *cache_dir;        /* sign_tuf_update's cache: its trusted_root.json */
    const char *const *data_dirs; /* NULL-terminated list of installed data directories */
};

/** Which of the places above gave the trusted root. */
enum sign_trusted_root_source {
    SIGN_TRUSTED_ROOT_FROM_FILE = 0,
    SIGN_TRUSTED_ROOT_FROM_CACHE,
    SIGN_TRUSTED_ROOT_FROM_DATA,
};

/**
 * Find the trusted root file: s->file if set (VOUCH_ENOTFOUND when it does not exist),
 * else the first existing CACHE_DIR/trusted_root.json, DATA_DIR/trusted_root.json. *out is
 * the malloc'd path; *source (may be NULL) says where it came from. VOUCH_ENOTFOUND when
 * nothing exists.
 */
int sign_trusted_root_find(char **out, enum sign_trusted_root_source *source,
                           const struct sign_trusted_root_search *s, struct vouch_error *err);

/** Static name of a source: "file", "cache", "installed". */
const char *sign_trusted_root_source_name(enum sign_trusted_root_source source);

#endif
