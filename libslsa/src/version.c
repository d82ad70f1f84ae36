/* Version of libslsa. */
#include "slsa/version.h"
#include "vouch/error.h"

const char *slsa_version(void)
{
    return vouch_version();
}
