/* Policy loading: the top level and rules. Every key is known, typed and positioned;
 * anything else rejects the whole policy (as containers-policy.json does). */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "image_ref.h"
#include "policy_parse_internal.h"
#include "vouch/encoding.h"
#include "vouch/io.h"
#include "vouch/mem.h"

#define POLICY_FILE_MAX ((size_t)1 << 20)
#define POLICY_API_VERSION "vouch.dev/policy/v1"

struct named {
    const char *name;
    int value;
};

static int penum_value(struct pctx *c, const struct pnode *n, const struct named *tab,
                       const char *what, int *out)
{
    char *s = NULL;
    int rc = pstr(c, n, &s);
    if (rc != 0) {
        return rc;
    }
    const struct named *t = tab;
    while (t->name != NULL && strcmp(t->name, s) != 0) {
        t++;
    }
    if (t->name == NULL) {
        rc = perr(c, n, "unknown %s '%s'", what, s);
    } else {
        *out = t->value;
    }
    free(s);
    return rc;
}

static int prule_name(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_rule *r = obj;
    int rc = pstr(c, n, &r->name);
    for (size_t i = 0; rc == 0 && i + 1 < c->pol->n_rules; i++) {
        if (strcmp(c->pol->rules[i].name, r->name) == 0) {
            rc = perr(c, n, "duplicate rule name '%s'", r->name);
        }
    }
    return rc;
}

static int pnorm_globs(struct pctx *c, const struct pnode *n, char ***out, size_t *count)
{
    int rc = pglob_list(c, n, out, count);
    if (rc == 0 && *count == 0) {
        return perr(c, n, "the list is empty");
    }
    for (size_t i = 0; rc == 0 && i < *count; i++) {
        char *norm = NULL;
        if (image_ref_normalise_glob(&norm, (*out)[i], c->err) != 0) {
            vouch_error_clear(c->err);
            return perr(c, n->items[i], "bad image glob '%s'", (*out)[i]);
        }
        free((*out)[i]);
        (*out)[i] = norm;
    }
    return rc;
}

static int prule_images(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_rule *r = obj;
    return pnorm_globs(c, n, &r->images, &r->n_images);
}

static int prule_repos(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_rule *r = obj;
    r->has_repos = 1;
    return pnorm_globs(c, n, &r->repos, &r->n_repos);
}

static int prule_mode(struct pctx *c, const struct pnode *n, void *obj)
{
    static const struct named modes[] = {{"enforce", SLSA_MODE_ENFORCE},
                                         {"warn", SLSA_MODE_WARN},
                                         {"audit", SLSA_MODE_AUDIT},
                                         {NULL, 0}};
    struct pol_rule *r = obj;
    int v = 0, rc = penum_value(c, n, modes, "mode", &v);
    r->mode = (enum slsa_mode)v;
    return rc;
}

static const struct pfield rule_fields[] = {
    {"name", prule_name, 1},
    {"images", prule_images, 1},
    {"mode", prule_mode, 0},
    {"repositories", prule_repos, 0},
    {"tags", preq_tags, 0},
    {"signatures", preq_signatures, 0},
    {"attestations", preq_attestations, 0},
    {"vulnerabilities", preq_vulnerabilities, 0},
    {"sbom", preq_sbom, 0},
    {NULL, NULL, 0},
};

static int ptop_rules(struct pctx *c, const struct pnode *n, void *obj)
{
    struct slsa_policy *p = obj;
    int rc = pexpect(c, n, PNODE_SEQ);
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        struct pol_rule *r = vouch_push(&p->rules, &p->n_rules, sizeof(*r), c->err);
        rc = r == NULL ? VOUCH_ENOMEM : pfields(c, n->items[i], rule_fields, r, "rule");
    }
    return rc;
}

static int ptop_api(struct pctx *c, const struct pnode *n, void *obj)
{
    char *s = NULL;
    int rc = pstr(c, n, &s);
    (void)obj;
    if (rc == 0 && strcmp(s, POLICY_API_VERSION) != 0) {
        rc = perr(c, n, "unsupported apiVersion '%s' (want '%s')", s, POLICY_API_VERSION);
    }
    free(s);
    return rc;
}

