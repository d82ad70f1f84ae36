/* X.509 for Notation: the certificate requirements of signature-specification.md, the
 * distinguished names trusted identities are matched against, and time text. */
#define _DEFAULT_SOURCE /* timegm */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "notation_internal.h"

static int ext_critical(const X509 *x, int nid)
{
    int i = X509_get_ext_by_NID(x, nid, -1);
    return i >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, i)) == 1;
}

static int has_ext(const X509 *x, int nid)
{
    return X509_get_ext_by_NID(x, nid, -1) >= 0;
}

static int key_length_ok(X509 *x)
{
    EVP_PKEY *k = X509_get0_pubkey(x);
    int bits = k ? EVP_PKEY_get_bits(k) : 0;
    return k != NULL && (EVP_PKEY_is_a(k, "RSA") ? bits >= 2048 : bits >= 256);
}

/* Leaf rules: no cA, keyUsage present (critical for code signing) with digitalSignature and
 * nothing else of the listed bits; the extended key usages each kind allows. */
static int leaf_check(X509 *x, int timestamping, struct vouch_error *err)
{
    uint32_t flags = X509_get_extension_flags(x), ku = X509_get_key_usage(x);
    uint32_t bad = KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT | KU_KEY_AGREEMENT |
                   KU_KEY_CERT_SIGN | KU_CRL_SIGN | KU_ENCIPHER_ONLY | KU_DECIPHER_ONLY;
    const char *what = timestamping ? "timestamping" : "signing";
    if (flags & EXFLAG_CA) {
        return vouch_error_set(err, VOUCH_EVERIFY, "%s certificate is a CA certificate", what);
    }
    if (!(flags & EXFLAG_KUSAGE) || (!timestamping && !ext_critical(x, NID_key_usage))) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "%s certificate has no critical keyUsage extension", what);
    }
    if (!(ku & KU_DIGITAL_SIGNATURE) || (ku & bad)) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "%s certificate keyUsage must be digitalSignature only", what);
    }
    if (timestamping) {
        EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
        int ok = eku != NULL && sk_ASN1_OBJECT_num(eku) == 1 &&
                 OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 0)) == NID_time_stamp &&
                 ext_critical(x, NID_ext_key_usage);
        sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
        if (!ok) {
            return vouch_error_set(err, VOUCH_EVERIFY,
                                   "timestamping certificate must have a critical "
                                   "extendedKeyUsage of timeStamping only");
        }
    } else if (flags & EXFLAG_XKUSAGE) {
        uint32_t x_ku = X509_get_extended_key_usage(x);
        if (x_ku & (XKU_ANYEKU | XKU_SSL_SERVER | XKU_SSL_CLIENT | XKU_SMIME | XKU_TIMESTAMP)) {
            return vouch_error_set(err, VOUCH_EVERIFY,
                                   "signing certificate has an extended key usage other than "
                                   "codeSigning");
        }
    }
    return key_length_ok(x)
               ? 0
               : vouch_error_set(err, VOUCH_EVERIFY, "%s certificate key is too short", what);
}

/* CA rules: critical basicConstraints with cA, pathLenConstraint honoured, keyCertSign. */
static int ca_check(X509 *x, int below, int timestamping, struct vouch_error *err)
{
    long plen = X509_get_pathlen(x);
    if (!(X509_get_extension_flags(x) & EXFLAG_CA) || !ext_critical(x, NID_basic_constraints)) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "CA certificate has no critical basicConstraints with cA");
    }
    if (plen >= 0 && below - 1 > plen) {
        return vouch_error_set(err, VOUCH_EVERIFY, "CA certificate path length exceeded");
    }
    if (!has_ext(x, NID_key_usage) || (!timestamping && !ext_critical(x, NID_key_usage)) ||
        !(X509_get_key_usage(x) & KU_KEY_CERT_SIGN)) {
        return vouch_error_set(err, VOUCH_EVERIFY, "CA certificate keyUsage lacks keyCertSign");
    }
    return 0;
}

