/* Keyless verification options shared by verify-blob, verify and verify-attestation: the
 * expected identity (cosign's --certificate-* flags), the trusted root, --rekor-key and
 * --insecure-ignore-tlog, and loading the trust material they name. */
#ifndef VOUCH_CMD_KEYLESS_H
#define VOUCH_CMD_KEYLESS_H

#include "sign/sigstore.h"
#include "sign/trustroot.h"
#include "vouch/error.h"

struct keyless_opts {
    const char *identity;
    const char *identity_re;
    const char *issuer;
    const char *issuer_re;
    const char *gh_trigger;
    const char *gh_sha;
    const char *gh_name;
    const char *gh_repository;
    const char *gh_ref;
    const char *trusted_root;
    const char *rekor_key;
    int ignore_tlog;
};

/* blob_opt rows for every keyless option of k (value options, then the one flag) */
#define KEYLESS_BLOB_OPTS(k)                                                                       \
    {"--certificate-identity", &(k).identity, NULL},                                               \
        {"--certificate-identity-regexp", &(k).identity_re, NULL},                                 \
        {"--certificate-oidc-issuer", &(k).issuer, NULL},                                          \
        {"--certificate-oidc-issuer-regexp", &(k).issuer_re, NULL},                                \
        {"--certificate-github-workflow-trigger", &(k).gh_trigger, NULL},                          \
        {"--certificate-github-workflow-sha", &(k).gh_sha, NULL},                                  \
        {"--certificate-github-workflow-name", &(k).gh_name, NULL},                                \
        {"--certificate-github-workflow-repository", &(k).gh_repository, NULL},                    \
        {"--certificate-github-workflow-ref", &(k).gh_ref, NULL},                                  \
        {"--trusted-root", &(k).trusted_root, NULL}, {"--rekor-key", &(k).rekor_key, NULL},        \
    {                                                                                              \
        "--insecure-ignore-tlog", NULL, &(k).ignore_tlog                                           \
    }

/* help text lines for the options above */
#define KEYLESS_USAGE                                                                              \
    "  --certificate-identity ID        keyless: the signer's SAN (URI or email), exactly\n"       \
    "  --certificate-identity-regexp RE keyless: a POSIX extended regex searched in the SAN\n"     \
    "  --certificate-oidc-issuer URL    keyless: the OIDC issuer, exactly\n"                       \
    "  --certificate-oidc-issuer-regexp RE\n"                                                      \
    "  --certificate-github-workflow-{trigger,sha,name,repository,ref} V\n"                        \
    "                                   keyless: GitHub claims of the Fulcio certificate\n"        \
    "  --trusted-root FILE              sigstore trusted_root.json (Fulcio, Rekor, CT, TSAs)\n"    \
    "  --rekor-key PUB                  trust this Rekor key for transparency-log entries\n"       \
    "  --insecure-ignore-tlog           key-based: skip transparency-log checks\n"

/** 1 when any keyless identity option is set. */
int keyless_has_identity(const struct keyless_opts *k);

/** 1 when k asks for sigstore checks (an identity, a trusted root or a Rekor key). */
int keyless_wanted(const struct keyless_opts *k);

/**
 * Usage checks for cmd: keyless (have_key 0) needs an identity (exact or regexp) and an
 * issuer; --insecure-ignore-tlog is for keys only. EXIT_OK or EXIT_USAGE (printed).
 */
int keyless_check(const char *cmd, const struct keyless_opts *k, int have_key);

/** The expected identity of k. */
void keyless_identity(struct sign_sigstore_identity *id, const struct keyless_opts *k);

/** Load the trusted root of k (--trusted-root), plus --rekor-key when given. */
int keyless_load_root(struct sign_trustroot **out, const struct keyless_opts *k,
                      struct vouch_error *err);

#endif
