/* An installed gemspec (Ruby code, read without running it) through its cataloger and the writers.
 */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("gems/specifications/x-1.gemspec", data, size);
    return 0;
}
