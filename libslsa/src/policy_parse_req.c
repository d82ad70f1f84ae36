/* Policy loading: the requirement sections of a rule (tags, signatures, attestations,
 * vulnerabilities, sbom). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "image_ref.h"
#include "policy_parse_internal.h"
#include "vouch/mem.h"

/* ---- tags */

static int ptag_deny(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_tagreq *t = obj;
    return pglob_list(c, n, &t->deny, &t->n_deny);
}

static int ptag_allow(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_tagreq *t = obj;
    char msg[128];
    int rc = pstr(c, n, &t->allow_src);
    if (rc == 0 && pregex_too_big(t->allow_src)) {
        return perr(c, n,
                    "regex '%.64s' is too large (at most %d characters, repetition counts "
                    "multiplying to at most %d)",
                    t->allow_src, PREGEX_MAX_LEN, PREGEX_MAX_REPEAT);
    }
    if (rc == 0 && (rc = regcomp(&t->allow, t->allow_src, REG_EXTENDED | REG_NOSUB)) != 0) {
        regerror(rc, &t->allow, msg, sizeof(msg));
        return perr(c, n, "bad regex '%s': %s", t->allow_src, msg);
    }
    t->has_allow = rc == 0;
    return rc;
}

static int ptag_digest(struct pctx *c, const struct pnode *n, void *obj)
{
    return pbool(c, n, &((struct pol_tagreq *)obj)->require_digest);
}

static int ptag_pins(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_tagreq *t = obj;
    int rc = pexpect(c, n, PNODE_MAP);
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        struct pol_pin *p = vouch_push(&t->pins, &t->n_pins, sizeof(*p), c->err);
        if (p == NULL) {
            return VOUCH_ENOMEM;
        }
        if ((p->tag = strdup(n->keys[i]->str)) == NULL) {
            return vouch_enomem(c->err);
        }
        if ((rc = pstr(c, n->items[i], &p->digest)) == 0 && !image_ref_digest_valid(p->digest)) {
            rc = perr(c, n->items[i], "bad digest '%s' (want sha256:<64 hex>)", p->digest);
        }
    }
    return rc;
}

static const struct pfield tag_fields[] = {
    {"deny", ptag_deny, 0}, {"allow", ptag_allow, 0}, {"requireDigest", ptag_digest, 0},
    {"pins", ptag_pins, 0}, {NULL, NULL, 0},
};

int preq_tags(struct pctx *c, const struct pnode *n, void *rule)
{
    struct pol_rule *r = rule;
    r->tags.present = 1;
    return pfields(c, n, tag_fields, &r->tags, "tags");
}

/* ---- signatures */

static int psig_keys(struct pctx *c, const struct pnode *n, void *obj)
{
    return pkeys(c, n, &((struct pol_sigreq *)obj)->keys);
}

static int psig_threshold(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_sigreq *s = obj;
    int rc = puint(c, n, 64, &s->threshold);
    if (rc == 0 && s->threshold == 0) {
        rc = perr(c, n, "threshold must be at least 1");
    }
    return rc;
}

static int psig_annotations(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_sigreq *s = obj;
    int rc = pexpect(c, n, PNODE_MAP);
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        struct pol_kv *kv = vouch_push(&s->annotations, &s->n_annotations, sizeof(*kv), c->err);
        if (kv == NULL || (kv->key = strdup(n->keys[i]->str)) == NULL) {
            return vouch_enomem(c->err);
        }
        rc = pstr(c, n->items[i], &kv->value);
    }
    return rc;
}

static int psig_notation(struct pctx *c, const struct pnode *n, void *obj)
{
    return preq_notation(c, n, &((struct pol_sigreq *)obj)->notation);
}

static int psig_keyless(struct pctx *c, const struct pnode *n, void *obj)
{
    return preq_keyless(c, n, &((struct pol_sigreq *)obj)->keyless);
}

static const struct pfield sig_fields[] = {
    {"keys", psig_keys, 0},
    {"keyless", psig_keyless, 0},
    {"notation", psig_notation, 0},
    {"threshold", psig_threshold, 0},
    {"annotations", psig_annotations, 0},
    {NULL, NULL, 0},
};

