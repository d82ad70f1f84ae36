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
#include "slsa/admission.h"
#include "slsa/policy.h"

/* Limits and defaults (docs/webhook.md) */
#define WH_MAX_BODY_DEFAULT ((size_t)3 << 20) /* --max-body */
#define WH_MAX_BODY_MIN ((size_t)1024)
#define WH_MAX_BODY_MAX ((size_t)64 << 20)
#define WH_DEADLINE_MS_DEFAULT 8000u /* --deadline-ms: below the webhook's timeoutSeconds */
#define WH_DEADLINE_MS_MAX 30000u    /* the apiserver's timeoutSeconds maximum */
#define WH_CACHE_TTL_DEFAULT 60u     /* --cache-ttl, seconds */
#define WH_NEG_CACHE_TTL_DEFAULT 5u  /* --negative-cache-ttl: denials, seconds */
#define WH_CACHE_TTL_MAX 86400u
#define WH_THREADS_DEFAULT 2u /* --threads (accepted, unused: one thread per connection) */
#define WH_THREADS_MAX 64u
#define WH_CONNS_DEFAULT 256u           /* --max-connections */
#define WH_CONNS_PER_CLIENT_DEFAULT 32u /* --max-connections-per-client */
#define WH_CONNS_MAX 4096u
#define WH_CACHE_ENTRIES 100000u     /* a full cache starts over */
#define WH_PEM_MAX ((size_t)1 << 20) /* TLS certificate and key files */
#define WH_CONN_TIMEOUT_S 10u        /* idle timeout: TLS handshake, headers, body, keep-alive */
#define WH_DRAIN_MS 10000u           /* SIGTERM: requests in flight get this long */
#define WH_DRAIN_ANSWER_MS 1000u     /* of which the last second is kept for answering */
#define WH_MSG_MAX 4096              /* denial message of one review */

/** Evidence gathered for one image: read-only once collected, shared by reviews and the
 *  cache through a reference count. */
struct wh_ev {
    atomic_int refs;
    struct slsa_evidence *ev;
};

/** A loaded policy with its evidence, shared by requests; freed when the last user lets go. */
struct wh_policy {
    struct slsa_policy *policy;
    struct slsa_evidence_dir *dir;
    struct admit_registry reg; /* with --registry: the policy's keys, loaded */
    int has_reg;
    int refs;
    unsigned generation; /* bumped by each reload: cache keys of older ones never match */
};

/** Latency histogram buckets (seconds). */
#define WH_BUCKETS 10

struct wh_metrics {
    atomic_ulong requests_allowed, requests_denied, requests_error, requests_rejected;
    atomic_ulong images_allowed, images_denied, images_unchanged;
    atomic_ulong cache_hits, cache_misses;
    atomic_ulong reloads_ok, reloads_failed;
    atomic_ulong deadline_exceeded;
    atomic_ulong bucket[WH_BUCKETS + 1]; /* last is +Inf */
    atomic_ulong duration_us_sum;
};

struct wh_config {
    const char *policy_path;
    const char *evidence_dir;
    const char *cert_path, *key_path;
    const char *listen;
    const char *audit_path;
    const char *admin_listen; /* --admin-listen: plain HTTP, POST /cache/flush, or NULL */
    size_t max_body;
    unsigned deadline_ms;
    unsigned cache_ttl_s, neg_cache_ttl_s;
    unsigned threads;
    unsigned max_conns, max_conns_per_client;
    int recheck_updates;       /* --recheck-updates: UPDATE decides unchanged images too */
    int registry;              /* --registry: verify at the registry */
    const struct regopts *reg; /* registry options, COSIGN_REPOSITORY */
};

struct wh_server {
    struct wh_config cfg;
    pthread_mutex_t mu; /* guards cur and the refcounts */
    struct wh_policy *cur;
    struct wh_cache *cache; /* webhook_cache.c */
    struct wh_metrics m;
    FILE *audit;
    pthread_mutex_t audit_mu;
    atomic_int shutting_down;
    atomic_int in_flight;
    atomic_int workers;       /* evidence workers still running (they may outlive their review) */
    atomic_ullong stop_by_us; /* shutdown: reviews stop waiting at this monotonic time */
};

/* webhook_args.c: the option table; 0 or an exit code (message printed) */
int wh_args_parse(struct wh_config *c, struct regopts *ro, int argc, char **argv);

