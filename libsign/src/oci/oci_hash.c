/* OCI digest strings ("sha256:<hex>") over the base digests (vouch/digest.h), for streaming
 * checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_internal.h"
#include "vouch/digest.h"
#include "vouch/encoding.h"
#include "vouch/mem.h"

struct oci_hash {
    struct sign_digest *d;
    enum sign_hash alg;
};

int oci_hash_new(struct oci_hash **out, const char *digest, struct vouch_error *err)
{
    struct oci_hash *h;
    enum sign_hash alg = SIGN_HASH_SHA256;
    int rc = digest != NULL ? sign_ref_digest_check(&alg, digest, err) : 0;
    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    h = calloc(1, sizeof(*h));
    if (h == NULL) {
        return vouch_enomem(err);
    }
    h->alg = alg;
    rc = sign_digest_new(&h->d, alg, err);
    if (rc != 0) {
        oci_hash_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

int oci_hash_update(struct oci_hash *h, const void *p, size_t n, struct vouch_error *err)
{
    return sign_digest_update(h->d, p, n, err);
}

int oci_hash_final(struct oci_hash *h, char *out, struct vouch_error *err)
{
    unsigned char md[SIGN_DIGEST_MAX];
    size_t n = 0;
    const char *name = sign_hash_name(h->alg);
    size_t used = strlen(name);
    int rc = sign_digest_final(h->d, md, &n, err);
    if (rc != 0) {
        return rc;
    }
    memcpy(out, name, used);
    out[used] = ':';
    vouch_hex_encode(out + used + 1, md, n);
    return 0;
}

int oci_hash_reset(struct oci_hash *h, struct vouch_error *err)
{
    sign_digest_free(h->d);
    h->d = NULL;
    return sign_digest_new(&h->d, h->alg, err);
}

void oci_hash_free(struct oci_hash *h)
{
    if (h == NULL) {
        return;
    }
    sign_digest_free(h->d);
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
