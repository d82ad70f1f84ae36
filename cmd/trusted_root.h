/* The trusted root (trusted_root.json) vouch uses when none is named, and where the TUF
 * cache and the installed data live. For verify commands' --trusted-root default. */
#ifndef VOUCH_CMD_TRUSTED_ROOT_H
#define VOUCH_CMD_TRUSTED_ROOT_H

#include <stddef.h>

#include "sign/tuf.h"

/**
 * The default trusted root: $VOUCH_TRUSTED_ROOT if set (it must exist), else the cache of
 * `vouch trusted-root update` (cli_tuf_cache_dir), else the installed Sigstore public-good
 * root (cli_data_dirs). *out is malloc'd; *source (may be NULL) says which one.
 */
int cli_trusted_root_default(char **out, enum sign_trusted_root_source *source,
                             struct vouch_error *err);

/** The default TUF cache: $XDG_CACHE_HOME/vouch/tuf, else $HOME/.cache/vouch/tuf. 0 on
 *  success; VOUCH_ENOTFOUND when neither variable is set. */
int cli_tuf_cache_dir(char *out, size_t n, struct vouch_error *err);

/** The installed data directories, in lookup order: SHARE/vouch beside the binary
 *  (BIN/../share/vouch: a relocated or DESTDIR install, and the build tree), then the
 *  configured ${datadir}/vouch. Static, NULL-terminated. */
const char *const *cli_data_dirs(void);

/** The first existing DIR/name over cli_data_dirs() into out: 0, or VOUCH_ENOTFOUND. */
int cli_data_file(char *out, size_t n, const char *name, struct vouch_error *err);

#endif