static int ptop_name(struct pctx *c, const struct pnode *n, void *obj)
{
    return pstr(c, n, &((struct slsa_policy *)obj)->name);
}

static int ptop_match(struct pctx *c, const struct pnode *n, void *obj)
{
    static const struct named t[] = {{"first", POL_MATCH_FIRST}, {"all", POL_MATCH_ALL}, {0}};
    int v = 0, rc = penum_value(c, n, t, "match", &v);
    ((struct slsa_policy *)obj)->match = (enum pol_match)v;
    return rc;
}

static int ptop_default(struct pctx *c, const struct pnode *n, void *obj)
{
    static const struct named t[] = {
        {"deny", POL_DEFAULT_DENY}, {"allow", POL_DEFAULT_ALLOW}, {"warn", POL_DEFAULT_WARN}, {0}};
    int v = 0, rc = penum_value(c, n, t, "default", &v);
    ((struct slsa_policy *)obj)->unmatched = (enum pol_default)v;
    return rc;
}

static const struct pfield top_fields[] = {
    {"apiVersion", ptop_api, 1},  {"name", ptop_name, 0},   {"match", ptop_match, 0},
    {"default", ptop_default, 0}, {"rules", ptop_rules, 1}, {NULL, NULL, 0},
};

static int collect_key(struct slsa_policy *p, struct pol_key *k)
{
    struct pol_key *all;
    for (size_t i = 0; i < p->n_all_keys; i++) {
        if (strcmp(p->all_keys[i].id, k->id) == 0) {
            return 0;
        }
    }
    all = realloc(p->all_keys, (p->n_all_keys + 1) * sizeof(*all));
    if (all == NULL) {
        return VOUCH_ENOMEM;
    }
    p->all_keys = all;
    p->all_keys[p->n_all_keys++] = *k; /* shallow: strings stay owned by the rule */
    return 0;
}

/* Distinct keys, and the hash over the policy text and the key ids it depends on. */
static int policy_finish(struct slsa_policy *p, const char *text, size_t len,
                         struct vouch_error *err)
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(ctx, text, len);
    for (size_t i = 0; i < p->n_rules; i++) {
        struct pol_rule *r = &p->rules[i];
        snprintf(r->sigs.notation.id, sizeof(r->sigs.notation.id), "notation:%s",
                 r->name ? r->name : "");
        snprintf(r->sigs.keyless.id, sizeof(r->sigs.keyless.id), "keyless:%s",
                 r->name ? r->name : "");
        for (size_t a = 0; a < r->n_atts; a++) {
            snprintf(r->atts[a].keyless.id, sizeof(r->atts[a].keyless.id),
                     "keyless:%s/attestations[%zu]", r->name ? r->name : "", a);
        }
        for (size_t j = 0; ok && j < r->sigs.keys.n; j++) {
            ok = collect_key(p, &r->sigs.keys.keys[j]) == 0;
        }
        for (size_t a = 0; a < r->n_atts; a++) {
            for (size_t j = 0; ok && j < r->atts[a].keys.n; j++) {
                ok = collect_key(p, &r->atts[a].keys.keys[j]) == 0;
            }
        }
    }
    for (size_t i = 0; ok && i < p->n_all_keys; i++) {
        ok = EVP_DigestUpdate(ctx, p->all_keys[i].id, 64);
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "cannot hash the policy");
    }
    vouch_hex_encode(p->hash, md, sizeof(md));
    return 0;
}

