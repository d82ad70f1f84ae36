/* DSSE envelopes: sign_dsse_parse, the accessors, a write/re-parse round trip (same payload
 * type, payload and signatures) and sign_dsse_verify against the seed vectors' keys. */
#include "fuzz.h"
#include "fuzz_keys.h"
#include "sign/dsse.h"

static void same_or_abort(const struct sign_dsse *a, const struct sign_dsse *b)
{
    size_t la, lb;
    const unsigned char *pa = sign_dsse_payload(a, &la), *pb = sign_dsse_payload(b, &lb);
    if (strcmp(sign_dsse_payload_type(a), sign_dsse_payload_type(b)) != 0 || la != lb ||
        (la > 0 && memcmp(pa, pb, la) != 0) || sign_dsse_sig_count(a) != sign_dsse_sig_count(b)) {
        abort();
    }
    for (size_t i = 0; i < sign_dsse_sig_count(a); i++) {
        const unsigned char *sa = sign_dsse_sig(a, i, &la), *sb = sign_dsse_sig(b, i, &lb);
        if (strcmp(sign_dsse_sig_keyid(a, i), sign_dsse_sig_keyid(b, i)) != 0 || la != lb ||
            (la > 0 && memcmp(sa, sb, la) != 0)) {
            abort();
        }
    }
}

static void round_trip(const struct sign_dsse *env)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_dsse *again = NULL;
    char *json = NULL;
    size_t len = 0;
    if (sign_dsse_write(&json, &len, env, &err) != 0) {
        return;
    }
    if (sign_dsse_parse(&again, (const unsigned char *)json, len, &err) != 0) {
        fprintf(stderr, "fuzz: written envelope does not parse: %s\n", err.msg);
        abort();
    }
    same_or_abort(env, again);
    sign_dsse_free(again);
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_dsse *env = NULL;
    unsigned char *payload = NULL;
    size_t payload_len = 0;
    int rc = sign_dsse_parse(&env, data, size, &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        return 0;
    }
    round_trip(env);
    (void)sign_dsse_sig(env, sign_dsse_sig_count(env), &payload_len);
    rc = sign_dsse_verify(&payload, &payload_len, env, fuzz_keys(), FUZZ_NKEYS, 1, &err);
    fuzz_check_error(rc, &err);
    free(payload);
    sign_dsse_free(env);
    return 0;
}
