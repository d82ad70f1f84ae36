/* Registry flags, the password on stdin, the docker config.json location
 * ($DOCKER_CONFIG/config.json, else ~/.docker/config.json) and COSIGN_REPOSITORY: the CLI
 * side of registry access. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "out.h"
#include "password.h"
#include "regopts.h"

#define PASSWORD_MAX 4096

void regopts_init(struct regopts *ro)
{
    memset(ro, 0, sizeof(*ro));
}

const struct opt_spec regopts_specs[] = {
    {"registry-username", 0, "USER", "registry user (password from --registry-password-stdin)", 0,
     REGOPT_USERNAME, NULL},
    {"registry-password-stdin", 0, NULL, "read the registry password from stdin", 0,
     REGOPT_PASSWORD_STDIN, NULL},
    {"registry-password", 0, "PASSWORD",
     "the registry password (visible to other users of\n"
     "this machine: prefer --registry-password-stdin)",
     0, REGOPT_PASSWORD, NULL},
    {"registry-token", 0, "TOKEN", "send this bearer token to the registry", 0, REGOPT_TOKEN, NULL},
    {"ca-cert", 0, "FILE", "trust this PEM CA bundle for registry TLS", 0, REGOPT_CA_CERT, "file"},
    {"registry-cacert", 0, "FILE", "cosign's name for --ca-cert", 0, REGOPT_CA_CERT, "file"},
    {"allow-insecure-registry", 0, NULL, "allow plain HTTP and unverified TLS (testing only)", 0,
     REGOPT_INSECURE, NULL},
    {"allow-http-registry", 0, NULL, "allow plain HTTP (TLS, when used, is still verified)", 0,
     REGOPT_ALLOW_HTTP, NULL},
    {"timeout", 0, "DURATION",
     "deadline for all registry work of the command (90s, 5m, 1h30m; default 10m)", 0,
     REGOPT_TIMEOUT, NULL},
    {"verbose", 'v', NULL, "log each HTTP request on stderr (method, URL, status, time)", 0,
     REGOPT_VERBOSE, NULL},
    {0},
};

/* -v: one line per HTTP exchange; the event holds no credentials (sign/oci.h). */
static void http_log_line(void *ctx, const struct sign_oci_http_event *ev)
{
    (void)ctx;
    if (ev->error != NULL) {
        fprintf(stderr, "vouch: %s %s: failed after %lld ms: %s\n", ev->method, ev->url, ev->ms,
                ev->error);
    } else {
        fprintf(stderr, "vouch: %s %s: %ld in %lld ms\n", ev->method, ev->url, ev->status, ev->ms);
    }
}

static long unit_seconds(char unit)
{
    if (unit == 'h') {
        return 3600;
    }
    return unit == 'm' ? 60 : 1;
}

/* A duration as cosign's --timeout takes it (Go's time.ParseDuration, whole seconds): runs
 * of digits each followed by h, m or s ("1h30m", "90s"), or bare seconds; 1 s to 24 h. */
static int duration_seconds(long *out, const char *s)
{
    long total = 0;
    const char *p = s;
    if (*p == '\0') {
        return -1;
    }
    while (*p != '\0') {
        long n = 0;
        const char *start = p;
        while (*p >= '0' && *p <= '9' && n <= 86400) {
            n = n * 10 + (*p++ - '0');
        }
        if (p == start || n > 86400) {
            return -1;
        }
        if (*p == 'h' || *p == 'm' || *p == 's') {
            n *= unit_seconds(*p++);
        } else if (*p != '\0' || start != s) {
            return -1;
        }
        total += n;
        if (total > 86400) {
            return -1;
        }
    }
    if (total < 1) {
        return -1;
    }
    *out = total;
    return 0;
}

int regopts_take(struct regopts *ro, const struct opt_spec *o, const char *value, const char *cmd)
{
    switch (o->id) {
    case REGOPT_USERNAME:
        ro->username = value;
        return EXIT_OK;
    case REGOPT_PASSWORD_STDIN:
        ro->password_stdin = opt_on(value);
        return EXIT_OK;
    case REGOPT_CA_CERT:
        ro->opts.ca_file = value;
        return EXIT_OK;
    case REGOPT_INSECURE:
        ro->opts.allow_insecure = opt_on(value);
        return EXIT_OK;
    case REGOPT_ALLOW_HTTP:
        ro->opts.allow_http = opt_on(value);
        return EXIT_OK;
    case REGOPT_PASSWORD:
        ro->password_arg = value;
        return EXIT_OK;
    case REGOPT_TOKEN:
        ro->opts.token = value;
        return EXIT_OK;
    case REGOPT_VERBOSE:
        ro->opts.http_log = opt_on(value) ? http_log_line : NULL;
        return EXIT_OK;
    case REGOPT_TIMEOUT:
        if (duration_seconds(&ro->opts.deadline, value) != 0) {
            return out_usage(cmd, "invalid --timeout '%s': give a duration such as 90s, 5m or 1h",
                             value);
        }
        return EXIT_OK;
    default:
        return out_usage(cmd, "option '--%s' is not handled", o->name != NULL ? o->name : "?");
    }
}

struct regopts_ctx {
    struct regopts *ro;
    const char *cmd;
};

