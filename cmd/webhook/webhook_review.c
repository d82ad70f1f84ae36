/* One AdmissionReview: decide the images this request adds or changes (all of them with
 * --recheck-updates), answer with uid, allowed, status and warnings, pin on /mutate, and
 * write the audit line. Anything that goes wrong denies. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "decision.h"
#include "slsa/admission.h"
#include "webhook.h"

#define WH_WARNING_MAX 256
#define WH_WARNINGS_MAX 64

/** The verdict on one image of the review. */
struct wh_verdict {
    int allowed;
    int deadline; /* denied because its evidence was not gathered in time */
    char *denial, *warnings, *audits;
    const char *digest; /* resolved for an image given by tag (borrowed from the evidence) */
};

struct wh_answer {
    char msg[WH_MSG_MAX];
    const char *warn[WH_WARNINGS_MAX];
    char *warn_buf[WH_WARNINGS_MAX];
    size_t n_warn;
    int allowed;
    int deadline;
};

static char *failures(const struct slsa_decision *d, enum slsa_mode mode)
{
    char buf[WH_MSG_MAX];
    return decision_failures(buf, sizeof(buf), d, mode) > 0 ? strdup(buf) : NULL;
}

static void evaluate(struct wh_server *s, struct wh_policy *p, const struct wh_item *it,
                     struct wh_verdict *v)
{
    struct slsa_decision *d = NULL;
    char buf[256];
    memset(v, 0, sizeof(*v));
    if (it->ev == NULL && atomic_load(&s->stop_by_us) != 0) {
        snprintf(buf, sizeof(buf), "the webhook is shutting down: its evidence was not gathered");
        v->deadline = 1;
        v->denial = strdup(buf);
        return;
    }
    if (it->ev == NULL) {
        snprintf(buf, sizeof(buf), "deadline of %u ms exceeded before its evidence was gathered",
                 s->cfg.deadline_ms);
        v->deadline = 1;
        v->denial = strdup(buf);
        return;
    }
    if (slsa_policy_eval(&d, p->policy, it->img->image, it->ev->ev, (int64_t)time(NULL), NULL) !=
        0) {
        v->denial = strdup("internal error while deciding (out of memory)");
        return;
    }
    v->allowed = d->allowed;
    v->denial = failures(d, SLSA_MODE_ENFORCE);
    v->warnings = failures(d, SLSA_MODE_WARN);
    v->audits = failures(d, SLSA_MODE_AUDIT);
    if (strchr(it->img->image, '@') == NULL) {
        v->digest = slsa_evidence_digest(it->ev->ev); /* resolved, not given: may be pinned */
    }
    slsa_decision_free(d);
}

static void verdict_release(struct wh_verdict *v)
{
    free(v->denial);
    free(v->warnings);
    free(v->audits);
    memset(v, 0, sizeof(*v));
}

/* "spec.initContainers[0].image 'busybox': why": the field first, as kubectl users read
 * apiserver field errors */
static void append(char *buf, size_t n, const char *sep, const struct slsa_admission_image *img,
                   const char *what)
{
    size_t used = strlen(buf);
    if (used < n) {
        snprintf(buf + used, n - used, "%s%s.image '%s': %s", used > 0 ? sep : "", img->field,
                 img->image, what);
    }
}

static void collect(struct wh_answer *a, const struct wh_item *items, const struct wh_verdict *res,
                    size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct wh_verdict *v = &res[i];
        if (!v->allowed) {
            a->allowed = 0;
            a->deadline |= v->deadline;
            append(a->msg, sizeof(a->msg), "; ", items[i].img,
                   v->denial != NULL ? v->denial : "denied");
        }
        if (v->warnings != NULL && a->n_warn < WH_WARNINGS_MAX) {
            char *w = calloc(1, WH_WARNING_MAX);
            if (w != NULL) {
                append(w, WH_WARNING_MAX, "", items[i].img, v->warnings);
                a->warn_buf[a->n_warn] = w;
                a->warn[a->n_warn++] = w;
            }
        }
    }
}

static json_t *audit_images(const struct wh_item *items, const struct wh_verdict *res, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct wh_verdict *v = &res[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:b, s:b, s:s?, s:s?, s:s?}", "image",
                                           items[i].img->image, "field", items[i].img->field,
                                           "changed", items[i].img->changed, "allowed", v->allowed,
                                           "cached", items[i].cached, "denial", v->denial,
                                           "warnings", v->warnings, "audit", v->audits));
    }
    return a;
}

struct wh_audit {
    const struct slsa_admission_request *r;
    const struct wh_item *items;
    const struct wh_verdict *res;
    size_t n, unchanged;
    int allowed, deadline;
    const char *message, *hash;
    uint64_t us;
};

static void audit(struct wh_server *s, const struct wh_audit *au)
{
    const struct slsa_admission_request *r = au->r;
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    json_t *line;
    char *text;
    if (s->audit == NULL) {
        return;
    }
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    line = json_pack(
        "{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:b, s:b, s:s?, s:s, s:f, s:o, "
        "s:I, s:b}",
        "time", ts, "uid", r ? r->uid : NULL, "kind", r ? r->kind : NULL, "namespace",
        r ? r->namespace_ : NULL, "name", r ? r->name : NULL, "operation", r ? r->operation : NULL,
        "subResource", r && r->subresource && r->subresource[0] ? r->subresource : NULL, "dryRun",
        r ? r->dry_run : 0, "allowed", au->allowed, "message", au->message, "policyHash", au->hash,
        "durationMs", (double)au->us / 1000.0, "images", audit_images(au->items, au->res, au->n),
        "unchangedImages", (json_int_t)au->unchanged, "deadlineExceeded", au->deadline);
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
    struct wh_audit au = {.message = why, .hash = ""};
    atomic_fetch_add(&s->m.requests_rejected, 1);
    *resp = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
    *resp_len = *resp != NULL ? strlen(*resp) : 0;
    json_decref(o);
    audit(s, &au);
    return 400;
}

