/* The TUF client's cache directory (verified metadata and the target, written atomically)
 * and its fetches from the mirror. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tuf_internal.h"
#include "vouch/io.h"

static int cache_path(char *out, size_t n, const struct tuf_update *u, const char *file,
                      struct vouch_error *err)
{
    if ((size_t)snprintf(out, n, "%s/%s", u->o->cache_dir, file) >= n) {
        return vouch_error_set(err, VOUCH_EINVAL, "cache path too long for '%s'", file);
    }
    return 0;
}

int tuf_cache_read(unsigned char **out, size_t *out_len, const struct tuf_update *u,
                   const char *file, size_t max, struct vouch_error *err)
{
    char path[4096];
    int rc = cache_path(path, sizeof(path), u, file, err);
    return rc ? rc : vouch_file_read(out, out_len, path, max, err);
}

int tuf_cache_write(const struct tuf_update *u, const char *file, const unsigned char *data,
                    size_t len, struct vouch_error *err)
{
    char path[4096];
    int rc = cache_path(path, sizeof(path), u, file, err);
    return rc ? rc : vouch_file_write(path, data, len, 0644, 0, err);
}

int tuf_get(unsigned char **out, size_t *out_len, const struct tuf_update *u, const char *path,
            size_t max, int missing_ok, struct vouch_error *err)
{
    char url[4096];
    int rc;
    if ((size_t)snprintf(url, sizeof(url), "%s/%s", u->mirror, path) >= sizeof(url)) {
        return vouch_error_set(err, VOUCH_EINVAL, "mirror URL too long");
    }
    rc = tuf_fetch(out, out_len, url, max, u->o, err);
    if (rc == VOUCH_ENOTFOUND && !missing_ok) {
        if (err != NULL) {
            err->code = VOUCH_ENETWORK; /* the repository lacks what it must serve */
        }
        rc = VOUCH_ENETWORK;
    }
    return rc;
}

int tuf_cache_load(struct tuf_md *out, const struct tuf_update *u, enum tuf_role_id role,
                   const char *file)
{
    static const size_t caps[TUF_ROLE_COUNT] = {TUF_ROOT_MAX, TUF_TIMESTAMP_MAX, TUF_SNAPSHOT_MAX,
                                                TUF_TARGETS_MAX};
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = tuf_cache_read(&data, &len, u, file, caps[role], NULL);
    rc = rc ? rc : tuf_md_parse(out, data, len, role, file, NULL);
    free(data);
    if (rc == 0 && tuf_verify_role(NULL, &u->root, role, out, NULL) != 0) {
        tuf_md_release(out);
        rc = VOUCH_EVERIFY;
    }
    return rc == 0;
}
