/* One updating progress line on stderr ("\r" + text + erase to end of line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define PROGRESS_INTERVAL_NS 100000000LL /* at most 10 updates per second */
#define PROGRESS_LINE_MAX 256

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void progress_init(struct progress *p, int quiet)
{
    const char *term = getenv("TERM");
    struct winsize ws;
    memset(p, 0, sizeof(*p));
    p->on = !quiet && isatty(STDERR_FILENO) && (term == NULL || strcmp(term, "dumb") != 0);
    p->cols = 80;
    if (p->on && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        p->cols = ws.ws_col;
    }
    p->t0_ns = now_ns();
}

/* 1 when a report is due now (first one, or 100 ms after the last draw). */
static int due(struct progress *p, int64_t *t)
{
    if (!p->on) {
        return 0;
    }
    *t = now_ns();
    if (p->last_ns != 0 && *t - p->last_ns < PROGRESS_INTERVAL_NS) {
        return 0;
    }
    p->last_ns = *t;
    return 1;
}

/* Draw text over the current line, cut to the terminal's width minus one column. */
static void draw(struct progress *p, const char *text)
{
    size_t n = strlen(text);
    if (p->cols > 1 && n > p->cols - 1) {
        n = p->cols - 1;
    }
    fprintf(stderr, "\r%.*s\033[K", (int)n, text);
    fflush(stderr);
    p->drawn = 1;
}

static double mib(uint64_t bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

void progress_sbom(void *ctx, const struct sbom_progress_info *info)
{
    struct progress *p = ctx;
    char line[PROGRESS_LINE_MAX], where[96] = "source";
    int64_t t;
    double secs;
    if (!due(p, &t)) {
        return;
    }
    secs = (double)(t - p->t0_ns) / 1e9;
    if (info->layers > 0) {
        snprintf(where, sizeof(where), "layer %zu/%zu (%.19s)", info->layer + 1, info->layers,
                 info->layer_digest != NULL ? info->layer_digest : "?");
    }
    snprintf(line, sizeof(line), "vouch: reading %s: %llu entries, %.1f MiB (%.1f MiB/s)", where,
             (unsigned long long)info->entries, mib(info->bytes),
             secs > 0.05 ? mib(info->bytes) / secs : 0.0);
    draw(p, line);
}

void progress_end(struct progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
    p->last_ns = 0;
}
