/* Blob signatures: stream-hash then sign the digest (ECDSA/RSA); Ed25519 signs the mapped
 * file, since pure Ed25519 hashes the message twice internally and cannot take a digest. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "sign/blob.h"

/* A read-only view of a whole file. */
struct blob_map {
    const unsigned char *p;
    size_t len;
    int mapped;
};

static int map_open(struct blob_map *m, const char *path, struct vouch_error *err)
{
    struct stat st;
    int fd;
    memset(m, 0, sizeof(*m));
    m->p = (const unsigned char *)"";
    if (strcmp(path, "-") == 0) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "ed25519 blob signatures need a file, not stdin");
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return vouch_error_sys(err, e == ENOENT ? VOUCH_ENOTFOUND : VOUCH_EIO, e,
                               "cannot open '%s'", path);
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        close(fd);
        return vouch_error_sys(err, VOUCH_EIO, e, "cannot map '%s': not a regular file", path);
    }
    if (st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            close(fd);
            return vouch_error_sys(err, VOUCH_EIO, e, "cannot map '%s'", path);
        }
        posix_madvise(p, (size_t)st.st_size, POSIX_MADV_SEQUENTIAL);
        m->p = p;
        m->len = (size_t)st.st_size;
        m->mapped = 1;
    }
    close(fd);
    return 0;
}

static void map_close(struct blob_map *m)
{
    if (m->mapped) {
        munmap((void *)m->p, m->len);
    }
    memset(m, 0, sizeof(*m));
}

static int is_ed25519(const struct sign_key *key)
{
    return sign_key_type_of(key) == SIGN_KEY_ED25519;
}

/* The hash a blob is digested with: the signed digest's when known (a bundle's
 * messageDigest), else the key's default (SHA-256 reported for Ed25519). */
static enum sign_hash blob_hash(const struct sign_key *key, const struct sign_blob_digest *want)
{
    if (want != NULL) {
        return want->alg;
    }
    return is_ed25519(key) ? SIGN_HASH_SHA256 : sign_key_default_hash(key);
}

static int digest_file(struct sign_blob_digest *d, enum sign_hash alg, const char *path,
                       struct vouch_error *err)
{
    memset(d, 0, sizeof(*d));
    d->alg = alg;
    return sign_digest_file(d->value, &d->len, alg, path, err);
}

int sign_blob_digest_file(struct sign_blob_digest *d, const struct sign_key *key, const char *path,
                          struct vouch_error *err)
{
    return digest_file(d, blob_hash(key, NULL), path, err);
}

static int check_want(const struct sign_blob_digest *got, const struct sign_blob_digest *want,
                      struct vouch_error *err)
{
    if (want == NULL) {
        return 0;
    }
    if (want->alg != got->alg || want->len != got->len ||
        sodium_memcmp(want->value, got->value, got->len) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "digest does not match the signed message digest");
    }
    return 0;
}

int sign_blob_sign(unsigned char **sig, size_t *sig_len, struct sign_blob_digest *digest,
                   const struct sign_key *key, const char *path, struct vouch_error *err)
{
    struct sign_blob_digest d;
    struct blob_map m;
    int rc;
    *sig = NULL;
    *sig_len = 0;
    memset(&d, 0, sizeof(d));
    if (!is_ed25519(key)) {
        rc = sign_blob_digest_file(&d, key, path, err);
        rc = rc != 0 ? rc : sign_key_sign_digest(sig, sig_len, key, d.alg, d.value, d.len, err);
    } else {
        rc = map_open(&m, path, err);
        if (rc != 0) {
            return rc;
        }
        d.alg = SIGN_HASH_SHA256;
        rc = sign_digest_buf(d.value, &d.len, d.alg, m.p, m.len, err);
        rc = rc != 0 ? rc : sign_key_sign_msg(sig, sig_len, key, d.alg, m.p, m.len, err);
        map_close(&m);
    }
    if (rc == 0 && digest != NULL) {
        *digest = d;
    }
    return rc;
}

static int verify_ed25519(struct sign_blob_digest *d, const struct sign_key *key, const char *path,
                          const struct sign_blob_digest *want, const unsigned char *sig,
                          size_t sig_len, struct vouch_error *err)
{
    struct blob_map m;
    int rc = map_open(&m, path, err);
    if (rc != 0) {
        return rc;
    }
    memset(d, 0, sizeof(*d));
    d->alg = blob_hash(key, want);
    rc = sign_digest_buf(d->value, &d->len, d->alg, m.p, m.len, err);
    rc = rc != 0 ? rc : check_want(d, want, err);
    rc = rc != 0 ? rc : sign_key_verify_msg(key, d->alg, m.p, m.len, sig, sig_len, err);
    map_close(&m);
    return rc;
}

int sign_blob_verify(struct sign_blob_digest *digest, const struct sign_key *key, const char *path,
                     const struct sign_blob_digest *want, const unsigned char *sig, size_t sig_len,
                     struct vouch_error *err)
{
    struct sign_blob_digest d;
    int rc;
    memset(&d, 0, sizeof(d));
    if (is_ed25519(key)) {
        rc = verify_ed25519(&d, key, path, want, sig, sig_len, err);
    } else {
        rc = digest_file(&d, blob_hash(key, want), path, err);
        rc = rc != 0 ? rc : check_want(&d, want, err);
        rc = rc != 0 ? rc : sign_key_verify_digest(key, d.alg, d.value, d.len, sig, sig_len, err);
    }
    if (digest != NULL) {
        *digest = d;
    }
    return rc;
}
