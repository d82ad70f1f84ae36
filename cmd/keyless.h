/* Keyless verification options shared by verify-blob, verify and verify-attestation: the
 * expected identity (cosign's --certificate-* flags), the trusted root, --rekor-key and
 * --insecure-ignore-tlog, and loading the trust material they name. */
#ifndef VOUCH_CMD_KEYLESS_H
#define VOUCH_CMD_KEYLESS_H

#include "opt.h"
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
    const char *cert;       /* --certificate: the signer's certificate (stands for --key) */
    const char *cert_chain; /* --certificate-chain: its issuers, the root last */
};

/** The certificate a key came from (keyless_load_key), checked by keyless_cert_check. */
struct keyless_cert {
    unsigned char *der; /* NULL: the key was a bare public key */
    size_t len;
    const char *path;
};

/** The keyless options, a group of their own ({"keyless options", keyless_specs, NULL}). */
extern const struct opt_spec keyless_specs[];

/** Ids of keyless_specs rows: a command's own ids stay below KEYLESS_FIRST (and regopts'). */
enum {
    KEYLESS_FIRST = 1100,
    KEYLESS_IDENTITY = KEYLESS_FIRST,
    KEYLESS_IDENTITY_RE,
    KEYLESS_ISSUER,
    KEYLESS_ISSUER_RE,
    KEYLESS_GH_TRIGGER,
    KEYLESS_GH_SHA,
    KEYLESS_GH_NAME,
    KEYLESS_GH_REPOSITORY,
    KEYLESS_GH_REF,
    KEYLESS_TRUSTED_ROOT,
    KEYLESS_REKOR_KEY,
    KEYLESS_IGNORE_TLOG,
    KEYLESS_CERT,
    KEYLESS_CERT_CHAIN,
    KEYLESS_LAST = KEYLESS_CERT_CHAIN,
};

/** A command's take function passes keyless_specs rows here: EXIT_OK. */
int keyless_take(struct keyless_opts *k, const struct opt_spec *o, const char *value);

/** 1 when any keyless identity option is set. */
int keyless_has_identity(const struct keyless_opts *k);

/** 1 when k asks for sigstore checks (an identity, a trusted root or a Rekor key). */
int keyless_wanted(const struct keyless_opts *k);

/**
 * Usage checks for cmd: keyless (have_key 0) needs an identity (exact or regexp) and an
 * issuer; --insecure-ignore-tlog is for keys only. EXIT_OK or EXIT_USAGE (printed).
 */
int keyless_check(const char *cmd, const struct keyless_opts *k, int have_key);

/** --certificate stands for --key (*key = k->cert); both given is a usage error (printed). */
int keyless_take_cert(const char **key, const struct keyless_opts *k, const char *cmd);

/**
 * Load the verifying key at path (--key, or --certificate): a public key, or a certificate's key;
 * a certificate is kept in kc for keyless_cert_check, and refused (VOUCH_EINVAL) unless
 * k has a certificate chain or a trusted root to check it with. Release kc either way.
 */
int keyless_load_key(struct sign_key **key, struct keyless_cert *kc, const char *path,
                     const struct keyless_opts *k, struct vouch_error *err);

/**
 * The certificate of kc (when there is one) at time t (0: now): a path to --certificate-chain,
 * else to a Fulcio CA of the trusted root, valid at t, with the codeSigning usage, and the
 * identity options of k when given.
 */
int keyless_cert_check(const struct keyless_cert *kc, const struct keyless_opts *k, int64_t t,
                       struct vouch_error *err);

void keyless_cert_release(struct keyless_cert *kc);

/** The expected identity of k. */
void keyless_identity(struct sign_sigstore_identity *id, const struct keyless_opts *k);

/** Load the trusted root of k (--trusted-root), plus --rekor-key when given. */
int keyless_load_root(struct sign_trustroot **out, const struct keyless_opts *k,
                      struct vouch_error *err);

#endif
