/* OCI/Docker manifests and indexes: oci_manifest_take (JSON object, known media type,
 * digest) and oci_index_find (index.json lookup by tag or the only entry). */
#include "fuzz.h"
#include "oci/oci_internal.h"

static void take(const uint8_t *data, size_t size, const char *hint)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_oci_manifest m = {0};
    unsigned char *copy = malloc(size > 0 ? size : 1);
    if (copy == NULL) {
        return;
    }
    if (size > 0) {
        memcpy(copy, data, size);
    }
    int rc = oci_manifest_take(&m, copy, size, hint, NULL, "fuzz", &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        free(copy); /* taken only on success */
    } else {
        (void)sign_oci_is_index(m.media_type);
        (void)sign_oci_is_manifest_type(m.media_type);
    }
    sign_oci_manifest_release(&m);
}

static void find(const uint8_t *data, size_t size, const char *tag)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct oci_desc d = {0};
    int rc = oci_index_find(&d, data, size, tag, "fuzz", &err);
    fuzz_check_error(rc, &err);
    oci_desc_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    take(data, size, NULL);
    take(data, size, SIGN_OCI_MT_DOCKER_MANIFEST);
    find(data, size, "");
    find(data, size, "latest");
    return 0;
}
