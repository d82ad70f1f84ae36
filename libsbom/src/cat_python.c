/* Python, installed: *.dist-info/METADATA (files from RECORD), *.egg-info/PKG-INFO (files
 * from installed-files.txt) and single-file *.egg-info, at any depth (site-packages,
 * Debian's dist-packages). License from License-Expression, else License, else the
 * "License ::" classifiers; Requires-Dist (without extras) become dependency edges. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cat_python_internal.h"

#define META_CAP ((size_t)4 << 20)
#define RECORD_CAP ((size_t)16 << 20)

static const struct want_rule rules[] = {
    {"**/*.dist-info/METADATA", META_CAP},
    {"**/*.egg-info/PKG-INFO", META_CAP},
    {"**/*.egg-info", META_CAP},
    {"**/*.dist-info/RECORD", RECORD_CAP},
    {"**/*.egg-info/installed-files.txt", RECORD_CAP},
    {NULL, 0},
};

/* "License :: OSI Approved :: X" classifiers with one SPDX meaning (PyPI's list). */
static const char *const classifiers[][2] = {
    {"Apache Software License", "Apache-2.0"},
    {"MIT License", "MIT"},
    {"ISC License (ISCL)", "ISC"},
    {"Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"},
    {"GNU General Public License v2 (GPLv2)", "GPL-2.0-only"},
    {"GNU General Public License v3 (GPLv3)", "GPL-3.0-only"},
    {"GNU Lesser General Public License v2 (LGPLv2)", "LGPL-2.0-only"},
    {"GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only"},
    {"Python Software Foundation License", "PSF-2.0"},
    {"The Unlicense (Unlicense)", "Unlicense"},
    {"Zope Public License", "ZPL-2.1"},
    {"zlib/libpng License", "Zlib"},
};

struct meta {
    const char *name, *version, *lic_expr, *lic;
    size_t name_n, version_n, lic_expr_n, lic_n;
};

static int on_header(const char *key, size_t kn, const char *v, size_t vn, void *vctx)
{
    struct py_hdr_ctx *h = vctx;
    struct meta *m = h->meta;
    if (kn == 4 && strncasecmp(key, "Name", 4) == 0 && m->name == NULL) {
        m->name = v, m->name_n = vn;
    } else if (kn == 7 && strncasecmp(key, "Version", 7) == 0 && m->version == NULL) {
        m->version = v, m->version_n = vn;
    } else if (kn == 18 && strncasecmp(key, "License-Expression", 18) == 0) {
        m->lic_expr = v, m->lic_expr_n = vn;
    } else if (kn == 7 && strncasecmp(key, "License", 7) == 0 && m->lic == NULL) {
        m->lic = v, m->lic_n = vn;
    } else if (kn == 10 && strncasecmp(key, "Classifier", 10) == 0 && vn > 11 &&
               strncmp(v, "License :: ", 11) == 0) {
        const char *last = v;
        for (size_t i = 0; i + 4 <= vn; i++) {
            if (memcmp(v + i, " :: ", 4) == 0) {
                last = v + i + 4;
            }
        }
        size_t ln = vn - (size_t)(last - v);
        const char *use = NULL;
        for (size_t i = 0; i < sizeof(classifiers) / sizeof(classifiers[0]); i++) {
            if (strlen(classifiers[i][0]) == ln && memcmp(classifiers[i][0], last, ln) == 0) {
                use = classifiers[i][1];
            }
        }
        return strv_add_unique(&h->classifier_lics, use ? use : last, use ? (size_t)-1 : ln,
                               h->err);
    } else if (kn == 13 && strncasecmp(key, "Requires-Dist", 13) == 0) {
        return py_add_requirement(&h->k->depends, v, vn, h->err);
    }
    return 0;
}

static int set_licenses(struct sbom_pkg *k, const struct meta *m, struct strv *cls,
                        struct vouch_error *err)
{
    if (m->lic_expr != NULL && m->lic_expr_n > 0) {
        return strv_push(&k->licenses, m->lic_expr, m->lic_expr_n, err);
    }
    if (m->lic != NULL && m->lic_n > 0 && m->lic_n < 128 &&
        memchr(m->lic, '\n', m->lic_n) == NULL &&
        !(m->lic_n == 7 && memcmp(m->lic, "UNKNOWN", 7) == 0)) {
        return strv_push(&k->licenses, m->lic, m->lic_n, err);
    }
    for (size_t i = 0; i < cls->n; i++) {
        if (strv_add_unique(&k->licenses, cls->v[i], (size_t)-1, err) != 0) {
            return VOUCH_ENOMEM;
        }
    }
    return 0;
}

/* A metadata file: path is .../X.dist-info/METADATA, .../X.egg-info/PKG-INFO or the
 * single-file .../X.egg-info. */
static int on_meta(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct py_ctx *c = vctx;
    struct meta m = {0};
    struct py_hdr_ctx h = {.meta = &m, .err = c->err};
    struct sbom_pkg *k;
    int rc;
    if ((rc = doc_pkg_add(&k, c->doc, SBOM_PKG_PYPI, c->err)) != 0) {
        return rc;
    }
    h.k = k;
    rc = py_headers((const char *)d, len, on_header, &h);
    if (rc == 0 && (m.name == NULL || m.version == NULL || m.name_n == 0 || m.version_n == 0)) {
        doc_warn(c->doc, "python: '%s': no Name or Version, skipped", path);
        doc_pkg_drop_last(c->doc);
        strv_release(&h.classifier_lics);
        return 0;
    }
    rc = rc ? rc : util_set(&k->name, m.name, m.name_n, c->err);
    rc = rc ? rc : util_set(&k->version, m.version, m.version_n, c->err);
    rc = rc ? rc : set_licenses(k, &m, &h.classifier_lics, c->err);
    rc = rc ? rc : strv_push(&k->locations, path, (size_t)-1, c->err);
    rc = rc ? rc : py_owned_files(c, k, path);
    strv_release(&h.classifier_lics);
    return rc;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct py_ctx c = {doc, r, doc->npkgs, err};
    int rc = cat_each(r, rules, 3, on_meta, &c);
    return rc ? rc : py_link(doc, c.first, err);
}

const struct cataloger cat_python = {"python", rules, run};
