/* The TUF 1.0 client workflow (spec §5): the trusted root and its rotations, and the
 * timestamp; tuf_update_targets.c continues with snapshot, targets and the target. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tuf_internal.h"
#include "vouch/io.h"
#include "vouch/mem.h"

static int mkdirs(const char *dir, struct vouch_error *err)
{
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof(path)) {
        return vouch_error_set(err, VOUCH_EINVAL, "bad cache directory '%s'", dir);
    }
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0') {
            continue;
        }
        path[i] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            return vouch_error_sys(err, VOUCH_EIO, errno, "cannot create '%s'", path);
        }
        path[i] = i < n ? '/' : '\0';
    }
    return 0;
}

/* The first trusted root: the cache's, else the bootstrap root given (spec §5.2). Either
 * must carry a threshold of its own root keys' signatures. */
static int load_trusted_root(struct tuf_update *u, struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int from_cache = 1, rc = tuf_cache_read(&data, &len, u, "root.json", TUF_ROOT_MAX, err);
    const char *name = "cached root.json";
    if (rc == VOUCH_ENOTFOUND && u->o->root != NULL) {
        vouch_error_clear(err);
        from_cache = 0;
        name = u->o->root_name != NULL ? u->o->root_name : "root.json";
        rc = tuf_root_parse(&u->root, u->o->root, u->o->root_len, name, err);
    } else if (rc == VOUCH_ENOTFOUND) {
        vouch_error_clear(err);
        rc = vouch_error_set(err, VOUCH_ENOTFOUND, "no trusted root.json in '%s' and none given",
                             u->o->cache_dir);
    } else if (rc == 0) {
        rc = tuf_root_parse(&u->root, data, len, name, err);
    }
    free(data);
    rc = rc ? rc : tuf_verify_role(NULL, &u->root, TUF_ROLE_ROOT, &u->root.md, err);
    if (rc == 0 && !from_cache) {
        rc = tuf_cache_write(u, "root.json", u->o->root, u->o->root_len, err);
    }
    return rc;
}

/* One rotation: N+1.root.json signed by a threshold of the trusted root's root keys and
 * of its own, with exactly version N+1 (spec §5.3.4-5.3.6). 1 when there is none. */
static int rotate_once(int *none, struct tuf_update *u, struct vouch_error *err)
{
    struct tuf_root next;
    char file[64];
    unsigned char *data = NULL;
    size_t len = 0;
    long long want = u->root.md.version + 1;
    int rc;
    *none = 0;
    snprintf(file, sizeof(file), "%lld.root.json", want);
    rc = tuf_get(&data, &len, u, file, TUF_ROOT_MAX, 1, err);
    if (rc == VOUCH_ENOTFOUND) {
        vouch_error_clear(err);
        *none = 1;
        return 0;
    }
    rc = rc ? rc : tuf_root_parse(&next, data, len, file, err);
    if (rc != 0) {
        free(data);
        return rc;
    }
    rc = tuf_verify_role(NULL, &u->root, TUF_ROLE_ROOT, &next.md, err);
    rc = rc ? rc : tuf_verify_role(NULL, &next, TUF_ROLE_ROOT, &next.md, err);
    if (rc == 0 && next.md.version != want) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "%s: version %lld, expected %lld", file,
                             next.md.version, want);
    }
    rc = rc ? rc : tuf_cache_write(u, "root.json", data, len, err);
    free(data);
    if (rc != 0) {
        tuf_root_release(&next);
        return rc;
    }
    tuf_root_release(&u->root);
    u->root = next;
    snprintf(u->root.md.name, sizeof(u->root.md.name), "root.json");
    u->res->root_rotations++;
    return 0;
}

static int update_root(struct tuf_update *u, struct vouch_error *err)
{
    int rc = load_trusted_root(u, err), none = 0;
    for (int i = 0; rc == 0 && !none; i++) {
        if (i == TUF_MAX_ROTATIONS) {
            return vouch_error_set(err, VOUCH_EVERIFY, "more than %d root rotations at once",
                                   TUF_MAX_ROTATIONS);
        }
        rc = rotate_once(&none, u, err);
    }
    /* a root that has expired stops the update: a freeze attack (spec §5.3.10) */
    return rc ? rc : tuf_md_check_expiry(&u->root.md, u->o->now, err);
}

/* Rollback checks against the trusted (cached) timestamp, spec §5.4.3-5.4.4. An equal
 * version keeps the trusted copy. */
