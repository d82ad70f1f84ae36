/* One AdmissionReview: decide every image (through the cache), answer with uid, allowed,
 * status and warnings, and write the audit line. Anything that goes wrong denies. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "decision.h"
#include "slsa/admission.h"
#include "webhook.h"

#define WH_MSG_MAX 4096
#define WH_WARNING_MAX 256

struct wh_image_result {
    const struct slsa_admission_image *img;
    struct wh_verdict v;
    int cached;
};

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static char *failures(const struct slsa_decision *d, enum slsa_mode mode)
{
    char buf[WH_MSG_MAX];
    return decision_failures(buf, sizeof(buf), d, mode) > 0 ? strdup(buf) : NULL;
}

/* Evaluate one image (no cache). Returns 1 when the verdict may be cached. */
static int evaluate(struct wh_policy *p, const char *image, struct wh_verdict *v)
{
    struct slsa_evidence_provider prov[3] = {slsa_evidence_ref_provider()};
    struct slsa_evidence *ev = NULL;
    struct slsa_decision *d = NULL;
    size_t n = 1;
    int cacheable;
    if (p->has_reg) {
        prov[n++] = admit_registry_provider(&p->reg);
    }
    if (p->dir != NULL) {
        prov[n++] = slsa_evidence_dir_provider(p->dir);
    }
    if (slsa_evidence_collect(&ev, prov, n, image, NULL) != 0 ||
        slsa_policy_eval(&d, p->policy, image, ev, (int64_t)time(NULL), NULL) != 0) {
        slsa_evidence_free(ev);
        v->allowed = 0;
        v->denial = strdup("internal error while deciding (out of memory)");
        return 0;
    }
    v->allowed = d->allowed;
    v->denial = failures(d, SLSA_MODE_ENFORCE);
    v->warnings = failures(d, SLSA_MODE_WARN);
    v->audits = failures(d, SLSA_MODE_AUDIT);
    if (strchr(image, '@') == NULL && slsa_evidence_digest(ev) != NULL) {
        v->digest = strdup(slsa_evidence_digest(ev)); /* resolved, not given: may be pinned */
    }
    cacheable = !d->error; /* evidence errors may be transient: never cached */
    slsa_decision_free(d);
    slsa_evidence_free(ev);
    return cacheable;
}

static void decide(struct wh_server *s, struct wh_policy *p, struct wh_image_result *r)
{
    char key[1100];
    int64_t now = (int64_t)time(NULL);
    snprintf(key, sizeof(key), "%s|%s", slsa_policy_hash(p->policy), r->img->image);
    if (wh_cache_get(s->cache, key, now, &r->v)) {
        r->cached = 1;
        atomic_fetch_add(&s->m.cache_hits, 1);
    } else {
        atomic_fetch_add(&s->m.cache_misses, 1);
        if (evaluate(p, r->img->image, &r->v)) {
            wh_cache_put(s->cache, key, now, &r->v);
        }
    }
    atomic_fetch_add(r->v.allowed ? &s->m.images_allowed : &s->m.images_denied, 1);
}

static void append(char *buf, size_t n, const char *fmt_sep, const char *image, const char *what)
{
    size_t used = strlen(buf);
    if (used < n) {
        snprintf(buf + used, n - used, "%simage '%s': %s", used > 0 ? fmt_sep : "", image, what);
    }
}

static json_t *audit_images(const struct wh_image_result *res, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct wh_verdict *v = &res[i].v;
        json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:b, s:s?, s:s?, s:s?}", "image",
                                           res[i].img->image, "field", res[i].img->field, "allowed",
                                           v->allowed, "cached", res[i].cached, "denial", v->denial,
                                           "warnings", v->warnings, "audit", v->audits));
    }
    return a;
}

static void audit(struct wh_server *s, const struct slsa_admission_request *r,
                  const struct wh_image_result *res, size_t n, int allowed, const char *message,
                  const char *hash, uint64_t us)
{
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    json_t *line;
    char *text;
    if (s->audit == NULL) {
        return;
    }
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    line = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:b, s:s?, s:s, s:f, s:o}", "time", ts,
                     "uid", r ? r->uid : NULL, "kind", r ? r->kind : NULL, "namespace",
                     r ? r->namespace_ : NULL, "name", r ? r->name : NULL, "operation",
                     r ? r->operation : NULL, "allowed", allowed, "message", message, "policyHash",
                     hash, "durationMs", (double)us / 1000.0, "images", audit_images(res, n));
    text = line != NULL ? json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(line);
    if (text != NULL) {
        pthread_mutex_lock(&s->audit_mu);
        fputs(text, s->audit);
        fputc('\n', s->audit);
        fflush(s->audit);
        pthread_mutex_unlock(&s->audit_mu);
        free(text);
    }
}

