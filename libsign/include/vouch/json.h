/* Byte-exact JSON writing helpers. Payloads that peers hash or sign (cosign's simple
 * signing payload, go-containerregistry manifests) must match Go's encoding/json. */
#ifndef VOUCH_JSON_H
#define VOUCH_JSON_H

#include <stddef.h>

#include "vouch/buf.h"
#include "vouch/error.h"

/**
 * Append s[0..n) as a JSON string literal (with quotes) escaped as Go's encoding/json
 * does: \" \\ \n \r \t, other control bytes as \u00XX, '<' '>' '&' as \u003c \u003e
 * \u0026, U+2028/U+2029 as \u2028/\u2029, invalid UTF-8 as \ufffd; the rest raw.
 */
int vouch_json_go_string(struct vouch_buf *b, const char *s, size_t n, struct vouch_error *err);

#endif
