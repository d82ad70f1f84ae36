/* The evidence record: what providers verified or found about one image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdint.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "evidence_internal.h"
#include "image_ref.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define EV_STATEMENT_MAX ((size_t)16 << 20)

int slsa_evidence_new(struct slsa_evidence **out, struct vouch_error *err)
{
    *out = calloc(1, sizeof(**out));
    return *out == NULL ? vouch_enomem(err) : 0;
}

void slsa_evidence_free(struct slsa_evidence *ev)
{
    if (ev == NULL) {
        return;
    }
    for (size_t i = 0; i < ev->n_errors; i++) {
        free(ev->errors[i]);
    }
    for (size_t i = 0; i < ev->n_sigs; i++) {
        free(ev->sigs[i].key_id);
        json_decref(ev->sigs[i].annotations);
        free(ev->sigs[i].who.identity);
        free(ev->sigs[i].who.issuer);
    }
    for (size_t i = 0; i < ev->n_atts; i++) {
        free(ev->atts[i].key_id);
        free(ev->atts[i].type);
        free(ev->atts[i].who.identity);
        free(ev->atts[i].who.issuer);
        json_decref(ev->atts[i].statement);
    }
    for (size_t i = 0; i < ev->n_sboms; i++) {
        for (size_t j = 0; j < ev->sboms[i].n; j++) {
            free(ev->sboms[i].licenses[j]);
        }
        free(ev->sboms[i].licenses);
        free(ev->sboms[i].name);
    }
    for (size_t i = 0; i < ev->n_own_reports; i++) {
        slsa_vuln_report_free(ev->own_reports[i]);
    }
    for (size_t i = 0; i < ev->n_own_vex; i++) {
        slsa_vex_free(ev->own_vex[i]);
    }
    free(ev->own_reports);
    free(ev->own_vex);
    free(ev->errors);
    free(ev->sigs);
    free(ev->atts);
    free(ev->reports);
    free(ev->vex);
    free(ev->sboms);
    free(ev->digest);
    free(ev);
}

int slsa_evidence_set_digest(struct slsa_evidence *ev, const char *digest, struct vouch_error *err)
{
    char *d;
    if (!image_ref_digest_valid(digest)) {
        return vouch_error_set(err, VOUCH_EINVAL, "invalid digest '%s'", digest);
    }
    if ((d = strdup(digest)) == NULL) {
        return vouch_enomem(err);
    }
    free(ev->digest);
    ev->digest = d;
    ev->checked |= SLSA_CAP_DIGEST;
    return 0;
}

const char *slsa_evidence_digest(const struct slsa_evidence *ev)
{
    return ev->digest;
}

void slsa_evidence_mark_checked(struct slsa_evidence *ev, unsigned caps)
{
    ev->checked |= caps;
}

unsigned slsa_evidence_checked(const struct slsa_evidence *ev)
{
    return ev->checked;
}

int slsa_evidence_add_error(struct slsa_evidence *ev, const char *source, const char *msg,
                            struct vouch_error *err)
{
    char **slot = vouch_push(&ev->errors, &ev->n_errors, sizeof(char *), NULL);
    if (slot == NULL || (*slot = vouch_strf("%s: %s", source, msg)) == NULL) {
        return vouch_enomem(err);
    }
    return 0;
}

size_t slsa_evidence_error_count(const struct slsa_evidence *ev)
{
    return ev->n_errors;
}

const char *slsa_evidence_error(const struct slsa_evidence *ev, size_t i)
{
    return i < ev->n_errors && ev->errors[i] != NULL ? ev->errors[i] : "out of memory";
}

static int signer_copy(struct ev_signer *to, const struct slsa_signer *who, struct vouch_error *err)
{
    if (who == NULL) {
        return 0;
    }
    to->identity = strdup(who->identity != NULL ? who->identity : "");
    to->issuer = strdup(who->issuer != NULL ? who->issuer : "");
    to->log_index = who->log_index;
    to->signed_time = who->signed_time;
    return to->identity == NULL || to->issuer == NULL ? vouch_enomem(err) : 0;
}

int slsa_evidence_add_signature(struct slsa_evidence *ev, const char *key_id,
                                const char *annotations_json, struct vouch_error *err)
{
    return slsa_evidence_add_signature_by(ev, key_id, annotations_json, NULL, err);
}

int slsa_evidence_add_signature_by(struct slsa_evidence *ev, const char *key_id,
                                   const char *annotations_json, const struct slsa_signer *who,
                                   struct vouch_error *err)
{
    json_t *ann = NULL;
    struct ev_sig *s;
    if (annotations_json != NULL) {
        ann = vouch_json_load(annotations_json, strlen(annotations_json), 0, NULL);
        if (!json_is_object(ann)) {
            json_decref(ann);
            return vouch_error_set(err, VOUCH_EPARSE, "signature annotations are not an object");
        }
    }
    s = vouch_push(&ev->sigs, &ev->n_sigs, sizeof(*s), NULL);
    if (s == NULL || (s->key_id = strdup(key_id)) == NULL) {
        json_decref(ann);
        return vouch_enomem(err);
    }
    s->annotations = ann;
    return signer_copy(&s->who, who, err);
}

static int att_as_report(struct slsa_evidence *ev, const json_t *st, const char *type,
                         struct vouch_error *err);

int slsa_evidence_add_attestation(struct slsa_evidence *ev, const char *key_id,
                                  const char *statement_json, size_t len, struct vouch_error *err)
{
    return slsa_evidence_add_attestation_by(ev, key_id, statement_json, len, NULL, err);
}

int slsa_evidence_add_attestation_by(struct slsa_evidence *ev, const char *key_id,
                                     const char *statement_json, size_t len,
                                     const struct slsa_signer *who, struct vouch_error *err)
{
    json_error_t jerr;
    json_t *st;
    const char *type;
    struct ev_att *a;
    if (len > EV_STATEMENT_MAX) {
        return vouch_error_set(err, VOUCH_EINVAL, "attestation statement too large");
    }
    st = vouch_json_load(statement_json, len, 0, &jerr);
    type = json_string_value(json_object_get(st, "predicateType"));
    if (st == NULL || type == NULL) {
        json_decref(st);
        return vouch_error_set(err, VOUCH_EPARSE, "attestation is not an in-toto statement");
    }
    a = vouch_push(&ev->atts, &ev->n_atts, sizeof(*a), NULL);
    if (a == NULL || (a->key_id = strdup(key_id)) == NULL || (a->type = strdup(type)) == NULL) {
        json_decref(st);
        return vouch_enomem(err);
    }
    a->statement = st;
    a->predicate = json_object_get(st, "predicate");
    if (signer_copy(&a->who, who, err) != 0) {
        return VOUCH_ENOMEM;
    }
    return att_as_report(ev, st, a->type, err);
}

int slsa_evidence_add_vuln_report(struct slsa_evidence *ev, const struct slsa_vuln_report *r,
                                  struct vouch_error *err)
{
    const struct slsa_vuln_report **slot =
        vouch_push(&ev->reports, &ev->n_reports, sizeof(r), NULL);
    if (slot == NULL) {
        return vouch_enomem(err);
    }
    *slot = r;
    return 0;
}

int slsa_evidence_add_vex(struct slsa_evidence *ev, const struct slsa_vex *vex,
                          struct vouch_error *err)
{
    const struct slsa_vex **slot = vouch_push(&ev->vex, &ev->n_vex, sizeof(vex), NULL);
    if (slot == NULL) {
        return vouch_enomem(err);
    }
    *slot = vex;
    return 0;
}

int slsa_evidence_own_vuln_report(struct slsa_evidence *ev, struct slsa_vuln_report *r,
                                  struct vouch_error *err)
{
    struct slsa_vuln_report **slot =
        vouch_push(&ev->own_reports, &ev->n_own_reports, sizeof(r), NULL);
    if (slot == NULL) {
        slsa_vuln_report_free(r);
        return vouch_enomem(err);
    }
    *slot = r;
    return slsa_evidence_add_vuln_report(ev, r, err);
}

int slsa_evidence_own_vex(struct slsa_evidence *ev, struct slsa_vex *vex, struct vouch_error *err)
{
    struct slsa_vex **slot = vouch_push(&ev->own_vex, &ev->n_own_vex, sizeof(vex), NULL);
    if (slot == NULL) {
        slsa_vex_free(vex);
        return vouch_enomem(err);
    }
    *slot = vex;
    return slsa_evidence_add_vex(ev, vex, err);
}

/* A verified SPDX or CycloneDX attestation is an SBOM of the image (cosign's spdxjson and
 * cyclonedx types, with or without a version suffix). */
