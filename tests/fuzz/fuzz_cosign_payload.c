/* cosign simple-signing payloads: sign_cosign_payload_parse, the accessors and
 * sign_cosign_payload_check against a fixed digest and annotation. */
#include "fuzz.h"
#include "sign/cosign.h"

#define WANT "sha256:0000000000000000000000000000000000000000000000000000000000000000"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct sign_annotation req[] = {{"env", "prod"}};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_cosign_payload *p = NULL;
    int rc = sign_cosign_payload_parse(&p, data, size, &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        return 0;
    }
    (void)strlen(sign_cosign_payload_identity(p));
    (void)strlen(sign_cosign_payload_optional_json(p));
    const char *digest = sign_cosign_payload_digest(p);
    rc = sign_cosign_payload_check(p, digest, req, 1, &err);
    fuzz_check_error(rc, &err);
    rc = sign_cosign_payload_check(p, WANT, NULL, 0, &err);
    fuzz_check_error(rc, &err);
    sign_cosign_payload_free(p);
    return 0;
}
