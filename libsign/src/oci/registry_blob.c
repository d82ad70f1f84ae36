/* Registry blobs: streamed GET (spooled to an unlinked temporary file and digest-checked
 * before use) or capped GET into memory for small blobs, monolithic upload, chunked upload (PATCH
 * with Content-Range), and cross-repository mount. A blob becomes visible only at the final PUT
 * ?digest=. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "ref_internal.h"
#include "registry_internal.h"
#include "vouch/mem.h"

static int spool_read(size_t *got, void *ctx, void *buf, size_t n, struct vouch_error *err)
{
    *got = fread(buf, 1, n, ctx);
    if (*got == 0 && ferror((FILE *)ctx)) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot read temporary file");
    }
    return 0;
}

static void spool_close(void *ctx)
{
    fclose(ctx);
}

/* GET a blob into fp (spooled) or body (in memory, capped), checking its digest. */
static int blob_fetch(struct reg *r, FILE *fp, struct vouch_buf *body, const char *digest,
                      long long size, struct vouch_error *err)
{
    char *path = vouch_strf("/v2/%s/blobs/%s", r->repo, digest);
    char *scope = reg_scope(r, 0);
    char got[SIGN_REF_DIGEST_MAX];
    struct oci_hash *h = NULL;
    struct reg_req req = {.method = "GET", .url = path, .scope = scope, .spool = fp, .out = body};
    struct reg_resp resp = {0};
    int rc = path && scope ? oci_hash_new(&h, digest, err) : vouch_enomem(err);
    req.spool_hash = fp != NULL ? h : NULL;
    req.spool_sized = size >= 0;
    req.spool_max = size;
    rc = rc != 0 ? rc : reg_do(r, &req, &resp, err);
    if (rc == VOUCH_EINVAL && fp != NULL && size >= 0) {
        vouch_error_clear(err);
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "blob %s from '%s/%s' is larger than its declared %lld bytes", digest,
                             r->host, r->repo, size);
    } else if (rc == VOUCH_EINVAL && body != NULL) {
        vouch_error_clear(err);
        rc = vouch_error_set(err, VOUCH_EINVAL, "blob %s is larger than %zu bytes", digest,
                             body->max);
    } else if (rc == 0 && resp.status == 404) {
        rc = vouch_error_set(err, VOUCH_ENOTFOUND, "blob %s not found in '%s/%s'", digest, r->host,
                             r->repo);
    } else if (rc == 0 && resp.status != 200) {
        rc = reg_status_error(r, &resp, "cannot fetch blob", err);
    }
    if (rc == 0 && body != NULL) {
        rc = oci_hash_update(h, body->data, body->len, err);
    }
    rc = rc != 0 ? rc : oci_hash_final(h, got, err);
    if (rc == 0 && strcmp(got, digest) != 0) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "digest mismatch for blob %s from '%s/%s': got %s",
                             digest, r->host, r->repo, got);
    }
    oci_hash_free(h);
    reg_resp_release(&resp);
    free(path);
    free(scope);
    return rc;
}

/* Small blobs the caller wants in memory anyway (signature layers, attestations): straight
 * into a buffer of at most max bytes, no temporary file. */
int reg_blob_read(unsigned char **out, size_t *out_len, struct sign_oci_source *src,
                  const char *digest, size_t max, struct vouch_error *err)
{
    struct vouch_buf body;
    int rc;
    vouch_buf_init(&body, max);
    rc = blob_fetch(src->impl, NULL, &body, digest, -1, err);
    if (rc == 0 && body.data == NULL) {
        rc = vouch_buf_append(&body, "", 0, err);
    }
    if (rc == 0) {
        *out = vouch_buf_steal(&body, out_len);
    }
    vouch_buf_release(&body);
    return rc;
}

int reg_blob_open(struct oci_reader *out, struct sign_oci_source *src, const char *digest,
                  long long size, struct vouch_error *err)
{
    FILE *fp = tmpfile();
    int rc;
    if (fp == NULL) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot create a temporary file");
    }
    rc = blob_fetch(src->impl, fp, NULL, digest, size, err);
    if (rc != 0 || fflush(fp) != 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return rc != 0 ? rc : vouch_error_sys(err, VOUCH_EIO, errno, "temporary file");
    }
    out->read = spool_read;
    out->close = spool_close;
    out->ctx = fp;
    return 0;
}

