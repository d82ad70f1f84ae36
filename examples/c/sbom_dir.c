/* examples/c/sbom_dir.c: the SBOM of a directory with libvouch-sbom.
 *
 *   cc sbom_dir.c $(pkg-config --cflags --libs vouch-sbom) -o sbom_dir
 *   ./sbom_dir DIR [spdx-json|cyclonedx-json|table]    # the document on standard output
 *
 * The same catalogers as `vouch sbom dir:DIR`. Uses only the public headers. */
#include <stdio.h>
#include <stdlib.h>

#include <sbom/catalog.h>
#include <sbom/doc.h>
#include <sbom/format.h>
#include <sbom/root.h>
#include <vouch/buf.h>
#include <vouch/error.h>

static int to_stdout(const void *p, size_t n, void *ctx, struct vouch_error *err)
{
    (void)ctx;
    if (fwrite(p, 1, n, stdout) != n) {
        return vouch_error_set(err, VOUCH_EIO, "cannot write to standard output");
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_root_opts opts = {.want = sbom_catalog_want};
    struct sbom_write_opts wo = {.created = 0, .deterministic = 1, .tool_version = NULL};
    struct sbom_root *root = NULL;
    struct sbom_doc *doc = NULL;
    enum sbom_format fmt;
    int rc;
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s DIR [FORMAT]\n", argv[0]);
        return 2;
    }
    rc = sbom_format_parse(&fmt, argc == 3 ? argv[2] : "spdx-json", &err);
    if (rc == 0) {
        rc = sbom_root_open_dir(&root, argv[1], &opts, &err);
    }
    if (rc == 0) {
        rc = sbom_doc_new(&doc, "dir", argv[1], &err);
    }
    if (rc == 0) {
        rc = sbom_catalog_run(doc, root, &err);
    }
    if (rc == 0) {
        rc = sbom_doc_write_to(doc, fmt, &wo, to_stdout, NULL, &err);
    }
    if (rc == 0 && fflush(stdout) != 0) {
        rc = VOUCH_EIO;
    }
    if (rc != 0) {
        fprintf(stderr, "sbom_dir: %s\n", err.msg[0] != '\0' ? err.msg : vouch_code_str(rc));
    } else {
        fprintf(stderr, "%zu packages, %zu files\n", sbom_doc_pkg_count(doc),
                sbom_doc_file_count(doc));
    }
    sbom_doc_free(doc);
    sbom_root_free(root);
    return rc == 0 ? 0 : 2;
}
