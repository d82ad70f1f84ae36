/* trustpolicy.json v1.0 (OCI): parse, validate by the spec's constraints, select the
 * statement for a repository, and the level table (trust-store-trust-policy.md). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "notation_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define E SIGN_NOTATION_ENFORCE
#define L SIGN_NOTATION_LOG
#define S SIGN_NOTATION_SKIP

/* The spec's table: integrity, authenticity, expiry, authentic timestamp, revocation. */
static const struct {
    const char *name;
    enum sign_notation_action a[SIGN_NOTATION_NCHECKS];
} levels[] = {
    {"strict", {E, E, E, E, E}},
    {"permissive", {E, E, L, L, L}},
    {"audit", {E, L, L, L, L}},
    {"skip", {S, S, S, S, S}},
};
#define LEVEL_SKIP 3

const char *nt_level_name(int level)
{
    return levels[level].name;
}

const char *sign_notation_check_name(enum sign_notation_check c)
{
    static const char *const n[] = {"integrity", "authenticity", "expiry", "authenticTimestamp",
                                    "revocation"};
    return (unsigned)c < SIGN_NOTATION_NCHECKS ? n[c] : "?";
}

const char *sign_notation_action_name(enum sign_notation_action a)
{
    return a == E ? "enforce" : a == L ? "log" : "skip";
}

const char *sign_notation_outcome_name(enum sign_notation_outcome o)
{
    static const char *const n[] = {"not run", "pass", "fail", "unknown"};
    return (unsigned)o < 4 ? n[o] : "?";
}

static void statement_release(struct nt_statement *s)
{
    for (size_t i = 0; i < s->n_scopes; i++) {
        free(s->scopes[i]);
    }
    for (size_t i = 0; i < s->n_stores; i++) {
        free(s->stores[i]);
    }
    for (size_t i = 0; i < s->n_identities; i++) {
        free(s->identities[i]);
    }
    free(s->scopes);
    free(s->stores);
    free(s->identities);
    free(s->name);
}

void sign_notation_policy_free(struct sign_notation_policy *p)
{
    if (p == NULL) {
        return;
    }
    for (size_t i = 0; i < p->n; i++) {
        statement_release(&p->st[i]);
    }
    free(p->st);
    free(p);
}

static int strv_of(char ***out, size_t *n, const json_t *arr, const char *what, const char *name,
                   struct vouch_error *err)
{
    size_t i;
    const json_t *v;
    *n = 0;
    *out = NULL;
    if (arr == NULL) {
        return 0;
    }
    if (!json_is_array(arr)) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "trust policy statement \"%s\": %s is not an array", name, what);
    }
    *out = calloc(json_array_size(arr) + 1, sizeof(char *));
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v)) {
            return vouch_error_set(err, VOUCH_EPARSE,
                                   "trust policy statement \"%s\": %s must hold strings", name,
                                   what);
        }
        if (*out == NULL || ((*out)[i] = strdup(json_string_value(v))) == NULL) {
            return vouch_enomem(err);
        }
        *n = i + 1;
    }
    return 0;
}

static int level_parse(struct nt_statement *s, const json_t *sv, struct vouch_error *err)
{
    const char *lv = json_string_value(json_object_get(sv, "level"));
    const json_t *ov = json_object_get(sv, "override"),
                 *vt = json_object_get(sv, "verifyTimestamp");
    const char *key;
    json_t *v;
    s->level = -1;
    for (int i = 0; lv != NULL && i < 4; i++) {
        s->level = strcmp(lv, levels[i].name) == 0 ? i : s->level;
    }
    if (s->level < 0) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\" uses invalid signatureVerification "
                               "level \"%s\"",
                               s->name, lv ? lv : "");
    }
    memcpy(s->actions, levels[s->level].a, sizeof(s->actions));
    if (ov != NULL && (s->level == LEVEL_SKIP || !json_is_object(ov))) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\": override is not allowed here",
                               s->name);
    }
    json_object_foreach((json_t *)ov, key, v)
    {
        const char *a = json_string_value(v);
        int c = 1;
        while (c < SIGN_NOTATION_NCHECKS && strcmp(key, sign_notation_check_name(c)) != 0) {
            c++;
        }
        int act = a == NULL                   ? -1
                  : strcmp(a, "enforce") == 0 ? E
                  : strcmp(a, "log") == 0     ? L
                  : strcmp(a, "skip") == 0    ? S
                                              : -1;
        if (c == SIGN_NOTATION_NCHECKS || act < 0 || (act == S && c != SIGN_NOTATION_REVOCATION)) {
            return vouch_error_set(err, VOUCH_EINVAL,
                                   "trust policy statement \"%s\" has an invalid override "
                                   "\"%.40s\": \"%.20s\"",
                                   s->name, key, a ? a : "");
        }
        s->actions[c] = (enum sign_notation_action)act;
    }
    if (vt != NULL &&
        (!json_is_string(vt) || (strcmp(json_string_value(vt), "always") != 0 &&
                                 strcmp(json_string_value(vt), "afterCertExpiry") != 0))) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\" has an invalid verifyTimestamp",
                               s->name);
    }
    s->after_cert_expiry = vt != NULL && strcmp(json_string_value(vt), "afterCertExpiry") == 0;
    return 0;
}

