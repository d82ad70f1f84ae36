/* cosign's encrypted private key body (go-securesystemslib "encrypted", signing.md §3.2):
 * JSON {"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},"cipher":{"name":
 * "nacl/secretbox","nonce"},"ciphertext"}; key = scrypt(password, salt, N, 8, 1, 32),
 * ciphertext = secretbox(PKCS#8 DER) with the 16-byte tag first, as libsodium's _easy. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "key_internal.h"
#include "vouch/buf.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define COSIGN_KEY_BYTES 32
#define COSIGN_SALT_BYTES 32
#define COSIGN_SALT_MAX 1024
#define COSIGN_CT_MAX ((size_t)32 << 10)

/* The (N, r, p) decoders accept: go-securesystemslib's allow-list, which bounds the work a
 * hostile key file can demand (N=131072 costs 128 MiB). */
static const unsigned long scrypt_allowed_n[] = {32768, 65536, 131072};

struct cosign_doc {
    const char *kdf_name;
    json_int_t n, r, p;
    const char *salt_b64;
    const char *cipher_name;
    const char *nonce_b64;
    const char *ct_b64;
};

static int scrypt_params_ok(json_int_t n, json_int_t r, json_int_t p)
{
    if (r != 8 || p != 1) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(scrypt_allowed_n) / sizeof(scrypt_allowed_n[0]); i++) {
        if (n == (json_int_t)scrypt_allowed_n[i]) {
            return 1;
        }
    }
    return 0;
}

static int doc_parse(struct cosign_doc *d, json_t *root, const char *name, struct vouch_error *err)
{
    json_error_t jerr;
    if (json_unpack_ex(root, &jerr, 0, "{s:{s:s, s:{s:I, s:I, s:I}, s:s}, s:{s:s, s:s}, s:s}",
                       "kdf", "name", &d->kdf_name, "params", "N", &d->n, "r", &d->r, "p", &d->p,
                       "salt", &d->salt_b64, "cipher", "name", &d->cipher_name, "nonce",
                       &d->nonce_b64, "ciphertext", &d->ct_b64) != 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed encrypted key '%s': %s", name,
                               jerr.text);
    }
    if (strcmp(d->kdf_name, "scrypt") != 0 || strcmp(d->cipher_name, "nacl/secretbox") != 0) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "unsupported key encryption '%s'/'%s' in '%s'", d->kdf_name,
                               d->cipher_name, name);
    }
    if (!scrypt_params_ok(d->n, d->r, d->p)) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "scrypt parameters N=%lld r=%lld p=%lld not allowed in '%s'",
                               (long long)d->n, (long long)d->r, (long long)d->p, name);
    }
    return 0;
}

/* Decode one base64 field and check its length is within [min, max]. */
static int field_decode(unsigned char **out, size_t *out_len, const char *b64, const char *what,
                        size_t min, size_t max, const char *name, struct vouch_error *err)
{
    size_t n = strlen(b64);
    if (n > max / 3 * 4 + 8 || vouch_base64_decode(out, out_len, b64, n, NULL) != 0 ||
        *out_len < min || *out_len > max) {
        free(*out);
        *out = NULL;
        return vouch_error_set(err, VOUCH_EPARSE, "malformed %s in encrypted key '%s'", what, name);
    }
    return 0;
}

/* sodium_malloc and randombytes need libsodium initialised; sodium_init is idempotent, so
 * callers (tests, other front ends) need not remember it. */
static int sodium_ready(struct vouch_error *err)
{
    if (sodium_init() < 0) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "cannot initialise libsodium");
    }
    return 0;
}

static int scrypt_key(unsigned char key[COSIGN_KEY_BYTES], const char *password,
                      size_t password_len, const unsigned char *salt, size_t salt_len,
                      unsigned long long n, struct vouch_error *err)
{
    if (crypto_pwhash_scryptsalsa208sha256_ll((const uint8_t *)password, password_len, salt,
                                              salt_len, n, 8, 1, key, COSIGN_KEY_BYTES) != 0) {
        return vouch_error_set(err, VOUCH_ENOMEM, "scrypt failed (out of memory?)");
    }
    return 0;
}

