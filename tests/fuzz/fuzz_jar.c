/* A Java archive (zip, nested jars, pom.properties, MANIFEST.MF) through its cataloger and the
 * writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_sbom_catalog("opt/app/app.jar", data, size);
    return 0;
}
