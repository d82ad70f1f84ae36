/* Progress on long work: one updating line on stderr, only when stderr is a terminal and
 * --quiet was not given (docs/CLI.md). Updates are rate-limited to 10 per second. */
#ifndef VOUCH_PROGRESS_H
#define VOUCH_PROGRESS_H

#include <stdint.h>

#include "sbom/root.h"

struct progress {
    int on;          /* stderr is a terminal (not TERM=dumb) and not --quiet */
    int drawn;       /* a line is on screen and must be cleared */
    unsigned cols;   /* terminal width: lines are cut to fit, so '\r' can redraw them */
    int64_t t0_ns;   /* start (monotonic), for the rate */
    int64_t last_ns; /* last draw (monotonic), 0 before the first */
};

/** Start: decides once whether progress is shown. */
void progress_init(struct progress *p, int quiet);

/**
 * The sbom_progress callback (ctx = struct progress *): "reading layer 2/5 (sha256:…):
 * N entries, X MiB (Y MiB/s)". The first report is drawn, later ones at most every 100 ms.
 */
void progress_sbom(void *ctx, const struct sbom_progress_info *info);

/** Finish: clear the line if one was drawn, so later messages start on a clean line. */
void progress_end(struct progress *p);

#endif
