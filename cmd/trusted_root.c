/* Default locations of trust material: environment, the TUF cache, installed data. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trusted_root.h"

#ifndef VOUCH_DATADIR
#define VOUCH_DATADIR "/usr/local/share/vouch"
#endif

int cli_tuf_cache_dir(char *out, size_t n, struct vouch_error *err)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int len;
    if (xdg != NULL && xdg[0] == '/') {
        len = snprintf(out, n, "%s/vouch/tuf", xdg);
    } else if (home != NULL && home[0] != '\0') {
        len = snprintf(out, n, "%s/.cache/vouch/tuf", home);
    } else {
        return vouch_error_set(err, VOUCH_ENOTFOUND,
                               "no cache directory: neither XDG_CACHE_HOME nor HOME is set");
    }
    if (len < 0 || (size_t)len >= n) {
        return vouch_error_set(err, VOUCH_EINVAL, "cache directory path too long");
    }
    return 0;
}

const char *const *cli_data_dirs(void)
{
    static char beside[PATH_MAX];
    static const char *dirs[3];
    char exe[PATH_MAX];
    ssize_t n;
    size_t k = 0;
    if (dirs[0] != NULL) {
        return dirs;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/'); /* BIN/vouch -> BIN */
        if (slash != NULL) {
            *slash = '\0';
            slash = strrchr(exe, '/'); /* BIN -> its parent */
        }
        if (slash != NULL) {
            *slash = '\0';
            if ((size_t)snprintf(beside, sizeof(beside), "%s/share/vouch", exe) < sizeof(beside)) {
                dirs[k++] = beside;
            }
        }
    }
    dirs[k++] = VOUCH_DATADIR;
    dirs[k] = NULL;
    return dirs;
}

int cli_data_file(char *out, size_t n, const char *name, struct vouch_error *err)
{
    const char *const *dirs = cli_data_dirs();
    for (size_t i = 0; dirs[i] != NULL; i++) {
        if ((size_t)snprintf(out, n, "%s/%s", dirs[i], name) < n && access(out, R_OK) == 0) {
            return 0;
        }
    }
    return vouch_error_set(err, VOUCH_ENOTFOUND, "'%s' is not installed (looked in %s)", name,
                           VOUCH_DATADIR);
}

int cli_trusted_root_default(char **out, enum sign_trusted_root_source *source,
                             struct vouch_error *err)
{
    struct sign_trusted_root_search s;
    char cache[PATH_MAX];
    const char *file = getenv("VOUCH_TRUSTED_ROOT");
    memset(&s, 0, sizeof(s));
    s.file = file != NULL && file[0] != '\0' ? file : NULL;
    s.cache_dir = cli_tuf_cache_dir(cache, sizeof(cache), NULL) == 0 ? cache : NULL;
    s.data_dirs = cli_data_dirs();
    return sign_trusted_root_find(out, source, &s, err);
}
