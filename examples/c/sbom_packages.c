/* examples/c/sbom_packages.c: read what libvouch-sbom found, package by package.
 *
 *   cc sbom_packages.c $(pkg-config --cflags --libs vouch-sbom) -o sbom_packages
 *   ./sbom_packages DIR
 *
 * Prints a header (library version, source, distribution) on standard error, then one
 * tab-separated line per package on standard output: type, name, version, PURL, declared
 * licenses (comma-separated), the file it was found in, the layer that added it, its number
 * of owned files and the names of the packages it depends on. Uses only the public headers:
 * the document's accessors are the read API for C programs. */
#include <stdio.h>
#include <stdlib.h>

#include <sbom/catalog.h>
#include <sbom/doc.h>
#include <sbom/root.h>
#include <sbom/version.h>
#include <vouch/error.h>

static const char *or_dash(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : "-";
}

static void print_pkg(const struct sbom_doc *doc, const struct sbom_pkg *p)
{
    size_t i;
    printf("%s\t%s\t%s\t%s\t", sbom_pkg_type_name(sbom_pkg_type(p)), or_dash(sbom_pkg_name(p)),
           or_dash(sbom_pkg_version(p)), or_dash(sbom_pkg_purl(p)));
    for (i = 0; i < sbom_pkg_license_count(p); i++) {
        printf("%s%s", i > 0 ? "," : "", sbom_pkg_license(p, i));
    }
    printf("%s\t%s\t%s\t%zu\t", sbom_pkg_license_count(p) == 0 ? "-" : "",
           sbom_pkg_location_count(p) > 0 ? sbom_pkg_location(p, 0) : "-",
           or_dash(sbom_pkg_layer(p)), sbom_pkg_file_count(p));
    for (i = 0; i < sbom_pkg_dep_count(p); i++) {
        size_t d = sbom_pkg_dep(p, i);
        printf("%s%s", i > 0 ? "," : "", sbom_pkg_name(sbom_doc_pkg(doc, d)));
    }
    printf("%s\n", sbom_pkg_dep_count(p) == 0 ? "-" : "");
}

int main(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_root_opts opts = {.want = sbom_catalog_want};
    struct sbom_root *root = NULL;
    struct sbom_doc *doc = NULL;
    size_t i;
    int rc;
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    rc = sbom_root_open_dir(&root, argv[1], &opts, &err);
    if (rc == 0) {
        rc = sbom_doc_new(&doc, "dir", argv[1], &err);
    }
    if (rc == 0) {
        rc = sbom_catalog_run(doc, root, &err);
    }
    if (rc != 0) {
        fprintf(stderr, "sbom_packages: %s\n", err.msg[0] != '\0' ? err.msg : vouch_code_str(rc));
        sbom_doc_free(doc);
        sbom_root_free(root);
        return 2;
    }
    fprintf(stderr, "libvouch-sbom %s; source %s:%s; distro %s %s (%s)\n", sbom_version(),
            sbom_doc_source_kind(doc), sbom_doc_source_name(doc), or_dash(sbom_doc_distro_id(doc)),
            or_dash(sbom_doc_distro_version(doc)), or_dash(sbom_doc_distro_name(doc)));
    for (i = 0; i < sbom_doc_pkg_count(doc); i++) {
        print_pkg(doc, sbom_doc_pkg(doc, i));
    }
    for (i = 0; i < sbom_doc_warning_count(doc); i++) {
        fprintf(stderr, "warning: %s\n", sbom_doc_warning(doc, i));
    }
    rc = fflush(stdout) != 0 ? 2 : 0;
    sbom_doc_free(doc);
    sbom_root_free(root);
    return rc;
}
