/* Local evidence: a directory of vulnerability reports, OpenVEX documents and SBOMs that
 * the operator supplies. Signed envelopes are refused: verifying them needs the
 * signature layer, and an unverified attestation must not count as one. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "evidence_internal.h"
#include "vouch/io.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define DIR_MAX_FILES 256
#define DIR_FILE_MAX ((size_t)64 << 20)

struct dir_sbom {
    char *name;
    char **lic;
    size_t n;
};

struct slsa_evidence_dir {
    struct slsa_vuln_report **reports;
    size_t n_reports;
    struct slsa_vex **vex;
    size_t n_vex;
    struct dir_sbom *sboms;
    size_t n_sboms;
};

void slsa_evidence_dir_free(struct slsa_evidence_dir *d)
{
    if (d == NULL) {
        return;
    }
    for (size_t i = 0; i < d->n_reports; i++) {
        slsa_vuln_report_free(d->reports[i]);
    }
    for (size_t i = 0; i < d->n_vex; i++) {
        slsa_vex_free(d->vex[i]);
    }
    for (size_t i = 0; i < d->n_sboms; i++) {
        for (size_t j = 0; j < d->sboms[i].n; j++) {
            free(d->sboms[i].lic[j]);
        }
        free(d->sboms[i].lic);
        free(d->sboms[i].name);
    }
    free(d->reports);
    free(d->vex);
    free(d->sboms);
    free(d);
}

static int push_ptr(void *arr_ptr, size_t *n, void *item)
{
    void ***arr = arr_ptr;
    void **p = realloc(*arr, (*n + 1) * sizeof(void *));
    if (p == NULL) {
        return VOUCH_ENOMEM;
    }
    *arr = p;
    p[(*n)++] = item;
    return 0;
}

static int add_sbom(struct slsa_evidence_dir *d, const char *path, const json_t *doc)
{
    struct dir_sbom *p = realloc(d->sboms, (d->n_sboms + 1) * sizeof(*p));
    if (p == NULL) {
        return VOUCH_ENOMEM;
    }
    d->sboms = p;
    memset(&p[d->n_sboms], 0, sizeof(*p));
    p = &d->sboms[d->n_sboms++];
    if ((p->name = strdup(path)) == NULL) {
        return VOUCH_ENOMEM;
    }
    return slsa_sbom_licenses(&p->lic, &p->n, doc) == 0 ? 0 : VOUCH_ENOMEM;
}

static int classify(struct slsa_evidence_dir *d, const char *path, const char *text, size_t len,
                    struct vouch_error *err)
{
    json_t *doc = vouch_json_load(text, len, 0, NULL);
    const char *ctx = json_string_value(json_object_get(doc, "@context"));
    int rc;
    if (json_object_get(doc, "payloadType") != NULL && json_object_get(doc, "signatures")) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED,
                             "'%s': signed envelope: signature verification not available", path);
    } else if (ctx != NULL && strncmp(ctx, "https://openvex.dev/ns", 22) == 0) {
        struct slsa_vex *v = NULL;
        rc = slsa_vex_parse(&v, text, len, path, err);
        if (rc == 0 && push_ptr(&d->vex, &d->n_vex, v) != 0) {
            slsa_vex_free(v);
            rc = vouch_enomem(err);
        }
    } else if (json_object_get(doc, "spdxVersion") != NULL ||
               json_object_get(doc, "bomFormat") != NULL) {
        rc = add_sbom(d, path, doc) == 0 ? 0 : vouch_enomem(err);
    } else {
        struct slsa_vuln_report *r = NULL;
        rc = slsa_vuln_report_parse(&r, text, len, path, err);
        if (rc == 0 && push_ptr(&d->reports, &d->n_reports, r) != 0) {
            slsa_vuln_report_free(r);
            rc = vouch_enomem(err);
        }
    }
    json_decref(doc);
    return rc;
}

static int load_file(struct slsa_evidence_dir *d, const char *path, struct vouch_error *err)
{
    unsigned char *text = NULL;
    size_t len = 0, n = strlen(path);
    int rc;
    if (!(n > 5 && strcmp(path + n - 5, ".json") == 0) &&
        !(n > 6 && strcmp(path + n - 6, ".sarif") == 0)) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "'%s': unrecognised evidence file (want .json or .sarif)", path);
    }
    rc = vouch_file_read(&text, &len, path, DIR_FILE_MAX, err);
    if (rc == 0) {
        rc = classify(d, path, (const char *)text, len, err);
    }
    free(text);
    return rc;
}

int slsa_evidence_dir_load(struct slsa_evidence_dir **out, const char *dir, struct vouch_error *err)
{
    struct dirent **ents = NULL;
    struct slsa_evidence_dir *d = calloc(1, sizeof(*d));
    int n = d != NULL ? scandir(dir, &ents, NULL, alphasort) : -1, rc = 0;
    *out = NULL;
    if (d == NULL || n < 0) {
        free(d);
        return vouch_error_sys(err, d == NULL ? VOUCH_ENOMEM : VOUCH_ENOTFOUND, errno,
                               "cannot read evidence directory '%s'", dir);
    }
    if (n > DIR_MAX_FILES + 2) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "'%s': more than %d files", dir, DIR_MAX_FILES);
    }
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        if (rc == 0 && ents[i]->d_name[0] != '.') {
            snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                rc = load_file(d, path, err);
            }
        }
        free(ents[i]);
    }
    free(ents);
    if (rc != 0) {
        slsa_evidence_dir_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

static int dir_collect(void *ctx, struct slsa_evidence *ev, const char *image,
                       struct vouch_error *err)
{
    struct slsa_evidence_dir *d = ctx;
    int rc = 0;
    (void)image;
    for (size_t i = 0; rc == 0 && i < d->n_reports; i++) {
        rc = slsa_evidence_add_vuln_report(ev, d->reports[i], err);
    }
    for (size_t i = 0; rc == 0 && i < d->n_vex; i++) {
        rc = slsa_evidence_add_vex(ev, d->vex[i], err);
    }
    for (size_t i = 0; rc == 0 && i < d->n_sboms; i++) {
        rc = slsa_evidence_add_sbom(ev, d->sboms[i].name, (const char *const *)d->sboms[i].lic,
                                    d->sboms[i].n, err);
    }
    return rc;
}

struct slsa_evidence_provider slsa_evidence_dir_provider(struct slsa_evidence_dir *d)
{
    struct slsa_evidence_provider p = {"evidence-dir", dir_collect, d};
    return p;
}
