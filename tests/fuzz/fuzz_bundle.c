/* Sigstore bundles (v0.1-v0.3) and cosign's old blob bundle: sign_bundle_parse, the
 * accessors, the embedded key (certificate or PEM) and DSSE verification with the seed keys. */
#include "fuzz.h"
#include "fuzz_keys.h"
#include "sign/bundle.h"

static void use(const struct sign_bundle *b)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_blob_digest digest;
    struct sign_key *key = NULL;
    size_t len = 0;
    (void)sign_bundle_kind_of(b);
    (void)sign_bundle_is_legacy(b);
    (void)sign_bundle_media_type(b);
    (void)sign_bundle_material_of(b);
    (void)sign_bundle_key_hint(b);
    (void)sign_bundle_signature(b, &len);
    (void)sign_bundle_message_digest(&digest, b);
    int rc = sign_bundle_embedded_key(&key, b, &err);
    fuzz_check_error(rc, &err);
    sign_key_free(key);
    if (sign_bundle_kind_of(b) != SIGN_BUNDLE_DSSE) {
        return;
    }
    for (size_t i = 0; i < FUZZ_NKEYS; i++) {
        unsigned char *payload = NULL;
        struct vouch_error verr = VOUCH_ERROR_INIT;
        rc = sign_bundle_verify_dsse(&payload, &len, b, fuzz_keys()[i], &verr);
        fuzz_check_error(rc, &verr);
        free(payload);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_bundle *b = NULL;
    int rc = sign_bundle_parse(&b, data, size, &err);
    fuzz_check_error(rc, &err);
    if (rc == 0) {
        use(b);
    }
    sign_bundle_free(b);
    return 0;
}
