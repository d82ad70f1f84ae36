/* Progress reports of a source walk to the caller's callback (libraries never print). */
#include "root_internal.h"

void root_progress(const struct sbom_root *r)
{
    const struct sbom_progress *p = r->o.progress;
    struct sbom_progress_info info;
    if (p == NULL || p->fn == NULL) {
        return;
    }
    info.layers = r->layers.n;
    info.layer = r->layer_now;
    info.layer_digest = r->layer_now < r->layers.n ? r->layers.v[r->layer_now] : NULL;
    info.bytes = r->bytes_total;
    info.entries = r->next_seq;
    p->fn(p->ctx, &info);
}
