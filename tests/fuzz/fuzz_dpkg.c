/* dpkg's status database (deb822 paragraphs) through the dpkg cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("var/lib/dpkg/status", data, size);
    return 0;
}