int slsa_policy_parse(struct slsa_policy **out, const char *text, size_t len, const char *name,
                      const char *base_dir, struct vouch_error *err)
{
    struct pnode *root = NULL;
    struct slsa_policy *p = calloc(1, sizeof(*p));
    struct pctx c = {.file = name, .base_dir = base_dir, .err = err, .pol = p};
    int rc;
    *out = NULL;
    if (p == NULL) {
        return vouch_enomem(err);
    }
    rc = pnode_parse(&root, text, len, name, err);
    if (rc == 0) {
        rc = pfields(&c, root, top_fields, p, "policy");
    }
    if (rc == 0) {
        rc = policy_finish(p, text, len, err);
    }
    pnode_free(root);
    if (rc != 0) {
        slsa_policy_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int slsa_policy_load(struct slsa_policy **out, const char *path, struct vouch_error *err)
{
    unsigned char *text = NULL;
    size_t len = 0;
    char *copy = NULL;
    int rc;
    *out = NULL;
    rc = vouch_file_read(&text, &len, path, POLICY_FILE_MAX, err);
    if (rc == 0 && (copy = strdup(path)) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0) {
        rc = slsa_policy_parse(out, (const char *)text, len, path, dirname(copy), err);
    }
    free(copy);
    free(text);
    return rc;
}

const char *slsa_policy_hash(const struct slsa_policy *p)
{
    return p->hash;
}

size_t slsa_policy_key_count(const struct slsa_policy *p)
{
    return p->n_all_keys;
}

int slsa_policy_key_at(const struct slsa_policy *p, size_t i, const char **id, const char **pem)
{
    if (i >= p->n_all_keys) {
        return VOUCH_EINVAL;
    }
    *id = p->all_keys[i].id;
    *pem = p->all_keys[i].pem;
    return 0;
}

/* The rules with a signatures.notation requirement, in order. */
static const struct pol_notation *notation_at(const struct slsa_policy *p, size_t i)
{
    for (size_t r = 0; r < p->n_rules; r++) {
        if (p->rules[r].sigs.notation.present && i-- == 0) {
            return &p->rules[r].sigs.notation;
        }
    }
    return NULL;
}

size_t slsa_policy_notation_count(const struct slsa_policy *p)
{
    size_t n = 0;
    while (notation_at(p, n) != NULL) {
        n++;
    }
    return n;
}

int slsa_policy_notation_at(const struct slsa_policy *p, size_t i, const char **id,
                            const struct sign_notation_policy **tp, const char **trust_store)
{
    const struct pol_notation *nt = notation_at(p, i);
    if (nt == NULL) {
        return VOUCH_EINVAL;
    }
    *id = nt->id;
    *tp = nt->tp;
    *trust_store = nt->trust_store;
    return 0;
}

/* The keyless authorities in order: each rule's signatures.keyless, then its attestations'. */
static int keyless_at(const struct slsa_policy *p, size_t i, struct slsa_keyless *out)
{
    for (size_t r = 0; r < p->n_rules; r++) {
        const struct pol_rule *rule = &p->rules[r];
        for (size_t a = 0; a <= rule->n_atts; a++) {
            const struct pol_keyless *k = a == 0 ? &rule->sigs.keyless : &rule->atts[a - 1].keyless;
            if (!k->present || i-- != 0) {
                continue;
            }
            out->id = k->id;
            out->attestation = a > 0;
            out->predicate_type = a > 0 ? rule->atts[a - 1].type : NULL;
            out->identities = k->ids;
            out->n_identities = k->n_ids;
            out->root = k->root;
            return 0;
        }
    }
    return VOUCH_EINVAL;
}

size_t slsa_policy_keyless_count(const struct slsa_policy *p)
{
    struct slsa_keyless k;
    size_t n = 0;
    while (keyless_at(p, n, &k) == 0) {
        n++;
    }
    return n;
}

int slsa_policy_keyless_at(const struct slsa_policy *p, size_t i, struct slsa_keyless *out)
{
    return keyless_at(p, i, out);
}

void slsa_policy_free(struct slsa_policy *p)
{
    if (p == NULL) {
        return;
    }
    for (size_t i = 0; i < p->n_rules; i++) {
        pol_rule_release(&p->rules[i]);
    }
    free(p->rules);
    free(p->all_keys);
    free(p->name);
    free(p);
}
