/* Decision cache for the webhook: verdicts keyed by policy hash + image, with a TTL. One
 * lock; entries are copied out so no reader holds a pointer into the table. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "webhook.h"

#define WH_CACHE_BUCKETS 4096

struct wh_entry {
    struct wh_entry *next;
    char *key;
    int64_t expires;
    struct wh_verdict v;
};

struct wh_cache {
    pthread_mutex_t mu;
    struct wh_entry *b[WH_CACHE_BUCKETS];
    size_t n, capacity;
    unsigned ttl;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return h;
}

void wh_verdict_release(struct wh_verdict *v)
{
    free(v->denial);
    free(v->warnings);
    free(v->audits);
    free(v->digest);
    memset(v, 0, sizeof(*v));
}

static char *dup_opt(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

static int verdict_copy(struct wh_verdict *dst, const struct wh_verdict *src)
{
    dst->allowed = src->allowed;
    dst->denial = dup_opt(src->denial);
    dst->warnings = dup_opt(src->warnings);
    dst->audits = dup_opt(src->audits);
    dst->digest = dup_opt(src->digest);
    if ((src->denial && !dst->denial) || (src->warnings && !dst->warnings) ||
        (src->audits && !dst->audits) || (src->digest && !dst->digest)) {
        wh_verdict_release(dst);
        return -1;
    }
    return 0;
}

int wh_cache_new(struct wh_cache **out, size_t capacity, unsigned ttl_s)
{
    struct wh_cache *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return -1;
    }
    pthread_mutex_init(&c->mu, NULL);
    c->capacity = capacity;
    c->ttl = ttl_s;
    *out = c;
    return 0;
}

static void entry_free(struct wh_entry *e)
{
    free(e->key);
    wh_verdict_release(&e->v);
    free(e);
}

static void cache_clear(struct wh_cache *c)
{
    for (size_t i = 0; i < WH_CACHE_BUCKETS; i++) {
        while (c->b[i] != NULL) {
            struct wh_entry *e = c->b[i];
            c->b[i] = e->next;
            entry_free(e);
        }
    }
    c->n = 0;
}

void wh_cache_free(struct wh_cache *c)
{
    if (c != NULL) {
        cache_clear(c);
        pthread_mutex_destroy(&c->mu);
        free(c);
    }
}

int wh_cache_get(struct wh_cache *c, const char *key, int64_t now, struct wh_verdict *out)
{
    struct wh_entry **pp;
    int hit = 0;
    if (c->ttl == 0) {
        return 0;
    }
    pthread_mutex_lock(&c->mu);
    for (pp = &c->b[fnv1a(key) % WH_CACHE_BUCKETS]; *pp != NULL; pp = &(*pp)->next) {
        if (strcmp((*pp)->key, key) == 0) {
            if ((*pp)->expires > now) {
                hit = verdict_copy(out, &(*pp)->v) == 0;
            } else {
                struct wh_entry *e = *pp;
                *pp = e->next;
                entry_free(e);
                c->n--;
            }
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void wh_cache_put(struct wh_cache *c, const char *key, int64_t now, const struct wh_verdict *v)
{
    struct wh_entry *e;
    size_t h;
    if (c->ttl == 0 || (e = calloc(1, sizeof(*e))) == NULL) {
        return;
    }
    if ((e->key = strdup(key)) == NULL || verdict_copy(&e->v, v) != 0) {
        free(e->key);
        free(e);
        return;
    }
    e->expires = now + c->ttl;
    h = fnv1a(key) % WH_CACHE_BUCKETS;
    pthread_mutex_lock(&c->mu);
    if (c->n >= c->capacity) {
        cache_clear(c); /* bounded memory; a full cache simply starts over */
    }
    for (struct wh_entry **pp = &c->b[h]; *pp != NULL; pp = &(*pp)->next) {
        if (strcmp((*pp)->key, key) == 0) {
            struct wh_entry *old = *pp;
            *pp = old->next;
            entry_free(old);
            c->n--;
            break;
        }
    }
    e->next = c->b[h];
    c->b[h] = e;
    c->n++;
    pthread_mutex_unlock(&c->mu);
}