static int signed_by(X509 *x, X509 *issuer)
{
    /* names and signature only: the issuer's own requirements are checked separately */
    int ok = X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(issuer)) == 0 &&
             X509_verify(x, X509_get0_pubkey(issuer)) == 1;
    ERR_clear_error();
    return ok;
}

int nt_pem_certs(STACK_OF(X509) * *out, const unsigned char *pem, size_t len)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    X509 *x;
    *out = sk_X509_new_null();
    while (bio != NULL && *out != NULL && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (sk_X509_push(*out, x) == 0) {
            X509_free(x);
        }
    }
    BIO_free(bio);
    ERR_clear_error(); /* the end of the PEM text reads as an error */
    return *out != NULL ? sk_X509_num(*out) : 0;
}

int nt_chain_check(STACK_OF(X509) * chain, int timestamping, struct vouch_error *err)
{
    int n = chain ? sk_X509_num(chain) : 0;
    if (n < 1) {
        return vouch_error_set(err, VOUCH_EVERIFY, "certificate chain is empty");
    }
    for (int i = 0; i < n; i++) {
        X509 *x = sk_X509_value(chain, i);
        X509 *up = i + 1 < n ? sk_X509_value(chain, i + 1) : x;
        char name[256];
        if (X509_get_extension_flags(x) & EXFLAG_INVALID) {
            return vouch_error_set(err, VOUCH_EVERIFY, "certificate %d is invalid", i);
        }
        if (!signed_by(x, up)) {
            nt_name_text(name, sizeof(name), X509_get_subject_name(x));
            return vouch_error_set(err, VOUCH_EVERIFY,
                                   i + 1 < n ? "invalid certificate chain: \"%s\" is not issued by "
                                               "the next certificate"
                                             : "invalid certificate chain: \"%s\" is not a "
                                               "self-signed root",
                                   name);
        }
        int rc = i == 0 ? leaf_check(x, timestamping, err) : ca_check(x, i, timestamping, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* Attribute type names as Go's pkix.Name.String prints them; others as dotted OIDs. */
static void attr_type(char *out, size_t size, const ASN1_OBJECT *obj)
{
    static const struct {
        int nid;
        const char *name;
    } names[] = {{NID_countryName, "C"},
                 {NID_organizationName, "O"},
                 {NID_organizationalUnitName, "OU"},
                 {NID_commonName, "CN"},
                 {NID_serialNumber, "SERIALNUMBER"},
                 {NID_localityName, "L"},
                 {NID_stateOrProvinceName, "ST"},
                 {NID_streetAddress, "STREET"},
                 {NID_postalCode, "POSTALCODE"}};
    int nid = OBJ_obj2nid(obj);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].nid == nid) {
            snprintf(out, size, "%s", names[i].name);
            return;
        }
    }
    OBJ_obj2txt(out, (int)size, obj, 1);
}

static void entry_value(char *out, size_t size, const X509_NAME_ENTRY *e)
{
    unsigned char *u = NULL;
    int n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));
    snprintf(out, size, "%.*s", n > 0 ? n : 0, n > 0 ? (const char *)u : "");
    OPENSSL_free(u);
}

void nt_name_text(char *out, size_t size, const X509_NAME *name)
{
    size_t at = 0;
    out[0] = '\0';
    for (int i = X509_NAME_entry_count(name) - 1; i >= 0 && at + 1 < size; i--) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
        char type[64], val[256], esc[512];
        size_t k = 0;
        attr_type(type, sizeof(type), X509_NAME_ENTRY_get_object(e));
        entry_value(val, sizeof(val), e);
        for (size_t j = 0; val[j] != '\0' && k + 2 < sizeof(esc); j++) {
            if (strchr(",+\"\\<>;", val[j]) != NULL ||
                (j == 0 && (val[j] == ' ' || val[j] == '#')) ||
                (val[j + 1] == '\0' && val[j] == ' ')) {
                esc[k++] = '\\';
            }
            esc[k++] = val[j];
        }
        esc[k] = '\0';
        int w = snprintf(out + at, size - at, "%s%s=%s", at ? "," : "", type, esc);
        at = w < 0 ? size : at + (size_t)w;
    }
}

