/* OpenVEX documents: slsa_vex_parse and status lookups. */
#include "fuzz.h"
#include "slsa/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_vex *v = NULL;
    const char *just = NULL;
    int rc = slsa_vex_parse(&v, (const char *)data, size, "fuzz", &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        return 0;
    }
    (void)slsa_vex_count(v);
    (void)slsa_vex_status(v, "CVE-2023-0001", "pkg:deb/debian/openssl@3.0.11", "ghcr.io/acme/app",
                          "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                          &just);
    slsa_vex_free(v);
    return 0;
}