static int att_as_sbom(struct slsa_evidence *ev, const json_t *st, const char *type,
                       struct vouch_error *err)
{
    char **lic = NULL;
    size_t n = 0;
    char name[300];
    int rc;
    if (strncmp(type, "https://spdx.dev/Document", 25) != 0 &&
        strncmp(type, "https://cyclonedx.org/bom", 25) != 0) {
        return 0;
    }
    rc = slsa_sbom_licenses(&lic, &n, json_object_get(st, "predicate"));
    snprintf(name, sizeof(name), "attestation %s", type);
    rc = rc == 0 ? slsa_evidence_add_sbom(ev, name, (const char *const *)lic, n, err)
                 : vouch_enomem(err);
    for (size_t i = 0; i < n; i++) {
        free(lic[i]);
    }
    free(lic);
    return rc;
}

/* Verified vulnerability and VEX attestations feed the vulnerability requirement; SBOM
 * attestations the sbom requirement. */
static int att_as_report(struct slsa_evidence *ev, const json_t *st, const char *type,
                         struct vouch_error *err)
{
    char *text;
    int rc = att_as_sbom(ev, st, type, err);
    if (rc != 0) {
        return rc;
    }
    int vuln = strcmp(type, "https://cosign.sigstore.dev/attestation/vuln/v1") == 0 ||
               strncmp(type, "https://in-toto.io/attestation/vulns/", 37) == 0;
    int vex = strncmp(type, "https://openvex.dev/ns", 22) == 0;
    if (!vuln && !vex) {
        return 0;
    }
    text = json_dumps(vex ? json_object_get(st, "predicate") : st, JSON_COMPACT);
    if (text == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "attestation of type %s has no predicate", type);
    }
    if (vuln) {
        struct slsa_vuln_report *r = NULL;
        rc = slsa_vuln_report_parse(&r, text, strlen(text), type, err);
        rc = rc == 0 ? slsa_evidence_own_vuln_report(ev, r, err) : rc;
    } else {
        struct slsa_vex *v = NULL;
        rc = slsa_vex_parse(&v, text, strlen(text), type, err);
        rc = rc == 0 ? slsa_evidence_own_vex(ev, v, err) : rc;
    }
    free(text);
    return rc;
}

