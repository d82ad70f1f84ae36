/* The policy model shared by policy_parse.c, policy_eval*.c and their tests. */
#ifndef SLSA_POLICY_INTERNAL_H
#define SLSA_POLICY_INTERNAL_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "slsa/policy.h"
#include "sign/notation.h"
#include "sign/sigstore.h"
#include "sign/trustroot.h"
#include "slsa/vuln.h"

enum pol_match { POL_MATCH_FIRST = 0, POL_MATCH_ALL };
enum pol_default { POL_DEFAULT_DENY = 0, POL_DEFAULT_ALLOW, POL_DEFAULT_WARN };

struct pol_key {
    char id[65]; /* hex SHA-256 of SPKI DER */
    char *pem;
    char *label; /* path or "inline" for messages */
};

struct pol_keyset {
    struct pol_key *keys;
    size_t n;
};

struct pol_kv {
    char *key;
    char *value;
};

/* signatures.notation: Notary Project signatures under a one-statement trust policy. */
struct pol_notation {
    int present;
    char *trust_store; /* folder holding x509/{ca,signingAuthority,tsa}/NAME (resolved) */
    char **stores;     /* "ca:NAME", ...: given, else every named store of the folder */
    size_t n_stores;
    char **identities; /* trustedIdentities */
    size_t n_identities;
    char *level;                     /* strict (default), permissive or audit */
    char id[160];                    /* "notation:RULE", the evidence id */
    struct sign_notation_policy *tp; /* the trust policy it stands for (scope "*") */
};

/* keyless: Fulcio-certified signers (any one of ids) under a trusted root. */
struct pol_keyless {
    int present;
    struct sign_sigstore_identity *ids; /* strings owned */
    size_t n_ids;
    char *trusted_root;          /* resolved path, or NULL: the provider's default root */
    struct sign_trustroot *root; /* parsed at load when trusted_root is given */
    char id[200];                /* "keyless:RULE" or "keyless:RULE/attestations[N]" */
};

struct pol_sigreq {
    int present;
    struct pol_notation notation;
    struct pol_keyless keyless;
    struct pol_keyset keys;
    size_t threshold; /* distinct keys that must have verified a signature */
    struct pol_kv *annotations;
    size_t n_annotations;
};

enum pol_cond_op { POL_COND_EQUALS = 0, POL_COND_GLOB };
enum pol_field {
    POL_FIELD_PATH = 0, /* any JSON path into the predicate */
    POL_FIELD_BUILDER_ID,
    POL_FIELD_BUILD_TYPE,
    POL_FIELD_SOURCE_URI,
    POL_FIELD_SOURCE_BRANCH,
    POL_FIELD_SOURCE_TAG,
};

struct pol_cond {
    enum pol_field field;
    char *path; /* for POL_FIELD_PATH: "a.b[0].c" */
    enum pol_cond_op op;
    char *value;
};

struct pol_attreq {
    char *type; /* predicateType URI */
    struct pol_keyset keys;
    struct pol_keyless keyless;
    struct pol_cond *conds;
    size_t n_conds;
};

struct pol_pin {
    char *tag;
    char *digest;
};

struct pol_tagreq {
    int present;
    char **deny;
    size_t n_deny;
    int has_allow;
    regex_t allow;
    char *allow_src;
    int require_digest;
    struct pol_pin *pins;
    size_t n_pins;
};

struct pol_cve {
    char *id;
    int64_t expires; /* first second it no longer applies; 0 = never */
    char *expires_src;
    char *reason;
};

struct pol_vulnreq {
    int present;
    enum slsa_severity max;
    struct pol_cve *allow;
    size_t n_allow;
    int honour_vex;
    int ignore_unfixed; /* findings the report says have no fix do not deny */
};

struct pol_sbomreq {
    int present;
    int required;         /* an SBOM must be among the evidence (default when present) */
    char **deny_licenses; /* globs */
    size_t n_deny;
};

struct pol_rule {
    char *name;
    char **images; /* normalised globs */
    size_t n_images;
    enum slsa_mode mode;
    char **repos; /* allow-list globs; n_repos 0 = no restriction */
    size_t n_repos;
    int has_repos;
    struct pol_tagreq tags;
    struct pol_sigreq sigs;
    struct pol_attreq *atts;
    size_t n_atts;
    struct pol_vulnreq vulns;
    struct pol_sbomreq sbom;
};

struct slsa_policy {
    char *name;
    enum pol_match match;
    enum pol_default unmatched;
    struct pol_rule *rules;
    size_t n_rules;
    struct pol_key *all_keys; /* distinct, borrowed pointers into rules */
    size_t n_all_keys;
    char hash[65];
};

/* policy_glob.c: '*' matches within a path element, '**' across elements, '?' one char. */
int pol_glob_match(const char *pattern, const char *s);
/* 0 if pattern is a valid glob, else a static reason. */
const char *pol_glob_check(const char *pattern);

/* Free the rule contents (policy_parse.c). */
void pol_rule_release(struct pol_rule *r);

#endif
