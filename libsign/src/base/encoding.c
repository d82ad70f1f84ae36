/* Base64 and hex through libsodium's constant-time codecs. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "vouch/encoding.h"
#include "vouch/mem.h"

int vouch_base64_encode(char **out, const unsigned char *in, size_t n, struct vouch_error *err)
{
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(len);
    *out = NULL;
    if (s == NULL) {
        return vouch_enomem(err);
    }
    sodium_bin2base64(s, len, in, n, sodium_base64_VARIANT_ORIGINAL);
    *out = s;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int vouch_base64_decode(unsigned char **out, size_t *out_len, const char *in, size_t n,
                        struct vouch_error *err)
{
    /* DSSE: readers accept standard and URL-safe alphabets, with or without padding. */
    static const int variants[] = {
        sodium_base64_VARIANT_ORIGINAL,
        sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
        sodium_base64_VARIANT_URLSAFE,
        sodium_base64_VARIANT_URLSAFE_NO_PADDING,
    };
    unsigned char *bin;
    size_t cap;
    *out = NULL;
    *out_len = 0;
    while (n > 0 && is_space(in[0])) {
        in++;
        n--;
    }
    while (n > 0 && is_space(in[n - 1])) {
        n--;
    }
    cap = n / 4 * 3 + 3;
    bin = malloc(cap + 1);
    if (bin == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        size_t len = 0;
        const char *end = NULL;
        if (sodium_base642bin(bin, cap, in, n, NULL, &len, &end, variants[i]) == 0 &&
            end == in + n) {
            bin[len] = '\0';
            *out = bin;
            *out_len = len;
            return 0;
        }
    }
    free(bin);
    return vouch_error_set(err, VOUCH_EPARSE, "invalid base64");
}

void vouch_hex_encode(char *out, const unsigned char *in, size_t n)
{
    sodium_bin2hex(out, 2 * n + 1, in, n);
}

int vouch_hex_decode(unsigned char *out, size_t out_len, const char *hex, size_t hex_len,
                     struct vouch_error *err)
{
    size_t len = 0;
    const char *end = NULL;
    if (hex_len != 2 * out_len ||
        sodium_hex2bin(out, out_len, hex, hex_len, NULL, &len, &end) != 0 || len != out_len ||
        end != hex + hex_len) {
        return vouch_error_set(err, VOUCH_EPARSE, "invalid hex (want %zu hex digits)", 2 * out_len);
    }
    return 0;
}