int preq_signatures(struct pctx *c, const struct pnode *n, void *rule)
{
    struct pol_rule *r = rule;
    int rc = pfields(c, n, sig_fields, &r->sigs, "signatures");
    r->sigs.present = 1;
    if (rc == 0 && r->sigs.keys.n == 0 && !r->sigs.notation.present && !r->sigs.keyless.present) {
        rc = perr(c, n, "signatures needs keys, keyless or notation");
    }
    if (rc == 0 && r->sigs.threshold == 0) {
        r->sigs.threshold = r->sigs.keys.n; /* default: every listed key */
    }
    if (rc == 0 && r->sigs.threshold > r->sigs.keys.n) {
        rc = perr(c, n, "threshold %zu is more than the %zu keys listed", r->sigs.threshold,
                  r->sigs.keys.n);
    }
    return rc;
}

/* ---- attestations */

static const struct {
    const char *name;
    const char *uri;
} att_types[] = {
    {"slsaprovenance", "https://slsa.dev/provenance/v0.2"},
    {"slsaprovenance02", "https://slsa.dev/provenance/v0.2"},
    {"slsaprovenance1", "https://slsa.dev/provenance/v1"},
    {"spdx", "https://spdx.dev/Document"},
    {"spdxjson", "https://spdx.dev/Document"},
    {"cyclonedx", "https://cyclonedx.org/bom"},
    {"vuln", "https://cosign.sigstore.dev/attestation/vuln/v1"},
    {"openvex", "https://openvex.dev/ns"},
    {"custom", "https://cosign.sigstore.dev/attestation/v1"},
    {NULL, NULL},
};

static int patt_type(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_attreq *a = obj;
    int rc = pstr(c, n, &a->type);
    if (rc != 0 || strstr(a->type, "://") != NULL) {
        return rc;
    }
    for (size_t i = 0; att_types[i].name != NULL; i++) {
        if (strcmp(att_types[i].name, a->type) == 0) {
            free(a->type);
            a->type = strdup(att_types[i].uri);
            return a->type == NULL ? vouch_enomem(c->err) : 0;
        }
    }
    return perr(c, n, "unknown attestation type '%s' (a cosign type name or a URI)", a->type);
}

static int patt_keys(struct pctx *c, const struct pnode *n, void *obj)
{
    return pkeys(c, n, &((struct pol_attreq *)obj)->keys);
}

static int patt_keyless(struct pctx *c, const struct pnode *n, void *obj)
{
    return preq_keyless(c, n, &((struct pol_attreq *)obj)->keyless);
}

static int path_valid(const char *p)
{
    int seg = 0;
    for (; *p != '\0'; p++) {
        if (isalnum((unsigned char)*p) || strchr("_-@$", *p) != NULL) {
            seg++;
        } else if (*p == '.' && seg > 0) {
            seg = 0;
        } else if (*p == '[' && seg > 0 && isdigit((unsigned char)p[1])) {
            p++;
            while (isdigit((unsigned char)*p)) {
                p++;
            }
            if (*p != ']' || (p[1] != '\0' && p[1] != '.' && p[1] != '[')) {
                return 0;
            }
        } else {
            return 0;
        }
    }
    return seg > 0 || p[-1] == ']';
}

static int pcond_add(struct pctx *c, const struct pnode *n, struct pol_attreq *a, enum pol_field f,
                     enum pol_cond_op op, const char *path)
{
    struct pol_cond *k = vouch_push(&a->conds, &a->n_conds, sizeof(*k), c->err);
    int rc;
    if (k == NULL) {
        return VOUCH_ENOMEM;
    }
    k->field = f;
    k->op = op;
    if (path != NULL && (k->path = strdup(path)) == NULL) {
        return vouch_enomem(c->err);
    }
    rc = pstr(c, n, &k->value);
    if (rc == 0 && op == POL_COND_GLOB && pol_glob_check(k->value) != NULL) {
        rc = perr(c, n, "bad glob '%s': %s", k->value, pol_glob_check(k->value));
    }
    return rc;
}

static int patt_field(struct pctx *c, const struct pnode *n, void *obj, enum pol_field f)
{
    return pcond_add(c, n, obj, f, POL_COND_GLOB, NULL);
}

