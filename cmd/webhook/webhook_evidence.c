/* Evidence for the images of one review: from the cache, else gathered by a worker thread
 * while the review waits at most until its deadline. A worker that outlives its review
 * (a registry that drips or hangs) finishes on its own, bounded by the registry timeouts,
 * and still fills the cache; the review has already been denied. Only what the matching
 * rules need is fetched: an image no rule asks registry evidence for never leaves the
 * process. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sign/ref.h"
#include "webhook.h"

static char *strf(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s != NULL) {
        snprintf(s, n, "%s%s%s", a, b, c);
    }
    return s;
}

/* Local references (layouts, archives) are keyed as written; registry ones by name. */
static int is_local(const char *image)
{
    return strncmp(image, "oci-dir:", 8) == 0 || strncmp(image, "oci-archive:", 12) == 0 ||
           strncmp(image, "docker-archive:", 15) == 0;
}

static int item_keys(struct wh_item *it, const char *image)
{
    struct sign_ref *ref = NULL;
    int rc = 0;
    if (is_local(image) || sign_ref_parse(&ref, image, NULL) != 0) {
        /* an invalid reference is denied by the evaluation: nothing to fetch */
        it->needs = is_local(image) ? it->needs : 0;
        it->ev_key = it->needs != 0 ? strf(it->prefix, "|raw|", image) : NULL;
        it->fetch = it->needs != 0 ? strdup(image) : NULL;
        return it->needs != 0 && (it->ev_key == NULL || it->fetch == NULL) ? VOUCH_ENOMEM : 0;
    }
    it->name = strdup(sign_ref_name(ref));
    it->fetch = strdup(image);
    if (it->name == NULL || it->fetch == NULL) {
        rc = VOUCH_ENOMEM;
    } else if (sign_ref_digest(ref) != NULL) {
        char at[SIGN_REF_DIGEST_MAX + 2];
        snprintf(at, sizeof(at), "@%s", sign_ref_digest(ref));
        it->ev_key = strf(it->prefix, it->name, at); /* the tag does not matter: shared */
        rc = it->ev_key == NULL ? VOUCH_ENOMEM : 0;
    } else {
        char colon[200];
        snprintf(colon, sizeof(colon), ":%s|tag", sign_ref_tag(ref));
        it->tag_key = strf(it->prefix, it->name, colon);
        rc = it->tag_key == NULL ? VOUCH_ENOMEM : 0;
    }
    sign_ref_free(ref);
    return rc;
}

int wh_item_init(struct wh_item *it, struct wh_policy *p, const struct slsa_admission_image *img)
{
    char prefix[128];
    memset(it, 0, sizeof(*it));
    it->img = img;
    /* the registry provider always resolves the digest: /mutate pins what rules checked */
    it->needs = p->has_reg ? slsa_policy_needs(p->policy, img->image) : 0;
    if (it->needs == 0) {
        return 0; /* evaluated from the reference and local evidence only */
    }
    snprintf(prefix, sizeof(prefix), "%.64s/%u/%u|", slsa_policy_hash(p->policy), p->generation,
             it->needs);
    if ((it->prefix = strdup(prefix)) == NULL) {
        return VOUCH_ENOMEM;
    }
    return item_keys(it, img->image);
}

void wh_item_release(struct wh_item *it)
{
    free(it->prefix);
    free(it->name);
    free(it->ev_key);
    free(it->tag_key);
    free(it->fetch);
    wh_ev_unref(it->ev);
    memset(it, 0, sizeof(*it));
}

/* --- collecting */

struct reg_call {
    struct admit_registry *r;
    unsigned needs;
};

static int reg_collect(void *ctx, struct slsa_evidence *ev, const char *image,
                       struct vouch_error *err)
{
    const struct reg_call *c = ctx;
    return admit_registry_collect(c->r, ev, image, c->needs, err);
}

/* Evidence for image: the reference, the registry for what is needed, local documents. */
static struct wh_ev *collect(struct wh_policy *p, const char *image, unsigned needs)
{
    struct reg_call call = {&p->reg, needs};
    struct slsa_evidence_provider prov[3] = {slsa_evidence_ref_provider()};
    struct slsa_evidence *ev = NULL;
    size_t n = 1;
    if (needs != 0 && p->has_reg) {
        prov[n++] = (struct slsa_evidence_provider){"registry", reg_collect, &call};
    }
    if (p->dir != NULL) {
        prov[n++] = slsa_evidence_dir_provider(p->dir);
    }
    if (slsa_evidence_collect(&ev, prov, n, image, NULL) != 0) {
        return NULL;
    }
    return wh_ev_new(ev);
}

