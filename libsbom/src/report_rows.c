/* The report's package rows and vulnerability join (report.c): rows sorted by ecosystem,
 * name and version; findings joined by purl without qualifiers and subpath. */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *const sev_order[] = {"none", "negligible", "low",     "medium",
                                        "high", "critical",   "unknown", NULL};

int report_sev_rank(const char *s)
{
    for (int i = 0; s != NULL && sev_order[i] != NULL; i++) {
        if (strcmp(sev_order[i], s) == 0) {
            return i + 1;
        }
    }
    return 7; /* what a gate cannot rank ranks highest, as unknown */
}

const char *report_sev_name(int rank)
{
    return rank >= 1 && rank <= 7 ? sev_order[rank - 1] : "unknown";
}

static size_t key_len(const char *purl)
{
    return strcspn(purl, "?#");
}

static const struct sbom_inventory *sort_inv;

static int row_cmp(const void *a, const void *b)
{
    const struct sbom_item *x = sbom_inventory_at(sort_inv, *(const size_t *)a);
    const struct sbom_item *y = sbom_inventory_at(sort_inv, *(const size_t *)b);
    const char *f[3][2] = {
        {x->ecosystem, y->ecosystem}, {x->name, y->name}, {x->version, y->version}};
    for (int i = 0; i < 3; i++) {
        int c = strcmp(f[i][0] != NULL ? f[i][0] : "", f[i][1] != NULL ? f[i][1] : "");
        if (c != 0) {
            return c;
        }
    }
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

int report_rows(struct report_rows *r, const struct sbom_inventory *inv,
                const struct sbom_report_opts *o)
{
    size_t n = sbom_inventory_count(inv);
    memset(r, 0, sizeof(*r));
    r->n = n;
    r->order = calloc(n + 1, sizeof(*r->order));
    r->pos = calloc(n + 1, sizeof(*r->pos));
    r->vcount = calloc(n + 1, sizeof(*r->vcount));
    r->vmax = calloc(n + 1, sizeof(*r->vmax));
    r->fpkg = calloc((o != NULL ? o->nvulns : 0) + 1, sizeof(*r->fpkg));
    if (r->order == NULL || r->pos == NULL || r->vcount == NULL || r->vmax == NULL ||
        r->fpkg == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        r->order[i] = i;
    }
    sort_inv = inv; /* qsort has no context argument in C17 */
    qsort(r->order, n, sizeof(*r->order), row_cmp);
    sort_inv = NULL;
    for (size_t k = 0; k < n; k++) {
        r->pos[r->order[k]] = k;
    }
    for (size_t f = 0; o != NULL && f < o->nvulns; f++) {
        const struct sbom_report_vuln *v = &o->vulns[f];
        r->fpkg[f] = -1;
        for (size_t i = 0; i < n; i++) {
            const struct sbom_item *it = sbom_inventory_at(inv, i);
            int hit = v->purl != NULL && it->purl != NULL &&
                      key_len(v->purl) == key_len(it->purl) &&
                      strncmp(v->purl, it->purl, key_len(v->purl)) == 0;
            hit = hit || (v->purl == NULL && v->name != NULL && it->name != NULL &&
                          strcmp(v->name, it->name) == 0 &&
                          (v->version == NULL ||
                           (it->version != NULL && strcmp(v->version, it->version) == 0)));
            if (hit) {
                int rank = report_sev_rank(v->severity);
                r->fpkg[f] = (long)i;
                r->vcount[i]++;
                r->vmax[i] = rank > r->vmax[i] ? rank : r->vmax[i];
                r->joined++;
                break;
            }
        }
    }
    return 0;
}

void report_rows_release(struct report_rows *r)
{
    free(r->order);
    free(r->pos);
    free(r->vcount);
    free(r->vmax);
    free(r->fpkg);
}
