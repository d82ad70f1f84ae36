/* The registry evidence provider for `vouch admit --registry`: resolves the image digest,
 * verifies cosign `.sig` signatures and `.att` DSSE attestations against the policy's keys
 * and hands only what verified to the policy. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "admit_registry.h"
#include "attest_image.h"
#include "cmd.h"
#include "image.h"
#include "sign/cosign_att.h"
#include "sign/cosign_verify.h"
#include "sign/dsse.h"
#include "sign/notation.h"
#include "sign/ref.h"
#include "slsa/statement.h"
#include "slsa/verify.h"

#define SIG_LAYER_MAX ((size_t)1 << 20)

int admit_registry_init(struct admit_registry *r, const struct slsa_policy *p,
                        const struct regopts *ro, struct vouch_error *err)
{
    memset(r, 0, sizeof(*r));
    r->ro = ro;
    r->policy = p;
    r->n = slsa_policy_key_count(p);
    if (r->n > 0 && ((r->keys = calloc(r->n, sizeof(*r->keys))) == NULL ||
                     (r->ids = calloc(r->n, sizeof(*r->ids))) == NULL)) {
        return vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->n; i++) {
        const char *pem = NULL;
        int rc;
        slsa_policy_key_at(p, i, &r->ids[i], &pem);
        rc = sign_key_load_public(&r->keys[i], (const unsigned char *)pem, strlen(pem), r->ids[i],
                                  err);
        if (rc != 0) {
            return rc;
        }
    }
    return admit_keyless_init(r, err);
}

void admit_registry_release(struct admit_registry *r)
{
    for (size_t i = 0; r->keys != NULL && i < r->n; i++) {
        sign_key_free(r->keys[i]);
    }
    free(r->keys);
    free(r->ids);
    admit_keyless_release(r);
    memset(r, 0, sizeof(*r));
}

struct att_walk {
    struct admit_registry *r;
    struct slsa_evidence *ev;
    const char *digest;
};

/* One .att layer: add its statement for the first key that verifies it; others skipped. */
static int att_layer(void *ctx, const unsigned char *data, size_t len, struct vouch_error *err)
{
    struct att_walk *w = ctx;
    struct slsa_digest subject = {"sha256", w->digest + 7};
    struct slsa_expect exp = {.subject = &subject};
    struct sign_dsse *env = NULL;
    json_t *claimed = NULL;
    const char *payload;
    size_t plen = 0;
    int rc = 0;
    if (sign_dsse_parse(&env, data, len, NULL) != 0) {
        return 0;
    }
    /* the verifier checks the type it is told: tell it the one the payload claims, then
     * only a statement whose signature verifies is used */
    payload = (const char *)sign_dsse_payload(env, &plen);
    claimed = json_loadb(payload, plen, 0, NULL);
    exp.predicate_type = json_string_value(json_object_get(claimed, "predicateType"));
    for (size_t k = 0; exp.predicate_type != NULL && k < w->r->n; k++) {
        struct slsa_statement *st = NULL;
        char *json = NULL;
        size_t jl = 0;
        if (slsa_attestation_verify(&st, env, w->r->keys[k], &exp, NULL) != 0) {
            continue;
        }
        rc = slsa_statement_write(&json, &jl, st, SLSA_JSON_COMPACT, err);
        rc = rc ? rc : slsa_evidence_add_attestation(w->ev, w->r->ids[k], json, jl, err);
        free(json);
        slsa_statement_free(st);
        break;
    }
    json_decref(claimed);
    sign_dsse_free(env);
    return rc;
}

static int fetch_blob(void *ctx, const char *digest, size_t max, unsigned char **out,
                      size_t *out_len, struct vouch_error *err)
{
    return sign_oci_blob_read(out, out_len, ctx, digest, max, err);
}

static int add_verified_sigs(struct admit_registry *r, struct slsa_evidence *ev,
                             const struct sign_cosign_result *res, struct vouch_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sign_cosign_result_count(res); i++) {
        size_t len = 0;
        const char *payload = sign_cosign_result_payload(res, i, &len);
        json_t *doc = json_loadb(payload, len, 0, NULL);
        char *ann = json_is_object(json_object_get(doc, "optional"))
                        ? json_dumps(json_object_get(doc, "optional"), JSON_COMPACT)
                        : NULL;
        rc = slsa_evidence_add_signature(ev, r->ids[sign_cosign_result_key(res, i)], ann, err);
        free(ann);
        json_decref(doc);
    }
    return rc;
}

