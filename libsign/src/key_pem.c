/* Reading and writing key files: PEM framing (OpenSSL's parser), a table of private key
 * labels, PKIX public keys, X.509 certificates and cosign's encrypted PEM. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "key_internal.h"
#include "vouch/mem.h"

/* One PEM block: label, headers and decoded body, all from OpenSSL's secure allocator. */
struct pem_block {
    char *label;
    char *header;
    unsigned char *data;
    long len;
};

/* Blocks are read with PEM_FLAG_SECURE: OpenSSL keeps the decoded body (an unencrypted
 * private key) in its secure heap and wipes its work buffers. */
static void pem_release(struct pem_block *p)
{
    OPENSSL_secure_free(p->label);
    OPENSSL_secure_free(p->header);
    if (p->data != NULL) {
        OPENSSL_secure_clear_free(p->data, (size_t)p->len);
    }
    memset(p, 0, sizeof(*p));
}

static int pem_parse(struct pem_block *p, const unsigned char *pem, size_t pem_len,
                     const char *name, struct vouch_error *err)
{
    BIO *bio;
    int ok;
    memset(p, 0, sizeof(*p));
    if (pem_len > KEY_PEM_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "'%s' is too large for a key file", name);
    }
    bio = BIO_new_mem_buf(pem, (int)pem_len);
    if (bio == NULL) {
        return vouch_enomem(err);
    }
    ok = PEM_read_bio_ex(bio, &p->label, &p->header, &p->data, &p->len,
                         PEM_FLAG_SECURE | PEM_FLAG_EAY_COMPATIBLE);
    BIO_free(bio);
    if (ok != 1) {
        pem_release(p);
        return vouch_error_ssl(err, VOUCH_EPARSE, "malformed or missing PEM block in '%s'", name);
    }
    if (p->header != NULL && p->header[0] != '\0') {
        pem_release(p);
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "PEM headers (OpenSSL legacy encryption) not supported in '%s'",
                               name);
    }
    return 0;
}

static int key_parse_pkcs8(EVP_PKEY **out, const unsigned char *der, size_t len, const char *name,
                           struct vouch_error *err)
{
    const unsigned char *p = der;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    *out = NULL;
    if (p8 == NULL || p != der + len) {
        PKCS8_PRIV_KEY_INFO_free(p8);
        return vouch_error_ssl(err, VOUCH_EPARSE, "malformed PKCS#8 private key in '%s'", name);
    }
    *out = EVP_PKCS82PKEY(p8);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (*out == NULL) {
        return vouch_error_ssl(err, VOUCH_EUNSUPPORTED, "unusable PKCS#8 private key in '%s'",
                               name);
    }
    return 0;
}

/* SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY" DER. */
static int parse_typed(EVP_PKEY **out, int type, const unsigned char *der, size_t len,
                       const char *name, struct vouch_error *err)
{
    const unsigned char *p = der;
    *out = d2i_PrivateKey(type, NULL, &p, (long)len);
    if (*out == NULL || p != der + len) {
        EVP_PKEY_free(*out);
        *out = NULL;
        return vouch_error_ssl(err, VOUCH_EPARSE, "malformed %s private key in '%s'",
                               type == EVP_PKEY_EC ? "SEC1 EC" : "PKCS#1 RSA", name);
    }
    return 0;
}

/* Why a decrypted cosign plaintext is not PKCS#8: name SEC1 explicitly, as cosign does. */
static int not_pkcs8(const unsigned char *der, size_t len, const char *name,
                     struct vouch_error *err)
{
    EVP_PKEY *ec = NULL;
    if (parse_typed(&ec, EVP_PKEY_EC, der, len, name, NULL) == 0) {
        EVP_PKEY_free(ec);
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "'%s' holds a SEC1 EC private key, not PKCS#8 (cosign rejects "
                               "it too; re-import the key)",
                               name);
    }
    return vouch_error_set(err, VOUCH_EPARSE, "'%s' decrypts to a malformed PKCS#8 key", name);
}

static int load_cosign(EVP_PKEY **out, const struct pem_block *p, const char *password,
                       size_t password_len, const char *name, struct vouch_error *err)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    int rc = key_cosign_decrypt(&der, &der_len, p->data, (size_t)p->len, password, password_len,
                                name, err);
    if (rc == 0 && key_parse_pkcs8(out, der, der_len, name, NULL) != 0) {
        rc = not_pkcs8(der, der_len, name, err);
    }
    sodium_free(der);
    return rc;
}

static int load_plain(EVP_PKEY **out, const struct pem_block *p, const char *password,
                      size_t password_len, const char *name, struct vouch_error *err)
{
    const unsigned char *der = p->data;
    (void)password;
    (void)password_len;
    if (strcmp(p->label, "PRIVATE KEY") == 0) {
        return key_parse_pkcs8(out, der, (size_t)p->len, name, err);
    }
    if (strcmp(p->label, "EC PRIVATE KEY") == 0) {
        return parse_typed(out, EVP_PKEY_EC, der, (size_t)p->len, name, err);
    }
    return parse_typed(out, EVP_PKEY_RSA, der, (size_t)p->len, name, err);
}

/* Private key PEM labels and their loaders. */
static const struct {
    const char *label;
    int (*load)(EVP_PKEY **out, const struct pem_block *p, const char *password,
                size_t password_len, const char *name, struct vouch_error *err);
} private_rows[] = {
    {KEY_LABEL_SIGSTORE, load_cosign}, {KEY_LABEL_COSIGN, load_cosign}, {"PRIVATE KEY", load_plain},
    {"EC PRIVATE KEY", load_plain},    {"RSA PRIVATE KEY", load_plain},
};

int sign_key_load_private(struct sign_key **out, const unsigned char *pem, size_t pem_len,
                          const char *password, size_t password_len, const char *name,
                          struct vouch_error *err)
{
    struct pem_block p;
    EVP_PKEY *pkey = NULL;
    int rc = pem_parse(&p, pem, pem_len, name, err);
    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    rc = 1; /* no row matched */
    for (size_t i = 0; i < sizeof(private_rows) / sizeof(private_rows[0]); i++) {
        if (strcmp(private_rows[i].label, p.label) == 0) {
            rc = private_rows[i].load(&pkey, &p, password, password_len, name, err);
            break;
        }
    }
    if (rc == 1) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED,
                             "unsupported PEM type '%s' in '%s' (want a cosign key or an "
                             "unencrypted private key)",
                             p.label, name);
    }
    pem_release(&p);
    if (rc == 0) {
        rc = key_from_pkey(out, pkey, 1, name, err);
    }
    return rc;
}

int sign_key_needs_password(const unsigned char *pem, size_t pem_len)
{
    struct pem_block p;
    int yes;
    if (pem_parse(&p, pem, pem_len, "", NULL) != 0) {
        return 0;
    }
    yes = strcmp(p.label, KEY_LABEL_SIGSTORE) == 0 || strcmp(p.label, KEY_LABEL_COSIGN) == 0;
    pem_release(&p);
    return yes;
}
