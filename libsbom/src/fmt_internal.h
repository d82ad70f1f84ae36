/* Shared helpers of the writers (fmt_*.c): context, ids, UUIDs, JSON building. */
#ifndef SBOM_FMT_INTERNAL_H
#define SBOM_FMT_INTERNAL_H

#include <jansson.h>

#include "doc_internal.h"
#include "sbom/format.h"
#include "vouch/buf.h"

struct fmt_ctx {
    const struct sbom_doc *doc;
    const struct sbom_write_opts *o;
    const char *tool_version;
    char created[32];  /* RFC 3339 UTC */
    char uuid[40];     /* v5 from content when deterministic, else v4 */
    int oom;           /* sticky: a JSON allocation failed */
    sbom_sink_fn sink; /* NULL: the whole output stays in the writer's buffer */
    void *sink_ctx;
};

int fmt_spdx(struct vouch_buf *out, struct fmt_ctx *c, struct vouch_error *err);
int fmt_cyclonedx(struct vouch_buf *out, struct fmt_ctx *c, struct vouch_error *err);
int fmt_table(struct vouch_buf *out, struct fmt_ctx *c, struct vouch_error *err);

/** A JSON string of s (invalid UTF-8 bytes replaced by '?'); NULL on OOM. */
json_t *fmt_str(const char *s);

/** obj[key] = v (steals v); records OOM in c. A NULL v is an OOM. */
void fmt_set(struct fmt_ctx *c, json_t *obj, const char *key, json_t *v);
/** Append v to array (steals v); records OOM in c. */
void fmt_push(struct fmt_ctx *c, json_t *arr, json_t *v);

/**
 * Append sep (may be NULL) and v dumped compactly (key order preserved) to out; decrefs v.
 * open drops the dump's closing '}' or ']' so that members can be streamed after it: large
 * arrays are written one element at a time instead of as one JSON tree.
 */
int fmt_append(struct vouch_buf *out, struct fmt_ctx *c, const char *sep, json_t *v, int open,
               struct vouch_error *err);

/** Hand out's bytes to the sink and empty out once it holds FMT_CHUNK bytes or more
 *  (always when force is set); nothing without a sink. */
int fmt_flush(struct vouch_buf *out, struct fmt_ctx *c, int force, struct vouch_error *err);

#define FMT_CHUNK ((size_t)64 << 10)

/**
 * Append each file of the document rendered by one (a new JSON value), the first after
 * first_sep and the others after ","; *any is set when there was at least one file.
 */
int fmt_append_files(struct vouch_buf *out, struct fmt_ctx *c, const char *first_sep,
                     json_t *(*one)(struct fmt_ctx *c, const struct sbom_file *f), int *any,
                     struct vouch_error *err);

/** Copy s into out keeping [A-Za-z0-9.-] and turning other bytes into '-'. */
void fmt_sanitize(char *out, size_t outsz, const char *s);

/** First 8 bytes of SHA-256(s) as 16 hex digits. */
void fmt_short_hash(char out[17], const char *s);

#endif
