/* Vulnerability reports: format detection, the common model, severities. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vouch/jread.h"
#include "vouch/mem.h"
#include "vuln_internal.h"

#define VULN_MAX_FINDINGS 1000000

static int vuln_read_any(struct slsa_vuln_report *r, const json_t *doc, int depth,
                         struct vouch_error *err);

static const char *sev_names[] = {"none", "low", "medium", "high", "critical", "unknown"};

const char *slsa_severity_name(enum slsa_severity s)
{
    return (unsigned)s <= SLSA_SEV_UNKNOWN ? sev_names[s] : "unknown";
}

int slsa_severity_from_name(enum slsa_severity *out, const char *name, struct vouch_error *err)
{
    static const struct {
        const char *name;
        enum slsa_severity s;
    } alias[] = {{"negligible", SLSA_SEV_LOW},    {"moderate", SLSA_SEV_MEDIUM},
                 {"informational", SLSA_SEV_LOW}, {"undefined", SLSA_SEV_UNKNOWN},
                 {"untriaged", SLSA_SEV_UNKNOWN}, {NULL, 0}};
    for (int i = 0; i <= SLSA_SEV_UNKNOWN; i++) {
        if (strcasecmp(name, sev_names[i]) == 0) {
            *out = (enum slsa_severity)i;
            return 0;
        }
    }
    for (int i = 0; alias[i].name != NULL; i++) {
        if (strcasecmp(name, alias[i].name) == 0) {
            *out = alias[i].s;
            return 0;
        }
    }
    return vouch_error_set(err, VOUCH_EINVAL, "unknown severity '%s'", name);
}

const char *vuln_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL && s[0] != '\0' ? s : NULL;
}

const char *vuln_own_str(struct slsa_vuln_report *r, const char *s)
{
    json_t *js;
    if (r->owned == NULL && (r->owned = json_array()) == NULL) {
        return NULL;
    }
    js = json_string(s);
    if (js == NULL || json_array_append_new(r->owned, js) != 0) {
        return NULL;
    }
    return json_string_value(js);
}

int vuln_add(struct slsa_vuln_report *r, const struct slsa_vuln_finding *f, struct vouch_error *err)
{
    struct slsa_vuln_finding *nf;
    if (f->id == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "a finding has no vulnerability id");
    }
    if (r->n >= VULN_MAX_FINDINGS || (nf = realloc(r->f, (r->n + 1) * sizeof(*nf))) == NULL) {
        return vouch_error_set(err, VOUCH_ENOMEM, "too many findings");
    }
    r->f = nf;
    r->f[r->n++] = *f;
    return 0;
}

static int is_cosign_wrapper(const json_t *doc)
{
    const char *pt = vuln_str(doc, "predicateType");
    if (pt != NULL) {
        return 1;
    }
    if (json_is_object(json_object_get(doc, "predicate")) && json_object_size(doc) == 1) {
        return 1;
    }
    return json_is_object(json_object_get(doc, "scanner")) &&
           json_object_get(doc, "metadata") != NULL;
}

static int read_cosign(struct slsa_vuln_report *r, const json_t *doc, int depth,
                       struct vouch_error *err)
{
    const char *pt = vuln_str(doc, "predicateType");
    const json_t *pred = json_object_get(doc, "predicate"), *result;
    if (pt != NULL && strcmp(pt, "https://cosign.sigstore.dev/attestation/vuln/v1") != 0) {
        if (strncmp(pt, "https://in-toto.io/attestation/vulns/", 37) == 0) {
            return vuln_read_intoto(r, pred, err);
        }
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "predicateType '%s' is not a "
                               "vulnerability report",
                               pt);
    }
    if (pred == NULL) {
        pred = doc; /* a bare predicate */
    }
    result = json_object_get(json_object_get(pred, "scanner"), "result");
    if (!json_is_object(json_object_get(pred, "scanner"))) {
        return vouch_error_set(err, VOUCH_EPARSE, "vuln predicate has no scanner");
    }
    if (result == NULL || json_is_null(result)) {
        return 0; /* the spec allows an empty result: no findings */
    }
    return vuln_read_any(r, result, depth + 1, err);
}

static int vuln_read_any(struct slsa_vuln_report *r, const json_t *doc, int depth,
                         struct vouch_error *err)
{
    if (!json_is_object(doc) || depth > 1) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "not a vulnerability report");
    }
    if (json_object_get(doc, "SchemaVersion") != NULL && json_object_get(doc, "ArtifactName")) {
        r->format = depth == 0 ? SLSA_VULN_TRIVY : r->format;
        return vuln_read_trivy(r, doc, err);
    }
    if (json_is_array(json_object_get(doc, "matches"))) {
        r->format = depth == 0 ? SLSA_VULN_GRYPE : r->format;
        return vuln_read_grype(r, doc, err);
    }
    if (json_is_array(json_object_get(doc, "runs")) && vuln_str(doc, "version") != NULL) {
        r->format = depth == 0 ? SLSA_VULN_SARIF : r->format;
        return vuln_read_sarif(r, doc, err);
    }
    if (depth == 0 && json_is_object(json_object_get(doc, "imageScanFindings"))) {
        r->format = SLSA_VULN_ECR;
        return vuln_read_ecr(r, doc, err);
    }
    if (depth == 0 && is_cosign_wrapper(doc)) {
        r->format = SLSA_VULN_COSIGN;
        return read_cosign(r, doc, depth, err);
    }
    return vouch_error_set(
        err, VOUCH_EUNSUPPORTED,
        "not a known vulnerability report (trivy, grype, sarif, cosign vuln, ecr)");
}

int slsa_vuln_report_parse(struct slsa_vuln_report **out, const char *data, size_t len,
                           const char *name, struct vouch_error *err)
{
    json_error_t jerr;
    struct slsa_vuln_report *r = calloc(1, sizeof(*r));
    int rc;
    *out = NULL;
    if (r == NULL || (r->name = strdup(name)) == NULL) {
        free(r);
        return vouch_enomem(err);
    }
    r->root = vouch_json_load(data, len, 0, &jerr);
    if (r->root == NULL) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "'%s': invalid JSON at line %d: %s", name,
                             jerr.line, jerr.text);
    } else {
        rc = vuln_read_any(r, r->root, 0, err);
        if (rc != 0) {
            vouch_error_prefix(err, "'%s': ", name);
        }
    }
    if (rc != 0) {
        slsa_vuln_report_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void slsa_vuln_report_free(struct slsa_vuln_report *r)
{
    if (r == NULL) {
        return;
    }
    json_decref(r->root);
    json_decref(r->owned);
    free(r->f);
    free(r->name);
    free(r);
}

enum slsa_vuln_format slsa_vuln_report_format(const struct slsa_vuln_report *r)
{
    return r->format;
}

const char *slsa_vuln_format_name(enum slsa_vuln_format f)
{
    static const char *names[] = {"trivy", "grype", "sarif", "cosign-vuln", "ecr"};
    return (unsigned)f <= SLSA_VULN_ECR ? names[f] : "unknown";
}

const char *slsa_vuln_report_name(const struct slsa_vuln_report *r)
{
    return r->name;
}

size_t slsa_vuln_report_count(const struct slsa_vuln_report *r)
{
    return r->n;
}

const struct slsa_vuln_finding *slsa_vuln_report_at(const struct slsa_vuln_report *r, size_t i)
{
    return i < r->n ? &r->f[i] : NULL;
}

size_t slsa_vuln_report_count_severity(const struct slsa_vuln_report *r, enum slsa_severity s)
{
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        k += r->f[i].severity == s;
    }
    return k;
}
