/* Layer attribution (the trivy/snyk approach): the package databases are catalogued after
 * every layer that touched them; a package belongs to the first layer of its latest
 * uninterrupted presence. With all-layers, packages deleted later are kept too. */
#include <stdlib.h>
#include <string.h>

#include "cat_internal.h"
#include "sbom/catalog.h"
#include "vouch/mem.h"

struct track {
    struct sbom_pkg *pkg; /* owned: the first sighting */
    char *layer;
    int alive;
    int seen;
};

struct sbom_layers {
    struct track *t;
    size_t n;
    size_t cap;
    int all_layers;
    const struct sbom_select *select; /* borrowed */
    struct vouch_error err;
};

int sbom_layers_new(struct sbom_layers **out, int all_layers, struct vouch_error *err)
{
    *out = calloc(1, sizeof(**out));
    if (*out == NULL) {
        return vouch_enomem(err);
    }
    (*out)->all_layers = all_layers;
    return 0;
}

void sbom_layers_select(struct sbom_layers *l, const struct sbom_select *s)
{
    l->select = s;
}

void sbom_layers_free(struct sbom_layers *l)
{
    if (l == NULL) {
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        doc_pkg_free(l->t[i].pkg);
        free(l->t[i].layer);
    }
    free(l->t);
    free(l);
}

static int same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static struct track *find(struct sbom_layers *l, const struct sbom_pkg *p)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct sbom_pkg *q = l->t[i].pkg;
        if (q->type == p->type && same(q->name, p->name) && same(q->version, p->version) &&
            same(q->arch, p->arch) && same(q->ns, p->ns)) {
            return &l->t[i];
        }
    }
    return NULL;
}

/* Record a sighting of p (stolen from its snapshot when new). */
static int sight(struct sbom_layers *l, struct sbom_pkg **pp, const char *digest)
{
    struct track *t = find(l, *pp);
    if (t == NULL) {
        if (vouch_grow(&l->t, l->n, &l->cap, sizeof(*l->t), 64, &l->err) != 0) {
            return VOUCH_ENOMEM;
        }
        t = &l->t[l->n++];
        memset(t, 0, sizeof(*t));
        t->pkg = *pp;
        *pp = NULL;
    }
    if (!t->alive && util_set(&t->layer, digest, (size_t)-1, &l->err) != 0) {
        return VOUCH_ENOMEM;
    }
    t->seen = 1;
    return 0;
}

int sbom_layers_on_layer(const struct sbom_root *r, size_t index, const char *digest, int touched,
                         void *ctx)
{
    struct sbom_layers *l = ctx;
    struct sbom_doc *snap = NULL;
    int rc;
    (void)index;
    if (!touched) {
        return 0;
    }
    rc = sbom_doc_new(&snap, "snapshot", digest, &l->err);
    if (rc == 0) {
        snap->select = l->select;
    }
    rc = rc ? rc : catalog_packages(snap, r, &l->err);
    for (size_t i = 0; i < l->n; i++) {
        l->t[i].seen = 0;
    }
    for (size_t i = 0; rc == 0 && snap != NULL && i < snap->npkgs; i++) {
        rc = sight(l, &snap->pkgs[i], digest);
    }
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        l->t[i].alive = l->t[i].seen;
    }
    sbom_doc_free(snap);
    return rc;
}

/* all-layers: packages no longer visible at the top are added back. */
static int add_deleted(struct sbom_doc *doc, struct sbom_layers *l, struct vouch_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        struct sbom_pkg *p;
        if (l->t[i].alive) {
            continue;
        }
        if (util_set(&l->t[i].pkg->layer, l->t[i].layer, (size_t)-1, err) != 0 ||
            doc_pkg_add(&p, doc, l->t[i].pkg->type, err) != 0) {
            return VOUCH_ENOMEM;
        }
        doc->pkgs[doc->npkgs - 1] = l->t[i].pkg; /* hand the sighting over, keep a husk */
        l->t[i].pkg = p;
    }
    return 0;
}

int sbom_catalog_run_image(struct sbom_doc *doc, const struct sbom_root *r, struct sbom_layers *l,
                           struct vouch_error *err)
{
    int rc;
    if (l->err.code != 0) {
        return vouch_error_set(err, l->err.code, "%s", l->err.msg);
    }
    rc = catalog_packages(doc, r, err);
    if (rc == 0 && l->all_layers) {
        rc = add_deleted(doc, l, err);
    }
    for (size_t i = 0; rc == 0 && i < doc->npkgs; i++) {
        struct track *t = doc->pkgs[i]->layer == NULL ? find(l, doc->pkgs[i]) : NULL;
        if (t != NULL && t->layer != NULL) {
            rc = util_set(&doc->pkgs[i]->layer, t->layer, (size_t)-1, err);
        }
    }
    rc = rc ? rc : catalog_inventory(doc, r, err);
    return rc ? rc : doc_finish(doc, err);
}
