/* A pnpm-lock.yaml through its cataloger (libyaml tree) and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("app/pnpm-lock.yaml", data, size);
    return 0;
}
