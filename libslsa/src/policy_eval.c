/* Policy evaluation: a pure function of (policy, reference, evidence, time) to a decision
 * listing every requirement checked. It fails closed: whatever cannot be checked denies. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_eval_internal.h"
#include "vouch/mem.h"

void ereason(struct ectx *c, const char *rule, const char *req, enum slsa_mode mode, int passed,
             const char *fmt, ...)
{
    struct slsa_decision *d = c->d;
    struct slsa_reason *r = realloc(d->reasons, (d->n_reasons + 1) * sizeof(*r));
    char *msg = NULL;
    va_list ap;
    if (r == NULL) {
        c->oom = 1;
        return;
    }
    d->reasons = r;
    va_start(ap, fmt);
    msg = vouch_vstrf(fmt, ap);
    va_end(ap);
    r = &d->reasons[d->n_reasons];
    r->rule = strdup(rule);
    r->requirement = strdup(req);
    r->message = msg;
    r->mode = mode;
    r->passed = passed;
    r->signer = NULL;
    r->issuer = NULL;
    r->log_index = -1;
    r->signed_time = 0;
    d->n_reasons++;
    if (r->rule == NULL || r->requirement == NULL || r->message == NULL) {
        c->oom = 1;
    }
    if (!passed && mode == SLSA_MODE_ENFORCE) {
        d->allowed = 0;
    }
}

void ereason_signer(struct ectx *c, const struct ev_signer *who)
{
    struct slsa_reason *r;
    if (c->d->n_reasons == 0 || who->identity == NULL) {
        return;
    }
    r = &c->d->reasons[c->d->n_reasons - 1];
    r->signer = strdup(who->identity);
    r->issuer = strdup(who->issuer);
    r->log_index = who->log_index;
    r->signed_time = who->signed_time;
    if (r->signer == NULL || r->issuer == NULL) {
        c->oom = 1;
    }
}

void keyless_describe(char *buf, size_t n, const struct pol_keyless *k)
{
    const struct sign_sigstore_identity *id = &k->ids[0];
    int w = snprintf(buf, n, "subject %s'%s', issuer %s'%s'", id->subject ? "" : "matching ",
                     id->subject ? id->subject : id->subject_regexp, id->issuer ? "" : "matching ",
                     id->issuer ? id->issuer : id->issuer_regexp);
    if (k->n_ids > 1 && w > 0 && (size_t)w < n) {
        snprintf(buf + w, n - (size_t)w, " (or one of %zu more identities)", k->n_ids - 1);
    }
}

void slsa_decision_free(struct slsa_decision *d)
{
    if (d == NULL) {
        return;
    }
    for (size_t i = 0; i < d->n_reasons; i++) {
        free((char *)d->reasons[i].rule);
        free((char *)d->reasons[i].requirement);
        free((char *)d->reasons[i].message);
        free((char *)d->reasons[i].signer);
        free((char *)d->reasons[i].issuer);
    }
    free(d->reasons);
    free(d->image);
    free(d->digest);
    free(d);
}

const char *slsa_mode_name(enum slsa_mode m)
{
    static const char *names[] = {"enforce", "warn", "audit"};
    return (unsigned)m <= SLSA_MODE_AUDIT ? names[m] : "enforce";
}

static int glob_any(char *const *globs, size_t n, const char *s, const char **which)
{
    for (size_t i = 0; i < n; i++) {
        if (pol_glob_match(globs[i], s)) {
            *which = globs[i];
            return 1;
        }
    }
    return 0;
}

static void eval_repos(struct ectx *c, const struct pol_rule *r)
{
    const char *g = NULL;
    if (!r->has_repos) {
        return;
    }
    if (glob_any(r->repos, r->n_repos, c->ref.repo, &g)) {
        ereason(c, r->name, "repositories", r->mode, 1, "repository '%s' allowed by '%s'",
                c->ref.repo, g);
    } else {
        ereason(c, r->name, "repositories", r->mode, 0, "repository '%s' is not in the allow-list",
                c->ref.repo);
    }
}

static void eval_pins(struct ectx *c, const struct pol_rule *r, const char *tag)
{
    const struct pol_tagreq *t = &r->tags;
    for (size_t i = 0; i < t->n_pins; i++) {
        const struct pol_pin *p = &t->pins[i];
        if (tag != NULL ? strcmp(p->tag, tag) != 0 : strcmp(p->digest, c->digest) != 0) {
            continue;
        }
        if (c->digest == NULL) {
            ereason(c, r->name, "tags.pins", r->mode, 0,
                    "tag '%s' is pinned to %s but its digest is unknown (resolving a tag "
                    "needs the registry)",
                    tag, p->digest);
        } else if (strcmp(p->digest, c->digest) != 0) {
            ereason(c, r->name, "tags.pins", r->mode, 0, "tag '%s' is %s, pinned to %s", tag,
                    c->digest, p->digest);
        } else {
            ereason(c, r->name, "tags.pins", r->mode, 1, "%s matches the recorded digest",
                    tag != NULL ? tag : c->digest);
        }
        return;
    }
    if (tag != NULL) {
        ereason(c, r->name, "tags.pins", r->mode, 0, "tag '%s' has no recorded digest", tag);
    } else {
        ereason(c, r->name, "tags.pins", r->mode, 0, "digest %s is not a recorded one", c->digest);
    }
}

static void eval_tags(struct ectx *c, const struct pol_rule *r)
{
    const struct pol_tagreq *t = &r->tags;
    /* docker pulls ":latest" when neither tag nor digest is given */
    const char *tag = c->ref.tag != NULL ? c->ref.tag : c->ref.digest == NULL ? "latest" : NULL;
    const char *g = NULL;
    if (!t->present) {
        return;
    }
    if (t->n_deny > 0) {
        int denied = tag != NULL && glob_any(t->deny, t->n_deny, tag, &g);
        ereason(c, r->name, "tags.deny", r->mode, !denied,
                denied ? "tag '%s' is denied by '%s'" : "tag '%s' is not denied%s",
                tag != NULL ? tag : "(none)", denied ? g : "");
    }
    if (t->has_allow) {
        if (tag == NULL) {
            ereason(c, r->name, "tags.allow", r->mode, 1, "digest reference without a tag");
        } else {
            int ok = regexec(&t->allow, tag, 0, NULL, 0) == 0;
            ereason(c, r->name, "tags.allow", r->mode, ok, "tag '%s' %s /%s/", tag,
                    ok ? "matches" : "does not match", t->allow_src);
        }
    }
    if (t->require_digest) {
        ereason(c, r->name, "tags.requireDigest", r->mode, c->ref.digest != NULL,
                c->ref.digest != NULL ? "reference is pinned by digest"
                                      : "reference '%s' is not pinned by digest",
                c->image);
    }
    if (t->n_pins > 0) {
        eval_pins(c, r, tag);
    }
}

