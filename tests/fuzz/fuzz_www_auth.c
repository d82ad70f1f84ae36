/* WWW-Authenticate challenges from registries: reg_challenge_parse (RFC 7235 auth-params),
 * whose fields are fixed-size buffers that must stay NUL-terminated. */
#include "fuzz.h"
#include "oci/registry_internal.h"

static void terminated(const char *field, size_t size)
{
    if (memchr(field, '\0', size) == NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reg_challenge c;
    char *s = fuzz_cstr(data, size);
    if (s == NULL) {
        return 0;
    }
    memset(&c, 0x55, sizeof(c));
    if (reg_challenge_parse(&c, s) == 0) {
        terminated(c.scheme, sizeof(c.scheme));
        terminated(c.realm, sizeof(c.realm));
        terminated(c.service, sizeof(c.service));
        terminated(c.scope, sizeof(c.scope));
    }
    free(s);
    return 0;
}
