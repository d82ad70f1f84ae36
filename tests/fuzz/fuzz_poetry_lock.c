/* A poetry.lock through the Python lock cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("app/poetry.lock", data, size);
    return 0;
}
