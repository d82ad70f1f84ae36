/* Strict reading of untrusted in-toto statements, and cosign's predicate type names.
 * Known fields must have their spec types; unknown fields are ignored (spec/v1/README.md
 * "Parsing rules"); sizes are capped. */
#include <string.h>

#include "statement_internal.h"
#include "vouch/jread.h"

static int check_resource_fields(const json_t *subj, size_t i, struct vouch_error *err)
{
    /* ResourceDescriptor fields that are strings when present. */
    static const char *const strings[] = {"name", "uri", "content", "downloadLocation",
                                          "mediaType"};
    json_t *ann = json_object_get(subj, "annotations");
    for (size_t k = 0; k < sizeof(strings) / sizeof(strings[0]); k++) {
        json_t *v = json_object_get(subj, strings[k]);
        if (v != NULL && !json_is_string(v)) {
            return vouch_error_set(err, VOUCH_EPARSE, "subject[%zu].%s is not a string", i,
                                   strings[k]);
        }
    }
    if (ann != NULL && !json_is_object(ann)) {
        return vouch_error_set(err, VOUCH_EPARSE, "subject[%zu].annotations is not an object", i);
    }
    return 0;
}

static int check_subject(const json_t *subj, size_t i, struct vouch_error *err)
{
    const char *alg;
    json_t *v, *set = json_object_get(subj, "digest");
    int rc;
    if (!json_is_object(subj)) {
        return vouch_error_set(err, VOUCH_EPARSE, "subject[%zu] is not an object", i);
    }
    rc = check_resource_fields(subj, i, err);
    if (rc != 0) {
        return rc;
    }
    /* statement.md: each subject MUST have a digest. */
    if (!json_is_object(set) || json_object_size(set) == 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "subject[%zu] has no digest", i);
    }
    if (json_object_size(set) > SLSA_MAX_DIGESTS) {
        return vouch_error_set(err, VOUCH_EPARSE, "subject[%zu] has more than %d digests", i,
                               SLSA_MAX_DIGESTS);
    }
    json_object_foreach(set, alg, v)
    {
        if (!json_is_string(v)) {
            return vouch_error_set(err, VOUCH_EPARSE, "subject[%zu].digest.%s is not a string", i,
                                   alg);
        }
        rc = statement_check_digest(alg, json_string_value(v), err);
        if (rc != 0) {
            vouch_error_prefix(err, "subject[%zu]: ", i);
            return VOUCH_EPARSE;
        }
    }
    return 0;
}

static int check_subjects(const json_t *subjects, struct vouch_error *err)
{
    size_t i;
    json_t *subj;
    if (!json_is_array(subjects)) {
        return vouch_error_set(err, VOUCH_EPARSE, "statement subject is not an array");
    }
    if (json_array_size(subjects) == 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "statement has no subjects");
    }
    if (json_array_size(subjects) > SLSA_MAX_SUBJECTS) {
        return vouch_error_set(err, VOUCH_EPARSE, "statement has more than %d subjects",
                               SLSA_MAX_SUBJECTS);
    }
    json_array_foreach(subjects, i, subj)
    {
        int rc = check_subject(subj, i, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int check_header(const json_t *root, struct vouch_error *err)
{
    const char *type = json_string_value(json_object_get(root, "_type"));
    json_t *pt = json_object_get(root, "predicateType");
    json_t *pred = json_object_get(root, "predicate");
    if (type == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "statement has no _type string");
    }
    if (strcmp(type, SLSA_STATEMENT_V1) != 0 && strcmp(type, SLSA_STATEMENT_V01) != 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "unsupported statement _type '%.100s'", type);
    }
    if (!json_is_string(pt) || json_string_length(pt) == 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "statement has no predicateType string");
    }
    /* "Unset, null, and empty field values MUST be interpreted equivalently." */
    if (pred != NULL && !json_is_object(pred) && !json_is_null(pred)) {
        return vouch_error_set(err, VOUCH_EPARSE, "statement predicate is not an object");
    }
    return 0;
}

int slsa_statement_parse(struct slsa_statement **out, const unsigned char *data, size_t len,
                         struct vouch_error *err)
{
    json_error_t jerr;
    json_t *root = NULL, *pred;
    int rc;
    *out = NULL;
    if (len > SLSA_STATEMENT_MAX_BYTES) {
        return vouch_error_set(err, VOUCH_EPARSE, "statement larger than %zu bytes",
                               SLSA_STATEMENT_MAX_BYTES);
    }
    root = vouch_json_load((const char *)data, len, 0, &jerr);
    if (root == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "statement is not valid json: %s", jerr.text);
    }
    rc =
        json_is_object(root) ? 0 : vouch_error_set(err, VOUCH_EPARSE, "statement is not an object");
    if (rc == 0) {
        rc = check_header(root, err);
    }
    if (rc == 0) {
        rc = check_subjects(json_object_get(root, "subject"), err);
    }
    if (rc == 0) {
        rc = statement_alloc(out, json_string_value(json_object_get(root, "_type")),
                             json_string_value(json_object_get(root, "predicateType")), err);
    }
    if (rc == 0) {
        json_decref((*out)->subjects);
        (*out)->subjects = json_incref(json_object_get(root, "subject"));
        pred = json_object_get(root, "predicate");
        (*out)->predicate = json_is_object(pred) ? json_incref(pred) : NULL;
    }
    json_decref(root);
    return rc;
}

/* cosign's --type names (cosign pkg/cosign/attestation, signing.md §2.1). */
static const struct {
    const char *name;
    const char *uri;
} predicate_names[] = {
    {"custom", SLSA_PREDICATE_CUSTOM},
    {"slsaprovenance", SLSA_PREDICATE_PROVENANCE_V02},
    {"slsaprovenance02", SLSA_PREDICATE_PROVENANCE_V02},
    {"slsaprovenance1", SLSA_PREDICATE_PROVENANCE_V1},
    {"spdx", "https://spdx.dev/Document"},
    {"spdxjson", "https://spdx.dev/Document"},
    {"cyclonedx", "https://cyclonedx.org/bom"},
    {"vuln", "https://cosign.sigstore.dev/attestation/vuln/v1"},
    {"openvex", "https://openvex.dev/ns"},
    {"link", "https://in-toto.io/Link/v1"},
};

/* RFC 3986 scheme ":" with something after it. */
int slsa_is_absolute_uri(const char *s)
{
    size_t i = 0;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        return 0;
    }
    while (s[i] != '\0' && s[i] != ':') {
        char c = s[i++];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.')) {
            return 0;
        }
    }
    return s[i] == ':' && s[i + 1] != '\0';
}

int slsa_predicate_type_from_name(const char **out, const char *name, struct vouch_error *err)
{
    for (size_t i = 0; i < sizeof(predicate_names) / sizeof(predicate_names[0]); i++) {
        if (strcmp(predicate_names[i].name, name) == 0) {
            *out = predicate_names[i].uri;
            return 0;
        }
    }
    if (!slsa_is_absolute_uri(name)) {
        *out = NULL;
        return vouch_error_set(err, VOUCH_EINVAL,
                               "unknown predicate type '%.100s' (want a cosign type name or a "
                               "URI)",
                               name);
    }
    *out = name;
    return 0;
}
