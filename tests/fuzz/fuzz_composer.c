/* Composer's vendor/composer/installed.json (v1 array or v2 object) through its cataloger and the
 * writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("app/vendor/composer/installed.json", data, size);
    return 0;
}
