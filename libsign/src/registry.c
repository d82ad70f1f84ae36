/* placeholder */
#include "oci_internal.h"
int oci_registry_init(struct sign_oci_source *src, struct vouch_error *err)
{
    (void)src;
    return vouch_error_set(err, VOUCH_EUNSUPPORTED, "registry not yet supported");
}