static int rejected(struct wh_server *s, const char *why, char **resp, size_t *resp_len)
{
    json_t *o = json_pack("{s:s}", "error", why);
    atomic_fetch_add(&s->m.requests_rejected, 1);
    *resp = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
    *resp_len = *resp != NULL ? strlen(*resp) : 0;
    json_decref(o);
    audit(s, NULL, NULL, 0, 0, why, "", 0);
    return 400;
}

struct wh_answer {
    char msg[WH_MSG_MAX];
    const char *warn[64];
    char *warn_buf[64];
    size_t n_warn;
    int allowed;
};

static void collect(struct wh_answer *a, const struct wh_image_result *res, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct wh_verdict *v = &res[i].v;
        if (!v->allowed) {
            a->allowed = 0;
            append(a->msg, sizeof(a->msg), "; ", res[i].img->image,
                   v->denial != NULL ? v->denial : "denied");
        }
        if (v->warnings != NULL && a->n_warn < 64) {
            char *w = calloc(1, WH_WARNING_MAX);
            if (w != NULL) {
                append(w, WH_WARNING_MAX, "", res[i].img->image, v->warnings);
                a->warn_buf[a->n_warn] = w;
                a->warn[a->n_warn++] = w;
            }
        }
    }
}

/* Decide each image in order, stopping (and denying) at the deadline. */
static size_t decide_all(struct wh_server *s, struct wh_policy *p,
                         const struct slsa_admission_request *r, struct wh_image_result *res,
                         uint64_t start, struct wh_answer *a)
{
    size_t i;
    for (i = 0; i < r->n_images; i++) {
        if (mono_us() - start > (uint64_t)s->cfg.deadline_ms * 1000u) {
            a->allowed = 0;
            snprintf(a->msg, sizeof(a->msg),
                     "deadline of %u ms exceeded after %zu of %zu images: denied",
                     s->cfg.deadline_ms, i, r->n_images);
            break;
        }
        res[i].img = &r->images[i];
        decide(s, p, &res[i]);
    }
    return i;
}

/* The JSONPatch of an allowed /mutate answer: every image that was resolved to a digest. */
static int add_patch(char **resp, size_t *resp_len, const struct wh_image_result *res, size_t n)
{
    struct wh_pin *pins = calloc(n > 0 ? n : 1, sizeof(*pins));
    size_t k = 0;
    int rc;
    if (pins == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (res[i].v.allowed && res[i].v.digest != NULL) {
            pins[k].img = res[i].img;
            pins[k++].digest = res[i].v.digest;
        }
    }
    rc = k > 0 ? wh_patch_add(resp, resp_len, pins, k) : 0;
    free(pins);
    return rc;
}

int wh_review(struct wh_server *s, const char *body, size_t len, int mutate, char **resp,
              size_t *resp_len)
{
    uint64_t start = mono_us();
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_admission_request *r = NULL;
    struct wh_answer a = {.allowed = 1};
    struct wh_image_result *res = NULL;
    struct wh_policy *p;
    size_t n = 0;
    int rc = slsa_admission_parse(&r, body, len, &err);
    if (r == NULL) {
        return rejected(s, err.msg, resp, resp_len);
    }
    p = wh_policy_acquire(s);
    if (rc != 0) {
        a.allowed = 0;
        snprintf(a.msg, sizeof(a.msg), "%s", err.msg);
    } else if (r->n_images > 0 && (res = calloc(r->n_images, sizeof(*res))) == NULL) {
        a.allowed = 0;
        snprintf(a.msg, sizeof(a.msg), "out of memory");
    } else {
        n = decide_all(s, p, r, res, start, &a);
        collect(&a, res, n);
    }
    rc = slsa_admission_response(resp, resp_len, r->uid, a.allowed, a.msg, a.warn, a.n_warn, NULL);
    if (rc == 0 && mutate && a.allowed && add_patch(resp, resp_len, res, n) != 0) {
        free(*resp); /* fail closed: an admitted image we cannot pin is denied */
        a.allowed = 0;
        snprintf(a.msg, sizeof(a.msg), "internal error while building the image patch");
        rc = slsa_admission_response(resp, resp_len, r->uid, 0, a.msg, NULL, 0, NULL);
    }
    atomic_fetch_add(rc != 0     ? &s->m.requests_error
                     : a.allowed ? &s->m.requests_allowed
                                 : &s->m.requests_denied,
                     1);
    wh_metrics_observe(&s->m, mono_us() - start);
    audit(s, r, res, n, a.allowed, a.allowed ? NULL : a.msg, slsa_policy_hash(p->policy),
          mono_us() - start);
    wh_policy_release(s, p);
    for (size_t i = 0; i < n; i++) {
        wh_verdict_release(&res[i].v);
    }
    for (size_t i = 0; i < a.n_warn; i++) {
        free(a.warn_buf[i]);
    }
    free(res);
    slsa_admission_free(r);
    return rc == 0 ? 200 : 500;
}
