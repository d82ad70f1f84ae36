/* The report page's fixed assets (report_assets.c). */
#ifndef SBOM_REPORT_INTERNAL_H
#define SBOM_REPORT_INTERNAL_H

#include "sbom/report.h"

extern const char report_css[];
extern const char report_js[];

/** The table's rows in display order and the findings joined to them (report_rows.c). */
struct report_rows {
    size_t n;
    size_t *order;  /* row -> item */
    size_t *pos;    /* item -> row */
    size_t *vcount; /* item -> findings joined */
    int *vmax;      /* item -> highest severity rank joined (0: none) */
    long *fpkg;     /* finding -> item, or -1 */
    size_t joined;  /* findings joined to a package */
};

/** Sort the rows and join the findings; 0, or -1 out of memory (release it either way). */
int report_rows(struct report_rows *r, const struct sbom_inventory *inv,
                const struct sbom_report_opts *o);
void report_rows_release(struct report_rows *r);

/** A severity's rank (none 1 ... critical 6, unknown or unrecognised 7) and back. */
int report_sev_rank(const char *s);
const char *report_sev_name(int rank);

#endif