static int patt_builder(struct pctx *c, const struct pnode *n, void *o)
{
    return patt_field(c, n, o, POL_FIELD_BUILDER_ID);
}
static int patt_btype(struct pctx *c, const struct pnode *n, void *o)
{
    return patt_field(c, n, o, POL_FIELD_BUILD_TYPE);
}
static int patt_suri(struct pctx *c, const struct pnode *n, void *o)
{
    return patt_field(c, n, o, POL_FIELD_SOURCE_URI);
}
static int patt_sbranch(struct pctx *c, const struct pnode *n, void *o)
{
    return patt_field(c, n, o, POL_FIELD_SOURCE_BRANCH);
}
static int patt_stag(struct pctx *c, const struct pnode *n, void *o)
{
    return patt_field(c, n, o, POL_FIELD_SOURCE_TAG);
}

static int patt_cond(struct pctx *c, const struct pnode *n, struct pol_attreq *a)
{
    const struct pnode *path = NULL, *val = NULL;
    enum pol_cond_op op = POL_COND_EQUALS;
    int rc = pexpect(c, n, PNODE_MAP);
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        const char *k = n->keys[i]->str;
        if (strcmp(k, "path") == 0) {
            path = n->items[i];
        } else if ((strcmp(k, "equals") == 0 || strcmp(k, "glob") == 0) && val == NULL) {
            op = k[0] == 'g' ? POL_COND_GLOB : POL_COND_EQUALS;
            val = n->items[i];
        } else {
            return perr(c, n->keys[i], "unknown key '%s' in condition (path, equals|glob)", k);
        }
    }
    if (rc == 0 && (path == NULL || val == NULL)) {
        return perr(c, n, "a condition needs 'path' and one of 'equals' or 'glob'");
    }
    if (rc == 0 && ((rc = pexpect(c, path, PNODE_SCALAR)) != 0 || !path_valid(path->str))) {
        return rc != 0 ? rc : perr(c, path, "bad JSON path '%s' (want a.b[0].c)", path->str);
    }
    return rc != 0 ? rc : pcond_add(c, val, a, POL_FIELD_PATH, op, path->str);
}

static int patt_conds(struct pctx *c, const struct pnode *n, void *obj)
{
    int rc = pexpect(c, n, PNODE_SEQ);
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        rc = patt_cond(c, n->items[i], obj);
    }
    return rc;
}

static const struct pfield att_fields[] = {
    {"type", patt_type, 1},
    {"keys", patt_keys, 0},
    {"keyless", patt_keyless, 0},
    {"builderId", patt_builder, 0},
    {"buildType", patt_btype, 0},
    {"sourceUri", patt_suri, 0},
    {"sourceBranch", patt_sbranch, 0},
    {"sourceTag", patt_stag, 0},
    {"conditions", patt_conds, 0},
    {NULL, NULL, 0},
};

int preq_attestations(struct pctx *c, const struct pnode *n, void *rule)
{
    struct pol_rule *r = rule;
    int rc = pexpect(c, n, PNODE_SEQ);
    if (rc == 0 && n->n == 0) {
        return perr(c, n, "the list is empty");
    }
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        struct pol_attreq *a = vouch_push(&r->atts, &r->n_atts, sizeof(*a), c->err);
        rc = a == NULL ? VOUCH_ENOMEM : pfields(c, n->items[i], att_fields, a, "attestation");
        if (rc == 0 && a->keys.n == 0 && !a->keyless.present) {
            rc = perr(c, n->items[i], "an attestation needs keys or keyless");
        }
    }
    return rc;
}

/* ---- vulnerabilities */

static int pvuln_max(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_vulnreq *v = obj;
    char *s = NULL;
    int rc = pstr(c, n, &s);
    if (rc == 0 && (slsa_severity_from_name(&v->max, s, NULL) != 0 || v->max == SLSA_SEV_UNKNOWN)) {
        rc = perr(c, n, "unknown severity '%s' (none, low, medium, high, critical)", s);
    }
    free(s);
    return rc;
}

static int pcve_id(struct pctx *c, const struct pnode *n, void *obj)
{
    return pstr(c, n, &((struct pol_cve *)obj)->id);
}
static int pcve_reason(struct pctx *c, const struct pnode *n, void *obj)
{
    return pstr(c, n, &((struct pol_cve *)obj)->reason);
}
static int pcve_expires(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_cve *e = obj;
    long long t = 0;
    int rc = pdate(c, n, &t);
    e->expires = t;
    return rc != 0 ? rc : pstr(c, n, &e->expires_src);
}

