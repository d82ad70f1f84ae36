/* vouch webhook serve: a Kubernetes validating admission webhook over HTTPS. Signals are
 * handled synchronously by the main thread: SIGHUP reloads the policy (requests in flight
 * keep the policy they started with), SIGTERM/SIGINT stop gracefully. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "out.h"
#include "vouch/io.h"
#include "webhook.h"

const char cmd_webhook_usage[] =
    "usage: vouch webhook serve --policy FILE --tls-cert PEM --tls-key PEM [options]\n"
    "\n"
    "Serve Kubernetes AdmissionReview v1 (POST /validate) over HTTPS: Pods and the pod\n"
    "templates of Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs.\n"
    "See docs/webhook.md.\n"
    "\n"
    "  --listen HOST:PORT     address (default 127.0.0.1:8443; port 0 picks a free one)\n"
    "  --evidence-dir DIR     local evidence, as for `vouch admit`\n"
    "  --audit-log FILE       JSON-lines audit log ('-' = stdout, the default; 'none')\n"
    "  --max-body BYTES       request size limit (default 3145728)\n"
    "  --deadline-ms MS       per-request decision deadline (default 8000)\n"
    "  --cache-ttl SECONDS    decision cache TTL (default 60; 0 disables)\n"
    "  --threads N            worker threads (default 2)\n"
    "  --registry             resolve images and verify .sig/.att at their registries with the\n"
    "                         policy's keys (registry options as for `vouch admit`)\n"
    "\n"
    "GET /healthz, /readyz, /metrics (Prometheus). SIGHUP reloads the policy; SIGTERM stops.\n";

struct wh_policy *wh_policy_acquire(struct wh_server *s)
{
    struct wh_policy *p;
    pthread_mutex_lock(&s->mu);
    p = s->cur;
    p->refs++;
    pthread_mutex_unlock(&s->mu);
    return p;
}

static void policy_destroy(struct wh_policy *p)
{
    slsa_policy_free(p->policy);
    slsa_evidence_dir_free(p->dir);
    admit_registry_release(&p->reg);
    free(p);
}

void wh_policy_release(struct wh_server *s, struct wh_policy *p)
{
    int last;
    pthread_mutex_lock(&s->mu);
    last = --p->refs == 0;
    pthread_mutex_unlock(&s->mu);
    if (last) {
        policy_destroy(p);
    }
}

static int policy_load(struct wh_policy **out, const struct wh_config *cfg, struct vouch_error *err)
{
    struct wh_policy *p = calloc(1, sizeof(*p));
    int rc = p == NULL ? vouch_error_set(err, VOUCH_ENOMEM, "out of memory")
                       : slsa_policy_load(&p->policy, cfg->policy_path, err);
    if (rc == 0 && cfg->evidence_dir != NULL) {
        rc = slsa_evidence_dir_load(&p->dir, cfg->evidence_dir, err);
    }
    if (rc == 0 && cfg->registry) {
        rc = admit_registry_init(&p->reg, p->policy, cfg->reg, err);
        p->has_reg = rc == 0;
    }
    if (rc != 0 && p != NULL) {
        policy_destroy(p);
        p = NULL;
    }
    if (p != NULL) {
        p->refs = 1; /* the server's reference */
    }
    *out = p;
    return rc;
}

static void policy_reload(struct wh_server *s)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct wh_policy *p = NULL, *old;
    if (policy_load(&p, &s->cfg, &err) != 0) {
        atomic_fetch_add(&s->m.reloads_failed, 1);
        out_msg("webhook: policy reload failed, keeping the current policy: %s", err.msg);
        return;
    }
    pthread_mutex_lock(&s->mu);
    old = s->cur;
    s->cur = p;
    pthread_mutex_unlock(&s->mu);
    wh_policy_release(s, old);
    atomic_fetch_add(&s->m.reloads_ok, 1);
    fprintf(stderr, "vouch: webhook: policy reloaded (%s)\n", slsa_policy_hash(p->policy));
}

static int num_opt(unsigned long *out, const char *v, unsigned long max)
{
    char *end;
    *out = strtoul(v, &end, 10);
    return *end != '\0' || v[0] == '\0' || v[0] == '-' || *out > max ? -1 : 0;
}

static int set_num(struct wh_config *c, int ch, const char *v)
{
    static const struct {
        int ch;
        unsigned long min, max;
    } lim[] = {{'m', 1024, 64UL << 20}, {'d', 1, 30000}, {'t', 0, 86400}, {'n', 1, 64}, {0, 0, 0}};
    unsigned long n;
    size_t i = 0;
    while (lim[i].ch != 0 && lim[i].ch != ch) {
        i++;
    }
    if (lim[i].ch == 0 || num_opt(&n, v, lim[i].max) != 0 || n < lim[i].min) {
        return -1;
    }
    if (ch == 'm') {
        c->max_body = n;
    } else if (ch == 'd') {
        c->deadline_ms = (unsigned)n;
    } else if (ch == 't') {
        c->cache_ttl_s = (unsigned)n;
    } else {
        c->threads = (unsigned)n;
    }
    return 0;
}

static int set_opt(struct wh_config *c, int ch, const char *v)
{
    const char **slot = ch == 'p'   ? &c->policy_path
                        : ch == 'c' ? &c->cert_path
                        : ch == 'k' ? &c->key_path
                        : ch == 'l' ? &c->listen
                        : ch == 'e' ? &c->evidence_dir
                        : ch == 'a' ? &c->audit_path
                                    : NULL;
    if (slot != NULL) {
        *slot = v;
        return 0;
    }
    return set_num(c, ch, v);
}