static int sig_annotations_ok(const struct pol_sigreq *s, const struct ev_sig *e)
{
    for (size_t i = 0; i < s->n_annotations; i++) {
        const char *v = json_string_value(json_object_get(e->annotations, s->annotations[i].key));
        if (v == NULL || strcmp(v, s->annotations[i].value) != 0) {
            return 0;
        }
    }
    return 1;
}

static void eval_keyless(struct ectx *c, const struct pol_rule *r)
{
    const struct pol_sigreq *s = &r->sigs;
    char who[640];
    int unannotated = 0;
    for (size_t i = 0; i < c->ev->n_sigs; i++) {
        const struct ev_sig *e = &c->ev->sigs[i];
        if (strcmp(e->key_id, s->keyless.id) != 0) {
            continue;
        }
        if (sig_annotations_ok(s, e)) {
            ereason(c, r->name, "signatures.keyless", r->mode, 1,
                    "keyless signature by %s (issuer %s, log index %lld) verified", e->who.identity,
                    e->who.issuer, (long long)e->who.log_index);
            ereason_signer(c, &e->who);
            return;
        }
        unannotated = 1;
    }
    keyless_describe(who, sizeof(who), &s->keyless);
    ereason(c, r->name, "signatures.keyless", r->mode, 0, "no keyless signature verified for %s%s",
            who, unannotated ? "; some signatures lack the required annotations" : "");
}

