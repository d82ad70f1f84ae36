/* Prometheus text exposition (format 0.0.4) of the webhook's counters. */
#include <stdio.h>
#include <stdlib.h>

#include "vouch/buf.h"
#include "webhook.h"

static const double bucket_le[WH_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                             0.025,  0.05,  0.1,    0.5,   1.0};

void wh_metrics_observe(struct wh_metrics *m, uint64_t us)
{
    size_t i = 0;
    while (i < WH_BUCKETS && (double)us / 1e6 > bucket_le[i]) {
        i++;
    }
    atomic_fetch_add(&m->bucket[i], 1);
    atomic_fetch_add(&m->duration_us_sum, us);
}

static void counter(struct vouch_buf *b, const char *name, const char *help, const char *label,
                    const char *const *values, const atomic_ulong *const *counts, size_t n)
{
    vouch_buf_printf(b, NULL, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
    for (size_t i = 0; i < n; i++) {
        if (label != NULL) {
            vouch_buf_printf(b, NULL, "%s{%s=\"%s\"} %lu\n", name, label, values[i],
                             atomic_load(counts[i]));
        } else {
            vouch_buf_printf(b, NULL, "%s %lu\n", name, atomic_load(counts[i]));
        }
    }
}

static void histogram(struct vouch_buf *b, struct wh_metrics *m)
{
    const char *name = "vouch_webhook_request_duration_seconds";
    unsigned long cum = 0;
    vouch_buf_printf(b, NULL,
                     "# HELP %s Time to answer an admission review.\n# TYPE %s histogram\n", name,
                     name);
    for (size_t i = 0; i <= WH_BUCKETS; i++) {
        cum += atomic_load(&m->bucket[i]);
        if (i < WH_BUCKETS) {
            vouch_buf_printf(b, NULL, "%s_bucket{le=\"%g\"} %lu\n", name, bucket_le[i], cum);
        } else {
            vouch_buf_printf(b, NULL, "%s_bucket{le=\"+Inf\"} %lu\n", name, cum);
        }
    }
    vouch_buf_printf(b, NULL, "%s_sum %.6f\n%s_count %lu\n", name,
                     (double)atomic_load(&m->duration_us_sum) / 1e6, name, cum);
}

char *wh_metrics_render(struct wh_server *s, size_t *len)
{
    struct wh_metrics *m = &s->m;
    struct wh_policy *p = wh_policy_acquire(s);
    struct vouch_buf b;
    static const char *req_v[] = {"allowed", "denied", "error", "rejected"};
    const atomic_ulong *req_c[] = {&m->requests_allowed, &m->requests_denied, &m->requests_error,
                                   &m->requests_rejected};
    static const char *img_v[] = {"allowed", "denied", "unchanged"};
    const atomic_ulong *img_c[] = {&m->images_allowed, &m->images_denied, &m->images_unchanged};
    const atomic_ulong *dl_c[] = {&m->deadline_exceeded};
    static const char *hit_v[] = {"hit", "miss"};
    const atomic_ulong *hit_c[] = {&m->cache_hits, &m->cache_misses};
    static const char *rl_v[] = {"ok", "failed"};
    const atomic_ulong *rl_c[] = {&m->reloads_ok, &m->reloads_failed};
    vouch_buf_init(&b, 1 << 20);
    counter(&b, "vouch_webhook_requests_total",
            "Admission reviews answered, by outcome (rejected: malformed or oversized).", "result",
            req_v, req_c, 4);
    counter(&b, "vouch_webhook_images_total",
            "Images decided, by decision (unchanged: left alone by an UPDATE, not decided).",
            "decision", img_v, img_c, 3);
    counter(&b, "vouch_webhook_deadline_exceeded_total",
            "Reviews denied because --deadline-ms passed while gathering evidence.", NULL, NULL,
            dl_c, 1);
    counter(&b, "vouch_webhook_cache_lookups_total", "Decision cache lookups.", "result", hit_v,
            hit_c, 2);
    counter(&b, "vouch_webhook_policy_reloads_total", "Policy reloads on SIGHUP.", "result", rl_v,
            rl_c, 2);
    histogram(&b, m);
    vouch_buf_printf(&b, NULL,
                     "# HELP vouch_webhook_policy_info The policy in force.\n"
                     "# TYPE vouch_webhook_policy_info gauge\n"
                     "vouch_webhook_policy_info{hash=\"%s\"} 1\n",
                     slsa_policy_hash(p->policy));
    wh_policy_release(s, p);
    return (char *)vouch_buf_steal(&b, len);
}
