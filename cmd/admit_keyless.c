/* Keyless evidence for `vouch admit` and the webhook: cosign `.sig` layers with a Fulcio
 * certificate and Rekor bundle annotations, and sigstore bundles attached as OCI referrers
 * (cosign v3 signatures, DSSE attestations), verified with sigstore's checks against each
 * keyless authority of the policy (any one of its identities, its trusted root or the
 * default one). What verified is recorded under the authority's id with who signed it. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "admit_registry.h"
#include "sign/bundle.h"
#include "sign/cosign_att.h"
#include "sign/cosign_v3.h"
#include "sign/cosign_verify.h"
#include "sign/sigstore.h"
#include "trusted_root.h"
#include "vouch/encoding.h"
#include "vouch/io.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

int admit_keyless_init(struct admit_registry *r, struct vouch_error *err)
{
    unsigned char *json = NULL;
    char *path = NULL;
    size_t len = 0;
    int need_default = 0, rc;
    r->n_keyless = slsa_policy_keyless_count(r->policy);
    for (size_t i = 0; i < r->n_keyless; i++) {
        struct slsa_keyless k;
        slsa_policy_keyless_at(r->policy, i, &k);
        need_default |= k.root == NULL;
    }
    if (!need_default) {
        return 0;
    }
    /* an authority without trustedRoot: $VOUCH_TRUSTED_ROOT, the TUF cache, else the
     * installed public-good root, loaded once */
    rc = cli_trusted_root_default(&path, NULL, err);
    rc = rc ? rc : vouch_file_read(&json, &len, path, SIGN_TRUSTROOT_MAX_BYTES, err);
    rc = rc ? rc : sign_trustroot_parse(&r->default_root, json, len, err);
    if (rc != 0 && path != NULL) {
        vouch_error_prefix(err, "default trusted root '%s': ", path);
    }
    free(json);
    free(path);
    return rc;
}

void admit_keyless_release(struct admit_registry *r)
{
    sign_trustroot_free(r->default_root);
    r->default_root = NULL;
}

static void signer_of(struct slsa_signer *who, const struct sign_sigstore_result *res)
{
    who->identity = res->subject;
    who->issuer = res->issuer;
    who->log_index = res->has_log ? res->log_index : -1;
    who->signed_time = res->signed_time;
}

static const struct sign_trustroot *root_of(const struct admit_registry *r,
                                            const struct slsa_keyless *k)
{
    return k->root != NULL ? k->root : r->default_root;
}

/* The annotations ("optional") of a verified simple-signing payload, as JSON text. */
static char *payload_annotations(const char *payload, size_t len)
{
    json_t *doc = vouch_json_load(payload, len, 0, NULL);
    json_t *opt = json_object_get(doc, "optional");
    char *ann = json_is_object(opt) ? json_dumps(opt, JSON_COMPACT) : NULL;
    json_decref(doc);
    return ann;
}

static int fetch_blob(void *ctx, const char *digest, size_t max, unsigned char **out,
                      size_t *out_len, struct vouch_error *err)
{
    return sign_oci_blob_read(out, out_len, ctx, digest, max, err);
}

/* The `.sig` layers under one signatures authority: the first identity that verifies a
 * layer records every layer it verified. */
static int sig_authority(struct admit_registry *r, struct slsa_evidence *ev,
                         const struct sign_sigimage *img, struct sign_oci_source *sigsrc,
                         const char *digest, const struct slsa_keyless *k, struct vouch_error *err)
{
    int rc = 0;
    for (size_t j = 0; rc == 0 && j < k->n_identities; j++) {
        struct sign_sigstore_opts so = {root_of(r, k), &k->identities[j], NULL, 0};
        struct sign_cosign_result *res = NULL;
        size_t n;
        rc = sign_cosign_verify_sigstore(&res, img, fetch_blob, sigsrc, &so, digest, NULL, 0, NULL);
        rc = rc == VOUCH_EVERIFY ? 0 : rc;
        n = rc == 0 && res != NULL ? sign_cosign_result_count(res) : 0;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            size_t len = 0;
            const char *payload = sign_cosign_result_payload(res, i, &len);
            char *ann = payload_annotations(payload, len);
            struct slsa_signer who;
            signer_of(&who, sign_cosign_result_signer(res, i));
            rc = slsa_evidence_add_signature_by(ev, k->id, ann, &who, err);
            free(ann);
        }
        sign_cosign_result_free(res);
        if (n > 0) {
            break;
        }
    }
    return rc;
}

