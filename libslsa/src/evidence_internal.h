/* The evidence record read by policy evaluation. */
#ifndef SLSA_EVIDENCE_INTERNAL_H
#define SLSA_EVIDENCE_INTERNAL_H

#include <jansson.h>

#include "slsa/evidence.h"

/* Who signed (keyless): owned copies of struct slsa_signer; identity NULL for keys. */
struct ev_signer {
    char *identity;
    char *issuer;
    int64_t log_index;
    int64_t signed_time;
};

struct ev_sig {
    char *key_id;
    json_t *annotations; /* object or NULL */
    struct ev_signer who;
};

struct ev_att {
    char *key_id;
    struct ev_signer who;
    char *type;
    json_t *statement; /* owns predicate */
    const json_t *predicate;
};

struct ev_sbom {
    char *name;
    char **licenses;
    size_t n;
};

struct slsa_evidence {
    char *digest;
    unsigned checked;
    char **errors;
    size_t n_errors;
    struct ev_sig *sigs;
    size_t n_sigs;
    struct ev_att *atts;
    size_t n_atts;
    const struct slsa_vuln_report **reports;
    size_t n_reports;
    const struct slsa_vex **vex;
    size_t n_vex;
    struct ev_sbom *sboms;
    size_t n_sboms;
    struct slsa_vuln_report **own_reports; /* freed with the evidence */
    size_t n_own_reports;
    struct slsa_vex **own_vex;
    size_t n_own_vex;
};

/** Collect the distinct licence ids/expressions of an SPDX 2 (packages[].licenseConcluded,
 *  licenseDeclared) or CycloneDX (components[].licenses[]) document into lic and n (each
 *  malloc'd; NOASSERTION/NONE skipped). Returns 0 or VOUCH_ENOMEM. */
int slsa_sbom_licenses(char ***lic, size_t *n, const json_t *doc);

#endif
