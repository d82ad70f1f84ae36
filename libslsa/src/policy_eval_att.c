/* Policy evaluation of attestations (predicate conditions) and vulnerability reports
 * (severity ceiling, expiring allow-list, OpenVEX not_affected). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy_eval_internal.h"

/* Resolve "a.b[0].c" inside j. */
static const json_t *json_path(const json_t *j, const char *path)
{
    char seg[128];
    while (j != NULL && *path != '\0') {
        size_t n = strcspn(path, ".[");
        if (n > 0) {
            if (n >= sizeof(seg)) {
                return NULL;
            }
            memcpy(seg, path, n);
            seg[n] = '\0';
            j = json_object_get(j, seg);
            path += n;
        } else if (*path == '[') {
            char *end;
            unsigned long i = strtoul(path + 1, &end, 10);
            j = json_array_get(j, i);
            path = end + 1;
        }
        if (*path == '.') {
            path++;
        }
    }
    return j;
}

/* Text of a scalar for comparison (strings raw, others as JSON). *tmp is freed by caller. */
static const char *scalar_text(const json_t *v, char **tmp)
{
    *tmp = NULL;
    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (v == NULL || json_is_object(v) || json_is_array(v)) {
        return NULL;
    }
    *tmp = json_dumps(v, JSON_ENCODE_ANY);
    return *tmp;
}

static int value_ok(const struct pol_cond *k, const char *s)
{
    if (s == NULL) {
        return 0;
    }
    return k->op == POL_COND_EQUALS ? strcmp(s, k->value) == 0 : pol_glob_match(k->value, s);
}

/* Source ref of a git URI "git+https://host/repo@refs/heads/main" or a bare ref. */
static int ref_ok(const struct pol_cond *k, const char *s, const char *prefix)
{
    const char *at = s != NULL ? strrchr(s, '@') : NULL;
    const char *ref = at != NULL ? at + 1 : s;
    size_t n = strlen(prefix);
    return ref != NULL && strncmp(ref, prefix, n) == 0 && value_ok(k, ref + n);
}

static int uri_ok(const struct pol_cond *k, const char *s)
{
    char buf[1024];
    const char *at;
    size_t n;
    if (s == NULL || strlen(s) >= sizeof(buf)) {
        return 0;
    }
    at = strrchr(s, '@');
    n = at != NULL && at > strstr(s, "://") ? (size_t)(at - s) : strlen(s);
    memcpy(buf, s, n);
    buf[n] = '\0';
    return value_ok(k, buf) || (strncmp(buf, "git+", 4) == 0 && value_ok(k, buf + 4));
}

/* Candidate fields for the shorthands, SLSA v1 first, then v0.2. */
static const char *const builder_paths[] = {"runDetails.builder.id", "builder.id", NULL};
static const char *const btype_paths[] = {"buildDefinition.buildType", "buildType", NULL};
static const char *const source_paths[] = {"buildDefinition.externalParameters.workflow.repository",
                                           "buildDefinition.resolvedDependencies[0].uri",
                                           "invocation.configSource.uri", NULL};
static const char *const ref_paths[] = {"buildDefinition.externalParameters.workflow.ref",
                                        "buildDefinition.resolvedDependencies[0].uri",
                                        "invocation.configSource.uri", NULL};

static int cond_ok(const struct pol_cond *k, const json_t *pred)
{
    const char *const *paths = k->field == POL_FIELD_BUILDER_ID   ? builder_paths
                               : k->field == POL_FIELD_BUILD_TYPE ? btype_paths
                               : k->field == POL_FIELD_SOURCE_URI ? source_paths
                                                                  : ref_paths;
    const char *one[] = {k->path, NULL};
    int ok = 0;
    if (k->field == POL_FIELD_PATH) {
        paths = one;
    }
    for (size_t i = 0; paths[i] != NULL && !ok; i++) {
        char *tmp;
        const char *s = scalar_text(json_path(pred, paths[i]), &tmp);
        switch (k->field) {
        case POL_FIELD_SOURCE_URI:
            ok = uri_ok(k, s);
            break;
        case POL_FIELD_SOURCE_BRANCH:
            ok = ref_ok(k, s, "refs/heads/");
            break;
        case POL_FIELD_SOURCE_TAG:
            ok = ref_ok(k, s, "refs/tags/");
            break;
        default:
            ok = value_ok(k, s);
        }
        free(tmp);
    }
    return ok;
}

static const char *field_name(const struct pol_cond *k)
{
    static const char *names[] = {"",          "builderId",    "buildType",
                                  "sourceUri", "sourceBranch", "sourceTag"};
    return k->field == POL_FIELD_PATH ? k->path : names[k->field];
}

static int signed_by(const struct pol_attreq *a, const char *id)
{
    const struct pol_keyset *ks = &a->keys;
    if (a->keyless.present && strcmp(a->keyless.id, id) == 0) {
        return 1;
    }
    for (size_t i = 0; i < ks->n; i++) {
        if (strcmp(ks->keys[i].id, id) == 0) {
            return 1;
        }
    }
    return 0;
}

