/* The webhook's cache: gathered evidence keyed by policy generation, needs and
 * repository@digest, and tag resolutions (repository:tag -> digest), each entry with its
 * own expiry. One lock; evidence is shared by reference, digests are copied out. A pinned
 * `repo:tag@sha256:…` and the tag it was resolved from therefore share one evidence entry. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sign/ref.h"
#include "webhook.h"

#define WH_CACHE_BUCKETS 4096

struct wh_entry {
    struct wh_entry *next;
    char *key;
    int64_t expires;
    char *digest;     /* a tag resolution, or */
    struct wh_ev *ev; /* gathered evidence */
};

struct wh_cache {
    pthread_mutex_t mu;
    struct wh_entry *b[WH_CACHE_BUCKETS];
    size_t n, capacity;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return h;
}

int wh_cache_new(struct wh_cache **out, size_t capacity)
{
    struct wh_cache *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return -1;
    }
    pthread_mutex_init(&c->mu, NULL);
    c->capacity = capacity;
    *out = c;
    return 0;
}

static void entry_free(struct wh_entry *e)
{
    free(e->key);
    free(e->digest);
    wh_ev_unref(e->ev);
    free(e);
}

static size_t cache_clear(struct wh_cache *c)
{
    size_t n = c->n;
    for (size_t i = 0; i < WH_CACHE_BUCKETS; i++) {
        while (c->b[i] != NULL) {
            struct wh_entry *e = c->b[i];
            c->b[i] = e->next;
            entry_free(e);
        }
    }
    c->n = 0;
    return n;
}

void wh_cache_free(struct wh_cache *c)
{
    if (c != NULL) {
        cache_clear(c);
        pthread_mutex_destroy(&c->mu);
        free(c);
    }
}

size_t wh_cache_flush(struct wh_cache *c)
{
    size_t n;
    pthread_mutex_lock(&c->mu);
    n = cache_clear(c);
    pthread_mutex_unlock(&c->mu);
    return n;
}

/* The live entry for key (an expired one is dropped); call with the lock held. */
static struct wh_entry *lookup(struct wh_cache *c, const char *key, int64_t now)
{
    for (struct wh_entry **pp = &c->b[fnv1a(key) % WH_CACHE_BUCKETS]; *pp != NULL;
         pp = &(*pp)->next) {
        if (strcmp((*pp)->key, key) == 0) {
            struct wh_entry *e = *pp;
            if (e->expires > now) {
                return e;
            }
            *pp = e->next;
            entry_free(e);
            c->n--;
            return NULL;
        }
    }
    return NULL;
}

struct wh_ev *wh_cache_get_ev(struct wh_cache *c, const char *key, int64_t now)
{
    struct wh_entry *e;
    struct wh_ev *ev = NULL;
    pthread_mutex_lock(&c->mu);
    e = lookup(c, key, now);
    if (e != NULL && e->ev != NULL) {
        ev = wh_ev_ref(e->ev);
    }
    pthread_mutex_unlock(&c->mu);
    return ev;
}

int wh_cache_get_digest(struct wh_cache *c, const char *key, int64_t now, char *out)
{
    struct wh_entry *e;
    int hit = 0;
    pthread_mutex_lock(&c->mu);
    e = lookup(c, key, now);
    if (e != NULL && e->digest != NULL && strlen(e->digest) < SIGN_REF_DIGEST_MAX) {
        memcpy(out, e->digest, strlen(e->digest) + 1);
        hit = 1;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

/* Insert e (replacing an entry with its key); takes e. */
static void insert(struct wh_cache *c, struct wh_entry *e)
{
    size_t h = fnv1a(e->key) % WH_CACHE_BUCKETS;
    pthread_mutex_lock(&c->mu);
    if (c->n >= c->capacity) {
        cache_clear(c); /* bounded memory; a full cache simply starts over */
    }
    for (struct wh_entry **pp = &c->b[h]; *pp != NULL; pp = &(*pp)->next) {
        if (strcmp((*pp)->key, e->key) == 0) {
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

static struct wh_entry *entry_new(const char *key, int64_t now, unsigned ttl)
{
    struct wh_entry *e = ttl > 0 ? calloc(1, sizeof(*e)) : NULL;
    if (e != NULL && (e->key = strdup(key)) == NULL) {
        free(e);
        return NULL;
    }
    if (e != NULL) {
        e->expires = now + (int64_t)ttl;
    }
    return e;
}

void wh_cache_put_ev(struct wh_cache *c, const char *key, int64_t now, unsigned ttl,
                     struct wh_ev *ev)
{
    struct wh_entry *e = entry_new(key, now, ttl);
    if (e != NULL) {
        e->ev = wh_ev_ref(ev);
        insert(c, e);
    }
}

void wh_cache_put_digest(struct wh_cache *c, const char *key, int64_t now, unsigned ttl,
                         const char *digest)
{
    struct wh_entry *e = entry_new(key, now, ttl);
    if (e == NULL) {
        return;
    }
    if ((e->digest = strdup(digest)) == NULL) {
        entry_free(e);
        return;
    }
    insert(c, e);
}
