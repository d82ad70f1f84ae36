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

static void policy_reload(struct wh_server *s)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (wh_policy_reload(s, &err) != 0) {
        out_msg("webhook: policy reload failed, keeping the current policy: %s", err.msg);
        return;
    }
    fprintf(stderr, "vouch: webhook: policy reloaded (%s)\n", slsa_policy_hash(s->cur->policy));
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
    } lim[] = {{'m', WH_MAX_BODY_MIN, WH_MAX_BODY_MAX},
               {'d', 1, WH_DEADLINE_MS_MAX},
               {'t', 0, WH_CACHE_TTL_MAX},
               {'n', 1, WH_THREADS_MAX},
               {0, 0, 0}};
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
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct MHD_Daemon *d = NULL;
    unsigned port = 0;
    sigset_t set;
    int rc;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* MHD's threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    if (wh_http_start(&d, s, cert, key, &port, &err) != 0) {
        out_msg("%s", err.msg);
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
    if (vouch_file_read(&cert, &cl, s->cfg.cert_path, WH_PEM_MAX, &err) != 0 ||
        vouch_file_read(&key, &kl, s->cfg.key_path, WH_PEM_MAX, &err) != 0 ||
        wh_policy_load(&s->cur, &s->cfg, &err) != 0) {
        out_msg("%s", err.msg);
        goto done;
    }
    if (open_audit(s) != 0 || wh_cache_new(&s->cache, WH_CACHE_ENTRIES, s->cfg.cache_ttl_s) != 0) {
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
                               .max_body = WH_MAX_BODY_DEFAULT,
                               .deadline_ms = WH_DEADLINE_MS_DEFAULT,
                               .cache_ttl_s = WH_CACHE_TTL_DEFAULT,
                               .threads = WH_THREADS_DEFAULT};
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
