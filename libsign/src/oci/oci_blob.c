/* The digest-verifying blob stream every backend's bytes pass through: hashed as read, the
 * read that reaches the end fails with VOUCH_EVERIFY when the digest does not match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_internal.h"
#include "vouch/mem.h"

struct sign_oci_blob {
    struct oci_reader rd;
    struct oci_hash *hash;
    char digest[SIGN_REF_DIGEST_MAX];
    unsigned long long seen;
    long long size; /* declared, or -1 */
    int done;
};

int sign_oci_blob_open(struct sign_oci_blob **out, struct sign_oci_source *src, const char *digest,
                       struct vouch_error *err)
{
    return sign_oci_blob_open_sized(out, src, digest, -1, err);
}

int sign_oci_blob_open_sized(struct sign_oci_blob **out, struct sign_oci_source *src,
                             const char *digest, long long size, struct vouch_error *err)
{
    struct sign_oci_blob *b = calloc(1, sizeof(*b));
    int rc;
    *out = NULL;
    if (b == NULL) {
        return vouch_enomem(err);
    }
    b->size = size;
    rc = oci_hash_new(&b->hash, digest, err);
    if (rc == 0) {
        snprintf(b->digest, sizeof(b->digest), "%s", digest);
        rc = src->ops->blob_open(&b->rd, src, digest, size, err);
    }
    if (rc != 0) {
        sign_oci_blob_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

static int blob_finish(struct sign_oci_blob *b, struct vouch_error *err)
{
    char got[SIGN_REF_DIGEST_MAX];
    int rc = oci_hash_final(b->hash, got, err);
    if (rc != 0) {
        return rc;
    }
    if (b->size >= 0 && b->seen != (unsigned long long)b->size) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "blob %s is %llu bytes, its descriptor says %lld", b->digest,
                               b->seen, b->size);
    }
    if (strcmp(got, b->digest) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "digest mismatch for blob %s (%llu bytes read): got %s", b->digest,
                               b->seen, got);
    }
    b->done = 1;
    return 0;
}

int sign_oci_blob_read_some(size_t *got, struct sign_oci_blob *b, void *buf, size_t n,
                            struct vouch_error *err)
{
    int rc;
    *got = 0;
    if (b->done || n == 0) {
        return 0;
    }
    rc = b->rd.read(got, b->rd.ctx, buf, n, err);
    if (rc != 0) {
        *got = 0;
        return rc;
    }
    if (*got == 0) {
        return blob_finish(b, err);
    }
    b->seen += *got;
    if (b->size >= 0 && b->seen > (unsigned long long)b->size) {
        *got = 0;
        return vouch_error_set(err, VOUCH_EVERIFY, "blob %s is larger than its declared %lld bytes",
                               b->digest, b->size);
    }
    return oci_hash_update(b->hash, buf, *got, err);
}

void sign_oci_blob_free(struct sign_oci_blob *b)
{
    if (b == NULL) {
        return;
    }
    if (b->rd.close != NULL) {
        b->rd.close(b->rd.ctx);
    }
    oci_hash_free(b->hash);
    free(b);
}

int sign_oci_blob_read(unsigned char **out, size_t *out_len, struct sign_oci_source *src,
                       const char *digest, size_t max, struct vouch_error *err)
{
    struct sign_oci_blob *b = NULL;
    struct vouch_buf buf;
    unsigned char chunk[16384];
    size_t got = 0;
    int rc;
    *out = NULL;
    *out_len = 0;
    if (src->ops->blob_read != NULL) {
        return src->ops->blob_read(out, out_len, src, digest, max, err);
    }
    rc = sign_oci_blob_open(&b, src, digest, err);
    vouch_buf_init(&buf, max);
    while (rc == 0) {
        rc = sign_oci_blob_read_some(&got, b, chunk, sizeof(chunk), err);
        if (rc != 0 || got == 0) {
            break;
        }
        rc = vouch_buf_append(&buf, chunk, got, NULL);
        if (rc != 0) {
            rc =
                vouch_error_set(err, VOUCH_EINVAL, "blob %s is larger than %zu bytes", digest, max);
        }
    }
    sign_oci_blob_free(b);
    if (rc == 0 && buf.data == NULL) {
        rc = vouch_buf_append(&buf, "", 0, err);
    }
    if (rc == 0) {
        *out = vouch_buf_steal(&buf, out_len);
    }
    vouch_buf_release(&buf);
    return rc;
}