static int store_check(const struct nt_statement *s, const char *v, struct vouch_error *err)
{
    const char *colon = strchr(v, ':');
    size_t tl = colon ? (size_t)(colon - v) : 0;
    if (colon == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\" is missing separator in trust store "
                               "value \"%s\". The required format is "
                               "<TrustStoreType>:<TrustStoreName>",
                               s->name, v);
    }
    if (!((tl == 2 && strncmp(v, "ca", 2) == 0) || (tl == 3 && strncmp(v, "tsa", 3) == 0) ||
          (tl == 16 && strncmp(v, "signingAuthority", 16) == 0))) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\" uses an unsupported trust store "
                               "type in \"%s\"",
                               s->name, v);
    }
    if (colon[1] == '\0' ||
        strspn(colon + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                          "0123456789_.-") != strlen(colon + 1) ||
        strcmp(colon + 1, ".") == 0 || strcmp(colon + 1, "..") == 0) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\": trust store name in \"%s\" needs "
                               "to follow [a-zA-Z0-9_.-]+ format",
                               s->name, v);
    }
    return 0;
}

/* "*" alone, or "x509.subject:DN" with C, ST and O, none a subset of another. */
static int identities_check(const struct nt_statement *s, struct vouch_error *err)
{
    struct nt_dn *dn = calloc(s->n_identities + 1, sizeof(*dn));
    int rc = dn ? 0 : vouch_enomem(err);
    for (size_t i = 0; rc == 0 && i < s->n_identities; i++) {
        const char *v = s->identities[i], *colon = strchr(v, ':');
        if (strcmp(v, "*") == 0) {
            rc = s->n_identities == 1 ? 0
                                      : vouch_error_set(err, VOUCH_EINVAL,
                                                        "trust policy statement \"%s\" uses "
                                                        "wildcard identity '*' with others",
                                                        s->name);
            continue;
        }
        if (colon == NULL) {
            rc = vouch_error_set(err, VOUCH_EINVAL,
                                 "trust policy statement \"%s\" has trusted identity \"%s\" "
                                 "missing separator",
                                 s->name, v);
        } else if (colon[1] == '\0') {
            rc = vouch_error_set(err, VOUCH_EINVAL,
                                 "trust policy statement \"%s\" has trusted identity \"%s\" "
                                 "without an identity value",
                                 s->name, v);
        } else if (strncmp(v, "x509.subject:", 13) != 0) {
            rc = vouch_error_set(err, VOUCH_EINVAL,
                                 "trust policy statement \"%s\" uses unsupported identity type "
                                 "in \"%s\"",
                                 s->name, v);
        } else {
            rc = nt_dn_parse(&dn[i], colon + 1, err);
        }
        const struct nt_dn need = {3, {"C", "ST", "O"}, {"", "", ""}};
        for (size_t k = 0; rc == 0 && k < need.n; k++) {
            size_t j = 0;
            while (j < dn[i].n && strcmp(dn[i].type[j], need.type[k]) != 0) {
                j++;
            }
            if (j == dn[i].n) {
                rc = vouch_error_set(err, VOUCH_EINVAL,
                                     "trust policy statement \"%s\" has trusted identity \"%s\" "
                                     "without the mandatory \"%s\" attribute",
                                     s->name, v, need.type[k]);
            }
        }
        for (size_t j = 0; rc == 0 && j < i; j++) {
            if (dn[j].n > 0 && (nt_dn_subset(&dn[i], &dn[j]) || nt_dn_subset(&dn[j], &dn[i]))) {
                rc = vouch_error_set(err, VOUCH_EINVAL,
                                     "trust policy statement \"%s\" has overlapping x509 "
                                     "trustedIdentities",
                                     s->name);
            }
        }
    }
    free(dn);
    return rc;
}