void eval_attestation(struct ectx *c, const struct pol_rule *r, size_t i)
{
    const struct pol_attreq *a = &r->atts[i];
    const struct pol_cond *failed = NULL;
    char req[32];
    size_t signed_n = 0;
    snprintf(req, sizeof(req), "attestations[%zu]", i);
    if (!(c->ev->checked & SLSA_CAP_ATTESTATIONS)) {
        ereason(c, r->name, req, r->mode, 0,
                "attestation verification not available for '%s' (type %s)", c->image, a->type);
        return;
    }
    for (size_t j = 0; j < c->ev->n_atts; j++) {
        const struct ev_att *e = &c->ev->atts[j];
        const struct pol_cond *bad = NULL;
        if (strcmp(e->type, a->type) != 0 || !signed_by(a, e->key_id)) {
            continue;
        }
        signed_n++;
        for (size_t k = 0; k < a->n_conds && bad == NULL; k++) {
            bad = cond_ok(&a->conds[k], e->predicate) ? NULL : &a->conds[k];
        }
        if (bad == NULL && e->who.identity != NULL) {
            ereason(c, r->name, req, r->mode, 1,
                    "verified %s attestation by %s (issuer %s, log index %lld) meets %zu "
                    "condition(s)",
                    a->type, e->who.identity, e->who.issuer, (long long)e->who.log_index,
                    a->n_conds);
            ereason_signer(c, &e->who);
            return;
        }
        if (bad == NULL) {
            ereason(c, r->name, req, r->mode, 1, "verified %s attestation meets %zu condition(s)",
                    a->type, a->n_conds);
            return;
        }
        failed = bad;
    }
    if (signed_n == 0 && a->keyless.present) {
        char who[640];
        keyless_describe(who, sizeof(who), &a->keyless);
        ereason(c, r->name, req, r->mode, 0, "no %s attestation verified %sfor %s", a->type,
                a->keys.n > 0 ? "with the listed keys or " : "", who);
    } else if (signed_n == 0) {
        ereason(c, r->name, req, r->mode, 0, "no %s attestation verified with the listed keys",
                a->type);
    } else {
        ereason(c, r->name, req, r->mode, 0, "%s attestation: %s does not %s '%s'", a->type,
                field_name(failed), failed->op == POL_COND_EQUALS ? "equal" : "match",
                failed->value);
    }
}

static const struct pol_cve *allow_entry(const struct pol_vulnreq *v, const char *id)
{
    for (size_t i = 0; i < v->n_allow; i++) {
        if (strcmp(v->allow[i].id, id) == 0) {
            return &v->allow[i];
        }
    }
    return NULL;
}

static int vex_not_affected(const struct ectx *c, const struct slsa_vuln_finding *f)
{
    const char *last = NULL;
    for (size_t i = 0; i < c->ev->n_vex; i++) {
        const char *s =
            slsa_vex_status(c->ev->vex[i], f->id, f->purl, c->ref.repo, c->digest, NULL);
        last = s != NULL ? s : last;
    }
    return last != NULL && strcmp(last, "not_affected") == 0;
}

struct vtally {
    size_t total, over, allowed, vexed, unfixed;
    char list[400];
};

static void vlist_add(struct vtally *t, const struct slsa_vuln_finding *f,
                      const struct pol_cve *expired)
{
    size_t n = strlen(t->list);
    if (t->over > 5 || n + 8 >= sizeof(t->list)) {
        return;
    }
    snprintf(t->list + n, sizeof(t->list) - n, "%s%s (%s%s%s%s%s%s)", n > 0 ? ", " : "", f->id,
             slsa_severity_name(f->severity), f->package != NULL ? ", " : "",
             f->package != NULL ? f->package : "", f->version != NULL ? " " : "",
             f->version != NULL ? f->version : "",
             expired != NULL ? ", allow-list entry expired" : "");
    if (t->over == 5) {
        n = strlen(t->list);
        snprintf(t->list + n, sizeof(t->list) - n, ", …");
    }
}

static void tally_finding(const struct ectx *c, const struct pol_vulnreq *v,
                          const struct slsa_vuln_finding *f, struct vtally *t)
{
    const struct pol_cve *e;
    t->total++;
    if (f->severity <= v->max) {
        return;
    }
    if (v->honour_vex && vex_not_affected(c, f)) {
        t->vexed++;
        return;
    }
    if (v->ignore_unfixed && f->fix == SLSA_FIX_NO) {
        t->unfixed++;
        return;
    }
    e = allow_entry(v, f->id);
    if (e != NULL && (e->expires == 0 || c->now < e->expires)) {
        t->allowed++;
        return;
    }
    t->over++;
    vlist_add(t, f, e);
}

void eval_vulnerabilities(struct ectx *c, const struct pol_rule *r)
{
    const struct pol_vulnreq *v = &r->vulns;
    struct vtally t;
    memset(&t, 0, sizeof(t));
    if (c->ev->n_reports == 0) {
        ereason(c, r->name, "vulnerabilities", r->mode, 0, "no vulnerability report for '%s'",
                c->image);
        return;
    }
    for (size_t i = 0; i < c->ev->n_reports; i++) {
        const struct slsa_vuln_report *rep = c->ev->reports[i];
        for (size_t j = 0; j < slsa_vuln_report_count(rep); j++) {
            tally_finding(c, v, slsa_vuln_report_at(rep, j), &t);
        }
    }
    if (t.over > 0) {
        ereason(c, r->name, "vulnerabilities", r->mode, 0, "%zu finding(s) above %s: %s", t.over,
                slsa_severity_name(v->max), t.list);
    } else if (v->ignore_unfixed) {
        ereason(c, r->name, "vulnerabilities", r->mode, 1,
                "%zu finding(s) in %zu report(s), none above %s (%zu allow-listed, %zu "
                "not_affected by VEX, %zu without a fix ignored)",
                t.total, c->ev->n_reports, slsa_severity_name(v->max), t.allowed, t.vexed,
                t.unfixed);
    } else {
        ereason(c, r->name, "vulnerabilities", r->mode, 1,
                "%zu finding(s) in %zu report(s), none above %s (%zu allow-listed, %zu "
                "not_affected by VEX)",
                t.total, c->ev->n_reports, slsa_severity_name(v->max), t.allowed, t.vexed);
    }
}
