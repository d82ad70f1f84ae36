/* The TUF client workflow after the timestamp (spec §5.5-5.7): snapshot, top-level
 * targets, and the one target file, each checked against what the metadata above says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tuf_internal.h"
#include "vouch/mem.h"

/* Every file the trusted snapshot lists must stay, with no lower version (spec §5.5.5). */
static int snapshot_rollback(const struct tuf_md *old, const struct tuf_md *nw,
                             struct vouch_error *err)
{
    const json_t *meta = json_object_get(old->sig, "meta");
    const char *file;
    json_t *v;
    json_object_foreach((json_t *)meta, file, v)
    {
        struct tuf_meta_ref o, n;
        int rc = tuf_meta_ref_get(&o, old, file, err);
        if (rc != 0) {
            return rc;
        }
        if (!json_is_object(json_object_get(json_object_get(nw->sig, "meta"), file))) {
            return vouch_error_set(err, VOUCH_EVERIFY,
                                   "snapshot.json: '%s' is no longer listed (rollback)", file);
        }
        rc = tuf_meta_ref_get(&n, nw, file, err);
        if (rc == 0 && n.version < o.version) {
            rc = vouch_error_set(err, VOUCH_EVERIFY,
                                 "snapshot.json: '%s' version %lld is lower than the trusted "
                                 "version %lld (rollback)",
                                 file, n.version, o.version);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* Fetch ROLE's metadata as ref describes it (versioned name with consistent snapshots),
 * check length and hashes, signatures and the exact version. */
static int fetch_md(struct tuf_md *out, unsigned char **raw, size_t *raw_len, struct tuf_update *u,
                    enum tuf_role_id role, const struct tuf_meta_ref *ref, size_t cap,
                    struct vouch_error *err)
{
    char path[96], file[64];
    int rc;
    snprintf(file, sizeof(file), "%s.json", tuf_role_name(role));
    if (u->root.consistent_snapshot) {
        snprintf(path, sizeof(path), "%lld.%s", ref->version, file);
    } else {
        snprintf(path, sizeof(path), "%s", file);
    }
    if (ref->length >= 0 && (unsigned long long)ref->length < cap) {
        cap = (size_t)ref->length;
    }
    rc = tuf_get(raw, raw_len, u, path, cap, 0, err);
    rc = rc ? rc : tuf_check_hashes(*raw, *raw_len, ref->length, ref->hashes, 0, file, err);
    rc = rc ? rc : tuf_md_parse(out, *raw, *raw_len, role, file, err);
    rc = rc ? rc : tuf_verify_role(NULL, &u->root, role, out, err);
    if (rc == 0 && out->version != ref->version) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "%s: version %lld, expected %lld", file,
                             out->version, ref->version);
    }
    if (rc != 0) {
        tuf_md_release(out);
        free(*raw);
        *raw = NULL;
    }
    return rc;
}

int tuf_update_snapshot(struct tuf_update *u, struct vouch_error *err)
{
    struct tuf_meta_ref ref;
    struct tuf_md nw;
    unsigned char *raw = NULL;
    size_t len = 0;
    int have_old, rc = tuf_meta_ref_get(&ref, &u->ts, "snapshot.json", err);
    if (rc != 0) {
        return rc;
    }
    have_old = tuf_cache_load(&u->snap, u, TUF_ROLE_SNAPSHOT, "snapshot.json");
    if (have_old && u->snap.version == ref.version) {
        return tuf_md_check_expiry(&u->snap, u->o->now, err); /* already the one named */
    }
    memset(&nw, 0, sizeof(nw));
    rc = fetch_md(&nw, &raw, &len, u, TUF_ROLE_SNAPSHOT, &ref, TUF_SNAPSHOT_MAX, err);
    if (rc == 0 && have_old) {
        rc = snapshot_rollback(&u->snap, &nw, err);
    }
    rc = rc ? rc : tuf_md_check_expiry(&nw, u->o->now, err);
    rc = rc ? rc : tuf_cache_write(u, "snapshot.json", raw, len, err);
    free(raw);
    if (rc != 0) {
        tuf_md_release(&nw);
        return rc;
    }
    tuf_md_release(&u->snap);
    u->snap = nw;
    return 0;
}

int tuf_update_targets(struct tuf_update *u, struct vouch_error *err)
{
    struct tuf_meta_ref ref;
    unsigned char *raw = NULL;
    size_t len = 0;
    int rc = tuf_meta_ref_get(&ref, &u->snap, "targets.json", err);
    if (rc != 0) {
        return rc;
    }
    if (tuf_cache_load(&u->targets, u, TUF_ROLE_TARGETS, "targets.json")) {
        if (u->targets.version == ref.version) {
            return tuf_md_check_expiry(&u->targets, u->o->now, err);
        }
        tuf_md_release(&u->targets);
    }
    rc = fetch_md(&u->targets, &raw, &len, u, TUF_ROLE_TARGETS, &ref, TUF_TARGETS_MAX, err);
    rc = rc ? rc : tuf_md_check_expiry(&u->targets, u->o->now, err);
    rc = rc ? rc : tuf_cache_write(u, "targets.json", raw, len, err);
    free(raw);
    return rc;
}

/* A target name we write into the cache and put in a URL: a plain file name. */
static int plain_name(const char *s)
{
    if (s[0] == '\0' || s[0] == '.' || strlen(s) > 200) {
        return 0;
    }
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
           strlen(s);
}

/* targets/<hash>.<name> with consistent snapshots (sha256 preferred), else targets/<name>. */
static int target_path(char *out, size_t n, const struct tuf_update *u, const char *name,
                       const json_t *hashes, struct vouch_error *err)
{
    const char *h = json_string_value(json_object_get(hashes, "sha256"));
    if (h == NULL) {
        h = json_string_value(json_object_get(hashes, "sha512"));
    }
    if (!u->root.consistent_snapshot) {
        snprintf(out, n, "targets/%s", name);
        return 0;
    }
    if (h == NULL || strspn(h, "0123456789abcdef") != strlen(h) || strlen(h) > 128) {
        return vouch_error_set(err, VOUCH_EPARSE, "targets.json: '%s' has no usable hash", name);
    }
    snprintf(out, n, "targets/%s.%s", h, name);
    return 0;
}

static int target_info(long long *len, const json_t **hashes, const struct tuf_update *u,
                       const char *name, struct vouch_error *err)
{
    const json_t *t = json_object_get(json_object_get(u->targets.sig, "targets"), name);
    const json_t *l = json_object_get(t, "length");
    *hashes = json_object_get(t, "hashes");
    if (t == NULL) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "targets.json (version %lld) has no '%s'",
                               u->targets.version, name);
    }
    if (!json_is_integer(l) || json_integer_value(l) < 0 || !json_is_object(*hashes)) {
        return vouch_error_set(err, VOUCH_EPARSE, "targets.json: '%s' needs a length and hashes",
                               name);
    }
    *len = (long long)json_integer_value(l);
    if ((unsigned long long)*len > TUF_TARGET_MAX) {
        return vouch_error_set(err, VOUCH_EVERIFY, "targets.json: '%s' is larger than %zu bytes",
                               name, TUF_TARGET_MAX);
    }
    return 0;
}

