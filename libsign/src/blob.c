/* Blob signatures: stream-hash then sign the digest (ECDSA/RSA); Ed25519 signs as cosign v3
 * does, Ed25519ph (RFC 8032) streamed through libsodium's multi-part API, so memory stays flat.
 * Pure Ed25519 signatures (older cosign and vouch) are still accepted on verify: pure Ed25519
 * hashes the message twice and cannot stream, so that fallback maps the file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "key_internal.h"
#include "sign/blob.h"
#include "vouch/mem.h"

#define BLOB_CHUNK ((size_t)1 << 16)

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
 * messageDigest), else the key's default (SHA-512 for Ed25519ph, the hash it signs). */
static enum sign_hash blob_hash(const struct sign_key *key, const struct sign_blob_digest *want)
{
    if (want != NULL) {
        return want->alg;
    }
    return is_ed25519(key) ? SIGN_HASH_SHA512 : sign_key_default_hash(key);
}

/* Feed the file at path ("-": stdin) to a fresh Ed25519ph state in chunks; d gets the
 * file's SHA-512, the prehash Ed25519ph signs (read from a copy of the state's hash). */
static int ph_stream(crypto_sign_ed25519ph_state *st, struct sign_blob_digest *d, const char *path,
                     struct vouch_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    unsigned char *buf = NULL;
    crypto_hash_sha512_state copy;
    size_t n;
    int rc = 0;
    if (fp == NULL) {
        int e = errno;
        return vouch_error_sys(err, e == ENOENT ? VOUCH_ENOTFOUND : VOUCH_EIO, e,
                               "cannot open '%s'", path);
    }
    buf = malloc(BLOB_CHUNK);
    crypto_sign_ed25519ph_init(st);
    while (buf != NULL && (n = fread(buf, 1, BLOB_CHUNK, fp)) > 0) {
        crypto_sign_ed25519ph_update(st, buf, n);
    }
    if (buf == NULL) {
        rc = vouch_enomem(err);
    } else if (ferror(fp)) {
        rc = vouch_error_sys(err, VOUCH_EIO, errno, "cannot read '%s'", path);
    }
    if (!is_stdin) {
        fclose(fp);
    }
    free(buf);
    memset(d, 0, sizeof(*d));
    d->alg = SIGN_HASH_SHA512;
    d->len = crypto_hash_sha512_BYTES;
    copy = st->hs;
    crypto_hash_sha512_final(&copy, d->value);
    return rc;
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
    int rc;
    *sig = NULL;
    *sig_len = 0;
    memset(&d, 0, sizeof(d));
    if (!is_ed25519(key)) {
        rc = sign_blob_digest_file(&d, key, path, err);
        rc = rc != 0 ? rc : sign_key_sign_digest(sig, sig_len, key, d.alg, d.value, d.len, err);
    } else {
        crypto_sign_ed25519ph_state st;
        rc = ph_stream(&st, &d, path, err);
        if (rc == 0 && (*sig = malloc(crypto_sign_BYTES)) == NULL) {
            rc = vouch_enomem(err);
        }
        rc = rc != 0 ? rc : key_ed25519ph_final_create(*sig, key, &st, err);
        *sig_len = rc == 0 ? crypto_sign_BYTES : 0;
        sodium_memzero(&st, sizeof(st));
    }
    if (rc != 0) {
        free(*sig);
        *sig = NULL;
    }
    if (rc == 0 && digest != NULL) {
        *digest = d;
    }
    return rc;
}

/* Pure Ed25519 over the mapped file (signatures made before Ed25519ph). */
static int verify_pure(const struct sign_key *key, const char *path, const unsigned char *sig,
                       size_t sig_len, struct vouch_error *err)
{
    struct blob_map m;
    int rc = map_open(&m, path, err);
    rc = rc != 0 ? rc : sign_key_verify_msg(key, SIGN_HASH_SHA512, m.p, m.len, sig, sig_len, err);
    map_close(&m);
    return rc;
}

/* Ed25519ph over the streamed file first; a pure Ed25519 signature of a file is accepted
 * too. The digest checked against want is of want's algorithm (older bundles: SHA-256). */
static int verify_ed25519(struct sign_blob_digest *d, const struct sign_key *key, const char *path,
                          const struct sign_blob_digest *want, const unsigned char *sig,
                          size_t sig_len, struct vouch_error *err)
{
    crypto_sign_ed25519ph_state st;
    int rc = ph_stream(&st, d, path, err);
    if (rc == 0 && want != NULL && want->alg != SIGN_HASH_SHA512) {
        rc = digest_file(d, want->alg, path, err);
    }
    rc = rc != 0 ? rc : check_want(d, want, err);
    if (rc == 0 && !key_ed25519ph_final_verify(key, &st, sig, sig_len)) {
        rc = strcmp(path, "-") != 0 ? verify_pure(key, path, sig, sig_len, err)
                                    : vouch_error_set(err, VOUCH_EVERIFY, "invalid signature");
    }
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
