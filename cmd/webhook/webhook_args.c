/* `vouch webhook serve`'s options: the option table (cmd/opt.h) with the registry group,
 * and their limits. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "opt.h"
#include "out.h"
#include "webhook.h"

const char cmd_webhook_usage[] =
    "usage: vouch webhook serve --policy FILE --tls-cert PEM --tls-key PEM [options]\n"
    "\n"
    "Serve Kubernetes AdmissionReview v1 (POST /validate, /mutate) over HTTPS: Pods and the\n"
    "pod templates of Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs.\n"
    "On UPDATE only images new or changed against oldObject are decided; DELETE and\n"
    "subresources other than ephemeralcontainers are never blocked. See docs/webhook.md.\n"
    "GET /healthz, /readyz, /metrics (Prometheus). SIGHUP reloads the policy; SIGTERM stops.\n";

enum {
    O_POLICY = 1,
    O_CERT,
    O_KEY,
    O_LISTEN,
    O_EVIDENCE,
    O_AUDIT,
    O_ADMIN,
    O_REGISTRY,
    O_RECHECK,
    O_MAX_BODY, /* numeric options from here on (limits[]) */
    O_DEADLINE,
    O_TTL,
    O_NEG_TTL,
    O_THREADS,
    O_CONNS,
    O_CONNS_CLIENT,
};

static const struct opt_spec webhook_specs[] = {
    {"policy", 0, "FILE", "the policy (docs/policy.md); SIGHUP reloads it", 0, O_POLICY, "file"},
    {"tls-cert", 0, "PEM", "serving certificate (chain)", 0, O_CERT, "file"},
    {"tls-key", 0, "PEM", "its private key", 0, O_KEY, "file"},
    {"listen", 0, "HOST:PORT", "address (default 127.0.0.1:8443; port 0 picks a free one)", 0,
     O_LISTEN, NULL},
    {"evidence-dir", 0, "DIR", "local evidence, as for `vouch admit`", 0, O_EVIDENCE, "dir"},
    {"audit-log", 0, "FILE", "JSON-lines audit log ('-' = stdout, the default; 'none')", 0, O_AUDIT,
     "file"},
    {"max-body", 0, "BYTES", "request size limit (default 3145728); larger is 413", 0, O_MAX_BODY,
     NULL},
    {"deadline-ms", 0, "MS",
     "bound on one review, registry waits included; past it the\n"
     "review is denied and audited (default 8000, at most 30000)",
     0, O_DEADLINE, NULL},
    {"cache-ttl", 0, "SECONDS", "cache TTL of evidence that admits (default 60; 0 disables)", 0,
     O_TTL, NULL},
    {"negative-cache-ttl", 0, "SECONDS",
     "cache TTL of evidence that denies (default 5; at most --cache-ttl)", 0, O_NEG_TTL, NULL},
    {"recheck-updates", 0, NULL, "on UPDATE decide every image, not only new or changed ones", 0,
     O_RECHECK, NULL},
    {"max-connections", 0, "N", "concurrent connections (default 256)", 0, O_CONNS, NULL},
    {"max-connections-per-client", 0, "N", "concurrent connections from one address (default 32)",
     0, O_CONNS_CLIENT, NULL},
    {"admin-listen", 0, "HOST:PORT",
     "plain-HTTP admin listener for POST /cache/flush (default: none;\n"
     "keep it on loopback or a port only operators reach)",
     0, O_ADMIN, NULL},
    {"threads", 0, "N", "accepted for compatibility: each connection has its own thread",
     OPT_HIDDEN, O_THREADS, NULL},
    {"registry", 0, NULL,
     "resolve images and verify .sig/.att at their registries with the\n"
     "policy's keys, for the rules that need them",
     0, O_REGISTRY, NULL},
    {0},
};

const struct opt_group cmd_webhook_opts[] = {
    {NULL, webhook_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

static const struct {
    int id;
    unsigned long min, max;
} limits[] = {
    {O_MAX_BODY, WH_MAX_BODY_MIN, WH_MAX_BODY_MAX},
    {O_DEADLINE, 1, WH_DEADLINE_MS_MAX},
    {O_TTL, 0, WH_CACHE_TTL_MAX},
    {O_NEG_TTL, 0, WH_CACHE_TTL_MAX},
    {O_THREADS, 1, WH_THREADS_MAX},
    {O_CONNS, 1, WH_CONNS_MAX},
    {O_CONNS_CLIENT, 1, WH_CONNS_MAX},
};

struct take_ctx {
    struct wh_config *c;
    struct regopts *ro;
};

static int take_num(struct wh_config *c, const struct opt_spec *o, const char *v)
{
    unsigned long n;
    char *end;
    size_t i = 0;
    while (i + 1 < sizeof(limits) / sizeof(limits[0]) && limits[i].id != o->id) {
        i++;
    }
    n = strtoul(v, &end, 10);
    if (*end != '\0' || v[0] == '\0' || v[0] == '-' || n < limits[i].min || n > limits[i].max) {
        return out_usage("webhook", "bad value '%s' for --%s (%lu to %lu)", v, o->name,
                         limits[i].min, limits[i].max);
    }
    if (o->id == O_MAX_BODY) {
        c->max_body = n;
        return EXIT_OK;
    }
    *(o->id == O_DEADLINE  ? &c->deadline_ms
      : o->id == O_TTL     ? &c->cache_ttl_s
      : o->id == O_NEG_TTL ? &c->neg_cache_ttl_s
      : o->id == O_CONNS   ? &c->max_conns
      : o->id == O_THREADS ? &c->threads
                           : &c->max_conns_per_client) = (unsigned)n;
    return EXIT_OK;
}

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct take_ctx *t = ctx;
    struct wh_config *c = t->c;
    const char **slot = o->id == O_POLICY     ? &c->policy_path
                        : o->id == O_CERT     ? &c->cert_path
                        : o->id == O_KEY      ? &c->key_path
                        : o->id == O_LISTEN   ? &c->listen
                        : o->id == O_EVIDENCE ? &c->evidence_dir
                        : o->id == O_AUDIT    ? &c->audit_path
                        : o->id == O_ADMIN    ? &c->admin_listen
                                              : NULL;
    if (slot != NULL) {
        *slot = v;
        return EXIT_OK;
    }
    if (o->id == O_REGISTRY || o->id == O_RECHECK) {
        *(o->id == O_REGISTRY ? &c->registry : &c->recheck_updates) = opt_on(v);
        return EXIT_OK;
    }
    if (o->id >= O_MAX_BODY && o->id < REGOPT_FIRST) {
        return take_num(c, o, v);
    }
    return regopts_take(t->ro, o, v, "webhook");
}

int wh_args_parse(struct wh_config *c, struct regopts *ro, int argc, char **argv)
{
    struct take_ctx t = {c, ro};
    const char *sub[1] = {NULL};
    int n = 0;
    int rc = opt_parse("webhook", cmd_webhook_opts, argc, argv, take, &t, sub, 1, &n);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (n != 1 || strcmp(sub[0], "serve") != 0) {
        return out_usage("webhook", "expected 'serve'");
    }
    if (c->policy_path == NULL || c->cert_path == NULL || c->key_path == NULL) {
        return out_usage("webhook", "--policy, --tls-cert and --tls-key are required");
    }
    return EXIT_OK;
}
