/* vouch webhook serve: a Kubernetes validating admission webhook over HTTPS. Signals are
 * handled synchronously by the main thread: SIGHUP reloads the policy (requests in flight
 * keep the policy they started with), SIGTERM/SIGINT stop gracefully. */
#define _DEFAULT_SOURCE /* usleep */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd.h"
#include "out.h"
#include "vouch/io.h"
#include "webhook.h"

static void policy_reload(struct wh_server *s)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (wh_policy_reload(s, &err) != 0) {
        out_msg("webhook: policy reload failed, keeping the current policy: %s", err.msg);
        return;
    }
    fprintf(stderr, "vouch: webhook: policy reloaded (%s)\n", slsa_policy_hash(s->cur->policy));
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

/* After the drain, evidence workers stuck on a registry are not waited for: their
 * reviews were answered already; the process exits without tearing down what they use. */
static int finish_shutdown(struct wh_server *s, int stuck, int rc)
{
    uint64_t until = atomic_load(&s->stop_by_us) + (uint64_t)WH_DRAIN_ANSWER_MS * 1000u;
    while (atomic_load(&s->workers) > 0 && wh_mono_us() < until) {
        usleep(10000);
    }
    if (stuck || atomic_load(&s->workers) > 0) {
        fprintf(stderr,
                "vouch: webhook: %d registry fetch(es) still running after the %u ms drain, "
                "exiting without them\n",
                atomic_load(&s->workers), WH_DRAIN_MS);
        if (s->audit != NULL) {
            fflush(s->audit);
        }
        fflush(stderr);
        _exit(rc);
    }
    return rc;
}

static int start_listeners(struct wh_server *s, struct MHD_Daemon **d, struct MHD_Daemon **admin,
                           const char *cert, const char *key)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned port = 0, aport = 0;
    if (wh_http_start(d, s, cert, key, &port, &err) != 0 ||
        (s->cfg.admin_listen != NULL && wh_admin_start(admin, s, &aport, &err) != 0)) {
        out_msg("%s", err.msg);
        return EXIT_IO;
    }
    if (*admin != NULL) {
        fprintf(stderr, "vouch: webhook: admin listening on %s port %u\n", s->cfg.admin_listen,
                aport);
    }
    fprintf(stderr, "vouch: webhook: listening on %s port %u (policy %s)\n", s->cfg.listen, port,
            slsa_policy_hash(s->cur->policy));
    return 0;
}

static int run_server(struct wh_server *s, const char *cert, const char *key)
{
    struct MHD_Daemon *d = NULL, *admin = NULL;
    sigset_t set;
    int rc, stuck;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* MHD's threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    if ((rc = start_listeners(s, &d, &admin, cert, key)) != 0) {
        if (d != NULL) {
            wh_http_stop(d, s);
        }
        return rc;
    }
    rc = wait_signals(s, &set);
    /* reviews still waiting for evidence give up a second before the drain ends, so their
     * denials are sent before the daemon stops */
    atomic_store(&s->stop_by_us,
                 wh_mono_us() + (uint64_t)(WH_DRAIN_MS - WH_DRAIN_ANSWER_MS) * 1000u);
    if (admin != NULL) {
        wh_admin_stop(admin);
    }
    stuck = wh_http_stop(d, s) != 0;
    return finish_shutdown(s, stuck, rc);
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
    if (open_audit(s) != 0 || wh_cache_new(&s->cache, WH_CACHE_ENTRIES) != 0) {
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

/* Each registry request of an evidence worker is bounded by the review deadline, so a
 * worker left behind by a denied review ends on its own. */
static void registry_bounds(struct regopts *ro, unsigned deadline_ms)
{
    long s = (long)(deadline_ms + 999) / 1000;
    if (ro->opts.timeout == 0 || ro->opts.timeout > s) {
        ro->opts.timeout = s;
    }
    if (ro->opts.connect_timeout == 0 || ro->opts.connect_timeout > s) {
        ro->opts.connect_timeout = s;
    }
}

int cmd_webhook(int argc, char **argv)
{
    struct wh_server s;
    struct regopts ro;
    int rc;
    memset(&s, 0, sizeof(s));
    s.cfg = (struct wh_config){.listen = "127.0.0.1:8443",
                               .audit_path = "-",
                               .max_body = WH_MAX_BODY_DEFAULT,
                               .deadline_ms = WH_DEADLINE_MS_DEFAULT,
                               .cache_ttl_s = WH_CACHE_TTL_DEFAULT,
                               .neg_cache_ttl_s = WH_NEG_CACHE_TTL_DEFAULT,
                               .max_conns = WH_CONNS_DEFAULT,
                               .max_conns_per_client = WH_CONNS_PER_CLIENT_DEFAULT,
                               .threads = WH_THREADS_DEFAULT};
    regopts_init(&ro);
    rc = wh_args_parse(&s.cfg, &ro, argc, argv);
    if (rc == 0 && s.cfg.registry) {
        rc = regopts_finish(&ro, "webhook");
    }
    registry_bounds(&ro, s.cfg.deadline_ms);
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