/* A repository URI: "host[:port]/path", no tag, digest or wildcard. */
static int scope_ok(const char *v)
{
    const char *slash = strchr(v, '/');
    return slash != NULL && slash != v && slash[1] != '\0' && strchr(v, '*') == NULL &&
           strchr(v, '@') == NULL && strchr(slash, ':') == NULL && strchr(v, ' ') == NULL;
}

static int statement_check(const struct nt_statement *s, struct vouch_error *err)
{
    int rc = 0;
    if (s->n_scopes == 0) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\" has zero registry scopes", s->name);
    }
    for (size_t i = 0; i < s->n_scopes; i++) {
        if (strcmp(s->scopes[i], "*") == 0 ? s->n_scopes != 1 : !scope_ok(s->scopes[i])) {
            return vouch_error_set(err, VOUCH_EINVAL,
                                   "trust policy statement \"%s\" has invalid registry scope "
                                   "\"%s\"",
                                   s->name, s->scopes[i]);
        }
    }
    if (s->level == LEVEL_SKIP) {
        return s->n_stores || s->n_identities
                   ? vouch_error_set(err, VOUCH_EINVAL,
                                     "trust policy statement \"%s\" is set to skip signature "
                                     "verification but configured with trust stores and/or "
                                     "trusted identities, remove them as they are not needed",
                                     s->name)
                   : 0;
    }
    if (s->n_stores == 0 || s->n_identities == 0) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\" is either missing trust stores or "
                               "trusted identities, both must be specified",
                               s->name);
    }
    for (size_t i = 0; rc == 0 && i < s->n_stores; i++) {
        rc = store_check(s, s->stores[i], err);
    }
    return rc ? rc : identities_check(s, err);
}

static int statement_parse(struct nt_statement *s, const json_t *j, struct vouch_error *err)
{
    const char *name = json_string_value(json_object_get(j, "name"));
    const json_t *sv = json_object_get(j, "signatureVerification");
    if (name == NULL || name[0] == '\0') {
        return vouch_error_set(err, VOUCH_EINVAL, "a trust policy statement is missing a name");
    }
    s->name = strdup(name);
    if (s->name == NULL) {
        return vouch_enomem(err);
    }
    if (!json_is_object(sv)) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "trust policy statement \"%s\" is missing signatureVerification",
                               name);
    }
    int rc = strv_of(&s->scopes, &s->n_scopes, json_object_get(j, "registryScopes"),
                     "registryScopes", name, err);
    rc = rc ? rc
            : strv_of(&s->stores, &s->n_stores, json_object_get(j, "trustStores"), "trustStores",
                      name, err);
    rc = rc ? rc
            : strv_of(&s->identities, &s->n_identities, json_object_get(j, "trustedIdentities"),
                      "trustedIdentities", name, err);
    rc = rc ? rc : level_parse(s, sv, err);
    return rc ? rc : statement_check(s, err);
}

/* Across statements: unique names, one global scope, no scope in two statements. */
static int document_check(const struct sign_notation_policy *p, struct vouch_error *err)
{
    int globals = 0;
    for (size_t i = 0; i < p->n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(p->st[i].name, p->st[j].name) == 0) {
                return vouch_error_set(err, VOUCH_EINVAL,
                                       "multiple trust policy statements use the same name \"%s\"",
                                       p->st[i].name);
            }
            for (size_t a = 0; a < p->st[i].n_scopes; a++) {
                for (size_t b = 0; b < p->st[j].n_scopes; b++) {
                    if (strcmp(p->st[i].scopes[a], p->st[j].scopes[b]) == 0 &&
                        strcmp(p->st[i].scopes[a], "*") != 0) {
                        return vouch_error_set(err, VOUCH_EINVAL,
                                               "registry scope \"%s\" is present in multiple "
                                               "trust policy statements",
                                               p->st[i].scopes[a]);
                    }
                }
            }
        }
        globals += strcmp(p->st[i].scopes[0], "*") == 0;
    }
    if (globals > 1) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "multiple trust policy statements use global scope");
    }
    return 0;
}