static int collect_sigs(struct admit_registry *r, struct slsa_evidence *ev,
                        struct sign_oci_source *src, const char *digest, struct vouch_error *err)
{
    struct sign_oci_manifest m = {0};
    struct sign_sigimage *img = NULL;
    struct sign_cosign_result *res = NULL;
    char *tag = NULL;
    int rc = sign_cosign_tag(&tag, digest, "sig", err);
    rc = rc ? rc : sign_oci_manifest_get(&m, src, tag, err);
    if (rc == VOUCH_ENOTFOUND) {
        vouch_error_clear(err);
        rc = 0; /* no signatures: none verified */
    } else if (rc == 0) {
        rc = sign_sigimage_parse(&img, m.data, m.len, err);
        if (rc == 0 && r->n_keyless > 0) {
            rc = admit_keyless_sigs(r, ev, img, src, digest, err);
        }
        if (rc == 0 && r->n > 0) {
            int vrc = sign_cosign_verify(&res, img, fetch_blob, src,
                                         (const struct sign_key *const *)r->keys, r->n, digest,
                                         NULL, 0, NULL);
            rc = vrc == 0 || vrc == VOUCH_EVERIFY ? add_verified_sigs(r, ev, res, err) : vrc;
        }
    }
    sign_cosign_result_free(res);
    sign_sigimage_free(img);
    sign_oci_manifest_release(&m);
    free(tag);
    return rc;
}

/* Notation signatures (referrers of the image) under each Notation requirement: one that
 * passes the requirement's level is recorded under its id; rejections record nothing, trust
 * store and registry errors are evidence errors. */
static int collect_notation(struct admit_registry *r, struct slsa_evidence *ev,
                            struct sign_oci_source *src, const char *digest,
                            struct vouch_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < slsa_policy_notation_count(r->policy); i++) {
        const char *id = NULL, *store = NULL;
        const struct sign_notation_policy *tp = NULL;
        struct sign_notation_report rep;
        struct vouch_error e = VOUCH_ERROR_INIT;
        slsa_policy_notation_at(r->policy, i, &id, &tp, &store);
        struct sign_notation_opts o = {.trust_store = store};
        rc = sign_notation_verify_image(&rep, src, digest, sign_oci_repo_name(src), tp, &o, &e);
        if (rc == 0) {
            rc = slsa_evidence_add_signature(ev, id, NULL, err);
        } else if (rc == VOUCH_EVERIFY || rc == VOUCH_EPOLICY) {
            rc = 0;
        } else {
            *err = e;
        }
        sign_notation_report_release(&rep);
    }
    return rc;
}

int admit_registry_collect(struct admit_registry *r, struct slsa_evidence *ev, const char *image,
                           unsigned caps, struct vouch_error *err)
{
    struct sign_oci_source *src = NULL, *sigsrc = NULL, *owned = NULL;
    char digest[SIGN_REF_DIGEST_MAX] = "", name[1024];
    struct att_walk w = {r, ev, digest};
    size_t count = 0;
    int rc = sign_oci_open(&src, image, &r->ro->opts, err);
    rc = rc ? rc : attest_image_subject(digest, name, sizeof(name), src, err);
    rc = rc ? rc : slsa_evidence_set_digest(ev, digest, err);
    rc = rc ? rc : image_sig_source(&sigsrc, &owned, src, r->ro, err);
    if (rc == 0 && (r->n > 0 || r->n_keyless > 0) && (caps & SLSA_CAP_SIGNATURES)) {
        rc = collect_sigs(r, ev, sigsrc, digest, err);
    }
    if (rc == 0 && (caps & (SLSA_CAP_SIGNATURES | SLSA_CAP_ATTESTATIONS))) {
        rc = admit_keyless_bundles(r, ev, src, digest, caps, err);
    }
    if (rc == 0 && r->policy != NULL && (caps & SLSA_CAP_SIGNATURES)) {
        rc = collect_notation(r, ev, src, digest, err);
    }
    if (rc == 0 && r->n > 0 && (caps & SLSA_CAP_ATTESTATIONS)) {
        rc = sign_cosign_att_each(&count, sigsrc, digest, att_layer, &w, err);
        if (rc == VOUCH_ENOTFOUND && count == 0) {
            vouch_error_clear(err);
            rc = 0; /* no .att image: no attestations */
        }
    }
    if (rc == 0) {
        slsa_evidence_mark_checked(ev, caps & (SLSA_CAP_SIGNATURES | SLSA_CAP_ATTESTATIONS));
    }
    sign_oci_free(owned);
    sign_oci_free(src);
    return rc;
}

/* Only what the matching rules need: an image they check by its reference alone (or an
 * oci-dir index) is decided without contacting its registry. */
static int registry_collect(void *ctx, struct slsa_evidence *ev, const char *image,
                            struct vouch_error *err)
{
    struct admit_registry *r = ctx;
    unsigned needs = slsa_policy_needs(r->policy, image);
    if (needs == 0) {
        struct slsa_evidence_provider local = slsa_evidence_ocidir_provider();
        return local.collect(local.ctx, ev, image, err);
    }
    return admit_registry_collect(r, ev, image, needs, err);
}

struct slsa_evidence_provider admit_registry_provider(struct admit_registry *r)
{
    struct slsa_evidence_provider p = {"registry", registry_collect, r};
    return p;
}