static int take_only(void *ctx, const struct opt_spec *o, const char *value)
{
    struct regopts_ctx *c = ctx;
    return regopts_take(c->ro, o, value, c->cmd);
}

int regopts_parse_args(struct regopts *ro, const char *cmd, const struct opt_group *groups,
                       int argc, char **argv, const char **operands, int max, int *n)
{
    struct regopts_ctx c = {ro, cmd};
    return opt_parse(cmd, groups, argc, argv, take_only, &c, operands, max, n);
}

static int read_password(struct regopts *ro)
{
    size_t n;
    ro->password = malloc(PASSWORD_MAX + 1);
    if (ro->password == NULL) {
        out_msg("out of memory");
        return EXIT_IO;
    }
    n = fread(ro->password, 1, PASSWORD_MAX + 1, stdin);
    if (n > PASSWORD_MAX) {
        out_msg("registry password on stdin is longer than %d bytes", PASSWORD_MAX);
        return EXIT_USAGE;
    }
    while (n > 0 && (ro->password[n - 1] == '\n' || ro->password[n - 1] == '\r')) {
        n--;
    }
    ro->password[n] = '\0';
    return 0;
}

static char *docker_config_path(void)
{
    const char *dir = getenv("DOCKER_CONFIG");
    const char *home = getenv("HOME");
    int use_dir = dir != NULL && dir[0] != '\0';
    const char *base = use_dir ? dir : home;
    const char *tail = use_dir ? "/config.json" : "/.docker/config.json";
    size_t n;
    char *p;
    if (base == NULL || base[0] == '\0') {
        return NULL;
    }
    n = strlen(base) + strlen(tail) + 1;
    p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s%s", base, tail);
    }
    return p;
}

/* testing knob: a short credential helper timeout makes it observable */
static int helper_timeout_knob(struct regopts *ro)
{
    const char *v = getenv("VOUCH_CREDHELPER_TIMEOUT");
    char *end = NULL;
    long n;
    if (v == NULL || v[0] == '\0') {
        return 0;
    }
    n = strtol(v, &end, 10);
    if (*end != '\0' || n <= 0 || n > 3600) {
        out_msg("invalid VOUCH_CREDHELPER_TIMEOUT '%s'", v);
        return EXIT_USAGE;
    }
    ro->opts.helper_timeout = n;
    return 0;
}

/* A repository for COSIGN_REPOSITORY: no digest anywhere and no ':' in the last path
 * component (a tag; a registry port sits before the first '/'). */
static int sig_repo_plain(const char *repo)
{
    const char *last = strrchr(repo, '/');
    return strchr(repo, '@') == NULL && strchr(last != NULL ? last : repo, ':') == NULL;
}

int regopts_finish(struct regopts *ro, const char *cmd)
{
    const char *chunk;
    int rc;
    if (ro->password_stdin && ro->password_arg != NULL) {
        return out_usage(cmd, "give --registry-password or --registry-password-stdin, not both");
    }
    if ((ro->username != NULL) != (ro->password_stdin || ro->password_arg != NULL)) {
        return out_usage(cmd, "--registry-username and --registry-password-stdin (or "
                              "--registry-password) go together");
    }
    if (ro->password_arg != NULL) {
        ro->opts.username = ro->username;
        ro->opts.password = ro->password_arg;
    }
    if (ro->password_stdin) {
        cli_password_stdin_taken("--registry-password-stdin");
        rc = read_password(ro);
        if (rc != 0) {
            return rc;
        }
        ro->opts.username = ro->username;
        ro->opts.password = ro->password;
    }
    rc = helper_timeout_knob(ro);
    if (rc != 0) {
        return rc;
    }
    /* testing knob: small chunks make the chunked upload path observable */
    chunk = getenv("VOUCH_REGISTRY_CHUNK_SIZE");
    if (chunk != NULL && chunk[0] != '\0') {
        char *end = NULL;
        unsigned long long v = strtoull(chunk, &end, 10);
        if (*end != '\0' || v == 0 || v > ((unsigned long long)1 << 30)) {
            out_msg("invalid VOUCH_REGISTRY_CHUNK_SIZE '%s'", chunk);
            return EXIT_USAGE;
        }
        ro->opts.chunk_size = (size_t)v;
    }
    /* cosign's signature repository override (a repository: no tag or digest) */
    ro->sig_repo = getenv("COSIGN_REPOSITORY");
    if (ro->sig_repo != NULL && ro->sig_repo[0] == '\0') {
        ro->sig_repo = NULL;
    }
    if (ro->sig_repo != NULL && !sig_repo_plain(ro->sig_repo)) {
        out_msg("invalid COSIGN_REPOSITORY '%s': give a repository, without tag or digest",
                ro->sig_repo);
        return EXIT_USAGE;
    }
    ro->docker_config = docker_config_path();
    ro->opts.docker_config = ro->docker_config;
    return 0;
}

void regopts_release(struct regopts *ro)
{
    if (ro->password != NULL) {
        sodium_memzero(ro->password, PASSWORD_MAX + 1);
        free(ro->password);
    }
    free(ro->docker_config);
    memset(ro, 0, sizeof(*ro));
}
