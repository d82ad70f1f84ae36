/* Keyless options: usage rules, the identity they describe, and the trust material. */
#include <stdlib.h>

#include "cmd.h"
#include "keyfile.h"
#include "keyless.h"
#include "out.h"
#include "vouch/io.h"

int keyless_has_identity(const struct keyless_opts *k)
{
    return k->identity != NULL || k->identity_re != NULL || k->issuer != NULL ||
           k->issuer_re != NULL || k->gh_trigger != NULL || k->gh_sha != NULL ||
           k->gh_name != NULL || k->gh_repository != NULL || k->gh_ref != NULL;
}

int keyless_wanted(const struct keyless_opts *k)
{
    return keyless_has_identity(k) || k->trusted_root != NULL || k->rekor_key != NULL;
}

int keyless_check(const char *cmd, const struct keyless_opts *k, int have_key)
{
    if (have_key && keyless_has_identity(k)) {
        return out_usage(cmd, "give either --key or the --certificate-* identity options");
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
    if (k->trusted_root == NULL) {
        return out_usage(cmd, "keyless verification needs --trusted-root FILE");
    }
    return EXIT_OK;
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
    *out = NULL;
    if (k->trusted_root != NULL) {
        rc = vouch_file_read(&json, &n, k->trusted_root, SIGN_TRUSTROOT_MAX_BYTES, err);
        if (rc == 0 && (rc = sign_trustroot_parse(out, json, n, err)) != 0) {
            vouch_error_prefix(err, "'%s': ", k->trusted_root);
        }
        free(json);
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
