/* ECR lifecycle policies: parsing with ECR's own validity rules, and the companion-keeping
 * rewrite. Rules and their fields follow the ECR user guide, "Lifecycle policy properties". */
#include <stdlib.h>
#include <string.h>

#include "lifecycle_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define LC_MAX_RULES 1000
#define LC_MAX_WILDCARDS 4 /* ECR: at most four '*' in a tag pattern */
#define LC_KEEP_COUNT 9999

static const char *rule_field_str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Point list[i] at the strings of a JSON array of strings (borrowed from the policy). */
static int str_list(const json_t *a, const char *what, int prio, const char ***store, size_t *used,
                    const char *const **list, size_t *n, struct vouch_error *err)
{
    const json_t *v;
    size_t i;
    if (a == NULL) {
        return 0;
    }
    if (!json_is_array(a) || json_array_size(a) == 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "rule %d: %s is not a non-empty list", prio,
                               what);
    }
    *list = *store + *used;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0) {
            return vouch_error_set(err, VOUCH_EPARSE, "rule %d: %s holds a non-string", prio, what);
        }
        (*store)[(*used)++] = json_string_value(v);
    }
    *n = json_array_size(a);
    return 0;
}

static int wildcards_ok(const struct lc_rule *r, struct vouch_error *err)
{
    for (size_t i = 0; i < r->n_patterns; i++) {
        size_t stars = 0;
        for (const char *c = r->patterns[i]; *c != '\0'; c++) {
            stars += *c == '*';
        }
        if (stars > LC_MAX_WILDCARDS) {
            return vouch_error_set(err, VOUCH_EPARSE,
                                   "rule %d: tag pattern '%s' has more than %d wildcards",
                                   r->priority, r->patterns[i], LC_MAX_WILDCARDS);
        }
    }
    return 0;
}

static int parse_selection(struct lc_rule *r, const json_t *sel, const char ***store, size_t *used,
                           struct vouch_error *err)
{
    const char *st = rule_field_str(sel, "tagStatus"), *ct = rule_field_str(sel, "countType");
    const char *unit = rule_field_str(sel, "countUnit");
    const json_t *num = json_object_get(sel, "countNumber");
    int rc;
    if (st == NULL || ct == NULL || !json_is_integer(num) || json_integer_value(num) < 1) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "rule %d: selection needs tagStatus, countType and a positive "
                               "countNumber",
                               r->priority);
    }
    r->number = json_integer_value(num);
    r->status = strcmp(st, "tagged") == 0     ? LC_TAGGED
                : strcmp(st, "untagged") == 0 ? LC_UNTAGGED
                : strcmp(st, "any") == 0      ? LC_ANY
                                              : (enum lc_status) - 1;
    if ((int)r->status < 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "rule %d: unknown tagStatus '%s'", r->priority,
                               st);
    }
    if (strcmp(ct, "imageCountMoreThan") == 0 && unit == NULL) {
        r->count = LC_COUNT_MORE_THAN;
    } else if (strcmp(ct, "sinceImagePushed") == 0 && unit != NULL && strcmp(unit, "days") == 0) {
        r->count = LC_SINCE_PUSHED;
    } else {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "rule %d: countType '%s' with countUnit '%s' (want "
                               "imageCountMoreThan without a unit, or sinceImagePushed in days)",
                               r->priority, ct, unit != NULL ? unit : "");
    }
    rc = str_list(json_object_get(sel, "tagPrefixList"), "tagPrefixList", r->priority, store, used,
                  &r->prefixes, &r->n_prefixes, err);
    rc = rc ? rc
            : str_list(json_object_get(sel, "tagPatternList"), "tagPatternList", r->priority, store,
                       used, &r->patterns, &r->n_patterns, err);
    if (rc == 0 && r->status == LC_TAGGED && (r->n_prefixes == 0) == (r->n_patterns == 0)) {
        rc = vouch_error_set(err, VOUCH_EPARSE,
                             "rule %d: tagged needs exactly one of tagPrefixList and "
                             "tagPatternList",
                             r->priority);
    }
    if (rc == 0 && r->status != LC_TAGGED && r->n_prefixes + r->n_patterns > 0) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "rule %d: tag lists are only for tagStatus tagged",
                             r->priority);
    }
    return rc ? rc : wildcards_ok(r, err);
}

static int parse_rule(struct lc_rule *r, const json_t *j, const char ***store, size_t *used,
                      struct vouch_error *err)
{
    const json_t *prio = json_object_get(j, "rulePriority");
    const char *action = rule_field_str(json_object_get(j, "action"), "type");
    if (!json_is_object(j) || !json_is_integer(prio) || json_integer_value(prio) < 1 ||
        json_integer_value(prio) > 999) {
        return vouch_error_set(err, VOUCH_EPARSE, "a rule has no rulePriority from 1 to 999");
    }
    r->priority = (int)json_integer_value(prio);
    if (action == NULL || strcmp(action, "expire") != 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "rule %d: action type is not 'expire'",
                               r->priority);
    }
    return parse_selection(r, json_object_get(j, "selection"), store, used, err);
}

