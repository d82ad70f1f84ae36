/* RPM header blobs as stored in rpmdb: rpm_header_parse, then rpm_add_blob into a document
 * that is finished (purls, dependencies) and rendered in every format. */
#include "cat_internal.h"
#include "fuzz_sbom.h"
#include "rpm_header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct rpm_info info = {0};
    struct sbom_doc *doc = NULL;
    int rc = rpm_header_parse(&info, data, size, &err);
    fuzz_check_error(rc, &err);
    rpm_info_release(&info);
    if (sbom_doc_new(&doc, "dir", "fuzz", &err) != 0) {
        return 0;
    }
    rc = rpm_add_blob(doc, data, size, "var/lib/rpm/rpmdb.sqlite", &err);
    fuzz_check_error(rc, &err);
    if (rc == 0) {
        rc = doc_finish(doc, &err);
        fuzz_check_error(rc, &err);
    }
    if (rc == 0) {
        fuzz_sbom_write(doc);
    }
    sbom_doc_free(doc);
    return 0;
}