/* 1 present, 0 absent, or a negative code. */
static int blob_exists(struct reg *r, const char *digest, const char *scope,
                       struct vouch_error *err)
{
    char *path = vouch_strf("/v2/%s/blobs/%s", r->repo, digest);
    struct reg_req req = {.method = "HEAD", .url = path, .scope = scope};
    struct reg_resp resp = {0};
    int rc = path != NULL ? reg_do(r, &req, &resp, err) : vouch_enomem(err);
    if (rc == 0) {
        rc = resp.status == 200   ? 1
             : resp.status == 404 ? 0
                                  : reg_status_error(r, &resp, "cannot check blob", err);
    }
    reg_resp_release(&resp);
    free(path);
    return rc;
}

/* POST an upload (query may ask for a mount): *loc gets the upload URL; *status 201/202. */
static int upload_start(char **loc, long *status, struct reg *r, const char *query,
                        const char *scope, struct vouch_error *err)
{
    char *path = vouch_strf("/v2/%s/blobs/uploads/%s", r->repo, query);
    struct reg_req req = {.method = "POST", .url = path, .scope = scope};
    struct reg_resp resp = {0};
    int rc = path != NULL ? reg_do(r, &req, &resp, err) : vouch_enomem(err);
    *loc = NULL;
    *status = resp.status;
    if (rc == 0 && resp.status != 201 && (resp.status != 202 || resp.location[0] == '\0')) {
        rc = reg_status_error(r, &resp, "cannot start blob upload", err);
    }
    if (rc == 0 && (*loc = strdup(resp.location)) == NULL) {
        rc = vouch_enomem(err);
    }
    reg_resp_release(&resp);
    free(path);
    return rc;
}

static void upload_cancel(struct reg *r, const char *loc, const char *scope)
{
    struct reg_req req = {.method = "DELETE", .url = loc, .scope = scope, .no_retry = 1};
    struct reg_resp resp = {0};
    reg_do(r, &req, &resp, NULL); /* best effort: the registry expires it anyway */
    reg_resp_release(&resp);
}

/* Send one request to the upload URL; on 202 the next URL replaces *loc. */
static int upload_send(char **loc, struct reg *r, const char *method, const char *digest,
                       const void *body, size_t len, const char *range, const char *scope,
                       struct vouch_error *err)
{
    char *esc = digest != NULL ? curl_easy_escape(r->curl, digest, 0) : NULL;
    char *url = digest != NULL ? vouch_strf("%s%cdigest=%s", *loc, strchr(*loc, '?') ? '&' : '?',
                                            esc ? esc : "")
                               : strdup(*loc);
    struct reg_req req = {.method = method,
                          .url = url,
                          .content_type = "application/octet-stream",
                          .content_range = range,
                          .body = body,
                          .body_len = len,
                          .scope = scope};
    struct reg_resp resp = {0};
    long want = digest != NULL ? 201 : 202;
    int rc = url != NULL ? reg_do(r, &req, &resp, err) : vouch_enomem(err);
    if (rc == 0 && resp.status != want) {
        rc = reg_status_error(r, &resp, "cannot upload blob", err);
    }
    if (rc == 0 && want == 202 && resp.location[0] != '\0') {
        char *next = strdup(resp.location);
        rc = next != NULL ? 0 : vouch_enomem(err);
        if (next != NULL) {
            free(*loc);
            *loc = next;
        }
    }
    reg_resp_release(&resp);
    curl_free(esc);
    free(url);
    return rc;
}

int reg_blob_put(struct sign_oci_source *src, const char *digest, const void *data, size_t len,
                 struct vouch_error *err)
{
    struct reg *r = src->impl;
    char *scope = reg_scope(r, 1);
    char *loc = NULL;
    long status = 0;
    int rc = scope == NULL           ? vouch_enomem(err)
             : len <= REG_SMALL_BLOB ? 0 /* cheaper to send again than to ask first */
                                     : blob_exists(r, digest, scope, err);
    if (rc == 0) {
        rc = upload_start(&loc, &status, r, "", scope, err);
        rc = rc != 0 ? rc : upload_send(&loc, r, "PUT", digest, data, len, NULL, scope, err);
        if (rc != 0 && loc != NULL) {
            upload_cancel(r, loc, scope);
        }
    }
    free(loc);
    free(scope);
    return rc < 0 ? rc : 0;
}

