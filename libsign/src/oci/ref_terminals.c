/* The terminals of the reference grammar: its character classes, OCI digest strings
 * ("algo:hex", go-digest's rules: sha256/sha384/sha512, lowercase hex of the exact length)
 * and docker tags. ref.c parses whole references on top of them. */
#include <string.h>

#include "ref_internal.h"
#include "sign/ref.h"

#define REF_TAG_MAX 128

int ref_is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int ref_is_alnum(char c)
{
    return ref_is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

int ref_is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int sign_ref_tag_check(const char *tag, struct vouch_error *err)
{
    size_t n = strlen(tag);
    int ok = n > 0 && n <= REF_TAG_MAX && (ref_is_alnum(tag[0]) || tag[0] == '_');
    for (size_t i = 1; ok && i < n; i++) {
        ok = ref_is_alnum(tag[i]) || tag[i] == '_' || tag[i] == '.' || tag[i] == '-';
    }
    if (!ok) {
        return vouch_error_set(err, VOUCH_EINVAL, "invalid tag '%s'", tag);
    }
    return 0;
}

static const struct {
    const char *name;
    enum sign_hash alg;
    size_t hex_len;
} digest_algs[] = {
    {"sha256", SIGN_HASH_SHA256, 64},
    {"sha384", SIGN_HASH_SHA384, 96},
    {"sha512", SIGN_HASH_SHA512, 128},
};

/* digest-algorithm := [A-Za-z][A-Za-z0-9]* ([+._-] [A-Za-z][A-Za-z0-9]*)* */
static int digest_alg_grammar_ok(const char *s, size_t n)
{
    int need_letter = 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (need_letter) {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return 0;
            }
            need_letter = 0;
        } else if (c == '+' || c == '.' || c == '_' || c == '-') {
            need_letter = 1;
        } else if (!ref_is_alnum(c)) {
            return 0;
        }
    }
    return n > 0 && !need_letter;
}

int sign_ref_digest_check(enum sign_hash *alg, const char *digest, struct vouch_error *err)
{
    const char *colon = strchr(digest, ':');
    size_t alen;
    size_t hlen;
    if (colon == NULL || !digest_alg_grammar_ok(digest, (size_t)(colon - digest))) {
        return vouch_error_set(err, VOUCH_EINVAL, "invalid digest '%s'", digest);
    }
    alen = (size_t)(colon - digest);
    hlen = strlen(colon + 1);
    for (size_t i = 0; i < sizeof(digest_algs) / sizeof(digest_algs[0]); i++) {
        if (strlen(digest_algs[i].name) != alen || memcmp(digest_algs[i].name, digest, alen) != 0) {
            continue;
        }
        if (hlen != digest_algs[i].hex_len) {
            return vouch_error_set(err, VOUCH_EINVAL, "invalid digest length in '%s'", digest);
        }
        for (const char *p = colon + 1; *p != '\0'; p++) {
            if (!ref_is_hex(*p) || (*p >= 'A' && *p <= 'F')) {
                return vouch_error_set(err, VOUCH_EINVAL, "invalid digest '%s'", digest);
            }
        }
        if (alg != NULL) {
            *alg = digest_algs[i].alg;
        }
        return 0;
    }
    return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported digest algorithm in '%s'", digest);
}
