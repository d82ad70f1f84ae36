/* libFuzzer target: DSSE envelope and sigstore bundle parsers (and what a parsed object
 * feeds: re-serialization, embedded keys). Untrusted JSON must never crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sign/bundle.h"
#include "sign/dsse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sign_dsse *env = NULL;
    struct sign_bundle *b = NULL;
    struct sign_key *key = NULL;
    char *out = NULL;
    size_t n = 0;
    if (sign_dsse_parse(&env, data, size, NULL) == 0) {
        sign_dsse_write(&out, &n, env, NULL);
        free(out);
    }
    sign_dsse_free(env);
    if (sign_bundle_parse(&b, data, size, NULL) == 0) {
        sign_bundle_embedded_key(&key, b, NULL);
        sign_key_free(key);
    }
    sign_bundle_free(b);
    return 0;
}
