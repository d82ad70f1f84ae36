/* SBOM writers: SPDX 2.3 JSON, CycloneDX 1.6 JSON and a table for people. Output is a
 * pure function of the finished document and the options: same input, same bytes. */
#ifndef SBOM_FORMAT_H
#define SBOM_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "sbom/doc.h"
#include "vouch/buf.h"
#include "vouch/error.h"

enum sbom_format {
    SBOM_FMT_SPDX_JSON = 0,
    SBOM_FMT_CYCLONEDX_JSON,
    SBOM_FMT_TABLE,
};

/** Writer options (the caller reads SOURCE_DATE_EPOCH; libraries do not read env). */
struct sbom_write_opts {
    int64_t created;          /* creation time, seconds since the epoch (UTC) */
    int deterministic;        /* 1: serialNumber/documentNamespace derived from content */
    const char *tool_version; /* "0.1.0"; NULL means vouch_version() */
};

/** Parse "spdx-json", "cyclonedx-json" or "table"; VOUCH_EINVAL names the bad value. */
int sbom_format_parse(enum sbom_format *out, const char *name, struct vouch_error *err);

/** Canonical name of a format (static string). */
const char *sbom_format_name(enum sbom_format f);

/** Append doc rendered as f to out (a caller-initialised buffer). */
int sbom_doc_write(struct vouch_buf *out, const struct sbom_doc *doc, enum sbom_format f,
                   const struct sbom_write_opts *o, struct vouch_error *err);

/** Receives rendered bytes in order; returns 0, or a negative code with err set. */
typedef int (*sbom_sink_fn)(const void *p, size_t n, void *ctx, struct vouch_error *err);

/**
 * Render doc as f in pieces of a few tens of KiB handed to sink, so that memory does not
 * grow with the size of the output. The bytes are those of sbom_doc_write. On failure the
 * sink may have received part of the output: the caller discards it.
 */
int sbom_doc_write_to(const struct sbom_doc *doc, enum sbom_format f,
                      const struct sbom_write_opts *o, sbom_sink_fn sink, void *ctx,
                      struct vouch_error *err);

#endif