static int by_priority(const void *a, const void *b)
{
    const struct lc_rule *x = a, *y = b;
    return (x->priority > y->priority) - (x->priority < y->priority);
}

static size_t count_strings(const json_t *rules)
{
    const json_t *r;
    size_t i, n = 0;
    json_array_foreach(rules, i, r)
    {
        const json_t *sel = json_object_get(r, "selection");
        n += json_array_size(json_object_get(sel, "tagPrefixList")) +
             json_array_size(json_object_get(sel, "tagPatternList"));
    }
    return n;
}

/* ECR's checks across rules: unique priorities, `any` last, one untagged rule. */
static int check_rules(const struct slsa_lifecycle *p, struct vouch_error *err)
{
    size_t untagged = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (i > 0 && p->r[i].priority == p->r[i - 1].priority) {
            return vouch_error_set(err, VOUCH_EPARSE, "two rules have rulePriority %d",
                                   p->r[i].priority);
        }
        if (p->r[i].status == LC_ANY && i + 1 != p->n) {
            return vouch_error_set(err, VOUCH_EPARSE,
                                   "rule %d: a tagStatus 'any' rule must have the highest "
                                   "rulePriority",
                                   p->r[i].priority);
        }
        untagged += p->r[i].status == LC_UNTAGGED;
    }
    if (untagged > 1) {
        return vouch_error_set(err, VOUCH_EPARSE, "more than one rule selects untagged images");
    }
    return 0;
}

static int parse_rules(struct slsa_lifecycle *p, struct vouch_error *err)
{
    const json_t *rules = json_object_get(p->root, "rules"), *j;
    size_t i, used = 0;
    int rc = 0;
    if (!json_is_array(rules) || json_array_size(rules) == 0 ||
        json_array_size(rules) > LC_MAX_RULES) {
        return vouch_error_set(err, VOUCH_EPARSE, "'rules' is not a list of 1 to %d rules",
                               LC_MAX_RULES);
    }
    p->n = json_array_size(rules);
    p->r = calloc(p->n, sizeof(*p->r));
    p->strs = calloc(count_strings(rules) + 1, sizeof(*p->strs));
    if (p->r == NULL || p->strs == NULL) {
        return vouch_enomem(err);
    }
    json_array_foreach(rules, i, j)
    {
        rc = rc ? rc : parse_rule(&p->r[i], j, &p->strs, &used, err);
    }
    if (rc == 0) {
        qsort(p->r, p->n, sizeof(*p->r), by_priority);
        rc = check_rules(p, err);
    }
    return rc;
}

int slsa_lifecycle_parse(struct slsa_lifecycle **out, const char *data, size_t len,
                         const char *name, struct vouch_error *err)
{
    struct slsa_lifecycle *p = calloc(1, sizeof(*p));
    json_error_t jerr;
    int rc;
    *out = NULL;
    if (p == NULL) {
        return vouch_enomem(err);
    }
    p->root = vouch_json_load(data, len, 0, &jerr);
    if (p->root == NULL) {
        rc =
            vouch_error_set(err, VOUCH_EPARSE, "invalid JSON at line %d: %s", jerr.line, jerr.text);
    } else {
        rc = parse_rules(p, err);
    }
    if (rc != 0) {
        vouch_error_prefix(err, "'%s': ", name);
        slsa_lifecycle_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void slsa_lifecycle_free(struct slsa_lifecycle *p)
{
    if (p == NULL) {
        return;
    }
    json_decref(p->root);
    free(p->r);
    free(p->strs);
    free(p);
}

static json_t *keep_rule(int priority)
{
    return json_pack(
        "{s:i, s:s, s:{s:s, s:[s], s:s, s:i}, s:{s:s}}", "rulePriority", priority, "description",
        "vouch: keep cosign signature, attestation and SBOM tags (sha256-*) "
        "with their subjects; remove orphans with 'vouch clean --orphans'",
        "selection", "tagStatus", "tagged", "tagPrefixList", "sha256-", "countType",
        "imageCountMoreThan", "countNumber", LC_KEEP_COUNT, "action", "type", "expire");
}

int slsa_lifecycle_fix(char **out, const struct slsa_lifecycle *p, struct vouch_error *err)
{
    json_t *doc = json_deep_copy(p->root), *rules = json_object_get(doc, "rules"), *r;
    int shift = p->r[0].priority == 1;
    size_t i;
    *out = NULL;
    if (doc == NULL) {
        return vouch_enomem(err);
    }
    if (shift && p->r[p->n - 1].priority == 999) {
        json_decref(doc);
        return vouch_error_set(err, VOUCH_EINVAL,
                               "no room for a first rule: priorities 1 and 999 are both taken");
    }
    json_array_foreach(rules, i, r)
    {
        json_int_t prio = json_integer_value(json_object_get(r, "rulePriority"));
        if (shift && json_object_set_new(r, "rulePriority", json_integer(prio + 1)) != 0) {
            json_decref(doc);
            return vouch_enomem(err);
        }
    }
    if (json_array_insert_new(rules, 0, keep_rule(1)) != 0 ||
        (*out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL) {
        json_decref(doc);
        return vouch_enomem(err);
    }
    json_decref(doc);
    return 0;
}
