/* A yarn.lock (classic text or berry YAML) through its cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("app/yarn.lock", data, size);
    return 0;
}
