/* vouch webhook: shared state of the admission webhook server (cmd/webhook/). Files are
 * ordered cmd_webhook.c (options, signals) -> webhook_http.c (HTTPS) -> webhook_review.c
 * (one review) -> webhook_policy.c, webhook_cache.c, webhook_patch.c, webhook_metrics.c. */
#ifndef VOUCH_CMD_WEBHOOK_H
#define VOUCH_CMD_WEBHOOK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "admit_registry.h"
#include "slsa/policy.h"

/* Limits and defaults (docs/webhook.md) */
#define WH_MAX_BODY_DEFAULT ((size_t)3 << 20) /* --max-body */
#define WH_MAX_BODY_MIN ((size_t)1024)
#define WH_MAX_BODY_MAX ((size_t)64 << 20)
#define WH_DEADLINE_MS_DEFAULT 8000u /* --deadline-ms: below the webhook's timeoutSeconds */
#define WH_DEADLINE_MS_MAX 30000u    /* the apiserver's timeoutSeconds maximum */
#define WH_CACHE_TTL_DEFAULT 60u     /* --cache-ttl, seconds */
#define WH_CACHE_TTL_MAX 86400u
#define WH_THREADS_DEFAULT 2u /* --threads */
#define WH_THREADS_MAX 64u
#define WH_CACHE_ENTRIES 100000u     /* a full decision cache starts over */
#define WH_PEM_MAX ((size_t)1 << 20) /* TLS certificate and key files */
#define WH_CONN_TIMEOUT_S 30u        /* idle connection timeout */
#define WH_CONN_LIMIT 1000u          /* concurrent connections */
#define WH_DRAIN_MS 10000u           /* SIGTERM: requests in flight get this long */

/** A loaded policy with its evidence, shared by requests; freed when the last user lets go. */
struct wh_policy {
    struct slsa_policy *policy;
    struct slsa_evidence_dir *dir;
    struct admit_registry reg; /* with --registry: the policy's keys, loaded */
    int has_reg;
    int refs;
    unsigned generation; /* bumped by each reload */
};

/** A cached verdict for one image under one policy. Strings are owned by the cache. */
struct wh_verdict {
    int allowed;
    char *denial;   /* enforce failures joined, or NULL */
    char *warnings; /* warn failures joined, or NULL */
    char *audits;   /* audit failures joined, or NULL */
    char *digest;   /* digest resolved for an image given by tag (registry/oci-dir), or NULL */
};

struct wh_cache; /* webhook_cache.c */

/** Latency histogram buckets (seconds). */
#define WH_BUCKETS 10

struct wh_metrics {
    atomic_ulong requests_allowed, requests_denied, requests_error, requests_rejected;
    atomic_ulong images_allowed, images_denied;
    atomic_ulong cache_hits, cache_misses;
    atomic_ulong reloads_ok, reloads_failed;
    atomic_ulong bucket[WH_BUCKETS + 1]; /* last is +Inf */
    atomic_ulong duration_us_sum;
};

struct wh_config {
    const char *policy_path;
    const char *evidence_dir;
    const char *cert_path, *key_path;
    const char *listen;
    const char *audit_path;
    size_t max_body;
    unsigned deadline_ms;
    unsigned cache_ttl_s;
    unsigned threads;
    int registry;              /* --registry: verify at the registry */
    const struct regopts *reg; /* registry options, COSIGN_REPOSITORY */
};

struct wh_server {
    struct wh_config cfg;
    pthread_mutex_t mu; /* guards cur and the refcounts */
    struct wh_policy *cur;
    struct wh_cache *cache;
    struct wh_metrics m;
    FILE *audit;
    pthread_mutex_t audit_mu;
    atomic_int shutting_down;
    atomic_int in_flight;
};

/* webhook_policy.c: the policy holder */
/** Load the policy, --evidence-dir and, with --registry, the policy's keys (one reference). */
int wh_policy_load(struct wh_policy **out, const struct wh_config *cfg, struct vouch_error *err);
/** Load the policy again and swap it in; on failure the current one stays (err says why). */
int wh_policy_reload(struct wh_server *s, struct vouch_error *err);
/** A reference to the policy in force, for one request. */
struct wh_policy *wh_policy_acquire(struct wh_server *s);
/** Drop a reference; the last one frees the policy. */
void wh_policy_release(struct wh_server *s, struct wh_policy *p);

/* webhook_cache.c: decisions keyed by policy hash + image (digest when pinned) with TTL */
int wh_cache_new(struct wh_cache **out, size_t capacity, unsigned ttl_s);
void wh_cache_free(struct wh_cache *c);
/** Copy the verdict for key into *out (caller frees with wh_verdict_release); 1 if hit. */
int wh_cache_get(struct wh_cache *c, const char *key, int64_t now, struct wh_verdict *out);
void wh_cache_put(struct wh_cache *c, const char *key, int64_t now, const struct wh_verdict *v);
void wh_verdict_release(struct wh_verdict *v);

/* webhook_review.c: one AdmissionReview body to a response body and HTTP status; with
 * mutate, an allowed response carries a JSONPatch pinning resolved tags to digests */
int wh_review(struct wh_server *s, const char *body, size_t len, int mutate, char **resp,
              size_t *resp_len);

/* webhook_patch.c */
struct slsa_admission_image;
/** One image to pin: where it is and the digest it was resolved to. */
struct wh_pin {
    const struct slsa_admission_image *img;
    const char *digest;
};
/** Add patchType JSONPatch and the base64 RFC 6902 patch replacing each pinned image with
 *  `repo:tag@digest` to the AdmissionReview response in *resp (rewritten). 0 or -1. */
int wh_patch_add(char **resp, size_t *resp_len, const struct wh_pin *pins, size_t n);

/* webhook_metrics.c */
void wh_metrics_observe(struct wh_metrics *m, uint64_t us);
char *wh_metrics_render(struct wh_server *s, size_t *len);

/* webhook_http.c */
struct MHD_Daemon;
/** Listen on s->cfg.listen with TLS (cert/key PEM stay owned by the caller until stop);
 *  *port receives the bound port. 0, VOUCH_EINVAL (bad address) or VOUCH_EIO. */
int wh_http_start(struct MHD_Daemon **out, struct wh_server *s, const char *cert_pem,
                  const char *key_pem, unsigned *port, struct vouch_error *err);
/** Stop accepting, let requests in flight finish (up to WH_DRAIN_MS), then stop. */
void wh_http_stop(struct MHD_Daemon *d, struct wh_server *s);

#endif
