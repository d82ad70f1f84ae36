/* Helpers for libsbom unit tests: build a root directory from fixtures, catalogue it,
 * find packages. Included by test_*.c in this folder. */
#ifndef SBOM_TEST_H
#define SBOM_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testsupport.h"

#include "sbom/catalog.h"
#include "sbom/doc.h"
#include "sbom/root.h"

/* A fresh temporary directory (a copy of ts_tmpdir's static buffer, in out). */
static inline const char *st_tmp(char out[4096], const char *name)
{
    snprintf(out, 4096, "%s", ts_tmpdir(name));
    return out;
}

/* Write data at root/rel, creating parent directories. */
static inline void st_put(const char *root, const char *rel, const void *data, size_t len)
{
    char path[8448];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    ts_write(path, data, len);
}

/* Copy a test vector (path under testvectors/) to root/rel. */
static inline void st_copy(const char *root, const char *rel, const char *vector)
{
    char src[4096];
    size_t n;
    unsigned char *d;
    snprintf(src, sizeof(src), "testvectors/%s", vector);
    d = ts_read(ts_src(src), &n);
    st_put(root, rel, d, n);
    free(d);
}

/* Catalogue directory dir into a new document. */
static inline struct sbom_doc *st_catalog(const char *dir)
{
    struct sbom_root_opts o = {.want = sbom_catalog_want};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_root *r = NULL;
    struct sbom_doc *doc = NULL;
    if (sbom_root_open_dir(&r, dir, &o, &err) != 0 || sbom_doc_new(&doc, "dir", dir, &err) != 0 ||
        sbom_catalog_run(doc, r, &err) != 0) {
        fail_msg("catalog %s: %s", dir, err.msg);
    }
    sbom_root_free(r);
    return doc;
}

/* The package named name (fails the test when absent). */
static inline const struct sbom_pkg *st_pkg(const struct sbom_doc *doc, const char *name)
{
    for (size_t i = 0; i < sbom_doc_pkg_count(doc); i++) {
        const struct sbom_pkg *p = sbom_doc_pkg(doc, i);
        if (strcmp(sbom_pkg_name(p), name) == 0) {
            return p;
        }
    }
    fail_msg("package %s not found", name);
    return NULL;
}

/* Assert name has version and arch. */
static inline void st_expect(const struct sbom_doc *doc, const char *name, const char *version,
                             const char *arch)
{
    const struct sbom_pkg *p = st_pkg(doc, name);
    assert_string_equal(version, sbom_pkg_version(p) ? sbom_pkg_version(p) : "");
    if (arch != NULL) {
        assert_string_equal(arch, sbom_pkg_arch(p));
    }
}

#endif