static int timestamp_newer(int *keep_old, const struct tuf_md *old, const struct tuf_md *nw,
                           struct vouch_error *err)
{
    struct tuf_meta_ref o, n;
    int rc;
    *keep_old = 0;
    if (nw->version < old->version) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "timestamp.json: version %lld is lower than the trusted version "
                               "%lld (rollback)",
                               nw->version, old->version);
    }
    if (nw->version == old->version) {
        *keep_old = 1;
        return 0;
    }
    rc = tuf_meta_ref_get(&o, old, "snapshot.json", err);
    rc = rc ? rc : tuf_meta_ref_get(&n, nw, "snapshot.json", err);
    if (rc == 0 && n.version < o.version) {
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "timestamp.json: snapshot version %lld is lower than the trusted "
                             "version %lld (rollback)",
                             n.version, o.version);
    }
    return rc;
}

static int update_timestamp(struct tuf_update *u, struct vouch_error *err)
{
    struct tuf_md nw;
    struct tuf_meta_ref ref;
    unsigned char *data = NULL;
    size_t len = 0;
    int have_old = tuf_cache_load(&u->ts, u, TUF_ROLE_TIMESTAMP, "timestamp.json"), keep = 0;
    int rc = tuf_get(&data, &len, u, "timestamp.json", TUF_TIMESTAMP_MAX, 0, err);
    rc = rc ? rc : tuf_md_parse(&nw, data, len, TUF_ROLE_TIMESTAMP, "timestamp.json", err);
    if (rc != 0) {
        free(data);
        return rc;
    }
    rc = tuf_verify_role(NULL, &u->root, TUF_ROLE_TIMESTAMP, &nw, err);
    rc = rc ? rc : tuf_meta_ref_get(&ref, &nw, "snapshot.json", err);
    if (rc == 0 && have_old) {
        rc = timestamp_newer(&keep, &u->ts, &nw, err);
    }
    if (rc == 0 && !keep) {
        rc = tuf_md_check_expiry(&nw, u->o->now, err);
        rc = rc ? rc : tuf_cache_write(u, "timestamp.json", data, len, err);
        if (rc == 0) {
            tuf_md_release(&u->ts);
            u->ts = nw;
            memset(&nw, 0, sizeof(nw));
        }
    }
    free(data);
    tuf_md_release(&nw);
    return rc ? rc : tuf_md_check_expiry(&u->ts, u->o->now, err);
}

static int check_opts(const struct sign_tuf_opts *o, struct vouch_error *err)
{
    if (o->mirror == NULL || o->mirror[0] == '\0' || o->cache_dir == NULL ||
        o->cache_dir[0] == '\0') {
        return vouch_error_set(err, VOUCH_EINVAL, "a TUF update needs a mirror and a cache");
    }
    if (strncmp(o->mirror, "https://", 8) != 0 && strncmp(o->mirror, "http://", 7) != 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "mirror '%s' is not an http(s) URL", o->mirror);
    }
    return 0;
}

int sign_tuf_update(struct sign_tuf_result *out, const struct sign_tuf_opts *opts,
                    struct vouch_error *err)
{
    struct tuf_update u;
    size_t n;
    int rc;
    memset(out, 0, sizeof(*out));
    memset(&u, 0, sizeof(u));
    u.o = opts;
    u.res = out;
    rc = check_opts(opts, err);
    rc = rc ? rc : mkdirs(opts->cache_dir, err);
    if (rc == 0 && (u.mirror = strdup(opts->mirror)) == NULL) {
        rc = vouch_enomem(err);
    }
    for (n = u.mirror != NULL ? strlen(u.mirror) : 0; n > 0 && u.mirror[n - 1] == '/'; n--) {
        u.mirror[n - 1] = '\0';
    }
    rc = rc ? rc : update_root(&u, err);
    rc = rc ? rc : update_timestamp(&u, err);
    rc = rc ? rc : tuf_update_snapshot(&u, err);
    rc = rc ? rc : tuf_update_targets(&u, err);
    rc = rc ? rc : tuf_update_target(&u, err);
    out->root_version = u.root.md.version;
    out->timestamp_version = u.ts.version;
    out->snapshot_version = u.snap.version;
    out->targets_version = u.targets.version;
    tuf_root_release(&u.root);
    tuf_md_release(&u.ts);
    tuf_md_release(&u.snap);
    tuf_md_release(&u.targets);
    free(u.mirror);
    if (rc != 0) {
        sign_tuf_result_release(out);
    }
    return rc;
}

void sign_tuf_result_release(struct sign_tuf_result *r)
{
    free(r->target_path);
    memset(r, 0, sizeof(*r));
}
