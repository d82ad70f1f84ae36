/* apk's installed database ("X:value" records) through the apk cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("lib/apk/db/installed", data, size);
    return 0;
}