int admit_keyless_sigs(struct admit_registry *r, struct slsa_evidence *ev,
                       const struct sign_sigimage *img, struct sign_oci_source *sigsrc,
                       const char *digest, struct vouch_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < r->n_keyless; i++) {
        struct slsa_keyless k;
        slsa_policy_keyless_at(r->policy, i, &k);
        if (!k.attestation) {
            rc = sig_authority(r, ev, img, sigsrc, digest, &k, err);
        }
    }
    return rc;
}

struct bundle_walk {
    struct admit_registry *r;
    struct slsa_evidence *ev;
    struct sign_sigstore_artifact art;
    unsigned caps;
};

/* A verified statement under authority k: a cosign v3 signature of the image for a
 * signatures authority, a statement of its predicate type for an attestation one. */
static int record(struct bundle_walk *w, const struct slsa_keyless *k,
                  const struct sign_sigstore_result *res, struct vouch_error *err)
{
    json_t *st = vouch_json_load((const char *)res->payload, res->payload_len, 0, NULL);
    const char *pt = json_string_value(json_object_get(st, "predicateType"));
    struct slsa_signer who;
    int rc = 0;
    signer_of(&who, res);
    if (pt != NULL && !k->attestation && strcmp(pt, SIGN_COSIGN_V3_PREDICATE) == 0) {
        json_t *subj = json_array_get(json_object_get(st, "subject"), 0);
        json_t *a = json_object_get(subj, "annotations");
        char *ann = json_is_object(a) ? json_dumps(a, JSON_COMPACT) : NULL;
        rc = slsa_evidence_add_signature_by(w->ev, k->id, ann, &who, err);
        free(ann);
    } else if (pt != NULL && k->attestation && strcmp(pt, k->predicate_type) == 0) {
        rc = slsa_evidence_add_attestation_by(w->ev, k->id, (const char *)res->payload,
                                              res->payload_len, &who, err);
    }
    json_decref(st);
    return rc;
}

/* One bundle referrer against every authority the caps ask for; bundles that do not verify
 * are not evidence (nothing is recorded), malformed ones neither. */
static int bundle_layer(void *ctx, const unsigned char *data, size_t len, struct vouch_error *err)
{
    struct bundle_walk *w = ctx;
    struct sign_bundle *b = NULL;
    int rc = 0;
    if (sign_bundle_parse(&b, data, len, NULL) != 0 || sign_bundle_dsse(b) == NULL) {
        sign_bundle_free(b);
        return 0;
    }
    for (size_t i = 0; rc == 0 && i < w->r->n_keyless; i++) {
        struct slsa_keyless k;
        slsa_policy_keyless_at(w->r->policy, i, &k);
        if (!(w->caps & (k.attestation ? SLSA_CAP_ATTESTATIONS : SLSA_CAP_SIGNATURES))) {
            continue;
        }
        for (size_t j = 0; rc == 0 && j < k.n_identities; j++) {
            struct sign_sigstore_opts so = {root_of(w->r, &k), &k.identities[j], NULL, 0};
            struct sign_sigstore_result res;
            memset(&res, 0, sizeof(res));
            rc = sign_sigstore_verify(&res, b, &w->art, &so, NULL);
            if (rc == 0 && res.payload != NULL) {
                rc = record(w, &k, &res, err);
                sign_sigstore_result_release(&res);
                break;
            }
            sign_sigstore_result_release(&res);
            rc = rc == VOUCH_ENOMEM ? vouch_enomem(err) : 0;
        }
    }
    sign_bundle_free(b);
    return rc;
}

int admit_keyless_bundles(struct admit_registry *r, struct slsa_evidence *ev,
                          struct sign_oci_source *src, const char *digest, unsigned caps,
                          struct vouch_error *err)
{
    struct bundle_walk w = {r, ev, {{SIGN_HASH_SHA256, {0}, 32}, NULL}, caps};
    size_t count = 0;
    int rc;
    if (r->n_keyless == 0 || strncmp(digest, "sha256:", 7) != 0 ||
        vouch_hex_decode(w.art.digest.value, 32, digest + 7, strlen(digest + 7), NULL) != 0) {
        return 0;
    }
    rc = sign_cosign_att_each_bundle(&count, src, digest, bundle_layer, &w, err);
    if (rc == VOUCH_ENOTFOUND && count == 0) {
        vouch_error_clear(err);
        rc = 0; /* no referrers: nothing verified */
    }
    return rc;
}