/* --- the worker */

struct job_item {
    char *image, *fetch, *prefix, *name, *ev_key, *tag_key;
    unsigned needs;
    struct wh_ev *ev;
};

struct wh_job {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int refs; /* the review and the worker */
    int finished;
    struct wh_server *s;
    struct wh_policy *p;
    struct job_item *items;
    size_t n;
};

static void job_unref(struct wh_job *j)
{
    int last;
    pthread_mutex_lock(&j->mu);
    last = --j->refs == 0;
    pthread_mutex_unlock(&j->mu);
    if (!last) {
        return;
    }
    for (size_t i = 0; i < j->n; i++) {
        struct job_item *it = &j->items[i];
        free(it->image);
        free(it->fetch);
        free(it->prefix);
        free(it->name);
        free(it->ev_key);
        free(it->tag_key);
        wh_ev_unref(it->ev);
    }
    free(j->items);
    wh_policy_release(j->s, j->p);
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    free(j);
}

/* Cache what was gathered: allows for --cache-ttl, denials for --negative-cache-ttl,
 * evidence errors (a registry down) not at all. */
static void cache_result(struct wh_job *j, struct job_item *it, struct wh_ev *e)
{
    const struct wh_config *cfg = &j->s->cfg;
    struct slsa_decision *d = NULL;
    int64_t now = (int64_t)time(NULL);
    const char *dig = slsa_evidence_digest(e->ev);
    unsigned ttl;
    if (slsa_evidence_error_count(e->ev) > 0 ||
        slsa_policy_eval(&d, j->p->policy, it->image, e->ev, now, NULL) != 0) {
        return;
    }
    ttl = d->allowed
              ? cfg->cache_ttl_s
              : (cfg->neg_cache_ttl_s < cfg->cache_ttl_s ? cfg->neg_cache_ttl_s : cfg->cache_ttl_s);
    slsa_decision_free(d);
    if (it->ev_key == NULL && it->name != NULL && dig != NULL) {
        char at[SIGN_REF_DIGEST_MAX + 2];
        snprintf(at, sizeof(at), "@%s", dig);
        it->ev_key = strf(it->prefix, it->name, at);
    }
    if (it->ev_key != NULL) {
        wh_cache_put_ev(j->s->cache, it->ev_key, now, ttl, e);
    }
    if (it->tag_key != NULL && dig != NULL) {
        wh_cache_put_digest(j->s->cache, it->tag_key, now, ttl, dig);
    }
}

static void *worker(void *arg)
{
    struct wh_job *j = arg;
    struct wh_server *s = j->s;
    for (size_t i = 0; i < j->n; i++) {
        struct job_item *it = &j->items[i];
        struct wh_ev *e = collect(j->p, it->fetch, it->needs);
        if (e != NULL) {
            cache_result(j, it, e);
        }
        pthread_mutex_lock(&j->mu);
        it->ev = e;
        pthread_mutex_unlock(&j->mu);
    }
    pthread_mutex_lock(&j->mu);
    j->finished = 1;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
    job_unref(j);
    atomic_fetch_sub(&s->workers, 1); /* last touch of the server */
    return NULL;
}

