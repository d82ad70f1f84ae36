/* Version of libsbom. */
#include "sbom/version.h"
#include "vouch/error.h"

const char *sbom_version(void)
{
    return vouch_version();
}
