/* The shared, reference-counted evidence of one image (held by reviews and the cache at
 * once), and the monotonic clock they share. Apart from webhook_evidence.c so that the
 * cache, which holds references, does not depend on the gathering that fills it. */
#include <stdlib.h>
#include <time.h>

#include "webhook.h"

uint64_t wh_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct wh_ev *wh_ev_new(struct slsa_evidence *ev)
{
    struct wh_ev *e = calloc(1, sizeof(*e));
    if (e == NULL) {
        slsa_evidence_free(ev);
        return NULL;
    }
    atomic_init(&e->refs, 1);
    e->ev = ev;
    return e;
}

struct wh_ev *wh_ev_ref(struct wh_ev *e)
{
    atomic_fetch_add(&e->refs, 1);
    return e;
}

void wh_ev_unref(struct wh_ev *e)
{
    if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1) {
        slsa_evidence_free(e->ev);
        free(e);
    }
}
