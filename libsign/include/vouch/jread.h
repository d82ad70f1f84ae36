/* Small readers over jansson values for untrusted JSON (base layer): the loader rejects duplicate
 * keys; each failure names the member. */
#ifndef VOUCH_JREAD_H
#define VOUCH_JREAD_H

#include <stddef.h>

#include <jansson.h>

#include "vouch/error.h"

/** json_loadb for untrusted bytes, the one way every library parses JSON: duplicate keys are
 *  always rejected (flags adds others, e.g. JSON_DECODE_ANY). NULL with jerr (may be NULL)
 *  filled on failure. */
json_t *vouch_json_load(const void *data, size_t len, size_t flags, json_error_t *jerr);

/** Parse len bytes of JSON (duplicate keys rejected) into *out; VOUCH_EPARSE names what. */
int sign_jread_load(json_t **out, const unsigned char *json, size_t len, const char *what,
                    struct vouch_error *err);

/** Copy untrusted text into out[0..n) for an error message: truncated, non-printable bytes
 *  replaced by '?'. */
void sign_jread_quote(char *out, size_t n, const char *in);

/** Borrowed required string member of obj; VOUCH_EPARSE naming what.key when absent. */
int sign_jread_str(const char **out, const json_t *obj, const char *key, const char *what,
                   struct vouch_error *err);

/** Like sign_jread_str, but an absent member yields *out = NULL and 0. */
int sign_jread_opt_str(const char **out, const json_t *obj, const char *key, const char *what,
                       struct vouch_error *err);

/** Borrowed required object member. */
int sign_jread_obj(const json_t **out, const json_t *obj, const char *key, const char *what,
                   struct vouch_error *err);

/** Decode a required base64 (standard or URL-safe) string member; *out is malloc'd. */
int sign_jread_b64(unsigned char **out, size_t *out_len, const json_t *obj, const char *key,
                   const char *what, struct vouch_error *err);

#endif
