/* A .NET deps.json through its cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("app/app.deps.json", data, size);
    return 0;
}