static void eval_signatures(struct ectx *c, const struct pol_rule *r)
{
    const struct pol_sigreq *s = &r->sigs;
    size_t ok = 0, unannotated = 0;
    if (!s->present) {
        return;
    }
    if (!(c->ev->checked & SLSA_CAP_SIGNATURES)) {
        ereason(c, r->name, "signatures", r->mode, 0,
                "signature verification not available for '%s'", c->image);
        return;
    }
    if (s->notation.present) {
        int found = 0;
        for (size_t i = 0; i < c->ev->n_sigs && !found; i++) {
            found = strcmp(c->ev->sigs[i].key_id, s->notation.id) == 0;
        }
        ereason(c, r->name, "signatures.notation", r->mode, found,
                found ? "a Notation signature verified with trust store '%s' (%s)"
                      : "no Notation signature verified with trust store '%s' (%s)",
                s->notation.trust_store, s->notation.level ? s->notation.level : "strict");
    }
    if (s->keyless.present) {
        eval_keyless(c, r);
    }
    if (s->keys.n == 0) {
        return;
    }
    for (size_t k = 0; k < s->keys.n; k++) {
        int found = 0, any = 0;
        for (size_t i = 0; i < c->ev->n_sigs && !found; i++) {
            if (strcmp(c->ev->sigs[i].key_id, s->keys.keys[k].id) == 0) {
                any = 1;
                found = sig_annotations_ok(s, &c->ev->sigs[i]);
            }
        }
        ok += found;
        unannotated += any && !found;
    }
    ereason(c, r->name, "signatures", r->mode, ok >= s->threshold,
            "%zu of %zu keys verified a signature (threshold %zu)%s", ok, s->keys.n, s->threshold,
            unannotated > 0 ? "; some signatures lack the required annotations" : "");
}

static int sbom_license_denied(const struct pol_sbomreq *s, const char *expr, const char **hit)
{
    char buf[512];
    size_t n = strlen(expr) < sizeof(buf) - 1 ? strlen(expr) : sizeof(buf) - 1;
    memcpy(buf, expr, n);
    buf[n] = '\0';
    /* licence expressions: ids separated by spaces, parentheses, AND/OR/WITH */
    for (char *save = NULL, *tok = strtok_r(buf, " ()", &save); tok != NULL;
         tok = strtok_r(NULL, " ()", &save)) {
        if (glob_any(s->deny_licenses, s->n_deny, tok, hit)) {
            return 1;
        }
    }
    return 0;
}

static void eval_sbom(struct ectx *c, const struct pol_rule *r)
{
    const struct pol_sbomreq *s = &r->sbom;
    const char *hit = NULL;
    if (!s->present) {
        return;
    }
    if (c->ev->n_sboms == 0) {
        ereason(c, r->name, "sbom", r->mode, !s->required && s->n_deny == 0,
                "no SBOM found for '%s'", c->image);
        return;
    }
    for (size_t i = 0; i < c->ev->n_sboms; i++) {
        for (size_t j = 0; j < c->ev->sboms[i].n; j++) {
            if (sbom_license_denied(s, c->ev->sboms[i].licenses[j], &hit)) {
                ereason(c, r->name, "sbom.denyLicenses", r->mode, 0,
                        "'%s' lists licence '%s' (denied by '%s')", c->ev->sboms[i].name,
                        c->ev->sboms[i].licenses[j], hit);
                return;
            }
        }
    }
    ereason(c, r->name, "sbom", r->mode, 1, "%zu SBOM(s), no denied licence", c->ev->n_sboms);
}

static void eval_rule(struct ectx *c, const struct pol_rule *r, const char *glob)
{
    ereason(c, r->name, "match", r->mode, 1, "'%s' matches '%s'", c->ref.repo, glob);
    eval_repos(c, r);
    eval_tags(c, r);
    eval_signatures(c, r);
    for (size_t i = 0; i < r->n_atts; i++) {
        eval_attestation(c, r, i);
    }
    if (r->vulns.present) {
        eval_vulnerabilities(c, r);
    }
    eval_sbom(c, r);
}