static char *dup_opt(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

static int job_add(struct wh_job *j, const struct wh_item *it)
{
    struct job_item *ji = &j->items[j->n++];
    ji->needs = it->needs;
    ji->image = strdup(it->img->image);
    ji->fetch = strdup(it->fetch);
    ji->prefix = dup_opt(it->prefix);
    ji->name = dup_opt(it->name);
    ji->ev_key = dup_opt(it->ev_key);
    ji->tag_key = dup_opt(it->tag_key);
    return ji->image == NULL || ji->fetch == NULL || (it->prefix && !ji->prefix) ||
                   (it->name && !ji->name) || (it->ev_key && !ji->ev_key) ||
                   (it->tag_key && !ji->tag_key)
               ? VOUCH_ENOMEM
               : 0;
}

/* Start a worker for the items without evidence; NULL when it cannot run (they stay
 * without evidence and are denied). */
static struct wh_job *job_start(struct wh_server *s, struct wh_policy *p, struct wh_item *items,
                                size_t n)
{
    struct wh_job *j = calloc(1, sizeof(*j));
    pthread_condattr_t ca;
    pthread_attr_t attr;
    pthread_t t;
    int rc = j == NULL || (j->items = calloc(n, sizeof(*j->items))) == NULL ? VOUCH_ENOMEM : 0;
    if (j == NULL) {
        return NULL;
    }
    pthread_mutex_init(&j->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&j->cv, &ca);
    pthread_condattr_destroy(&ca);
    j->refs = 1;
    j->s = s;
    j->p = wh_policy_ref(s, p);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (items[i].ev == NULL && items[i].fetch != NULL) {
            rc = job_add(j, &items[i]);
        }
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (rc == 0) {
        j->refs = 2;
        atomic_fetch_add(&s->workers, 1);
        if (pthread_create(&t, &attr, worker, j) != 0) {
            atomic_fetch_sub(&s->workers, 1);
            j->refs = 1;
            rc = VOUCH_EINTERNAL;
        }
    }
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        job_unref(j);
        return NULL;
    }
    return j;
}

/* Wait for the worker until the review's deadline (or the end of the shutdown drain). */
static void job_wait(struct wh_server *s, struct wh_job *j, uint64_t until_us)
{
    pthread_mutex_lock(&j->mu);
    while (!j->finished) {
        uint64_t stop = atomic_load(&s->stop_by_us), now = wh_mono_us(), t;
        struct timespec ts;
        t = stop != 0 && stop < until_us ? stop : until_us;
        if (now >= t) {
            break;
        }
        t = t - now > 100000u ? now + 100000u : t; /* wake to notice a shutdown */
        ts.tv_sec = (time_t)(t / 1000000u);
        ts.tv_nsec = (long)(t % 1000000u) * 1000;
        (void)pthread_cond_timedwait(&j->cv, &j->mu, &ts);
    }
    pthread_mutex_unlock(&j->mu);
}

/* The cache, for one registry-backed item: the tag's digest, then the evidence. */
static int from_cache(struct wh_server *s, struct wh_item *it, int64_t now)
{
    char dig[SIGN_REF_DIGEST_MAX];
    if (it->ev_key == NULL && it->tag_key != NULL &&
        wh_cache_get_digest(s->cache, it->tag_key, now, dig)) {
        char at[SIGN_REF_DIGEST_MAX + 2];
        snprintf(at, sizeof(at), "@%s", dig);
        it->ev_key = strf(it->prefix, it->name, at);
        free(it->fetch);
        it->fetch = strf(it->name, at, ""); /* fetched by the digest the tag resolved to */
        if (it->ev_key == NULL || it->fetch == NULL) {
            return -1;
        }
    }
    if (it->ev_key != NULL && (it->ev = wh_cache_get_ev(s->cache, it->ev_key, now)) != NULL) {
        it->cached = 1;
        atomic_fetch_add(&s->m.cache_hits, 1);
        return 1;
    }
    atomic_fetch_add(&s->m.cache_misses, 1);
    return 0;
}

size_t wh_gather(struct wh_server *s, struct wh_policy *p, struct wh_item *items, size_t n,
                 uint64_t start)
{
    int64_t now = (int64_t)time(NULL);
    size_t misses = 0, missing = 0;
    struct wh_job *j;
    for (size_t i = 0; i < n; i++) {
        if (items[i].needs == 0 || items[i].fetch == NULL) {
            items[i].ev = collect(p, items[i].img->image, 0); /* no network */
        } else if (from_cache(s, &items[i], now) == 0) {
            misses++;
        }
    }
    if (misses > 0 && (j = job_start(s, p, items, n)) != NULL) {
        size_t k = 0;
        job_wait(s, j, start + (uint64_t)s->cfg.deadline_ms * 1000u);
        pthread_mutex_lock(&j->mu);
        for (size_t i = 0; i < n; i++) {
            if (items[i].ev == NULL && items[i].fetch != NULL) {
                struct wh_ev *e = j->items[k++].ev;
                items[i].ev = e != NULL ? wh_ev_ref(e) : NULL;
            }
        }
        pthread_mutex_unlock(&j->mu);
        job_unref(j);
    }
    for (size_t i = 0; i < n; i++) {
        missing += items[i].ev == NULL;
    }
    return missing;
}
