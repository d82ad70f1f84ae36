/* Shared state and helpers of the SBOM converters (convert.c; convert_cdx.c writes
 * CycloneDX from SPDX, convert_spdx.c writes SPDX from CycloneDX). */
#ifndef SBOM_CONVERT_INTERNAL_H
#define SBOM_CONVERT_INTERNAL_H

#include <jansson.h>

#include "sbom/convert.h"

#define CV_MAX_DEPTH 64

struct cv {
    const json_t *in; /* the input document (borrowed) */
    json_t *out;      /* the output being built */
    json_t *notes;    /* note text -> count, in the order met */
    const struct sbom_convert_opts *o;
    const char *tool_version;
    char digest[41]; /* SHA-1 hex of the input bytes, for ids the input lacks */
    int oom;         /* sticky: a JSON allocation failed */
};

/** Count one more of the note made of fmt. */
void cv_note(struct cv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** obj[key] = v (steals v; NULL v records OOM). */
void cv_set(struct cv *c, json_t *obj, const char *key, json_t *v);
/** Append v to arr (steals v; NULL v records OOM). */
void cv_push(struct cv *c, json_t *arr, json_t *v);
/** A JSON string of s (invalid UTF-8 replaced); NULL on OOM. */
json_t *cv_jstr(const char *s);
/** o[k] when it is a non-empty string, else NULL. */
const char *cv_str(const json_t *o, const char *k);
/** 1 when s is NULL, empty, "NOASSERTION" or "NONE". */
int cv_unset(const char *s);

/** The CycloneDX name of an SPDX checksum algorithm and back; NULL when it has none. */
const char *cv_hash_to_cdx(const char *spdx);
const char *cv_hash_to_spdx(const char *cdx);
/** 1 when s is a hex digest of a length CycloneDX accepts (32, 40, 64, 96, 128). */
int cv_hash_value_ok(const char *s);
/** 1 when s looks like an absolute IRI (scheme ":" then printable, no spaces). */
int cv_iri_ok(const char *s);

/** RFC 4122 version 5 UUID (URL namespace) of text. */
void cv_uuid5(char out[37], const char *text);
/** seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ"; 0, or -1 out of range. */
int cv_time(char out[32], int64_t t);

/** The canonical SPDX license id s names (a license or exception of the list), or 0. */
int cv_license_id(char *out, size_t n, const char *s);

/** Count a note "FORMAT WHAT field 'K'" for each key of o not in known (NULL-ended). */
void cv_note_unknown(struct cv *c, const json_t *o, const char *const *known, const char *what);
/** 1 when s parses as a purl. */
int cv_purl_ok(const char *s);

/** CycloneDX components of an SPDX package / file, with the bom-ref given (convert_cdx_comp.c). */
json_t *cv_cdx_package(struct cv *c, const json_t *p, const char *ref);
json_t *cv_cdx_file(struct cv *c, const json_t *f, const char *ref);

/** The CycloneDX document around root (may be NULL), components and dependencies (all
 *  stolen; metadata from the SPDX input's creationInfo; convert_meta.c); NULL on OOM. */
json_t *cv_cdx_document(struct cv *c, json_t *root, json_t *components, json_t *deps);
/** The SPDX document header (name, namespace, creationInfo from the CycloneDX metadata). */
json_t *cv_spdx_document(struct cv *c, const char *name);

/** Build c->out as CycloneDX 1.6 from the SPDX c->in (convert_cdx.c). */
int cv_to_cyclonedx(struct cv *c, struct vouch_error *err);
/** Build c->out as SPDX 2.3 from the CycloneDX c->in (convert_spdx.c). */
int cv_to_spdx(struct cv *c, struct vouch_error *err);

#endif
