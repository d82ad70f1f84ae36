/* Keyless options: usage rules, the identity they describe, and the trust material. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "keyfile.h"
#include "keyless.h"
#include "out.h"
#include "trusted_root.h"
#include "vouch/io.h"

const struct opt_spec keyless_specs[] = {
    {"certificate-identity", 0, "ID", "the signer's SAN (URI or email), exactly", 0,
     KEYLESS_IDENTITY, NULL},
    {"certificate-identity-regexp", 0, "RE", "a POSIX extended regex searched in the signer's SAN",
     0, KEYLESS_IDENTITY_RE, NULL},
    {"certificate-oidc-issuer", 0, "URL", "the OIDC issuer of the certificate, exactly", 0,
     KEYLESS_ISSUER, NULL},
    {"certificate-oidc-issuer-regexp", 0, "RE", "a regex searched in the OIDC issuer", 0,
     KEYLESS_ISSUER_RE, NULL},
    {"certificate-github-workflow-trigger", 0, "EVENT", "GitHub claim: the triggering event", 0,
     KEYLESS_GH_TRIGGER, NULL},
    {"certificate-github-workflow-sha", 0, "SHA", "GitHub claim: the commit", 0, KEYLESS_GH_SHA,
     NULL},
    {"certificate-github-workflow-name", 0, "NAME", "GitHub claim: the workflow name", 0,
     KEYLESS_GH_NAME, NULL},
    {"certificate-github-workflow-repository", 0, "OWNER/REPO", "GitHub claim: the repository", 0,
     KEYLESS_GH_REPOSITORY, NULL},
    {"certificate-github-workflow-ref", 0, "REF", "GitHub claim: the git ref", 0, KEYLESS_GH_REF,
     NULL},
    {"trusted-root", 0, "FILE", "sigstore trusted_root.json (Fulcio, Rekor, CT logs, TSAs)", 0,
     KEYLESS_TRUSTED_ROOT, "file"},
    {"rekor-key", 0, "PUB", "trust this Rekor key for transparency-log entries", 0,
     KEYLESS_REKOR_KEY, "file"},
    {"insecure-ignore-tlog", 0, NULL, "key-based: skip the transparency-log checks", 0,
     KEYLESS_IGNORE_TLOG, NULL},
    {"certificate", 0, "CERT", "the signer's certificate (PEM or DER) instead of --key", 0,
     KEYLESS_CERT, "file"},
    {"certificate-chain", 0, "CHAIN", "PEM issuers of the certificate, the root last", 0,
     KEYLESS_CERT_CHAIN, "file"},
    {0},
};

int keyless_take(struct keyless_opts *k, const struct opt_spec *o, const char *value)
{
    const char **slot[] = {
        [KEYLESS_IDENTITY - KEYLESS_FIRST] = &k->identity,
        [KEYLESS_IDENTITY_RE - KEYLESS_FIRST] = &k->identity_re,
        [KEYLESS_ISSUER - KEYLESS_FIRST] = &k->issuer,
        [KEYLESS_ISSUER_RE - KEYLESS_FIRST] = &k->issuer_re,
        [KEYLESS_GH_TRIGGER - KEYLESS_FIRST] = &k->gh_trigger,
        [KEYLESS_GH_SHA - KEYLESS_FIRST] = &k->gh_sha,
        [KEYLESS_GH_NAME - KEYLESS_FIRST] = &k->gh_name,
        [KEYLESS_GH_REPOSITORY - KEYLESS_FIRST] = &k->gh_repository,
        [KEYLESS_GH_REF - KEYLESS_FIRST] = &k->gh_ref,
        [KEYLESS_TRUSTED_ROOT - KEYLESS_FIRST] = &k->trusted_root,
        [KEYLESS_REKOR_KEY - KEYLESS_FIRST] = &k->rekor_key,
        [KEYLESS_CERT - KEYLESS_FIRST] = &k->cert,
        [KEYLESS_CERT_CHAIN - KEYLESS_FIRST] = &k->cert_chain,
    };
    if (o->id == KEYLESS_IGNORE_TLOG) {
        k->ignore_tlog = opt_on(value);
    } else {
        *slot[o->id - KEYLESS_FIRST] = value;
    }
    return EXIT_OK;
}

int keyless_has_identity(const struct keyless_opts *k)
{
    return k->identity != NULL || k->identity_re != NULL || k->issuer != NULL ||
           k->issuer_re != NULL || k->gh_trigger != NULL || k->gh_sha != NULL ||
           k->gh_name != NULL || k->gh_repository != NULL || k->gh_ref != NULL;
}

int keyless_wanted(const struct keyless_opts *k)
{
    /* with --certificate the identity options are about that certificate, not a log */
    return (keyless_has_identity(k) && k->cert == NULL) || k->trusted_root != NULL ||
           k->rekor_key != NULL;
}

int keyless_take_cert(const char **key, const struct keyless_opts *k, const char *cmd)
{
    if (k->cert != NULL && *key != NULL) {
        return out_usage(cmd, "give either --key or --certificate");
    }
    if (k->cert != NULL) {
        *key = k->cert;
    }
    return EXIT_OK;
}

int keyless_check(const char *cmd, const struct keyless_opts *k, int have_key)
{
    if (k->cert_chain != NULL && !have_key) {
        return out_usage(cmd, "--certificate-chain goes with --certificate or --key");
    }
    if (have_key && keyless_has_identity(k) && k->cert == NULL) {
        return out_usage(cmd, "give either --key or the --certificate-* identity options "
                              "(or --certificate with them)");
    }
    if (have_key) {
        return EXIT_OK;
    }
    if (k->identity == NULL && k->identity_re == NULL) {
        return out_usage(cmd, "keyless verification needs --certificate-identity or "
                              "--certificate-identity-regexp");
    }
    if (k->issuer == NULL && k->issuer_re == NULL) {
        return out_usage(cmd, "keyless verification needs --certificate-oidc-issuer or "
                              "--certificate-oidc-issuer-regexp");
    }
    if (k->ignore_tlog) {
        return out_usage(cmd, "--insecure-ignore-tlog is for key-based verification only");
    }
    return EXIT_OK; /* without --trusted-root, keyless_load_root finds the default one */
}