static const struct pfield cve_fields[] = {
    {"id", pcve_id, 1},
    {"expires", pcve_expires, 1},
    {"reason", pcve_reason, 0},
    {NULL, NULL, 0},
};

static int pvuln_allow(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_vulnreq *v = obj;
    int rc = pexpect(c, n, PNODE_SEQ);
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        struct pol_cve *e = vouch_push(&v->allow, &v->n_allow, sizeof(*e), c->err);
        rc = e == NULL ? VOUCH_ENOMEM : pfields(c, n->items[i], cve_fields, e, "allow entry");
    }
    return rc;
}

static int pvuln_vex(struct pctx *c, const struct pnode *n, void *obj)
{
    return pbool(c, n, &((struct pol_vulnreq *)obj)->honour_vex);
}

static int pvuln_unfixed(struct pctx *c, const struct pnode *n, void *obj)
{
    return pbool(c, n, &((struct pol_vulnreq *)obj)->ignore_unfixed);
}

static const struct pfield vuln_fields[] = {
    {"maxSeverity", pvuln_max, 1},       {"allow", pvuln_allow, 0}, {"vex", pvuln_vex, 0},
    {"ignoreUnfixed", pvuln_unfixed, 0}, {NULL, NULL, 0},
};

int preq_vulnerabilities(struct pctx *c, const struct pnode *n, void *rule)
{
    struct pol_rule *r = rule;
    r->vulns.present = 1;
    r->vulns.honour_vex = 1;
    return pfields(c, n, vuln_fields, &r->vulns, "vulnerabilities");
}

/* ---- sbom */

static int psbom_required(struct pctx *c, const struct pnode *n, void *obj)
{
    return pbool(c, n, &((struct pol_sbomreq *)obj)->required);
}

static int psbom_deny(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_sbomreq *s = obj;
    return pglob_list(c, n, &s->deny_licenses, &s->n_deny);
}

static const struct pfield sbom_fields[] = {
    {"required", psbom_required, 0},
    {"denyLicenses", psbom_deny, 0},
    {NULL, NULL, 0},
};

int preq_sbom(struct pctx *c, const struct pnode *n, void *rule)
{
    struct pol_rule *r = rule;
    r->sbom.present = 1;
    r->sbom.required = 1;
    return pfields(c, n, sbom_fields, &r->sbom, "sbom");
}

/* ---- release */

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

static void keyset_release(struct pol_keyset *ks)
{
    for (size_t i = 0; i < ks->n; i++) {
        free(ks->keys[i].pem);
        free(ks->keys[i].label);
    }
    free(ks->keys);
}

static void atts_release(struct pol_attreq *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].type);
        keyset_release(&a[i].keys);
        pol_keyless_release(&a[i].keyless);
        for (size_t j = 0; j < a[i].n_conds; j++) {
            free(a[i].conds[j].path);
            free(a[i].conds[j].value);
        }
        free(a[i].conds);
    }
    free(a);
}

void pol_rule_release(struct pol_rule *r)
{
    free(r->name);
    free_strs(r->images, r->n_images);
    free_strs(r->repos, r->n_repos);
    free_strs(r->tags.deny, r->tags.n_deny);
    if (r->tags.has_allow) {
        regfree(&r->tags.allow);
    }
    free(r->tags.allow_src);
    for (size_t i = 0; i < r->tags.n_pins; i++) {
        free(r->tags.pins[i].tag);
        free(r->tags.pins[i].digest);
    }
    free(r->tags.pins);
    keyset_release(&r->sigs.keys);
    pol_notation_release(&r->sigs.notation);
    pol_keyless_release(&r->sigs.keyless);
    for (size_t i = 0; i < r->sigs.n_annotations; i++) {
        free(r->sigs.annotations[i].key);
        free(r->sigs.annotations[i].value);
    }
    free(r->sigs.annotations);
    atts_release(r->atts, r->n_atts);
    for (size_t i = 0; i < r->vulns.n_allow; i++) {
        free(r->vulns.allow[i].id);
        free(r->vulns.allow[i].expires_src);
        free(r->vulns.allow[i].reason);
    }
    free(r->vulns.allow);
    free_strs(r->sbom.deny_licenses, r->sbom.n_deny);
}