int tuf_update_target(struct tuf_update *u, struct vouch_error *err)
{
    const char *name = u->o->target != NULL ? u->o->target : SIGN_TRUSTED_ROOT_NAME;
    const json_t *hashes = NULL;
    long long want = 0;
    char path[512], local[256];
    unsigned char *data = NULL;
    size_t len = 0;
    int rc;
    if (!plain_name(name)) {
        return vouch_error_set(err, VOUCH_EINVAL, "target name '%s' is not a plain file name",
                               name);
    }
    rc = target_info(&want, &hashes, u, name, err);
    snprintf(local, sizeof(local), "%s/%s", u->o->cache_dir, name);
    if (rc == 0 && (u->res->target_path = strdup(local)) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0 && tuf_cache_read(&data, &len, u, name, (size_t)want, NULL) == 0 &&
        tuf_check_hashes(data, len, want, hashes, 1, name, NULL) == 0) {
        free(data);
        return 0; /* the cached copy is the one targets.json names */
    }
    free(data);
    data = NULL;
    rc = rc ? rc : target_path(path, sizeof(path), u, name, hashes, err);
    rc = rc ? rc : tuf_get(&data, &len, u, path, (size_t)want, 0, err);
    rc = rc ? rc : tuf_check_hashes(data, len, want, hashes, 1, name, err);
    rc = rc ? rc : tuf_cache_write(u, name, data, len, err);
    free(data);
    if (rc == 0) {
        u->res->target_changed = 1;
    }
    return rc;
}
