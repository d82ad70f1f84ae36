/* Message digests over OpenSSL EVP: a table of algorithms, a streaming context, and a
 * file digest that reads fixed-size chunks with read(2) so memory stays flat. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "vouch/digest.h"
#include "vouch/mem.h"

/* sign_digest_file reads in chunks of this size (the blob helper depends on it being
 * large enough to keep syscalls rare on multi-GiB files). */
#define DIGEST_CHUNK ((size_t)256 << 10)

struct sign_digest {
    EVP_MD_CTX *ctx;
};

static const struct {
    enum sign_hash alg;
    const char *name;
    size_t size;
    const EVP_MD *(*md)(void);
} hash_rows[] = {
    {SIGN_HASH_SHA256, "sha256", 32, EVP_sha256},
    {SIGN_HASH_SHA384, "sha384", 48, EVP_sha384},
    {SIGN_HASH_SHA512, "sha512", 64, EVP_sha512},
    {SIGN_HASH_SHA1, "sha1", 20, EVP_sha1},
};

#define HASH_ROWS (sizeof(hash_rows) / sizeof(hash_rows[0]))

static int hash_row(enum sign_hash alg)
{
    for (size_t i = 0; i < HASH_ROWS; i++) {
        if (hash_rows[i].alg == alg) {
            return (int)i;
        }
    }
    return -1;
}

size_t sign_hash_size(enum sign_hash alg)
{
    int i = hash_row(alg);
    return i < 0 ? 0 : hash_rows[i].size;
}

const char *sign_hash_name(enum sign_hash alg)
{
    int i = hash_row(alg);
    return i < 0 ? "unknown" : hash_rows[i].name;
}

int sign_hash_from_name(enum sign_hash *out, const char *name, struct vouch_error *err)
{
    for (size_t i = 0; i < HASH_ROWS; i++) {
        if (strcmp(hash_rows[i].name, name) == 0) {
            *out = hash_rows[i].alg;
            return 0;
        }
    }
    return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported hash algorithm '%s'", name);
}

int sign_digest_new(struct sign_digest **out, enum sign_hash alg, struct vouch_error *err)
{
    struct sign_digest *d;
    int i = hash_row(alg);
    *out = NULL;
    if (i < 0) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported hash algorithm %d", (int)alg);
    }
    d = calloc(1, sizeof(*d));
    if (d == NULL) {
        return vouch_enomem(err);
    }
    d->ctx = EVP_MD_CTX_new();
    if (d->ctx == NULL || EVP_DigestInit_ex(d->ctx, hash_rows[i].md(), NULL) != 1) {
        sign_digest_free(d);
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot start %s digest", hash_rows[i].name);
    }
    *out = d;
    return 0;
}

int sign_digest_update(struct sign_digest *d, const void *p, size_t n, struct vouch_error *err)
{
    if (n > 0 && EVP_DigestUpdate(d->ctx, p, n) != 1) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "digest update failed");
    }
    return 0;
}

int sign_digest_final(struct sign_digest *d, unsigned char *out, size_t *out_len,
                      struct vouch_error *err)
{
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(d->ctx, out, &n) != 1) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "digest final failed");
    }
    *out_len = n;
    return 0;
}

void sign_digest_free(struct sign_digest *d)
{
    if (d == NULL) {
        return;
    }
    EVP_MD_CTX_free(d->ctx);
    free(d);
}

int sign_digest_buf(unsigned char *out, size_t *out_len, enum sign_hash alg, const void *p,
                    size_t n, struct vouch_error *err)
{
    struct sign_digest *d = NULL;
    int rc = sign_digest_new(&d, alg, err);
    if (rc == 0) {
        rc = sign_digest_update(d, p, n, err);
    }
    if (rc == 0) {
        rc = sign_digest_final(d, out, out_len, err);
    }
    sign_digest_free(d);
    return rc;
}

/* Feed every byte readable from fd into d. */
static int digest_fd(struct sign_digest *d, int fd, const char *path, struct vouch_error *err)
{
    int rc = 0;
    unsigned char *chunk = malloc(DIGEST_CHUNK);
    if (chunk == NULL) {
        return vouch_enomem(err);
    }
    for (;;) {
        ssize_t n = read(fd, chunk, DIGEST_CHUNK);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = vouch_error_sys(err, VOUCH_EIO, errno, "cannot read '%s'", path);
            break;
        }
        if (n == 0) {
            break;
        }
        rc = sign_digest_update(d, chunk, (size_t)n, err);
        if (rc != 0) {
            break;
        }
    }
    free(chunk);
    return rc;
}

int sign_digest_file(unsigned char *out, size_t *out_len, enum sign_hash alg, const char *path,
                     struct vouch_error *err)
{
    struct sign_digest *d = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    int rc;
    if (fd < 0) {
        int e = errno;
        return vouch_error_sys(err, e == ENOENT ? VOUCH_ENOTFOUND : VOUCH_EIO, e,
                               "cannot open '%s'", path);
    }
    rc = sign_digest_new(&d, alg, err);
    if (rc == 0) {
        rc = digest_fd(d, fd, path, err);
    }
    if (rc == 0) {
        rc = sign_digest_final(d, out, out_len, err);
    }
    sign_digest_free(d);
    if (!is_stdin) {
        close(fd);
    }
    return rc;
}
