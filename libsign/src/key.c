/* sign_key: an EVP_PKEY restricted to the algorithms cosign accepts (signing.md §3.3), with
 * generation, SPKI export and the bundle key hint. PEM parsing is in key_pem.c, signing in
 * key_sign.c, the encrypted file format in key_cosign.c. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "key_internal.h"
#include "vouch/encoding.h"
#include "vouch/mem.h"

/* RSA moduli cosign accepts (sigstore goodkey): 2048..4096 bits. */
#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 4096

static const struct key_row {
    enum sign_key_type type;
    const char *name;
    int base_id;           /* EVP_PKEY_EC, EVP_PKEY_ED25519, EVP_PKEY_RSA */
    int curve_nid;         /* EC only */
    const char *gen_alg;   /* EVP_PKEY_Q_keygen algorithm, NULL: not generated */
    const char *gen_curve; /* its curve (EC) */
    enum sign_hash hash;   /* default hash */
} key_rows[] = {
    {SIGN_KEY_ECDSA_P256, "ecdsa-p256", EVP_PKEY_EC, NID_X9_62_prime256v1, "EC", "P-256",
     SIGN_HASH_SHA256},
    {SIGN_KEY_ECDSA_P384, "ecdsa-p384", EVP_PKEY_EC, NID_secp384r1, "EC", "P-384",
     SIGN_HASH_SHA384},
    {SIGN_KEY_ECDSA_P521, "ecdsa-p521", EVP_PKEY_EC, NID_secp521r1, "EC", "P-521",
     SIGN_HASH_SHA512},
    {SIGN_KEY_ED25519, "ed25519", EVP_PKEY_ED25519, NID_undef, "ED25519", NULL, SIGN_HASH_SHA512},
    {SIGN_KEY_RSA, "rsa", EVP_PKEY_RSA, NID_undef, NULL, NULL, SIGN_HASH_SHA256},
};

#define KEY_ROWS (sizeof(key_rows) / sizeof(key_rows[0]))

static const struct key_row *row_of(enum sign_key_type type)
{
    for (size_t i = 0; i < KEY_ROWS; i++) {
        if (key_rows[i].type == type) {
            return &key_rows[i];
        }
    }
    return NULL;
}

const char *sign_key_type_name(enum sign_key_type type)
{
    const struct key_row *r = row_of(type);
    return r == NULL ? "unknown" : r->name;
}

int sign_key_type_from_name(enum sign_key_type *out, const char *name, struct vouch_error *err)
{
    if (strcmp(name, "ecdsa") == 0) {
        *out = SIGN_KEY_ECDSA_P256;
        return 0;
    }
    for (size_t i = 0; i < KEY_ROWS; i++) {
        if (strcmp(key_rows[i].name, name) == 0) {
            *out = key_rows[i].type;
            return 0;
        }
    }
    return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported key type '%s'", name);
}

enum sign_key_type sign_key_type_of(const struct sign_key *key)
{
    return key->type;
}

int sign_key_is_private(const struct sign_key *key)
{
    return key->is_private;
}

enum sign_hash sign_key_default_hash(const struct sign_key *key)
{
    const struct key_row *r = row_of(key->type);
    return r == NULL ? SIGN_HASH_SHA256 : r->hash;
}

/* The curve of an EC key as a NID, or NID_undef (explicit parameters, unknown curve). */
static int ec_curve_nid(const EVP_PKEY *pkey)
{
    char group[80];
    size_t len = 0;
    int nid;
    if (EVP_PKEY_get_group_name(pkey, group, sizeof(group), &len) != 1) {
        return NID_undef;
    }
    nid = OBJ_sn2nid(group);
    return nid != NID_undef ? nid : EC_curve_nist2nid(group);
}

static int classify(enum sign_key_type *out, const EVP_PKEY *pkey, const char *name,
                    struct vouch_error *err)
{
    int id = EVP_PKEY_get_base_id(pkey);
    int nid = id == EVP_PKEY_EC ? ec_curve_nid(pkey) : NID_undef;
    const char *alg = EVP_PKEY_get0_type_name(pkey);
    if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
        int bits = EVP_PKEY_get_bits(pkey);
        if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
            return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                                   "RSA key of %d bits in '%s' (2048 to 4096 supported)", bits,
                                   name);
        }
        *out = SIGN_KEY_RSA;
        return 0;
    }
    for (size_t i = 0; i < KEY_ROWS; i++) {
        if (key_rows[i].base_id == id && key_rows[i].curve_nid == nid) {
            *out = key_rows[i].type;
            return 0;
        }
    }
    if (id == EVP_PKEY_EC) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "unsupported elliptic curve '%s' in '%s' (P-256, P-384, P-521)",
                               nid == NID_undef ? "explicit" : OBJ_nid2sn(nid), name);
    }
    return vouch_error_set(err, VOUCH_EUNSUPPORTED, "unsupported key algorithm '%s' in '%s'",
                           alg != NULL ? alg : "unknown", name);
}

int key_from_pkey(struct sign_key **out, EVP_PKEY *pkey, int is_private, const char *name,
                  struct vouch_error *err)
{
    struct sign_key *key;
    enum sign_key_type type = SIGN_KEY_ECDSA_P256;
    int rc = classify(&type, pkey, name, err);
    *out = NULL;
    if (rc != 0) {
        EVP_PKEY_free(pkey);
        return rc;
    }
    key = calloc(1, sizeof(*key));
    if (key == NULL) {
        EVP_PKEY_free(pkey);
        return vouch_enomem(err);
    }
    key->pkey = pkey;
    key->type = type;
    key->is_private = is_private;
    *out = key;
    return 0;
}

int sign_key_generate(struct sign_key **out, enum sign_key_type type, struct vouch_error *err)
{
    const struct key_row *r = row_of(type);
    EVP_PKEY *pkey;
    *out = NULL;
    if (r == NULL || r->gen_alg == NULL) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "cannot generate %s keys",
                               sign_key_type_name(type));
    }
    if (r->gen_curve != NULL) {
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, r->gen_alg, r->gen_curve);
    } else {
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, r->gen_alg);
    }
    if (pkey == NULL) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot generate %s key", r->name);
    }
    return key_from_pkey(out, pkey, 1, r->name, err);
}

int sign_key_public_der(unsigned char **out, size_t *out_len, const struct sign_key *key,
                        struct vouch_error *err)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(key->pkey, &der);
    *out = NULL;
    *out_len = 0;
    if (n <= 0) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "cannot encode public key");
    }
    *out = malloc((size_t)n);
    if (*out == NULL) {
        OPENSSL_free(der);
        return vouch_enomem(err);
    }
    memcpy(*out, der, (size_t)n);
    *out_len = (size_t)n;
    OPENSSL_free(der);
    return 0;
}

int sign_key_hint(char **out, const struct sign_key *key, struct vouch_error *err)
{
    unsigned char md[SIGN_DIGEST_MAX];
    size_t md_len = 0;
    unsigned char *der = NULL;
    size_t der_len = 0;
    int rc = sign_key_public_der(&der, &der_len, key, err);
    *out = NULL;
    if (rc == 0) {
        rc = sign_digest_buf(md, &md_len, SIGN_HASH_SHA256, der, der_len, err);
    }
    if (rc == 0) {
        rc = vouch_base64_encode(out, md, md_len, err);
    }
    free(der);
    return rc;
}

void sign_key_free(struct sign_key *key)
{
    if (key == NULL) {
        return;
    }
    /* EVP_PKEY_free clears private key material (BN_clear_free / OPENSSL_secure). */
    EVP_PKEY_free(key->pkey);
    free(key);
}
