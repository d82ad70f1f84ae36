/* Private: TUF metadata (tuf_meta.c), canonical JSON (tuf_cjson.c), signature thresholds
 * (tuf_verify.c) and the bounded HTTP fetcher (tuf_fetch.c) behind sign/tuf.h. */
#ifndef SIGN_TUF_INTERNAL_H
#define SIGN_TUF_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

#include "sign/key.h"
#include "sign/tuf.h"
#include "vouch/buf.h"

/* Caps on what is downloaded (python-tuf's defaults, rounded up). */
#define TUF_ROOT_MAX ((size_t)512 << 10)
#define TUF_TIMESTAMP_MAX ((size_t)16 << 10)
#define TUF_SNAPSHOT_MAX ((size_t)2 << 20)
#define TUF_TARGETS_MAX ((size_t)5 << 20)
#define TUF_TARGET_MAX ((size_t)16 << 20)
#define TUF_MAX_ROTATIONS 256 /* new root versions accepted in one update */

/** The top-level roles, indexing struct tuf_root's roles. */
enum tuf_role_id {
    TUF_ROLE_ROOT = 0,
    TUF_ROLE_TIMESTAMP,
    TUF_ROLE_SNAPSHOT,
    TUF_ROLE_TARGETS,
    TUF_ROLE_COUNT,
};

/** Static role name ("root", ...): also the metadata's _type. */
const char *tuf_role_name(enum tuf_role_id role);

/** Append the OLPC canonical JSON form of v (securesystemslib's encode_canonical): object
 *  keys sorted by bytes, no whitespace, strings with only '"' and '\' escaped, integers
 *  only (a real number is VOUCH_EPARSE). */
int tuf_cjson(struct vouch_buf *out, const json_t *v, struct vouch_error *err);

/** One parsed metadata document. */
struct tuf_md {
    json_t *doc;            /* the whole document (owned) */
    const json_t *sig;      /* doc.signed (borrowed) */
    struct vouch_buf cjson; /* canonical bytes of doc.signed: what is signed */
    long long version;
    long long expires; /* Unix seconds */
    char name[80];     /* for messages ("timestamp.json", "3.root.json") */
};

/** Parse data as metadata of the given role (_type, spec_version 1.x, version >= 1,
 *  expires "YYYY-MM-DDTHH:MM:SSZ", a signatures array). */
int tuf_md_parse(struct tuf_md *out, const unsigned char *data, size_t len, enum tuf_role_id role,
                 const char *name, struct vouch_error *err);
void tuf_md_release(struct tuf_md *md);
/** 1 when md has expired at now (expires <= now, as python-tuf). */
int tuf_md_expired(const struct tuf_md *md, long long now);
/** VOUCH_EVERIFY "NAME expired on DATE" when expired at now, else 0. */
int tuf_md_check_expiry(const struct tuf_md *md, long long now, struct vouch_error *err);

/** A key a root lists (only supported types are kept). */
struct tuf_key {
    const char *keyid;   /* borrowed from the root document */
    enum sign_hash hash; /* what the scheme hashes with (ignored for ed25519) */
    const char *pub;     /* keyval.public, borrowed: two ids for one key count once */
    struct sign_key *key;
};

struct tuf_role {
    const json_t *keyids; /* array of strings, borrowed */
    long long threshold;
};

/** A trusted (or candidate) root. */
struct tuf_root {
    struct tuf_md md;
    struct tuf_key *keys;
    size_t nkeys;
    struct tuf_role roles[TUF_ROLE_COUNT];
    int consistent_snapshot;
};

/** Parse root metadata (keys, the four roles with thresholds >= 1). Keys of unsupported
 *  types are left out (they can sign nothing). */
int tuf_root_parse(struct tuf_root *out, const unsigned char *data, size_t len, const char *name,
                   struct vouch_error *err);
void tuf_root_release(struct tuf_root *r);

/**
 * Check that md carries at least the role's threshold of valid signatures from distinct
 * keys of that role in root. Signatures by unknown keys, of unsupported schemes, or that
 * do not verify, are not counted. 0, or VOUCH_EVERIFY "NAME: N of M required signatures
 * of the ROLE role". *valid (may be NULL) gets the count.
 */
int tuf_verify_role(size_t *valid, const struct tuf_root *root, enum tuf_role_id role,
                    const struct tuf_md *md, struct vouch_error *err);

/** The meta entry a timestamp or snapshot gives for a file: version, and optionally the
 *  length (-1 when absent) and hashes (NULL when absent). */
struct tuf_meta_ref {
    long long version;
    long long length;
    const json_t *hashes;
};

/** Read md.signed.meta[file]. VOUCH_EPARSE when absent or malformed. */
int tuf_meta_ref_get(struct tuf_meta_ref *out, const struct tuf_md *md, const char *file,
                     struct vouch_error *err);

/** A client run (tuf_update.c, tuf_update_targets.c): the trusted metadata so far. */
struct tuf_update {
    const struct sign_tuf_opts *o;
    char *mirror; /* opts->mirror without a trailing '/' */
    struct tuf_root root;
    struct tuf_md ts, snap, targets;
    struct sign_tuf_result *res;
};

/** Read CACHE_DIR/file (at most max bytes): VOUCH_ENOTFOUND when absent. */
int tuf_cache_read(unsigned char **out, size_t *out_len, const struct tuf_update *u,
                   const char *file, size_t max, struct vouch_error *err);
/** Write CACHE_DIR/file atomically. */
int tuf_cache_write(const struct tuf_update *u, const char *file, const unsigned char *data,
                    size_t len, struct vouch_error *err);
/** GET MIRROR/path. A missing file (404/403) is VOUCH_ENOTFOUND when missing_ok (the end
 *  of the root versions), else a repository failure, VOUCH_ENETWORK. */
int tuf_get(unsigned char **out, size_t *out_len, const struct tuf_update *u, const char *path,
            size_t max, int missing_ok, struct vouch_error *err);
/** Snapshot, targets and the target, after root and timestamp (tuf_update_targets.c). */
int tuf_update_snapshot(struct tuf_update *u, struct vouch_error *err);
int tuf_update_targets(struct tuf_update *u, struct vouch_error *err);
int tuf_update_target(struct tuf_update *u, struct vouch_error *err);
/** Load cached metadata of role into *out when it verifies under u's root; 1 if loaded, 0
 *  if absent or not trusted (then ignored, as a stale cache must not block updates). */
int tuf_cache_load(struct tuf_md *out, const struct tuf_update *u, enum tuf_role_id role,
                   const char *file);

/** Check data against a length (-1: none) and a hashes object (NULL: none). Known
 *  algorithms (sha256, sha512) are all checked; a hashes object with none of them is
 *  VOUCH_EUNSUPPORTED; any mismatch VOUCH_EVERIFY naming what. */
int tuf_check_hashes(const unsigned char *data, size_t len, long long want_len,
                     const json_t *hashes, int require, const char *what, struct vouch_error *err);

/** Parse "YYYY-MM-DDTHH:MM:SSZ" (UTC) into Unix seconds. */
int tuf_time_parse(long long *out, const char *s);

/** GET url into *out (malloc'd, NUL-terminated) with at most max bytes. 404 and 403 are
 *  VOUCH_ENOTFOUND; other statuses, timeouts and transport errors VOUCH_ENETWORK; a body
 *  over max VOUCH_EVERIFY (a repository may not send more than its metadata declares). */
int tuf_fetch(unsigned char **out, size_t *out_len, const char *url, size_t max,
              const struct sign_tuf_opts *opts, struct vouch_error *err);

#endif
