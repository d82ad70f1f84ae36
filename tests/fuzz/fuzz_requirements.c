/* A requirements.txt through the Python lock cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("app/requirements.txt", data, size);
    return 0;
}
