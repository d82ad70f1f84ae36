/* A NuGet packages.lock.json through its cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("src/packages.lock.json", data, size);
    return 0;
}