static int parse_args(struct wh_config *c, int argc, char **argv)
{
    static const struct option lo[] = {
        {"policy", 1, NULL, 'p'},   {"tls-cert", 1, NULL, 'c'},     {"tls-key", 1, NULL, 'k'},
        {"listen", 1, NULL, 'l'},   {"evidence-dir", 1, NULL, 'e'}, {"audit-log", 1, NULL, 'a'},
        {"max-body", 1, NULL, 'm'}, {"deadline-ms", 1, NULL, 'd'},  {"cache-ttl", 1, NULL, 't'},
        {"threads", 1, NULL, 'n'},  {"registry", 0, NULL, 'r'},     {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "+", lo, NULL)) != -1) {
        if (ch == 'r') {
            c->registry = 1;
            continue;
        }
        if (ch == '?' || ch == ':') {
            return out_usage("webhook", "unknown option or missing value '%s'", argv[optind - 1]);
        }
        if (set_opt(c, ch, optarg) != 0) {
            return out_usage("webhook", "bad value '%s' for %s", optarg, argv[optind - 1]);
        }
    }
    if (optind != argc) {
        return out_usage("webhook", "unexpected argument '%s'", argv[optind]);
    }
    if (c->policy_path == NULL || c->cert_path == NULL || c->key_path == NULL) {
        return out_usage("webhook", "--policy, --tls-cert and --tls-key are required");
    }
    return 0;
}

static int open_audit(struct wh_server *s)
{
    const char *p = s->cfg.audit_path;
    if (strcmp(p, "none") == 0) {
        return 0;
    }
    s->audit = strcmp(p, "-") == 0 ? stdout : fopen(p, "a");
    if (s->audit == NULL) {
        out_msg("cannot open audit log '%s': %s", p, strerror(errno));
        return -1;
    }
    return 0;
}

static int wait_signals(struct wh_server *s, const sigset_t *set)
{
    for (;;) {
        int sig = 0;
        if (sigwait(set, &sig) != 0) {
            return EXIT_IO;
        }
        if (sig == SIGHUP) {
            policy_reload(s);
            continue;
        }
        atomic_store(&s->shutting_down, 1);
        fprintf(stderr, "vouch: webhook: %s received, shutting down\n",
                sig == SIGTERM ? "SIGTERM" : "SIGINT");
        return EXIT_OK;
    }
}

static int run_server(struct wh_server *s, const char *cert, const char *key)
{
    struct MHD_Daemon *d = NULL;
    char msg[256];
    unsigned port = 0;
    sigset_t set;
    int rc;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* MHD's threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    if (wh_http_start(&d, s, cert, key, &port, msg, sizeof(msg)) != 0) {
        out_msg("%s", msg);
        return EXIT_IO;
    }
    fprintf(stderr, "vouch: webhook: listening on %s port %u (policy %s)\n", s->cfg.listen, port,
            slsa_policy_hash(s->cur->policy));
    rc = wait_signals(s, &set);
    wh_http_stop(d, s);
    return rc;
}

static int serve(struct wh_server *s)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char *cert = NULL, *key = NULL;
    size_t cl = 0, kl = 0;
    int rc = EXIT_USAGE;
    if (vouch_file_read(&cert, &cl, s->cfg.cert_path, 1 << 20, &err) != 0 ||
        vouch_file_read(&key, &kl, s->cfg.key_path, 1 << 20, &err) != 0 ||
        policy_load(&s->cur, &s->cfg, &err) != 0) {
        out_msg("%s", err.msg);
        goto done;
    }
    if (open_audit(s) != 0 || wh_cache_new(&s->cache, 100000, s->cfg.cache_ttl_s) != 0) {
        rc = EXIT_IO;
        goto done;
    }
    rc = run_server(s, (const char *)cert, (const char *)key);
done:
    if (key != NULL) {
        sodium_memzero(key, kl);
    }
    free(key);
    free(cert);
    if (s->cur != NULL) {
        wh_policy_release(s, s->cur);
    }
    wh_cache_free(s->cache);
    if (s->audit != NULL && s->audit != stdout) {
        fclose(s->audit);
    }
    return rc;
}

int cmd_webhook(int argc, char **argv)
{
    struct wh_server s;
    struct regopts ro;
    int rc;
    if (argc < 2 || strcmp(argv[1], "serve") != 0) {
        return out_usage("webhook", "expected 'serve'");
    }
    memset(&s, 0, sizeof(s));
    s.cfg = (struct wh_config){.listen = "127.0.0.1:8443",
                               .audit_path = "-",
                               .max_body = 3u << 20,
                               .deadline_ms = 8000,
                               .cache_ttl_s = 60,
                               .threads = 2};
    regopts_init(&ro);
    argc--;
    argv++;
    rc = admit_split_regopts(&ro, &argc, argv, "webhook");
    rc = rc ? rc : parse_args(&s.cfg, argc, argv);
    rc = rc || !s.cfg.registry ? rc : regopts_finish(&ro, "webhook");
    s.cfg.reg = &ro;
    if (rc != 0) {
        regopts_release(&ro);
        return rc;
    }
    pthread_mutex_init(&s.mu, NULL);
    pthread_mutex_init(&s.audit_mu, NULL);
    rc = serve(&s);
    pthread_mutex_destroy(&s.mu);
    pthread_mutex_destroy(&s.audit_mu);
    regopts_release(&ro);
    return rc;
}