static void eval_rules(struct ectx *c)
{
    size_t matched = 0;
    for (size_t i = 0; i < c->p->n_rules; i++) {
        const struct pol_rule *r = &c->p->rules[i];
        const char *g = NULL;
        if (glob_any(r->images, r->n_images, c->ref.repo, &g)) {
            eval_rule(c, r, g);
            if (++matched > 0 && c->p->match == POL_MATCH_FIRST) {
                break;
            }
        }
    }
    if (matched == 0) {
        int allow = c->p->unmatched != POL_DEFAULT_DENY;
        enum slsa_mode m = c->p->unmatched == POL_DEFAULT_WARN ? SLSA_MODE_WARN : SLSA_MODE_ENFORCE;
        ereason(c, "(default)", "match", m, c->p->unmatched == POL_DEFAULT_ALLOW,
                "no rule matches '%s' (default: %s)", c->ref.repo,
                allow ? (m == SLSA_MODE_WARN ? "warn" : "allow") : "deny");
    }
}

static unsigned rule_needs(const struct pol_rule *r)
{
    unsigned caps = r->tags.n_pins > 0 ? SLSA_CAP_DIGEST : 0;
    if (r->sigs.present) {
        caps |= SLSA_CAP_SIGNATURES;
    }
    if (r->n_atts > 0 || r->vulns.present || r->sbom.present) {
        caps |= SLSA_CAP_ATTESTATIONS;
    }
    return caps;
}

unsigned slsa_policy_needs(const struct slsa_policy *p, const char *image)
{
    struct image_ref ref;
    unsigned caps = 0;
    if (image_ref_parse(&ref, image, NULL) != 0) {
        return 0;
    }
    for (size_t i = 0; i < p->n_rules; i++) {
        const char *g = NULL;
        if (glob_any(p->rules[i].images, p->rules[i].n_images, ref.repo, &g)) {
            caps |= rule_needs(&p->rules[i]);
            if (p->match == POL_MATCH_FIRST) {
                break;
            }
        }
    }
    image_ref_release(&ref);
    return caps;
}

static int normalised_name(char **out, const struct image_ref *r)
{
    *out =
        vouch_strf("%s%s%s%s%s", r->repo, r->tag != NULL ? ":" : "", r->tag != NULL ? r->tag : "",
                   r->digest != NULL ? "@" : "", r->digest != NULL ? r->digest : "");
    return *out != NULL ? 0 : -1;
}

/* Reference and evidence problems: each denies as an error. */
static void eval_preconditions(struct ectx *c)
{
    const char *resolved = c->ev->digest;
    for (size_t i = 0; i < c->ev->n_errors; i++) {
        c->d->error = 1;
        ereason(c, "(evidence)", "evidence", SLSA_MODE_ENFORCE, 0, "%s",
                slsa_evidence_error(c->ev, i));
    }
    if (c->ref.digest != NULL && resolved != NULL && strcmp(c->ref.digest, resolved) != 0) {
        c->d->error = 1;
        ereason(c, "(reference)", "digest", SLSA_MODE_ENFORCE, 0,
                "reference digest %s differs from the resolved digest %s", c->ref.digest, resolved);
    }
    c->digest = c->ref.digest != NULL ? c->ref.digest : resolved;
}

int slsa_policy_eval(struct slsa_decision **out, const struct slsa_policy *p, const char *image,
                     const struct slsa_evidence *ev, int64_t now, struct vouch_error *err)
{
    static const struct slsa_evidence empty;
    struct vouch_error rerr = VOUCH_ERROR_INIT;
    struct ectx c = {.p = p, .ev = ev != NULL ? ev : &empty, .now = now};
    *out = NULL;
    if ((c.d = calloc(1, sizeof(*c.d))) == NULL) {
        return vouch_enomem(err);
    }
    c.d->allowed = 1;
    if (image_ref_parse(&c.ref, image, &rerr) != 0) {
        c.d->error = 1;
        c.d->image = strdup(image);
        c.oom = c.d->image == NULL;
        ereason(&c, "(reference)", "reference", SLSA_MODE_ENFORCE, 0, "%s", rerr.msg);
    } else if (normalised_name(&c.d->image, &c.ref) < 0) {
        c.d->image = NULL;
        c.oom = 1;
    } else {
        c.image = c.d->image;
        eval_preconditions(&c);
        eval_rules(&c);
        if (c.digest != NULL && (c.d->digest = strdup(c.digest)) == NULL) {
            c.oom = 1;
        }
    }
    image_ref_release(&c.ref);
    if (c.d->error) {
        c.d->allowed = 0;
    }
    if (c.oom) {
        slsa_decision_free(c.d);
        return vouch_enomem(err);
    }
    *out = c.d;
    return 0;
}
