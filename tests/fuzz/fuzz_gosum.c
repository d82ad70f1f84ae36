/* A go.sum beside a fixed go.mod through the Go cataloger and the writers. */
#include "fuzz_sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char mod[] = "module example.com/m\n\nrequire (\n\texample.com/a v1.0.0\n"
                              "\texample.com/b v0.1.0\n)\n\nreplace example.com/b v0.1.0 => "
                              "example.com/c v0.2.0\n";
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_root *r = NULL;
    struct sbom_doc *doc = NULL;
    int rc = root_new(&r, NULL, &err);
    if (rc == 0) {
        rc = fuzz_root_add(r, "src/go.mod", mod, sizeof(mod) - 1, &err);
    }
    if (rc == 0) {
        rc = fuzz_root_add(r, "src/go.sum", data, size, &err);
    }
    if (rc == 0) {
        root_finish(r);
        rc = sbom_doc_new(&doc, "dir", "fuzz", &err);
    }
    if (rc == 0) {
        rc = sbom_catalog_run(doc, r, &err);
        fuzz_check_error(rc, &err);
    }
    if (rc == 0) {
        fuzz_sbom_write(doc);
    }
    sbom_doc_free(doc);
    sbom_root_free(r);
    return 0;
}
