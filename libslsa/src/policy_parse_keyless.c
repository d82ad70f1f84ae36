/* Keyless authorities (signatures.keyless, attestations[].keyless): the Fulcio-certified
 * signers a rule accepts, as sigstore policy-controller's `keyless.identities` (issuer and
 * subject, exact or regex) plus GitHub workflow claims, and an optional trusted root file
 * checked at load. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "policy_parse_internal.h"
#include "vouch/io.h"
#include "vouch/mem.h"

/* The identity fields, in the order of struct sign_sigstore_identity's members. */
enum {
    ID_SUBJECT,
    ID_SUBJECT_RE,
    ID_ISSUER,
    ID_ISSUER_RE,
    ID_GH_TRIGGER,
    ID_GH_SHA,
    ID_GH_NAME,
    ID_GH_REPOSITORY,
    ID_GH_REF,
    ID_N
};

static const char **id_slot(struct sign_sigstore_identity *id, int which)
{
    const char **slots[ID_N] = {&id->subject,       &id->subject_regexp, &id->issuer,
                                &id->issuer_regexp, &id->gh_trigger,     &id->gh_sha,
                                &id->gh_name,       &id->gh_repository,  &id->gh_ref};
    return slots[which];
}

static int pid_set(struct pctx *c, const struct pnode *n, void *obj, int which)
{
    char *s = NULL;
    int rc = pstr(c, n, &s);
    regex_t re;
    if (rc == 0 && (which == ID_SUBJECT_RE || which == ID_ISSUER_RE)) {
        char msg[128];
        int bad;
        if (pregex_too_big(s)) {
            rc = perr(c, n,
                      "regex '%.64s' is too large (at most %d characters, repetition counts "
                      "multiplying to at most %d)",
                      s, PREGEX_MAX_LEN, PREGEX_MAX_REPEAT);
        } else if ((bad = regcomp(&re, s, REG_EXTENDED | REG_NOSUB)) != 0) {
            regerror(bad, &re, msg, sizeof(msg));
            rc = perr(c, n, "bad regex '%s': %s", s, msg);
        } else {
            regfree(&re);
        }
    }
    if (rc != 0) {
        free(s);
        return rc;
    }
    *id_slot(obj, which) = s;
    return 0;
}

static int pid_subject(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_SUBJECT);
}
static int pid_subject_re(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_SUBJECT_RE);
}
static int pid_issuer(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_ISSUER);
}
static int pid_issuer_re(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_ISSUER_RE);
}
static int pid_gh_trigger(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_GH_TRIGGER);
}
static int pid_gh_sha(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_GH_SHA);
}
static int pid_gh_name(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_GH_NAME);
}
static int pid_gh_repository(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_GH_REPOSITORY);
}
static int pid_gh_ref(struct pctx *c, const struct pnode *n, void *o)
{
    return pid_set(c, n, o, ID_GH_REF);
}

static const struct pfield id_fields[] = {
    {"issuer", pid_issuer, 0},
    {"issuerRegExp", pid_issuer_re, 0},
    {"subject", pid_subject, 0},
    {"subjectRegExp", pid_subject_re, 0},
    {"githubWorkflowTrigger", pid_gh_trigger, 0},
    {"githubWorkflowSha", pid_gh_sha, 0},
    {"githubWorkflowName", pid_gh_name, 0},
    {"githubWorkflowRepository", pid_gh_repository, 0},
    {"githubWorkflowRef", pid_gh_ref, 0},
    {NULL, NULL, 0},
};

static int pkl_identities(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_keyless *k = obj;
    int rc = pexpect(c, n, PNODE_SEQ);
    if (rc == 0 && n->n == 0) {
        return perr(c, n, "at least one identity is required");
    }
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
        struct sign_sigstore_identity *id = vouch_push(&k->ids, &k->n_ids, sizeof(*id), c->err);
        if (id == NULL) {
            return VOUCH_ENOMEM;
        }
        rc = pfields(c, n->items[i], id_fields, id, "keyless identity");
        /* a valid Fulcio certificate alone only says someone with an OIDC account signed */
        if (rc == 0 && id->issuer == NULL && id->issuer_regexp == NULL) {
            rc = perr(c, n->items[i], "a keyless identity needs issuer or issuerRegExp");
        }
        if (rc == 0 && id->subject == NULL && id->subject_regexp == NULL) {
            rc = perr(c, n->items[i], "a keyless identity needs subject or subjectRegExp");
        }
    }
    return rc;
}

static int pkl_root(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_keyless *k = obj;
    struct vouch_error e = VOUCH_ERROR_INIT;
    unsigned char *json = NULL;
    size_t len = 0;
    char *path = NULL;
    int rc = pstr(c, n, &path);
    if (rc == 0 && path[0] != '/' && c->base_dir != NULL) {
        k->trusted_root = vouch_strf("%s/%s", c->base_dir, path);
        free(path);
        if (k->trusted_root == NULL) {
            return vouch_enomem(c->err);
        }
    } else if (rc == 0) {
        k->trusted_root = path;
    }
    if (rc == 0 &&
        (vouch_file_read(&json, &len, k->trusted_root, SIGN_TRUSTROOT_MAX_BYTES, &e) != 0 ||
         sign_trustroot_parse(&k->root, json, len, &e) != 0)) {
        rc = perr(c, n, "trusted root '%s': %s", k->trusted_root, e.msg);
    }
    free(json);
    return rc;
}

static const struct pfield kl_fields[] = {
    {"identities", pkl_identities, 1},
    {"trustedRoot", pkl_root, 0},
    {NULL, NULL, 0},
};

int preq_keyless(struct pctx *c, const struct pnode *n, struct pol_keyless *k)
{
    k->present = 1;
    return pfields(c, n, kl_fields, k, "keyless");
}

void pol_keyless_release(struct pol_keyless *k)
{
    for (size_t i = 0; i < k->n_ids; i++) {
        for (int f = 0; f < ID_N; f++) {
            free((char *)*id_slot(&k->ids[i], f));
        }
    }
    free(k->ids);
    free(k->trusted_root);
    sign_trustroot_free(k->root);
    memset(k, 0, sizeof(*k));
}
