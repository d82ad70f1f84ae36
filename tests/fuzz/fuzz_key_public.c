/* Public keys: PKIX PEM (sign_key_load_public), SubjectPublicKeyInfo DER and X.509
 * certificates (PEM or DER), each over the same input. */
#include "fuzz.h"
#include "sign/key.h"

typedef int (*load_fn)(struct sign_key **out, const unsigned char *data, size_t len,
                       const char *name, struct vouch_error *err);

static const load_fn loaders[] = {sign_key_load_public, sign_key_load_public_der,
                                  sign_key_load_cert};

static void use(const struct sign_key *key)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    static const unsigned char msg[] = "message";
    static const unsigned char sig[64] = {0x30};
    char *hint = NULL;
    if (sign_key_hint(&hint, key, &err) == 0) {
        free(hint);
    }
    int rc = sign_key_verify_msg(key, sign_key_default_hash(key), msg, sizeof(msg) - 1, sig,
                                 sizeof(sig), &err);
    if (rc == 0) {
        abort(); /* a zero signature must never verify */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct sign_key *key = NULL;
        int rc = loaders[i](&key, data, size, "fuzz", &err);
        fuzz_check_error(rc, &err);
        if (rc == 0) {
            use(key);
        }
        sign_key_free(key);
    }
    return 0;
}
