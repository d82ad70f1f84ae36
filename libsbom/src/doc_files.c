/* The document's files: fixed-layout records appended to a spool in path order while the
 * root is walked, read back by cursors, so memory does not grow with the file count.
 * Record: u32 path length, path, SHA-256, SHA-1, u64 size, u32 layer (0: none, else
 * index + 1 into doc->layers), integers little-endian. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "vouch/mem.h"

#define REC_TAIL (32 + 20 + 8 + 4)

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        p[i] = (unsigned char)(v >> (8 * i));
    }
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* Index + 1 of layer in doc->layers, added when new (an image has a few layers). */
static int layer_ref(uint32_t *out, struct sbom_doc *doc, const char *layer,
                     struct vouch_error *err)
{
    *out = 0;
    if (layer == NULL) {
        return 0;
    }
    for (size_t i = doc->layers.n; i > 0; i--) {
        if (strcmp(doc->layers.v[i - 1], layer) == 0) {
            *out = (uint32_t)i;
            return 0;
        }
    }
    if (strv_push(&doc->layers, layer, (size_t)-1, err) != 0) {
        return VOUCH_ENOMEM;
    }
    *out = (uint32_t)doc->layers.n;
    return 0;
}

static int check_order(struct sbom_doc *doc, const char *path, size_t len, struct vouch_error *err)
{
    if (len > DOC_PATH_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "path longer than %d bytes", DOC_PATH_MAX);
    }
    if (doc->last_path == NULL) {
        if ((doc->last_path = malloc(DOC_PATH_MAX + 1)) == NULL) {
            return vouch_enomem(err);
        }
    } else if (strcmp(doc->last_path, path) >= 0) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "file '%s' added out of order", path);
    }
    memcpy(doc->last_path, path, len + 1);
    return 0;
}

int doc_file_add(struct sbom_doc *doc, const char *path, const unsigned char sha256[32],
                 const unsigned char sha1[20], uint64_t size, const char *layer,
                 struct vouch_error *err)
{
    unsigned char head[4], tail[REC_TAIL];
    size_t len = strlen(path);
    uint32_t lref;
    int rc = check_order(doc, path, len, err);
    rc = rc ? rc : layer_ref(&lref, doc, layer, err);
    if (rc == 0 && doc->files.fp == NULL) {
        rc = spool_init(&doc->files, err);
    }
    if (rc != 0) {
        return rc;
    }
    put_le(head, len, 4);
    memcpy(tail, sha256, 32);
    memcpy(tail + 32, sha1, 20);
    put_le(tail + 52, size, 8);
    put_le(tail + 60, lref, 4);
    rc = spool_append(&doc->files, head, sizeof(head), err);
    rc = rc ? rc : spool_append(&doc->files, path, len, err);
    rc = rc ? rc : spool_append(&doc->files, tail, sizeof(tail), err);
    if (rc == 0) {
        doc->nfiles++;
    }
    return rc;
}

void doc_files_release(struct sbom_doc *doc)
{
    spool_release(&doc->files);
    strv_release(&doc->layers);
    free(doc->last_path);
    doc->last_path = NULL;
    doc->nfiles = 0;
}

size_t sbom_doc_file_count(const struct sbom_doc *doc)
{
    return doc->nfiles;
}

int sbom_file_iter_new(struct sbom_file_iter **out, const struct sbom_doc *doc,
                       struct vouch_error *err)
{
    struct sbom_file_iter *it = calloc(1, sizeof(*it));
    *out = NULL;
    if (it == NULL) {
        return vouch_enomem(err);
    }
    it->doc = doc;
    spool_reader_init(&it->r, &doc->files);
    it->f.path = it->path;
    *out = it;
    return 0;
}

int sbom_file_iter_next(const struct sbom_file **out, struct sbom_file_iter *it,
                        struct vouch_error *err)
{
    unsigned char head[4], tail[REC_TAIL];
    uint64_t len, lref;
    int rc;
    *out = NULL;
    if (it->i >= it->doc->nfiles) {
        return 0;
    }
    if ((rc = spool_reader_read(&it->r, head, sizeof(head), err)) != 0) {
        return rc;
    }
    len = get_le(head, 4);
    if (len > DOC_PATH_MAX) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "corrupt file record");
    }
    rc = spool_reader_read(&it->r, it->path, (size_t)len, err);
    rc = rc ? rc : spool_reader_read(&it->r, tail, sizeof(tail), err);
    if (rc != 0) {
        return rc;
    }
    it->path[len] = '\0';
    memcpy(it->f.sha256, tail, 32);
    memcpy(it->f.sha1, tail + 32, 20);
    it->f.size = get_le(tail + 52, 8);
    lref = get_le(tail + 60, 4);
    if (lref > it->doc->layers.n) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "corrupt file record");
    }
    it->f.layer = lref > 0 ? it->doc->layers.v[lref - 1] : NULL;
    it->i++;
    *out = &it->f;
    return 0;
}

void sbom_file_iter_free(struct sbom_file_iter *it)
{
    free(it);
}

struct mark {
    const char *path;
    unsigned char *flag;
};

static int mark_cmp(const void *a, const void *b)
{
    return strcmp(((const struct mark *)a)->path, ((const struct mark *)b)->path);
}

static int collect_marks(struct mark **out, size_t *n, struct sbom_doc *doc,
                         struct vouch_error *err)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < doc->npkgs; i++) {
        struct sbom_pkg *p = doc->pkgs[i];
        free(p->in_doc);
        p->in_doc = p->files.n > 0 ? calloc(p->files.n, 1) : NULL;
        if (p->files.n > 0 && p->in_doc == NULL) {
            return vouch_enomem(err);
        }
        total += p->files.n;
    }
    *n = total;
    *out = total > 0 ? calloc(total, sizeof(**out)) : NULL;
    if (total > 0 && *out == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < doc->npkgs; i++) {
        for (size_t j = 0; j < doc->pkgs[i]->files.n; j++, k++) {
            (*out)[k].path = doc->pkgs[i]->files.v[j];
            (*out)[k].flag = &doc->pkgs[i]->in_doc[j];
        }
    }
    return 0;
}

/* A merge of the sorted package file names against the sorted records: one pass over the
 * spool, memory in proportion to the package databases only. */
int doc_files_mark(struct sbom_doc *doc, struct vouch_error *err)
{
    struct sbom_file_iter *it = NULL;
    const struct sbom_file *f = NULL;
    struct mark *m = NULL;
    size_t n = 0, k = 0;
    int rc = collect_marks(&m, &n, doc, err);
    if (rc != 0 || n == 0) {
        goto done;
    }
    qsort(m, n, sizeof(*m), mark_cmp);
    rc = sbom_file_iter_new(&it, doc, err);
    rc = rc ? rc : sbom_file_iter_next(&f, it, err);
    while (rc == 0 && f != NULL && k < n) {
        int c = strcmp(m[k].path, f->path);
        if (c <= 0) {
            *m[k++].flag = c == 0;
        } else {
            rc = sbom_file_iter_next(&f, it, err);
        }
    }
done:
    sbom_file_iter_free(it);
    free(m);
    return rc;
}