int slsa_evidence_add_sbom(struct slsa_evidence *ev, const char *name, const char *const *licenses,
                           size_t n, struct vouch_error *err)
{
    struct ev_sbom *s = vouch_push(&ev->sboms, &ev->n_sboms, sizeof(*s), NULL);
    if (s == NULL || (s->name = strdup(name)) == NULL ||
        (n > 0 && (s->licenses = calloc(n, sizeof(char *))) == NULL)) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < n; i++, s->n++) {
        if ((s->licenses[i] = strdup(licenses[i])) == NULL) {
            return vouch_enomem(err);
        }
    }
    return 0;
}

int slsa_evidence_collect(struct slsa_evidence **out, const struct slsa_evidence_provider *p,
                          size_t n, const char *image, struct vouch_error *err)
{
    int rc = slsa_evidence_new(out, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct vouch_error perr = VOUCH_ERROR_INIT;
        if (p[i].collect(p[i].ctx, *out, image, &perr) != 0) {
            rc = slsa_evidence_add_error(*out, p[i].name, perr.msg, err);
        }
    }
    if (rc != 0) {
        slsa_evidence_free(*out);
        *out = NULL;
    }
    return rc;
}

static int ref_collect(void *ctx, struct slsa_evidence *ev, const char *image,
                       struct vouch_error *err)
{
    (void)ctx;
    (void)ev;
    (void)image;
    (void)err;
    return 0; /* a digest in the reference is read by the evaluator itself */
}

struct slsa_evidence_provider slsa_evidence_ref_provider(void)
{
    struct slsa_evidence_provider p = {"reference", ref_collect, NULL};
    return p;
}

int slsa_key_id_pem(char out[65], const char *pem, size_t len, const char *name,
                    struct vouch_error *err)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    EVP_PKEY *key = bio != NULL ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
    unsigned char *der = NULL, md[32];
    int n = key != NULL ? i2d_PUBKEY(key, &der) : -1;
    int rc = 0;
    if (len > INT32_MAX || n <= 0) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "'%s' is not a PEM public key", name);
    } else if (EVP_Digest(der, (size_t)n, md, NULL, EVP_sha256(), NULL) != 1) {
        rc = vouch_error_set(err, VOUCH_EINTERNAL, "cannot hash '%s'", name);
    } else {
        vouch_hex_encode(out, md, sizeof(md));
    }
    ERR_clear_error();
    OPENSSL_free(der);
    EVP_PKEY_free(key);
    BIO_free(bio);
    return rc;
}
