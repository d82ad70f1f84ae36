/* Go encoding/json-compatible string escaping, so signed payloads match cosign's bytes. */
#include <stdint.h>

#include "vouch/json.h"

/* Length of the valid UTF-8 sequence at s (max n bytes), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t c;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        c = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        c = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* reject overlong forms, surrogates and out-of-range code points */
    if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
        c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return 0;
    }
    *cp = c;
    return len;
}

int vouch_json_go_string(struct vouch_buf *b, const char *str, size_t n, struct vouch_error *err)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    int rc = vouch_buf_append(b, "\"", 1, err);
    size_t i = 0;
    while (rc == 0 && i < n) {
        uint32_t cp = 0;
        size_t len = utf8_seq(s + i, n - i, &cp);
        char esc[8];
        if (len == 0) {
            rc = vouch_buf_puts(b, "\\ufffd", err);
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\') {
            esc[0] = '\\';
            esc[1] = (char)cp;
            rc = vouch_buf_append(b, esc, 2, err);
        } else if (cp == '\n') {
            rc = vouch_buf_puts(b, "\\n", err);
        } else if (cp == '\r') {
            rc = vouch_buf_puts(b, "\\r", err);
        } else if (cp == '\t') {
            rc = vouch_buf_puts(b, "\\t", err);
        } else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&') {
            esc[0] = '\\';
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[cp >> 4];
            esc[5] = hex[cp & 15];
            rc = vouch_buf_append(b, esc, 6, err);
        } else if (cp == 0x2028 || cp == 0x2029) {
            rc = vouch_buf_puts(b, cp == 0x2028 ? "\\u2028" : "\\u2029", err);
        } else {
            rc = vouch_buf_append(b, s + i, len, err);
        }
        i += len;
    }
    if (rc == 0) {
        rc = vouch_buf_append(b, "\"", 1, err);
    }
    return rc;
}