/* Pinned on /mutate: an admitted image this request adds or changes, given by tag and
 * resolved; ephemeral containers only through their own subresource (the apiserver
 * refuses a Pod UPDATE that touches them). */
static int pinnable(const struct slsa_admission_request *r, const struct wh_item *it,
                    const struct wh_verdict *v)
{
    return v->allowed && v->digest != NULL && it->img->changed &&
           (!it->img->ephemeral || strcmp(r->subresource, "ephemeralcontainers") == 0);
}

static int add_patch(char **resp, size_t *resp_len, const struct slsa_admission_request *r,
                     const struct wh_item *items, const struct wh_verdict *res, size_t n)
{
    struct wh_pin *pins = calloc(n > 0 ? n : 1, sizeof(*pins));
    size_t k = 0;
    int rc;
    if (pins == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (pinnable(r, &items[i], &res[i])) {
            pins[k].img = items[i].img;
            pins[k++].digest = res[i].digest;
        }
    }
    rc = k > 0 ? wh_patch_add(resp, resp_len, pins, k) : 0;
    free(pins);
    return rc;
}

/* Items for the images to decide: new or changed ones, or all with --recheck-updates. */
static size_t select_items(struct wh_server *s, struct wh_policy *p,
                           const struct slsa_admission_request *r, struct wh_item *items, int *oom)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_images; i++) {
        if (!r->images[i].changed && !s->cfg.recheck_updates) {
            continue;
        }
        if (wh_item_init(&items[n++], p, &r->images[i]) != 0) {
            *oom = 1;
        }
    }
    return n;
}

struct wh_run {
    struct wh_item *items;
    struct wh_verdict *res;
    size_t n;
};

static void decide(struct wh_server *s, struct wh_policy *p, const struct slsa_admission_request *r,
                   uint64_t start, struct wh_run *run, struct wh_answer *a)
{
    int oom = 0;
    run->items = calloc(r->n_images > 0 ? r->n_images : 1, sizeof(*run->items));
    run->res = calloc(r->n_images > 0 ? r->n_images : 1, sizeof(*run->res));
    if (run->items == NULL || run->res == NULL) {
        a->allowed = 0;
        snprintf(a->msg, sizeof(a->msg), "out of memory");
        return;
    }
    run->n = select_items(s, p, r, run->items, &oom);
    if (oom) {
        a->allowed = 0;
        snprintf(a->msg, sizeof(a->msg), "out of memory");
        return;
    }
    if (wh_gather(s, p, run->items, run->n, start) > 0) {
        atomic_fetch_add(&s->m.deadline_exceeded, 1);
    }
    for (size_t i = 0; i < run->n; i++) {
        evaluate(s, p, &run->items[i], &run->res[i]);
        atomic_fetch_add(run->res[i].allowed ? &s->m.images_allowed : &s->m.images_denied, 1);
    }
    atomic_fetch_add(&s->m.images_unchanged, r->n_images - run->n);
    collect(a, run->items, run->res, run->n);
}

static int respond(struct wh_server *s, const struct slsa_admission_request *r, int mutate,
                   const struct wh_run *run, struct wh_answer *a, char **resp, size_t *resp_len)
{
    int rc = slsa_admission_response(resp, resp_len, r->uid, a->allowed, a->msg, a->warn, a->n_warn,
                                     NULL);
    if (rc == 0 && mutate && a->allowed &&
        add_patch(resp, resp_len, r, run->items, run->res, run->n) != 0) {
        free(*resp); /* fail closed: an admitted image we cannot pin is denied */
        a->allowed = 0;
        snprintf(a->msg, sizeof(a->msg), "internal error while building the image patch");
        rc = slsa_admission_response(resp, resp_len, r->uid, 0, a->msg, NULL, 0, NULL);
    }
    atomic_fetch_add(rc != 0      ? &s->m.requests_error
                     : a->allowed ? &s->m.requests_allowed
                                  : &s->m.requests_denied,
                     1);
    return rc;
}

int wh_review(struct wh_server *s, const char *body, size_t len, int mutate, char **resp,
              size_t *resp_len)
{
    uint64_t start = wh_mono_us();
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_admission_request *r = NULL;
    struct wh_answer a = {.allowed = 1};
    struct wh_run run = {0};
    struct wh_policy *p;
    int rc = slsa_admission_parse(&r, body, len, &err);
    if (r == NULL) {
        return rejected(s, err.msg, resp, resp_len);
    }
    p = wh_policy_acquire(s);
    if (rc != 0) {
        a.allowed = 0;
        snprintf(a.msg, sizeof(a.msg), "%s", err.msg);
    } else {
        decide(s, p, r, start, &run, &a);
    }
    rc = respond(s, r, mutate, &run, &a, resp, resp_len);
    wh_metrics_observe(&s->m, wh_mono_us() - start);
    audit(s, &(struct wh_audit){r, run.items, run.res, run.n, r->n_images - run.n, a.allowed,
                                a.deadline, a.allowed ? NULL : a.msg, slsa_policy_hash(p->policy),
                                wh_mono_us() - start});
    for (size_t i = 0; i < run.n; i++) {
        verdict_release(&run.res[i]);
        wh_item_release(&run.items[i]);
    }
    wh_policy_release(s, p);
    for (size_t i = 0; i < a.n_warn; i++) {
        free(a.warn_buf[i]);
    }
    free(run.items);
    free(run.res);
    slsa_admission_free(r);
    return rc == 0 ? 200 : 500;
}
