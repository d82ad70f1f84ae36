/* Shared by the vulnerability report readers (vuln*.c). */
#ifndef SLSA_VULN_INTERNAL_H
#define SLSA_VULN_INTERNAL_H

#include <jansson.h>

#include "slsa/vuln.h"

struct slsa_vuln_report {
    enum slsa_vuln_format format;
    char *name;
    json_t *root;  /* owns every string the findings point to */
    json_t *owned; /* array owning strings composed by readers (NULL until first use) */
    struct slsa_vuln_finding *f;
    size_t n;
};

/** Append a finding (strings borrowed from r->root). */
int vuln_add(struct slsa_vuln_report *r, const struct slsa_vuln_finding *f,
             struct vouch_error *err);
/** A copy of s owned by r (lives as long as r), or NULL when out of memory. */
const char *vuln_own_str(struct slsa_vuln_report *r, const char *s);
/** json_string_value of o[key] if it is a non-empty string, else NULL. */
const char *vuln_str(const json_t *o, const char *key);

/* One reader per format: fill r from doc (a node inside r->root). */
int vuln_read_trivy(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err);
int vuln_read_grype(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err);
int vuln_read_sarif(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err);
int vuln_read_ecr(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err);
int vuln_read_intoto(struct slsa_vuln_report *r, const json_t *doc, struct vouch_error *err);

#endif
