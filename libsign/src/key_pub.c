/* Public keys in and out: PKIX "PUBLIC KEY" PEM, SubjectPublicKeyInfo DER, X.509
 * certificates; and the writers for the public PEM and cosign's encrypted private PEM. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "key_internal.h"
#include "vouch/mem.h"

int sign_key_load_public_der(struct sign_key **out, const unsigned char *der, size_t der_len,
                             const char *name, struct vouch_error *err)
{
    const unsigned char *p = der;
    EVP_PKEY *pkey;
    *out = NULL;
    if (der_len > KEY_PEM_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "public key '%s' is too large", name);
    }
    pkey = d2i_PUBKEY(NULL, &p, (long)der_len);
    if (pkey == NULL || p != der + der_len) {
        EVP_PKEY_free(pkey);
        return vouch_error_ssl(err, VOUCH_EPARSE, "malformed public key in '%s'", name);
    }
    return key_from_pkey(out, pkey, 0, name, err);
}

int sign_key_load_public(struct sign_key **out, const unsigned char *pem, size_t pem_len,
                         const char *name, struct vouch_error *err)
{
    char *label = NULL, *header = NULL;
    unsigned char *data = NULL;
    long len = 0;
    BIO *bio;
    int rc;
    *out = NULL;
    if (pem_len > KEY_PEM_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s' is too large for a key file", name);
    }
    bio = BIO_new_mem_buf(pem, (int)pem_len);
    if (bio == NULL) {
        return vouch_enomem(err);
    }
    if (PEM_read_bio(bio, &label, &header, &data, &len) != 1) {
        rc = vouch_error_ssl(err, VOUCH_EPARSE, "malformed or missing PEM block in '%s'", name);
    } else if (strcmp(label, "PUBLIC KEY") != 0) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED,
                             "'%s' is not a PKIX public key (PEM type '%s')", name, label);
    } else {
        rc = sign_key_load_public_der(out, data, (size_t)len, name, err);
    }
    BIO_free(bio);
    OPENSSL_free(label);
    OPENSSL_free(header);
    OPENSSL_free(data);
    return rc;
}

static X509 *cert_parse(const unsigned char *data, size_t len)
{
    const unsigned char *p = data;
    X509 *x;
    BIO *bio;
    /* DER starts with a SEQUENCE tag; anything else is taken as PEM text. */
    if (len > 0 && data[0] == 0x30) {
        x = d2i_X509(NULL, &p, (long)len);
        if (x != NULL && p != data + len) {
            X509_free(x);
            x = NULL;
        }
        return x;
    }
    bio = BIO_new_mem_buf(data, (int)len);
    x = bio == NULL ? NULL : PEM_read_bio_X509(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return x;
}

int sign_key_load_cert(struct sign_key **out, const unsigned char *data, size_t len,
                       const char *name, struct vouch_error *err)
{
    X509 *x;
    EVP_PKEY *pkey;
    *out = NULL;
    if (len > KEY_PEM_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "certificate '%s' is too large", name);
    }
    x = cert_parse(data, len);
    if (x == NULL) {
        return vouch_error_ssl(err, VOUCH_EPARSE, "malformed certificate in '%s'", name);
    }
    pkey = X509_get_pubkey(x); /* a new reference */
    X509_free(x);
    if (pkey == NULL) {
        return vouch_error_ssl(err, VOUCH_EUNSUPPORTED, "unusable public key in certificate '%s'",
                               name);
    }
    return key_from_pkey(out, pkey, 0, name, err);
}

/* Move a memory BIO's contents into a malloc'd NUL-terminated string. */
static int bio_take(char **out, size_t *out_len, BIO *bio, struct vouch_error *err)
{
    char *mem = NULL;
    long n = BIO_get_mem_data(bio, &mem);
    *out = NULL;
    *out_len = 0;
    if (n <= 0) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot encode PEM");
    }
    *out = malloc((size_t)n + 1);
    if (*out == NULL) {
        return vouch_enomem(err);
    }
    memcpy(*out, mem, (size_t)n);
    (*out)[n] = '\0';
    *out_len = (size_t)n;
    return 0;
}

int sign_key_write_public_pem(char **out, size_t *out_len, const struct sign_key *key,
                              struct vouch_error *err)
{
    BIO *bio = BIO_new(BIO_s_mem());
    int rc;
    *out = NULL;
    *out_len = 0;
    if (bio == NULL) {
        return vouch_enomem(err);
    }
    if (PEM_write_bio_PUBKEY(bio, key->pkey) != 1) {
        rc = vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot encode public key");
    } else {
        rc = bio_take(out, out_len, bio, err);
    }
    BIO_free(bio);
    return rc;
}

/* PKCS#8 DER of the private key, as Go's x509.MarshalPKCS8PrivateKey (cosign's plaintext).
 * *out is OPENSSL_malloc'd: release with OPENSSL_clear_free. */
static int pkcs8_der(unsigned char **out, int *out_len, const struct sign_key *key,
                     struct vouch_error *err)
{
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key->pkey);
    *out = NULL;
    *out_len = p8 == NULL ? 0 : i2d_PKCS8_PRIV_KEY_INFO(p8, out);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (*out_len <= 0) {
        *out = NULL;
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot encode private key");
    }
    return 0;
}

static int pem_wrap(char **out, size_t *out_len, const char *label, const char *body,
                    size_t body_len, struct vouch_error *err)
{
    BIO *bio = BIO_new(BIO_s_mem());
    int rc;
    if (bio == NULL) {
        return vouch_enomem(err);
    }
    if (PEM_write_bio(bio, label, "", (const unsigned char *)body, (long)body_len) <= 0) {
        rc = vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot encode PEM");
    } else {
        rc = bio_take(out, out_len, bio, err);
    }
    BIO_free(bio);
    return rc;
}

int sign_key_write_encrypted(char **out, size_t *out_len, const struct sign_key *key,
                             const char *password, size_t password_len,
                             const struct sign_key_write_opts *opts, struct vouch_error *err)
{
    const char *label =
        opts != NULL && opts->pem_label != NULL ? opts->pem_label : KEY_LABEL_COSIGN;
    unsigned long n = opts != NULL && opts->scrypt_n != 0 ? opts->scrypt_n : 32768;
    unsigned char *der = NULL;
    int der_len = 0;
    char *json = NULL;
    size_t json_len = 0;
    int rc;
    *out = NULL;
    *out_len = 0;
    if (!key->is_private) {
        return vouch_error_set(err, VOUCH_EINVAL, "not a private key");
    }
    if (strcmp(label, KEY_LABEL_COSIGN) != 0 && strcmp(label, KEY_LABEL_SIGSTORE) != 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "PEM label '%s' is not a cosign key label",
                               label);
    }
    if (password == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "a password is needed (it may be empty)");
    }
    rc = pkcs8_der(&der, &der_len, key, err);
    if (rc == 0) {
        rc = key_cosign_encrypt(&json, &json_len, der, (size_t)der_len, password, password_len, n,
                                err);
    }
    if (rc == 0) {
        rc = pem_wrap(out, out_len, label, json, json_len, err);
    }
    if (der != NULL) {
        OPENSSL_clear_free(der, (size_t)der_len);
    }
    free(json);
    return rc;
}
