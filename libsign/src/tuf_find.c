/* Which trusted_root.json vouch uses when none is named: an explicit file, the TUF
 * client's cache, then the installed data directories. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sign/tuf.h"
#include "vouch/mem.h"

const char *sign_trusted_root_source_name(enum sign_trusted_root_source source)
{
    switch (source) {
    case SIGN_TRUSTED_ROOT_FROM_FILE:
        return "file";
    case SIGN_TRUSTED_ROOT_FROM_CACHE:
        return "cache";
    default:
        return "installed";
    }
}

static int take(char **out, const char *path, struct vouch_error *err)
{
    *out = strdup(path);
    return *out == NULL ? vouch_enomem(err) : 0;
}

static int in_dir(char **out, const char *dir, struct vouch_error *err)
{
    char path[4096];
    if (dir == NULL || dir[0] == '\0' ||
        (size_t)snprintf(path, sizeof(path), "%s/%s", dir, SIGN_TRUSTED_ROOT_NAME) >=
            sizeof(path) ||
        access(path, R_OK) != 0) {
        return 0;
    }
    return take(out, path, err) == 0 ? 1 : -1;
}

int sign_trusted_root_find(char **out, enum sign_trusted_root_source *source,
                           const struct sign_trusted_root_search *s, struct vouch_error *err)
{
    enum sign_trusted_root_source src = SIGN_TRUSTED_ROOT_FROM_CACHE;
    int found;
    *out = NULL;
    if (s->file != NULL) {
        if (access(s->file, R_OK) != 0) {
            return vouch_error_set(err, VOUCH_ENOTFOUND, "trusted root '%s' does not exist",
                                   s->file);
        }
        src = SIGN_TRUSTED_ROOT_FROM_FILE;
        found = take(out, s->file, err) == 0 ? 1 : -1;
    } else {
        found = in_dir(out, s->cache_dir, err);
    }
    for (size_t i = 0; found == 0 && s->data_dirs != NULL && s->data_dirs[i] != NULL; i++) {
        src = SIGN_TRUSTED_ROOT_FROM_DATA;
        found = in_dir(out, s->data_dirs[i], err);
    }
    if (found < 0) {
        return VOUCH_ENOMEM;
    }
    if (found == 0) {
        return vouch_error_set(err, VOUCH_ENOTFOUND,
                               "no trusted root found (none installed, none cached)");
    }
    if (source != NULL) {
        *source = src;
    }
    return 0;
}