void keyless_identity(struct sign_sigstore_identity *id, const struct keyless_opts *k)
{
    id->subject = k->identity;
    id->subject_regexp = k->identity_re;
    id->issuer = k->issuer;
    id->issuer_regexp = k->issuer_re;
    id->gh_trigger = k->gh_trigger;
    id->gh_sha = k->gh_sha;
    id->gh_name = k->gh_name;
    id->gh_repository = k->gh_repository;
    id->gh_ref = k->gh_ref;
}

int keyless_load_root(struct sign_trustroot **out, const struct keyless_opts *k,
                      struct vouch_error *err)
{
    unsigned char *json = NULL;
    size_t n = 0;
    struct sign_key *rk = NULL;
    int rc = 0;
    char *found = NULL;
    const char *path = k->trusted_root;
    *out = NULL;
    if (path == NULL && keyless_has_identity(k) && k->cert == NULL) {
        /* keyless without --trusted-root: the TUF cache, else the installed public-good root */
        rc = cli_trusted_root_default(&found, NULL, err);
        if (rc != 0) {
            return rc;
        }
        path = found;
    }
    if (path != NULL) {
        rc = vouch_file_read(&json, &n, path, SIGN_TRUSTROOT_MAX_BYTES, err);
        if (rc == 0 && (rc = sign_trustroot_parse(out, json, n, err)) != 0) {
            vouch_error_prefix(err, "'%s': ", path);
        }
        free(json);
        free(found);
    } else {
        rc = sign_trustroot_new(out, err);
    }
    if (rc == 0 && k->rekor_key != NULL) {
        rc = cli_load_public_key(&rk, k->rekor_key, err);
        rc = rc != 0 ? rc : sign_trustroot_add_tlog_key(*out, rk, err);
        sign_key_free(rk);
    }
    if (rc != 0) {
        sign_trustroot_free(*out);
        *out = NULL;
    }
    return rc;
}

/* PEM "CERTIFICATE", or DER that parses as one */
static int is_cert(const unsigned char *data, size_t n)
{
    static const char pem[] = "-----BEGIN CERTIFICATE-----";
    struct sign_key *probe = NULL;
    int yes;
    for (size_t i = 0; i + sizeof(pem) - 1 <= n; i++) {
        if (memcmp(data + i, pem, sizeof(pem) - 1) == 0) {
            return 1;
        }
    }
    yes = n > 0 && data[0] == 0x30 && sign_key_load_cert(&probe, data, n, "", NULL) == 0;
    sign_key_free(probe);
    return yes;
}

int keyless_load_key(struct sign_key **key, struct keyless_cert *kc, const char *path,
                     const struct keyless_opts *k, struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t n = 0;
    int rc;
    memset(kc, 0, sizeof(*kc));
    *key = NULL;
    if (strncmp(path, "env://", 6) == 0 ||
        (rc = vouch_file_read(&data, &n, path, CLI_KEYFILE_MAX, NULL)) != 0 || !is_cert(data, n)) {
        free(data);
        if (path == k->cert) {
            rc = cli_load_public_key(key, path, err);
            sign_key_free(*key);
            *key = NULL;
            return rc != 0 ? rc
                           : vouch_error_set(err, VOUCH_EINVAL, "'%s' is not a certificate", path);
        }
        return cli_load_public_key(key, path, err);
    }
    if (k->cert_chain == NULL && k->trusted_root == NULL) {
        free(data);
        return vouch_error_set(err, VOUCH_EINVAL,
                               "key '%s' is a certificate: give --certificate-chain or "
                               "--trusted-root to check it",
                               path);
    }
    rc = sign_key_load_cert(key, data, n, path, err);
    kc->path = path;
    kc->der = data;
    kc->len = n;
    return rc;
}

int keyless_cert_check(const struct keyless_cert *kc, const struct keyless_opts *k, int64_t t,
                       struct vouch_error *err)
{
    struct sign_trustroot *root = NULL;
    struct sign_pkix_set *chain = NULL;
    struct sign_sigstore_identity id;
    unsigned char *pem = NULL;
    size_t n = 0;
    int rc = 0;
    if (kc->der == NULL) {
        return 0;
    }
    keyless_identity(&id, k);
    if (k->cert_chain != NULL) {
        rc = vouch_file_read(&pem, &n, k->cert_chain, CLI_KEYFILE_MAX, err);
        rc = rc != 0 ? rc : sign_pkix_set_new(&chain, err);
        rc = rc != 0 ? rc : sign_pkix_set_add_pem(chain, k->cert_chain, pem, n, err);
        free(pem);
    } else {
        rc = keyless_load_root(&root, k, err);
    }
    rc = rc != 0
             ? rc
             : sign_sigstore_cert_verify(NULL, chain != NULL ? chain : sign_trustroot_fulcio(root),
                                         kc->der, kc->len, t != 0 ? t : (int64_t)time(NULL), &id,
                                         err);
    if (rc == VOUCH_EVERIFY || rc == VOUCH_EPOLICY) {
        vouch_error_prefix(err, "certificate '%s': ", kc->path);
    }
    sign_pkix_set_free(chain);
    sign_trustroot_free(root);
    return rc;
}

void keyless_cert_release(struct keyless_cert *kc)
{
    free(kc->der);
    memset(kc, 0, sizeof(*kc));
}
