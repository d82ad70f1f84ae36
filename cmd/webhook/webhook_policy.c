/* The webhook's policy holder: the loaded policy with its evidence and registry keys,
 * shared by requests through a reference count and swapped whole on SIGHUP (requests in
 * flight keep the policy they started with). */
#include <stdio.h>
#include <stdlib.h>

#include "webhook.h"

struct wh_policy *wh_policy_acquire(struct wh_server *s)
{
    struct wh_policy *p;
    pthread_mutex_lock(&s->mu);
    p = s->cur;
    p->refs++;
    pthread_mutex_unlock(&s->mu);
    return p;
}

struct wh_policy *wh_policy_ref(struct wh_server *s, struct wh_policy *p)
{
    pthread_mutex_lock(&s->mu);
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

int wh_policy_load(struct wh_policy **out, const struct wh_config *cfg, struct vouch_error *err)
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

int wh_policy_reload(struct wh_server *s, struct vouch_error *err)
{
    struct wh_policy *p = NULL, *old;
    int rc = wh_policy_load(&p, &s->cfg, err);
    if (rc != 0) {
        atomic_fetch_add(&s->m.reloads_failed, 1);
        return rc;
    }
    pthread_mutex_lock(&s->mu);
    old = s->cur;
    p->generation = old->generation + 1;
    s->cur = p;
    pthread_mutex_unlock(&s->mu);
    wh_policy_release(s, old);
    atomic_fetch_add(&s->m.reloads_ok, 1);
    return 0;
}
