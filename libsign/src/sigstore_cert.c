/* Fulcio certificate identity: the SAN (URI or email), the OIDC issuer and the GitHub
 * workflow claims from Fulcio's extensions 1.3.6.1.4.1.57264.1.* (v1: raw strings, v2:
 * DER UTF8String), matched exactly or by POSIX extended regex. */
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "sigstore_internal.h"

#define FULCIO_ARC "1.3.6.1.4.1.57264.1."

/* extension value: v1 arcs hold the raw string, v2 arcs a DER UTF8String; 0 found */
static int fulcio_ext(char *out, size_t n, X509 *x, int arc, int der)
{
    char oid[48];
    ASN1_OBJECT *obj;
    int i;
    const ASN1_OCTET_STRING *v;
    const unsigned char *p;
    long len;
    snprintf(oid, sizeof(oid), FULCIO_ARC "%d", arc);
    obj = OBJ_txt2obj(oid, 1);
    i = obj != NULL ? X509_get_ext_by_OBJ(x, obj, -1) : -1;
    ASN1_OBJECT_free(obj);
    if (i < 0) {
        return -1;
    }
    v = X509_EXTENSION_get_data(X509_get_ext(x, i));
    p = ASN1_STRING_get0_data(v);
    len = ASN1_STRING_length(v);
    if (der) {
        ASN1_UTF8STRING *s = d2i_ASN1_UTF8STRING(NULL, &p, len);
        int ok = s != NULL && (size_t)ASN1_STRING_length(s) < n;
        if (ok) {
            memcpy(out, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
            out[ASN1_STRING_length(s)] = '\0';
        }
        ASN1_UTF8STRING_free(s);
        ERR_clear_error();
        return ok ? 0 : -1;
    }
    if ((size_t)len >= n) {
        return -1;
    }
    memcpy(out, p, (size_t)len);
    out[len] = '\0';
    return 0;
}

/* a claim: the v1 arc, else the v2 arc (0: none) */
static int claim(char *out, size_t n, X509 *x, int v1, int v2)
{
    if (fulcio_ext(out, n, x, v1, 0) == 0) {
        return 0;
    }
    return v2 != 0 ? fulcio_ext(out, n, x, v2, 1) : -1;
}

/* 1 matches, 0 not, -1 bad regex */
static int match(const char *value, const char *exact, const char *re)
{
    regex_t r;
    int hit;
    if (exact != NULL && strcmp(value, exact) != 0) {
        return 0;
    }
    if (re == NULL) {
        return 1;
    }
    if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0) {
        return -1;
    }
    hit = regexec(&r, value, 0, NULL, 0) == 0;
    regfree(&r);
    return hit;
}

/* Each SAN (URI, email) in turn; res->subject gets the first one that matches. */
static int check_san(struct sign_sigstore_result *res, X509 *leaf,
                     const struct sign_sigstore_identity *id, struct vouch_error *err)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
    int found = 0;
    int bad = 0;
    for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names) && !found; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        const ASN1_IA5STRING *s = g->type == GEN_URI     ? g->d.uniformResourceIdentifier
                                  : g->type == GEN_EMAIL ? g->d.rfc822Name
                                                         : NULL;
        char v[sizeof(res->subject)];
        int m;
        if (s == NULL || (size_t)ASN1_STRING_length(s) >= sizeof(v)) {
            continue;
        }
        memcpy(v, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
        v[ASN1_STRING_length(s)] = '\0';
        if (res->subject[0] == '\0') {
            snprintf(res->subject, sizeof(res->subject), "%s", v);
        }
        m = match(v, id->subject, id->subject_regexp);
        bad |= m < 0;
        if (m == 1) {
            snprintf(res->subject, sizeof(res->subject), "%s", v);
            found = 1;
        }
    }
    GENERAL_NAMES_free(names);
    ERR_clear_error();
    if (bad) {
        return vouch_error_set(err, VOUCH_EINVAL, "malformed identity regular expression");
    }
    if (!found) {
        return vouch_error_set(err, VOUCH_EPOLICY,
                               "certificate identity '%.80s' does not match the expected "
                               "identity",
                               res->subject[0] != '\0' ? res->subject : "(none)");
    }
    return 0;
}

static const struct {
    const char *label;
    int v1;
    int v2;
    size_t offset;
} gh_claims[] = {
    {"workflow trigger", 2, 20, offsetof(struct sign_sigstore_identity, gh_trigger)},
    {"workflow sha", 3, 13, offsetof(struct sign_sigstore_identity, gh_sha)},
    {"workflow name", 4, 0, offsetof(struct sign_sigstore_identity, gh_name)},
    {"workflow repository", 5, 0, offsetof(struct sign_sigstore_identity, gh_repository)},
    {"workflow ref", 6, 14, offsetof(struct sign_sigstore_identity, gh_ref)},
};

int ss_cert_identity(struct sign_sigstore_result *res, X509 *leaf,
                     const struct sign_sigstore_identity *id, struct vouch_error *err)
{
    int m;
    int rc;
    if (claim(res->issuer, sizeof(res->issuer), leaf, 1, 8) != 0) {
        res->issuer[0] = '\0';
    }
    if ((rc = check_san(res, leaf, id, err)) != 0) {
        return rc;
    }
    m = match(res->issuer, id->issuer, id->issuer_regexp);
    if (m < 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "malformed issuer regular expression");
    }
    if (m == 0 || res->issuer[0] == '\0') {
        return vouch_error_set(err, VOUCH_EPOLICY,
                               "certificate issuer '%.80s' does not match the expected issuer",
                               res->issuer[0] != '\0' ? res->issuer : "(none)");
    }
    for (size_t i = 0; i < sizeof(gh_claims) / sizeof(gh_claims[0]); i++) {
        const char *want = *(const char *const *)((const char *)id + gh_claims[i].offset);
        char have[256];
        if (want == NULL) {
            continue;
        }
        if (claim(have, sizeof(have), leaf, gh_claims[i].v1, gh_claims[i].v2) != 0) {
            return vouch_error_set(err, VOUCH_EPOLICY, "certificate has no GitHub %s",
                                   gh_claims[i].label);
        }
        if (strcmp(have, want) != 0) {
            return vouch_error_set(err, VOUCH_EPOLICY,
                                   "certificate GitHub %s '%.100s' is not '%.60s'",
                                   gh_claims[i].label, have, want);
        }
    }
    return 0;
}