static int policy_from_json(struct sign_notation_policy **out, const json_t *root,
                            struct vouch_error *err)
{
    const char *ver = json_string_value(json_object_get(root, "version"));
    const json_t *arr = json_object_get(root, "trustPolicies"), *v;
    size_t i;
    struct sign_notation_policy *p = calloc(1, sizeof(*p));
    int rc = 0;
    *out = NULL;
    if (p == NULL) {
        return vouch_enomem(err);
    }
    if (ver == NULL || strcmp(ver, "1.0") != 0) {
        rc = vouch_error_set(err, VOUCH_EINVAL,
                             "trust policy document uses unsupported version "
                             "\"%s\"",
                             ver ? ver : "");
    }
    if (rc == 0 && (!json_is_array(arr) || json_array_size(arr) == 0)) {
        rc = vouch_error_set(err, VOUCH_EINVAL,
                             "trust policy document can not have zero trust "
                             "policy statements");
    }
    p->st = rc ? NULL : calloc(json_array_size(arr), sizeof(*p->st));
    if (rc == 0 && p->st == NULL) {
        rc = vouch_enomem(err);
    }
    json_array_foreach(rc ? NULL : arr, i, v)
    {
        p->n = i + 1;
        rc = statement_parse(&p->st[i], v, err);
        if (rc != 0) {
            break;
        }
    }
    rc = rc ? rc : document_check(p, err);
    if (rc != 0) {
        sign_notation_policy_free(p);
        p = NULL;
    }
    *out = p;
    return rc;
}

int sign_notation_policy_parse(struct sign_notation_policy **out, const unsigned char *json,
                               size_t len, const char *name, struct vouch_error *err)
{
    json_t *root = NULL;
    int rc = sign_jread_load(&root, json, len, "trust policy", err);
    rc = rc ? rc : policy_from_json(out, root, err);
    if (rc != 0) {
        *out = NULL;
        vouch_error_prefix(err, "'%s': ", name);
    }
    json_decref(root);
    return rc;
}

int sign_notation_policy_single(struct sign_notation_policy **out, const char *level,
                                const char *const *stores, size_t n_stores,
                                const char *const *identities, size_t n_identities,
                                struct vouch_error *err)
{
    json_t *st = json_pack("{ss s[s] s{ss} s[] s[]}", "name", "admission", "registryScopes", "*",
                           "signatureVerification", "level", level ? level : "strict",
                           "trustStores", "trustedIdentities");
    json_t *doc = st ? json_pack("{ss s[O]}", "version", "1.0", "trustPolicies", st) : NULL;
    int rc = doc ? 0 : vouch_enomem(err);
    for (size_t i = 0; rc == 0 && i < n_stores; i++) {
        json_array_append_new(json_object_get(st, "trustStores"), json_string(stores[i]));
    }
    for (size_t i = 0; rc == 0 && i < n_identities; i++) {
        json_array_append_new(json_object_get(st, "trustedIdentities"), json_string(identities[i]));
    }
    rc = rc ? rc : policy_from_json(out, doc, err);
    json_decref(st);
    json_decref(doc);
    return rc;
}

const struct nt_statement *nt_policy_select(const struct sign_notation_policy *p,
                                            const char *repo_uri)
{
    const struct nt_statement *global = NULL;
    for (size_t i = 0; i < p->n; i++) {
        for (size_t j = 0; j < p->st[i].n_scopes; j++) {
            if (strcmp(p->st[i].scopes[j], "*") == 0) {
                global = &p->st[i];
            } else if (repo_uri != NULL && strcmp(p->st[i].scopes[j], repo_uri) == 0) {
                return &p->st[i];
            }
        }
    }
    return global;
}