/* Fill buf from the verified stream; *n < size only at its end. */
static int chunk_fill(size_t *n, struct sign_oci_blob *in, unsigned char *buf, size_t size,
                      struct vouch_error *err)
{
    size_t got = 1;
    int rc = 0;
    *n = 0;
    while (rc == 0 && *n < size && got > 0) {
        rc = sign_oci_blob_read_some(&got, in, buf + *n, size - *n, err);
        *n += rc == 0 ? got : 0;
    }
    return rc;
}

static int chunked_upload(struct reg *r, char **loc, const char *digest, struct sign_oci_blob *in,
                          const char *scope, struct vouch_error *err)
{
    size_t size = r->opts->chunk_size > 0 ? r->opts->chunk_size : (size_t)8 << 20;
    unsigned char *buf = malloc(size);
    unsigned long long off = 0;
    size_t n = size;
    int rc = buf != NULL ? 0 : vouch_enomem(err);
    while (rc == 0 && n == size) {
        char range[64];
        rc = chunk_fill(&n, in, buf, size, err);
        if (rc == 0 && n > 0) {
            snprintf(range, sizeof(range), "%llu-%llu", off, off + n - 1);
            rc = upload_send(loc, r, "PATCH", NULL, buf, n, range, scope, err);
            off += n;
        }
    }
    rc = rc != 0 ? rc : upload_send(loc, r, "PUT", digest, NULL, 0, NULL, scope, err);
    free(buf);
    return rc;
}

int reg_blob_put_stream(struct sign_oci_source *src, const char *digest, struct sign_oci_blob *in,
                        struct vouch_error *err)
{
    struct reg *r = src->impl;
    char *scope = reg_scope(r, 1);
    char *loc = NULL;
    long status = 0;
    int rc = scope != NULL ? blob_exists(r, digest, scope, err) : vouch_enomem(err);
    if (rc == 0) {
        rc = upload_start(&loc, &status, r, "", scope, err);
        rc = rc != 0 ? rc : chunked_upload(r, &loc, digest, in, scope, err);
        if (rc != 0 && loc != NULL) {
            upload_cancel(r, loc, scope);
        }
    }
    free(loc);
    free(scope);
    return rc < 0 ? rc : 0;
}

int reg_blob_mount(int *done, struct sign_oci_source *dst, struct sign_oci_source *from,
                   const char *digest, struct vouch_error *err)
{
    struct reg *r = dst->impl;
    struct reg *f = from->impl;
    char *scope = NULL, *query = NULL, *loc = NULL, *esc_d = NULL, *esc_f = NULL;
    long status = 0;
    int rc;
    *done = 0;
    if (from->kind != SIGN_OCI_REGISTRY || strcmp(r->host, f->host) != 0 ||
        strcmp(r->repo, f->repo) == 0) {
        return 0;
    }
    scope = vouch_strf("repository:%s:pull,push repository:%s:pull", r->repo, f->repo);
    esc_d = curl_easy_escape(r->curl, digest, 0);
    esc_f = curl_easy_escape(r->curl, f->repo, 0);
    query = esc_d && esc_f ? vouch_strf("?mount=%s&from=%s", esc_d, esc_f) : NULL;
    rc = scope && query ? blob_exists(r, digest, scope, err) : vouch_enomem(err);
    if (rc == 0) {
        rc = upload_start(&loc, &status, r, query, scope, err);
        if (rc == 0 && status == 202) {
            upload_cancel(r, loc, scope); /* not mounted: the caller copies */
        }
    }
    *done = rc == 1 || (rc == 0 && status == 201);
    curl_free(esc_d);
    curl_free(esc_f);
    free(scope);
    free(query);
    free(loc);
    return rc < 0 ? rc : 0;
}
