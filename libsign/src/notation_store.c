/* Notation trust stores: DIR/x509/{ca,signingAuthority,tsa}/NAME/ holding PEM or DER
 * certificates (trust-store-trust-policy.md). As notation-go: no symlinks, no
 * subdirectories, every file must hold certificates, non-CA certificates must be
 * self-signed, and tsa stores hold root certificates only. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "notation_internal.h"
#include "vouch/io.h"
#include "vouch/mem.h"

#define CERT_FILE_MAX ((size_t)1 << 20)

/* Every certificate in a PEM file, or the one DER certificate of the file. */
static int certs_parse(STACK_OF(X509) * out, const unsigned char *data, size_t len)
{
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    X509 *x;
    int n = 0;
    while (bio != NULL && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (sk_X509_push(out, x) == 0) {
            X509_free(x);
            break;
        }
        n++;
    }
    BIO_free(bio);
    ERR_clear_error();
    if (n == 0) {
        const unsigned char *p = data;
        x = d2i_X509(NULL, &p, (long)len);
        if (x != NULL && p == data + len && sk_X509_push(out, x) != 0) {
            n = 1;
        } else {
            X509_free(x);
        }
        ERR_clear_error();
    }
    return n;
}

static int self_signed(X509 *x)
{
    int ok = X509_verify(x, X509_get0_pubkey(x)) == 1;
    ERR_clear_error();
    return ok;
}

static int cert_rules(X509 *x, const char *type, const char *file, const char *store,
                      struct vouch_error *err)
{
    char name[256];
    nt_name_text(name, sizeof(name), X509_get_subject_name(x));
    if (!(X509_get_extension_flags(x) & EXFLAG_CA) && !self_signed(x)) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trusted certificate %s in trust store %s of type %s: \"%s\" is "
                               "not a CA certificate or self-signed signing certificate",
                               file, store, type, name);
    }
    if (strcmp(type, "tsa") == 0 &&
        (!self_signed(x) ||
         X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) != 0)) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trusted certificate %s in trust store %s of type tsa: \"%s\" is "
                               "not a root CA certificate",
                               file, store, name);
    }
    return 0;
}

static int load_file(STACK_OF(X509) * out, const char *path, const char *file, const char *type,
                     const char *store, struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    STACK_OF(X509) *got = sk_X509_new_null();
    int rc = got ? vouch_file_read(&data, &len, path, CERT_FILE_MAX, err) : vouch_enomem(err);
    if (rc == 0 && certs_parse(got, data, len) == 0) {
        rc = vouch_error_set(err, VOUCH_EINVAL,
                             "failed to read the trusted certificate %s in trust store %s of "
                             "type %s: no certificate found",
                             file, store, type);
    }
    for (int i = 0; rc == 0 && i < sk_X509_num(got); i++) {
        rc = cert_rules(sk_X509_value(got, i), type, file, store, err);
    }
    while (rc == 0 && sk_X509_num(got) > 0) {
        X509 *x = sk_X509_shift(got);
        if (sk_X509_push(out, x) == 0) {
            X509_free(x);
            rc = vouch_enomem(err);
        }
    }
    sk_X509_pop_free(got, X509_free);
    free(data);
    return rc;
}

static int load_named(STACK_OF(X509) * out, const char *dir, const char *type, const char *store,
                      struct vouch_error *err)
{
    char path[4096], file[4096 + 512];
    struct dirent **ents = NULL;
    struct stat st;
    int n, rc = 0, before = sk_X509_num(out);
    snprintf(path, sizeof(path), "%s/x509/%s/%s", dir, type, store);
    if (lstat(path, &st) != 0) {
        return errno == ENOENT ? vouch_error_set(err, VOUCH_ENOTFOUND,
                                                 "the trust store \"%s\" of type \"%s\" does "
                                                 "not exist",
                                                 store, type)
                               : vouch_error_sys(err, VOUCH_EIO, errno, "cannot access '%s'", path);
    }
    if (!S_ISDIR(st.st_mode)) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "the trust store %s of type %s with path %s is not a regular "
                               "directory (symlinks are not supported)",
                               store, type, path);
    }
    n = scandir(path, &ents, NULL, alphasort);
    if (n < 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot read '%s'", path);
    }
    for (int i = 0; i < n; i++) {
        const char *f = ents[i]->d_name;
        if (rc == 0 && strcmp(f, ".") != 0 && strcmp(f, "..") != 0) {
            snprintf(file, sizeof(file), "%s/%s", path, f);
            if (lstat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
                rc = vouch_error_set(err, VOUCH_EINVAL,
                                     "trusted certificate %s in trust store %s of type %s is not "
                                     "a regular file (directories or symlinks are not supported)",
                                     f, store, type);
            } else {
                rc = load_file(out, file, f, type, store, err);
            }
        }
        free(ents[i]);
    }
    free(ents);
    if (rc == 0 && sk_X509_num(out) == before) {
        rc = vouch_error_set(err, VOUCH_EINVAL,
                             "no x509 certificates were found in trust store \"%s\" of type "
                             "\"%s\"",
                             store, type);
    }
    return rc;
}

int nt_store_load(STACK_OF(X509) * *out, const char *dir, const struct nt_statement *st,
                  const char *type, struct vouch_error *err)
{
    size_t tl = strlen(type);
    int rc = 0;
    *out = sk_X509_new_null();
    if (*out == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; rc == 0 && i < st->n_stores; i++) {
        if (strncmp(st->stores[i], type, tl) == 0 && st->stores[i][tl] == ':') {
            rc = dir == NULL ? vouch_error_set(err, VOUCH_EINVAL, "no trust store directory given")
                             : load_named(*out, dir, type, st->stores[i] + tl + 1, err);
        }
    }
    if (rc != 0) {
        sk_X509_pop_free(*out, X509_free);
        *out = NULL;
    }
    return rc;
}
