/* OCI digest strings ("sha256:<hex>") over OpenSSL's EVP digests, for streaming checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "oci_internal.h"
#include "vouch/encoding.h"

struct oci_hash {
    EVP_MD_CTX *ctx;
    const EVP_MD *md;
    char alg[8];
};

int oci_hash_new(struct oci_hash **out, const char *digest, struct vouch_error *err)
{
    enum sign_hash alg = SIGN_HASH_SHA256;
    const EVP_MD *md;
    struct oci_hash *h;
    int rc = digest != NULL ? sign_ref_digest_check(&alg, digest, err) : 0;
    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    md = alg == SIGN_HASH_SHA512   ? EVP_sha512()
         : alg == SIGN_HASH_SHA384 ? EVP_sha384()
                                   : EVP_sha256();
    h = calloc(1, sizeof(*h));
    if (h == NULL || (h->ctx = EVP_MD_CTX_new()) == NULL ||
        EVP_DigestInit_ex(h->ctx, md, NULL) != 1) {
        oci_hash_free(h);
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot start digest");
    }
    h->md = md;
    snprintf(h->alg, sizeof(h->alg), "%s",
             alg == SIGN_HASH_SHA512   ? "sha512"
             : alg == SIGN_HASH_SHA384 ? "sha384"
                                       : "sha256");
    *out = h;
    return 0;
}

int oci_hash_update(struct oci_hash *h, const void *p, size_t n, struct vouch_error *err)
{
    if (n > 0 && EVP_DigestUpdate(h->ctx, p, n) != 1) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "digest update failed");
    }
    return 0;
}

int oci_hash_final(struct oci_hash *h, char *out, struct vouch_error *err)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    size_t used;
    if (EVP_DigestFinal_ex(h->ctx, md, &n) != 1) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "digest final failed");
    }
    used = strlen(h->alg);
    memcpy(out, h->alg, used);
    out[used] = ':';
    vouch_hex_encode(out + used + 1, md, n);
    return 0;
}

int oci_hash_reset(struct oci_hash *h, struct vouch_error *err)
{
    if (EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot restart digest");
    }
    return 0;
}

void oci_hash_free(struct oci_hash *h)
{
    if (h == NULL) {
        return;
    }
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

static int digest_of(char *out, const char *like, const void *p, size_t n, struct vouch_error *err)
{
    struct oci_hash *h = NULL;
    int rc = oci_hash_new(&h, like, err);
    if (rc == 0) {
        rc = oci_hash_update(h, p, n, err);
    }
    if (rc == 0) {
        rc = oci_hash_final(h, out, err);
    }
    oci_hash_free(h);
    return rc;
}

int sign_oci_digest_sha256(char *out, const void *p, size_t n, struct vouch_error *err)
{
    return digest_of(out, NULL, p, n, err);
}

int oci_digest_verify(const char *digest, const void *p, size_t n, const char *what,
                      struct vouch_error *err)
{
    char got[SIGN_REF_DIGEST_MAX];
    int rc = digest_of(got, digest, p, n, err);
    if (rc != 0) {
        return rc;
    }
    if (strcmp(got, digest) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "digest mismatch for %s: want %s, got %s", what,
                               digest, got);
    }
    return 0;
}
