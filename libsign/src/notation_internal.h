/* Private parts of the Notation module: the envelope content both formats parse into, the
 * algorithm table, the trust policy statement, and the helpers shared between files. */
#ifndef SIGN_NOTATION_INTERNAL_H
#define SIGN_NOTATION_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sign/notation.h"

enum nt_scheme { NT_SCHEME_X509 = 0, NT_SCHEME_SIGNING_AUTHORITY };

/* One row per signature algorithm the spec allows (signature-specification.md). */
struct nt_alg {
    const char *jws; /* "PS256" */
    int cose;        /* COSE alg label (-37) */
    int is_rsa;      /* RSASSA-PSS, else ECDSA */
    int bits;        /* RSA modulus bits, or EC curve bits */
    const char *md;  /* OpenSSL digest name */
    size_t ec_half;  /* bytes of r (and s) in the raw ECDSA form */
};

/* A parsed envelope: the signed bytes and attributes, whichever the format. */
struct nt_env {
    const struct nt_alg *alg;
    unsigned char *tbs; /* the bytes the signature covers (JWS signing input, Sig_structure) */
    size_t tbs_len;
    unsigned char *sig; /* raw signature (ECDSA r||s); the timestamp's message imprint */
    size_t sig_len;
    unsigned char *payload;
    size_t payload_len;
    enum nt_scheme scheme;
    int64_t signing_time, authentic_time, expiry; /* unix seconds */
    int has_signing_time, has_authentic_time, has_expiry;
    char plugin[128];       /* io.cncf.notary.verificationPlugin, or "" */
    STACK_OF(X509) * chain; /* signing certificate first */
    unsigned char *tst;     /* RFC 3161 TimeStampToken DER, or NULL */
    size_t tst_len;
};

void nt_env_release(struct nt_env *e);

/** The algorithm row for a JWS name or COSE label, or NULL. */
const struct nt_alg *nt_alg_by_jws(const char *name);
const struct nt_alg *nt_alg_by_cose(int64_t label);
/** The row the spec's algorithm selection picks for pkey, or NULL. */
const struct nt_alg *nt_alg_for_key(EVP_PKEY *pkey);

/** Signed attribute names (JWS header and COSE label text). */
#define NT_H_SCHEME "io.cncf.notary.signingScheme"
#define NT_H_SIGNING_TIME "io.cncf.notary.signingTime"
#define NT_H_AUTH_TIME "io.cncf.notary.authenticSigningTime"
#define NT_H_EXPIRY "io.cncf.notary.expiry"
#define NT_H_PLUGIN "io.cncf.notary.verificationPlugin"
#define NT_H_PLUGIN_MIN "io.cncf.notary.verificationPluginMinVersion"
#define NT_H_AGENT "io.cncf.notary.signingAgent"
#define NT_H_TIMESTAMP "io.cncf.notary.timestampSignature"
#define NT_SCHEME_X509_NAME "notary.x509"
#define NT_SCHEME_SA_NAME "notary.x509.signingAuthority"

/**
 * The crit and scheme rules both formats share: the scheme is known, its time attribute is
 * present (signingTime for notary.x509, authenticSigningTime for signingAuthority), every
 * critical attribute is known and present, and every present attribute that must be
 * critical (scheme, authenticSigningTime, expiry, plugin) is listed in crit.
 */
int nt_env_check_crit(const struct nt_env *e, const char *const *crit, size_t n_crit,
                      const char *const *present, size_t n_present, struct vouch_error *err);

/** Parse a JWS JSON serialization envelope. */
int nt_jws_parse(struct nt_env *out, const unsigned char *data, size_t len,
                 struct vouch_error *err);
/** Parse a COSE_Sign1_Tagged envelope. */
int nt_cose_parse(struct nt_env *out, const unsigned char *data, size_t len,
                  struct vouch_error *err);

/** Verify e->sig over e->tbs with the signing certificate's key; alg must match the key. */
int nt_env_verify_signature(const struct nt_env *e, struct vouch_error *err);

/** The spec's certificate requirements and chain order (each signed by the next, ending
 *  in a self-signed root). timestamping selects the TSA rules. */
/** The PEM certificates of pem, in order, into a new stack *out (the caller frees it with
 *  sk_X509_pop_free, also when 0): their number, 0 when there is none or no memory. */
int nt_pem_certs(STACK_OF(X509) * *out, const unsigned char *pem, size_t len);

int nt_chain_check(STACK_OF(X509) * chain, int timestamping, struct vouch_error *err);

/** Check the payload's targetArtifact against target (digest, media type, size). */
int nt_payload_check(const unsigned char *payload, size_t len,
                     const struct sign_notation_target *target, struct vouch_error *err);

/* Timestamps (notation_tsa.c). */
struct sign_pkix_set;
/** TSA roots as sign/pkix.h authorities (each root's own validity bounds its window). */
int nt_tsa_set(struct sign_pkix_set **out, STACK_OF(X509) * roots, struct vouch_error *err);
/** Sign time: a countersignature over sig (the signature value) from opts->tsa_url, hashed
 *  with alg's digest, verified against opts->tsa_root_pem; *tok (malloc'd) its token DER. */
int nt_timestamp(unsigned char **tok, size_t *tok_len, const struct nt_alg *alg,
                 const unsigned char *sig, size_t sig_len,
                 const struct sign_notation_sign_opts *opts, struct vouch_error *err);

/* A trust policy statement. */
struct nt_statement {
    char *name;
    char **scopes;
    size_t n_scopes;
    int level; /* index into the level table */
    enum sign_notation_action actions[SIGN_NOTATION_NCHECKS];
    int after_cert_expiry; /* verifyTimestamp: afterCertExpiry */
    char **stores;         /* "type:name" */
    size_t n_stores;
    char **identities; /* "*" or "x509.subject:DN" */
    size_t n_identities;
};

struct sign_notation_policy {
    struct nt_statement *st;
    size_t n;
};

/** The statement for repo_uri (exact scope, else "*"), or NULL. */
const struct nt_statement *nt_policy_select(const struct sign_notation_policy *p,
                                            const char *repo_uri);
/** Name of a level index. */
const char *nt_level_name(int level);

/** Load every certificate of the statement's stores of type ("ca", "signingAuthority",
 *  "tsa") under dir; *out gets a new stack (possibly empty). */
int nt_store_load(STACK_OF(X509) * *out, const char *dir, const struct nt_statement *st,
                  const char *type, struct vouch_error *err);

/* Distinguished names. */
#define NT_DN_MAX 16
struct nt_dn {
    size_t n;
    char type[NT_DN_MAX][24];
    char value[NT_DN_MAX][128];
};
/** Parse a trusted identity DN ("C=US, ST=WA, O=x"; RFC 4514 escapes). */
int nt_dn_parse(struct nt_dn *out, const char *text, struct vouch_error *err);
/** The subject of a certificate as attributes. */
int nt_dn_of_name(struct nt_dn *out, const X509_NAME *name, struct vouch_error *err);
/** 1 if every attribute of sub is in dn with the same value. */
int nt_dn_subset(const struct nt_dn *sub, const struct nt_dn *dn);
/** RFC 2253 text of a name, most specific first, as Go's pkix.Name.String prints it. */
void nt_name_text(char *out, size_t size, const X509_NAME *name);

/** RFC 3339 UTC text of t. */
void nt_time_text(char *out, size_t size, int64_t t);
/** RFC 1123 with numeric zone, as notation prints times ("Fri, 29 Jul 2022 23:59:00 +0000"). */
void nt_time_rfc1123(char *out, size_t size, int64_t t);

#endif
