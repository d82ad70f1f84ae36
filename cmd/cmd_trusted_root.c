/* vouch trusted-root: update Sigstore's trusted_root.json over TUF, and show which trusted
 * root verify commands use by default. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "out.h"
#include "trusted_root.h"
#include "vouch/io.h"

const char cmd_trusted_root_usage[] =
    "usage: vouch trusted-root update [--mirror URL] [--root FILE] [--cache DIR]\n"
    "       vouch trusted-root path\n"
    "\n"
    "update: fetch trusted_root.json (Sigstore's Fulcio CAs, Rekor and CT logs, TSAs) from a\n"
    "TUF repository, checked as TUF 1.0 says: root rotations signed by a threshold of the\n"
    "old and the new root keys, timestamp, snapshot and targets signatures, versions (no\n"
    "rollback), expiry, hashes and lengths. Verified metadata and the target are kept in\n"
    "the cache; prints the target's path and the versions trusted.\n"
    "path: print the trusted root verify commands use when none is named:\n"
    "$VOUCH_TRUSTED_ROOT, else the cache's trusted_root.json, else the installed Sigstore\n"
    "public-good root.\n";

enum { O_MIRROR = 1, O_ROOT, O_CACHE };

static const struct opt_spec update_specs[] = {
    {"mirror", 0, "URL", "the TUF repository (default " SIGN_TUF_DEFAULT_MIRROR ")", 0, O_MIRROR,
     NULL},
    {"root", 0, "FILE",
     "root.json trusted on first use, when the cache has none\n(default: the "
     "installed " SIGN_TUF_ROOT_NAME ", Sigstore's public-good root)",
     0, O_ROOT, "file"},
    {"cache", 0, "DIR", "the cache (default $XDG_CACHE_HOME/vouch/tuf, ~/.cache/vouch/tuf)", 0,
     O_CACHE, "dir"},
    {0},
};

const struct opt_group cmd_trusted_root_opts[] = {{"options (update)", update_specs, NULL}, {0}};

struct tr_args {
    const char *mirror;
    const char *root;
    const char *cache;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct tr_args *a = ctx;
    if (v[0] == '\0') {
        return out_usage("trusted-root", "'--%s' needs a value", o->name);
    }
    switch (o->id) {
    case O_MIRROR:
        a->mirror = v;
        break;
    case O_ROOT:
        a->root = v;
        break;
    default:
        a->cache = v;
        break;
    }
    return EXIT_OK;
}

static int parse_update(struct tr_args *a, int argc, char **argv)
{
    const char *none[1];
    int n = 0;
    return opt_parse("trusted-root", cmd_trusted_root_opts, argc, argv, take, a, none, 0, &n);
}

/* The update start time: now, or VOUCH_TUF_NOW (Unix seconds; a test clock, undocumented
 * in --help on purpose). */
static int update_now(long long *now)
{
    const char *t = getenv("VOUCH_TUF_NOW");
    char *end = NULL;
    if (t == NULL || t[0] == '\0') {
        *now = (long long)time(NULL);
        return EXIT_OK;
    }
    errno = 0;
    *now = strtoll(t, &end, 10);
    if (errno != 0 || end == t || *end != '\0' || *now < 0) {
        out_msg("VOUCH_TUF_NOW: '%s' is not Unix seconds", t);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int run_update(const struct tr_args *a, struct sign_tuf_opts *o, struct vouch_error *err)
{
    struct sign_tuf_result res;
    unsigned char *root = NULL;
    char root_path[PATH_MAX];
    const char *root_file = a->root;
    size_t root_len = 0;
    int rc = 0;
    if (root_file == NULL &&
        cli_data_file(root_path, sizeof(root_path), SIGN_TUF_ROOT_NAME, NULL) == 0) {
        root_file = root_path;
    }
    if (root_file != NULL) {
        rc = vouch_file_read(&root, &root_len, root_file, (size_t)512 << 10, err);
    }
    o->root = root;
    o->root_len = root_len;
    o->root_name = root_file;
    rc = rc ? rc : sign_tuf_update(&res, o, err);
    free(root);
    if (rc != 0) {
        return rc;
    }
    printf("%s %s (root v%lld, timestamp v%lld, snapshot v%lld, targets v%lld)\n",
           res.target_changed ? "updated" : "unchanged", res.target_path, res.root_version,
           res.timestamp_version, res.snapshot_version, res.targets_version);
    sign_tuf_result_release(&res);
    if (fflush(stdout) != 0) {
        return vouch_error_set(err, VOUCH_EIO, "cannot write to standard output");
    }
    return 0;
}

static int cmd_update(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct tr_args a = {SIGN_TUF_DEFAULT_MIRROR, NULL, NULL};
    struct sign_tuf_opts o;
    char cache[PATH_MAX];
    int rc = parse_update(&a, argc, argv);
    memset(&o, 0, sizeof(o));
    rc = rc != EXIT_OK ? rc : update_now(&o.now);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (a.cache == NULL && cli_tuf_cache_dir(cache, sizeof(cache), &err) != 0) {
        return out_fail(err.code, &err);
    }
    o.mirror = a.mirror;
    o.cache_dir = a.cache != NULL ? a.cache : cache;
    rc = run_update(&a, &o, &err);
    if (rc != 0) {
        vouch_error_prefix(&err, "trusted-root update: ");
        return out_fail(rc, &err);
    }
    return EXIT_OK;
}

static int cmd_path(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    char *path = NULL;
    int rc;
    if (argc > 1) {
        return out_usage("trusted-root", "unexpected argument '%s'", argv[1]);
    }
    rc = cli_trusted_root_default(&path, NULL, &err);
    if (rc != 0) {
        return out_fail(rc, &err);
    }
    printf("%s\n", path);
    free(path);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
}

int cmd_trusted_root(int argc, char **argv)
{
    if (argc < 2) {
        return out_usage("trusted-root", "missing subcommand (update or path)");
    }
    if (strcmp(argv[1], "update") == 0) {
        return cmd_update(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "path") == 0) {
        return cmd_path(argc - 1, argv + 1);
    }
    return out_usage("trusted-root", "unknown subcommand '%s'", argv[1]);
}