/* webhook_policy.c: the policy holder */
/** Load the policy, --evidence-dir and, with --registry, the policy's keys (one reference). */
int wh_policy_load(struct wh_policy **out, const struct wh_config *cfg, struct vouch_error *err);
/** Load the policy again and swap it in; on failure the current one stays (err says why). */
int wh_policy_reload(struct wh_server *s, struct vouch_error *err);
/** A reference to the policy in force, for one request. */
struct wh_policy *wh_policy_acquire(struct wh_server *s);
/** Another reference to p (held by a worker). */
struct wh_policy *wh_policy_ref(struct wh_server *s, struct wh_policy *p);
/** Drop a reference; the last one frees the policy. */
void wh_policy_release(struct wh_server *s, struct wh_policy *p);

/* webhook_cache.c: evidence keyed by policy, needs and repository@digest, and tag
 * resolutions (repository:tag -> digest), each with its own expiry */
int wh_cache_new(struct wh_cache **out, size_t capacity);
void wh_cache_free(struct wh_cache *c);
/** A new reference to the evidence cached under key, or NULL. */
struct wh_ev *wh_cache_get_ev(struct wh_cache *c, const char *key, int64_t now);
/** Cache ev (a reference is taken) under key for ttl seconds (0: not cached). */
void wh_cache_put_ev(struct wh_cache *c, const char *key, int64_t now, unsigned ttl,
                     struct wh_ev *ev);
/** Copy the digest cached under key into out (SIGN_REF_DIGEST_MAX bytes); 1 if hit. */
int wh_cache_get_digest(struct wh_cache *c, const char *key, int64_t now, char *out);
void wh_cache_put_digest(struct wh_cache *c, const char *key, int64_t now, unsigned ttl,
                         const char *digest);
/** Drop every entry; returns how many there were. */
size_t wh_cache_flush(struct wh_cache *c);

/* webhook_evidence.c: shared evidence */
struct wh_ev *wh_ev_new(struct slsa_evidence *ev); /* takes ev (freed on failure) */
struct wh_ev *wh_ev_ref(struct wh_ev *e);
void wh_ev_unref(struct wh_ev *e); /* accepts NULL */

/** One image of a review to decide: its cache keys and, once gathered, its evidence. */
struct wh_item {
    const struct slsa_admission_image *img;
    unsigned needs; /* slsa_capability bits the matching rules need from the registry */
    char *prefix;   /* "policy-hash/generation/needs": cache keys of this item start so */
    char *name;     /* normalised repository, for keys; NULL: keyed by the image as written */
    char *ev_key;   /* evidence cache key, once known (NULL while a tag is unresolved) */
    char *tag_key;  /* tag resolution key for an image given by tag only, or NULL */
    char *fetch;    /* the reference to collect evidence for (by digest once resolved) */
    struct wh_ev *ev;
    int cached;
};

/** Gather the evidence of items (from the cache, else by one worker thread) within the
 *  review's deadline (start: CLOCK_MONOTONIC microseconds). Returns the number of items
 *  without evidence when the deadline passed (0: all gathered). */
size_t wh_gather(struct wh_server *s, struct wh_policy *p, struct wh_item *items, size_t n,
                 uint64_t start);
/** Fill item's keys for img; 0 or VOUCH_ENOMEM. */
int wh_item_init(struct wh_item *it, struct wh_policy *p, const struct slsa_admission_image *img);
void wh_item_release(struct wh_item *it);
/** CLOCK_MONOTONIC in microseconds. */
uint64_t wh_mono_us(void);

/* webhook_review.c: one AdmissionReview body to a response body and HTTP status; with
 * mutate, an allowed response carries a JSONPatch pinning the tags this request adds or
 * changes to their verified digests */
int wh_review(struct wh_server *s, const char *body, size_t len, int mutate, char **resp,
              size_t *resp_len);

/* webhook_patch.c */
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
/** The admin listener on s->cfg.admin_listen (plain HTTP, POST /cache/flush). */
int wh_admin_start(struct MHD_Daemon **out, struct wh_server *s, unsigned *port,
                   struct vouch_error *err);
/** Stop accepting, let requests in flight finish (up to WH_DRAIN_MS), then stop. Returns 0,
 *  or -1 when requests are still stuck (the daemon is then left running). */
int wh_http_stop(struct MHD_Daemon *d, struct wh_server *s);
void wh_admin_stop(struct MHD_Daemon *d);

#endif
