/* A binary with a cargo-auditable .dep-v0 section (ELF headers, zlib, JSON) through its cataloger
 * and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("usr/local/bin/app", data, size);
    return 0;
}
