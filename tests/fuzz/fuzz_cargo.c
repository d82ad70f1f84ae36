/* A Cargo.lock (the TOML subset Cargo writes) through its cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("src/Cargo.lock", data, size);
    return 0;
}