static int dn_add(struct nt_dn *dn, const char *type, const char *value, struct vouch_error *err)
{
    for (size_t i = 0; i < dn->n; i++) {
        if (strcmp(dn->type[i], type) == 0) {
            return vouch_error_set(err, VOUCH_EINVAL,
                                   "distinguished name has duplicate RDN attribute for \"%s\"",
                                   type);
        }
    }
    if (dn->n == NT_DN_MAX || strlen(type) >= sizeof(dn->type[0]) ||
        strlen(value) >= sizeof(dn->value[0])) {
        return vouch_error_set(err, VOUCH_EINVAL, "distinguished name is too long");
    }
    snprintf(dn->type[dn->n], sizeof(dn->type[0]), "%s", type);
    snprintf(dn->value[dn->n], sizeof(dn->value[0]), "%s", value);
    dn->n++;
    return 0;
}

int nt_dn_of_name(struct nt_dn *out, const X509_NAME *name, struct vouch_error *err)
{
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < X509_NAME_entry_count(name); i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
        char type[64], val[256];
        attr_type(type, sizeof(type), X509_NAME_ENTRY_get_object(e));
        entry_value(val, sizeof(val), e);
        int rc = dn_add(out, type, val, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* One "type=value" of an RFC 4514 string: spaces around it dropped, escapes resolved. */
static int rdn_parse(struct nt_dn *dn, const char **p, struct vouch_error *err)
{
    char type[64], val[256];
    size_t t = 0, v = 0, keep = 0;
    const char *s = *p;
    while (*s == ' ') {
        s++;
    }
    while (*s != '\0' && *s != '=' && *s != ' ' && t + 1 < sizeof(type)) {
        type[t++] = (char)toupper((unsigned char)*s++);
    }
    type[t] = '\0';
    while (*s == ' ') {
        s++;
    }
    if (t == 0 || *s++ != '=') {
        return vouch_error_set(err, VOUCH_EINVAL, "malformed distinguished name");
    }
    while (*s == ' ') {
        s++;
    }
    while (*s != '\0' && *s != ',' && *s != ';' && *s != '+' && v + 1 < sizeof(val)) {
        if (*s == '\\' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
            char hex[3] = {s[1], s[2], 0};
            val[v++] = (char)strtol(hex, NULL, 16);
            s += 3;
            keep = v;
        } else if (*s == '\\' && s[1] != '\0') {
            val[v++] = s[1];
            s += 2;
            keep = v;
        } else {
            val[v++] = *s++;
            keep = val[v - 1] == ' ' ? keep : v;
        }
    }
    val[keep] = '\0';
    if (*s == '+') {
        return vouch_error_set(err, VOUCH_EINVAL, "multi-valued RDNs are not supported");
    }
    *p = *s != '\0' ? s + 1 : s;
    return dn_add(dn, strcmp(type, "S") == 0 ? "ST" : type, val, err);
}

int nt_dn_parse(struct nt_dn *out, const char *text, struct vouch_error *err)
{
    const char *p = text;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    while (rc == 0 && *p != '\0') {
        rc = rdn_parse(out, &p, err);
    }
    if (rc == 0 && out->n == 0) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "empty distinguished name");
    }
    return rc;
}

int nt_dn_subset(const struct nt_dn *sub, const struct nt_dn *dn)
{
    for (size_t i = 0; i < sub->n; i++) {
        size_t j = 0;
        while (j < dn->n && strcmp(dn->type[j], sub->type[i]) != 0) {
            j++;
        }
        if (j == dn->n || strcmp(dn->value[j], sub->value[i]) != 0) {
            return 0;
        }
    }
    return 1;
}

void nt_time_text(char *out, size_t size, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void nt_time_rfc1123(char *out, size_t size, int64_t t)
{
    static const char days[] = "SunMonTueWedThuFriSat",
                      months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    snprintf(out, size, "%.3s, %02d %.3s %04d %02d:%02d:%02d +0000", days + 3 * tm.tm_wday,
             tm.tm_mday, months + 3 * tm.tm_mon, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
             tm.tm_sec);
}