static int doc_open(unsigned char **out, size_t *out_len, const struct cosign_doc *d,
                    const char *password, size_t password_len, const char *name,
                    struct vouch_error *err)
{
    unsigned char key[COSIGN_KEY_BYTES];
    unsigned char *salt = NULL, *nonce = NULL, *ct = NULL, *pt = NULL;
    size_t salt_len = 0, nonce_len = 0, ct_len = 0;
    int rc = field_decode(&salt, &salt_len, d->salt_b64, "salt", 1, COSIGN_SALT_MAX, name, err);
    if (rc == 0) {
        rc = field_decode(&nonce, &nonce_len, d->nonce_b64, "nonce", crypto_secretbox_NONCEBYTES,
                          crypto_secretbox_NONCEBYTES, name, err);
    }
    if (rc == 0) {
        rc = field_decode(&ct, &ct_len, d->ct_b64, "ciphertext", crypto_secretbox_MACBYTES + 1,
                          COSIGN_CT_MAX, name, err);
    }
    if (rc == 0) {
        rc = scrypt_key(key, password, password_len, salt, salt_len, (unsigned long long)d->n, err);
    }
    if (rc == 0 && (pt = sodium_malloc(ct_len - crypto_secretbox_MACBYTES)) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0 && crypto_secretbox_open_easy(pt, ct, ct_len, nonce, key) != 0) {
        rc = vouch_error_set(err, VOUCH_ECRYPTO, "wrong password or corrupted key '%s'", name);
    }
    sodium_memzero(key, sizeof(key));
    if (rc == 0) {
        *out = pt;
        *out_len = ct_len - crypto_secretbox_MACBYTES;
        pt = NULL;
    }
    sodium_free(pt);
    free(salt);
    free(nonce);
    free(ct);
    return rc;
}

int key_cosign_decrypt(unsigned char **out, size_t *out_len, const unsigned char *json,
                       size_t json_len, const char *password, size_t password_len, const char *name,
                       struct vouch_error *err)
{
    struct cosign_doc d;
    json_error_t jerr;
    json_t *root;
    int rc;
    *out = NULL;
    *out_len = 0;
    if (password == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s' is encrypted: a password is needed", name);
    }
    if (sodium_ready(err) != 0) {
        return VOUCH_EINTERNAL;
    }
    root = vouch_json_load((const char *)json, json_len, 0, &jerr);
    if (root == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed encrypted key '%s': %s", name,
                               jerr.text);
    }
    rc = doc_parse(&d, root, name, err);
    if (rc == 0) {
        rc = doc_open(out, out_len, &d, password, password_len, name, err);
    }
    json_decref(root);
    return rc;
}

/* Serialize in Go struct order, compact, as cosign writes it. */
static int doc_write(char **out, size_t *out_len, unsigned long n, const unsigned char *salt,
                     const unsigned char *nonce, const unsigned char *ct, size_t ct_len,
                     struct vouch_error *err)
{
    char *salt_b64 = NULL, *nonce_b64 = NULL, *ct_b64 = NULL;
    struct vouch_buf b;
    int rc;
    vouch_buf_init(&b, 0);
    rc = vouch_base64_encode(&salt_b64, salt, COSIGN_SALT_BYTES, err);
    if (rc == 0) {
        rc = vouch_base64_encode(&nonce_b64, nonce, crypto_secretbox_NONCEBYTES, err);
    }
    if (rc == 0) {
        rc = vouch_base64_encode(&ct_b64, ct, ct_len, err);
    }
    if (rc == 0) {
        rc = vouch_buf_printf(&b, err,
                              "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":%lu,\"r\":8,"
                              "\"p\":1},\"salt\":\"%s\"},\"cipher\":{\"name\":\"nacl/"
                              "secretbox\",\"nonce\":\"%s\"},\"ciphertext\":\"%s\"}",
                              n, salt_b64, nonce_b64, ct_b64);
    }
    if (rc == 0) {
        *out = (char *)vouch_buf_steal(&b, out_len);
    }
    vouch_buf_release(&b);
    free(salt_b64);
    free(nonce_b64);
    free(ct_b64);
    return rc;
}

int key_cosign_encrypt(char **out, size_t *out_len, const unsigned char *der, size_t der_len,
                       const char *password, size_t password_len, unsigned long scrypt_n,
                       struct vouch_error *err)
{
    unsigned char key[COSIGN_KEY_BYTES];
    unsigned char salt[COSIGN_SALT_BYTES];
    unsigned char nonce[crypto_secretbox_NONCEBYTES];
    unsigned char *ct;
    size_t ct_len = der_len + crypto_secretbox_MACBYTES;
    int rc;
    *out = NULL;
    *out_len = 0;
    if (!scrypt_params_ok((json_int_t)scrypt_n, 8, 1)) {
        return vouch_error_set(err, VOUCH_EINVAL, "scrypt N=%lu not allowed", scrypt_n);
    }
    if (sodium_ready(err) != 0) {
        return VOUCH_EINTERNAL;
    }
    ct = malloc(ct_len);
    if (ct == NULL) {
        return vouch_enomem(err);
    }
    randombytes_buf(salt, sizeof(salt));
    randombytes_buf(nonce, sizeof(nonce));
    rc = scrypt_key(key, password, password_len, salt, sizeof(salt), scrypt_n, err);
    if (rc == 0) {
        crypto_secretbox_easy(ct, der, der_len, nonce, key);
        rc = doc_write(out, out_len, scrypt_n, salt, nonce, ct, ct_len, err);
    }
    sodium_memzero(key, sizeof(key));
    free(ct);
    return rc;
}
