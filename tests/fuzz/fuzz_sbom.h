/* Shared by the SBOM harnesses: catalogue one package database held in an in-memory root
 * (no files on disk), then render the document in every format; the JSON formats must
 * parse back as JSON whatever the package fields hold. */
#ifndef VOUCH_FUZZ_SBOM_H
#define VOUCH_FUZZ_SBOM_H

#include <jansson.h>

#include "fuzz.h"
#include "root_internal.h"
#include "sbom/catalog.h"
#include "sbom/format.h"
#include "vouch/buf.h"

static inline void fuzz_sbom_write(const struct sbom_doc *doc)
{
    static const enum sbom_format fmts[] = {SBOM_FMT_SPDX_JSON, SBOM_FMT_CYCLONEDX_JSON,
                                            SBOM_FMT_TABLE};
    const struct sbom_write_opts o = {0, 1, "0.0.0"};
    for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct vouch_buf b;
        vouch_buf_init(&b, 0);
        int rc = sbom_doc_write(&b, doc, fmts[i], &o, &err);
        fuzz_check_error(rc, &err);
        if (rc == 0 && fmts[i] != SBOM_FMT_TABLE) {
            json_error_t jerr;
            json_t *j = json_loadb((const char *)b.data, b.len, 0, &jerr);
            if (j == NULL) {
                fprintf(stderr, "fuzz: %s output is not JSON: %s\n", sbom_format_name(fmts[i]),
                        jerr.text);
                abort();
            }
            json_decref(j);
        }
        vouch_buf_release(&b);
    }
}

static inline int fuzz_root_add(struct sbom_root *r, const char *path, const void *data,
                                size_t size, struct vouch_error *err)
{
    struct root_entry *e = NULL;
    int rc = root_add(&e, r, path, SBOM_FT_REG, err);
    if (rc == 0) { /* kept as a source keeps it (jars spilled to the temporary file) */
        size_t cap = sbom_catalog_want(path, NULL);
        e->size = size;
        rc = size > 0 ? root_keep(r, e, cap != 0 ? cap : size, data, size, err) : 0;
    }
    return rc;
}

/** Catalogue data as the file at path (plus a Debian os-release for purls). */
static inline void fuzz_sbom_catalog(const char *path, const uint8_t *data, size_t size)
{
    static const char osrel[] = "ID=debian\nVERSION_ID=\"11\"\nPRETTY_NAME=\"Debian 11\"\n";
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_root *r = NULL;
    struct sbom_doc *doc = NULL;
    int rc = root_new(&r, NULL, &err);
    if (rc == 0) {
        rc = fuzz_root_add(r, path, data, size, &err);
    }
    if (rc == 0) {
        rc = fuzz_root_add(r, "etc/os-release", osrel, sizeof(osrel) - 1, &err);
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
}

#endif
