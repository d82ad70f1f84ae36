/* Notation signatures in registries and OCI layouts (signature-specification.md "Storage"):
 * signature manifests found among the image's referrers (referrers API, else the tag
 * schema), and signing: envelope blob, empty config, manifest pushed as a referrer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "notation_internal.h"
#include "sign/referrer.h"
#include "vouch/digest.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define EMPTY_MT "application/vnd.oci.empty.v1+json"
#define EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define THUMBPRINT_ANN "io.cncf.notary.x509chain.thumbprint#S256"
/* notation-go's default maxSignatureAttempts */
#define MAX_ATTEMPTS 50

void sign_notation_report_release(struct sign_notation_report *rep)
{
    free(rep->r);
    memset(rep, 0, sizeof(*rep));
}

/* A Notation signature manifest of subject: its envelope layer's media type and digest. */
static int sig_manifest(const char **mt, const char **layer, json_t *man, const char *subject,
                        struct vouch_error *err)
{
    const char *at = json_string_value(json_object_get(man, "artifactType"));
    const char *cfg =
        json_string_value(json_object_get(json_object_get(man, "config"), "mediaType"));
    const char *sub = json_string_value(json_object_get(json_object_get(man, "subject"), "digest"));
    const json_t *layers = json_object_get(man, "layers");
    if ((at == NULL || strcmp(at, SIGN_NOTATION_ARTIFACT_TYPE) != 0) &&
        (cfg == NULL || strcmp(cfg, SIGN_NOTATION_ARTIFACT_TYPE) != 0)) {
        return vouch_error_set(err, VOUCH_EVERIFY, "not a Notation signature manifest");
    }
    if (sub == NULL || strcmp(sub, subject) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "signature manifest names another subject");
    }
    if (!json_is_array(layers) || json_array_size(layers) != 1) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "signature manifest must have exactly one envelope layer");
    }
    *mt = json_string_value(json_object_get(json_array_get(layers, 0), "mediaType"));
    *layer = json_string_value(json_object_get(json_array_get(layers, 0), "digest"));
    return *mt && *layer ? 0 : vouch_error_set(err, VOUCH_EVERIFY, "envelope layer is malformed");
}

/* Fetch and verify one signature manifest; rejections land in r, transport errors return. */
static int verify_one(struct sign_notation_result *r, struct sign_oci_source *src,
                      const char *sig_digest, const char *repo_uri,
                      const struct sign_notation_target *t,
                      const struct sign_notation_policy *policy,
                      const struct sign_notation_opts *opts, struct vouch_error *err)
{
    struct sign_oci_manifest m = {0};
    json_t *man = NULL;
    const char *mt = NULL, *layer = NULL;
    unsigned char *env = NULL;
    size_t len = 0;
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc = sign_oci_manifest_get(&m, src, sig_digest, err);
    rc = rc ? rc : sign_jread_load(&man, m.data, m.len, "signature manifest", &e);
    rc = rc ? rc : sig_manifest(&mt, &layer, man, t->digest, &e);
    rc = rc ? rc : sign_oci_blob_read(&env, &len, src, layer, SIGN_NOTATION_ENVELOPE_MAX, &e);
    snprintf(r->signature_digest, sizeof(r->signature_digest), "%s", sig_digest);
    if (rc == VOUCH_EPARSE || rc == VOUCH_ENOTFOUND || rc == VOUCH_EVERIFY) {
        /* a broken signature manifest or envelope blob fails this signature's integrity */
        r->checks[0].outcome = SIGN_NOTATION_FAIL;
        snprintf(r->checks[0].detail, sizeof(r->checks[0].detail), "%s", e.msg);
        rc = VOUCH_EVERIFY;
    } else if (rc == 0) {
        rc = sign_notation_verify_envelope(r, policy, repo_uri, t, mt, env, len, opts, &e);
        snprintf(r->signature_digest, sizeof(r->signature_digest), "%s", sig_digest);
    }
    if (rc == VOUCH_EVERIFY) {
        vouch_error_set(err, VOUCH_EVERIFY, "signature %.19s: %s", sig_digest, e.msg);
    } else if (rc != 0 && err != NULL && err->code == 0) {
        *err = e;
    }
    free(env);
    json_decref(man);
    sign_oci_manifest_release(&m);
    return rc;
}

int sign_notation_verify_image(struct sign_notation_report *out, struct sign_oci_source *src,
                               const char *digest, const char *repo_uri,
                               const struct sign_notation_policy *policy,
                               const struct sign_notation_opts *opts, struct vouch_error *err)
{
    const struct nt_statement *st = nt_policy_select(policy, repo_uri);
    struct sign_oci_manifest subject = {0}, idx = {0};
    json_t *root = NULL, *d;
    size_t i;
    int rc, found = 0;
    memset(out, 0, sizeof(*out));
    if (st == NULL) {
        return vouch_error_set(err, VOUCH_EPOLICY,
                               "artifact \"%s\" has no applicable trust policy statement",
                               repo_uri);
    }
    snprintf(out->policy, sizeof(out->policy), "%s", st->name);
    if (st->actions[SIGN_NOTATION_INTEGRITY] == SIGN_NOTATION_SKIP) {
        out->skipped = 1;
        return 0;
    }
    rc = sign_oci_manifest_get(&subject, src, digest, err);
    rc = rc ? rc : sign_oci_referrers(&idx, src, digest, SIGN_NOTATION_ARTIFACT_TYPE, err);
    rc = rc ? rc : sign_jread_load(&root, idx.data, idx.len, "referrers index", err);
    const json_t *list = json_object_get(root, "manifests");
    out->r = rc ? NULL : calloc(json_array_size(list) + 1, sizeof(*out->r));
    if (rc == 0 && out->r == NULL) {
        rc = vouch_enomem(err);
    }
    struct sign_notation_target t = {digest, subject.media_type, subject.len};
    struct vouch_error last = VOUCH_ERROR_INIT;
    json_array_foreach(rc ? NULL : list, i, d)
    {
        const char *sd = json_string_value(json_object_get(d, "digest"));
        if (sd == NULL || out->n == MAX_ATTEMPTS || found) {
            continue;
        }
        vouch_error_clear(&last);
        rc = verify_one(&out->r[out->n], src, sd, repo_uri, &t, policy, opts, &last);
        found = rc == 0;
        out->n++;
        if (rc != 0 && rc != VOUCH_EVERIFY) {
            *err = last;
            break;
        }
        rc = 0;
    }
    if (rc == 0 && !found) {
        rc = out->n == 0 ? vouch_error_set(err, VOUCH_EVERIFY, "no Notation signature found")
                         : vouch_error_set(err, VOUCH_EVERIFY, "%s", last.msg);
    }
    json_decref(root);
    sign_oci_manifest_release(&idx);
    sign_oci_manifest_release(&subject);
    return rc;
}

/* ["<sha256 of each chain certificate, upper-case hex>", ...] as a JSON array string. */
static int thumbprints(char **out, const unsigned char *chain_pem, size_t len,
                       struct vouch_error *err)
{
    BIO *bio = BIO_new_mem_buf(chain_pem, (int)len);
    json_t *arr = json_array();
    X509 *x;
    int rc = bio && arr ? 0 : vouch_enomem(err);
    while (rc == 0 && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        unsigned char md[32];
        unsigned int n = 0;
        char hex[65];
        X509_digest(x, EVP_sha256(), md, &n);
        vouch_hex_encode(hex, md, sizeof(md));
        for (char *p = hex; *p; p++) {
            *p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
        }
        json_array_append_new(arr, json_string(hex));
        X509_free(x);
    }
    ERR_clear_error();
    *out = rc ? NULL : json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    BIO_free(bio);
    if (rc == 0 && *out == NULL) {
        rc = vouch_enomem(err);
    }
    return rc;
}

static json_t *descriptor(const char *mt, const char *digest, size_t size)
{
    return json_pack("{ss ss sI}", "mediaType", mt, "digest", digest, "size", (json_int_t)size);
}

int sign_notation_sign_image(char *sig_digest, struct sign_oci_source *src, const char *digest,
                             const struct sign_key *key, const struct sign_notation_sign_opts *opts,
                             struct vouch_error *err)
{
    struct sign_oci_manifest subject = {0};
    unsigned char *env = NULL, md[32];
    size_t len = 0, mdlen = sizeof(md);
    char edigest[80], *thumbs = NULL, *man_s = NULL, created[40];
    const char *mt = opts->envelope ? opts->envelope : SIGN_NOTATION_MT_JWS;
    json_t *man = NULL;
    int rc = sign_oci_manifest_get(&subject, src, digest, err);
    struct sign_notation_target t = {digest, subject.media_type, subject.len};
    rc = rc ? rc : sign_notation_envelope_sign(&env, &len, &t, key, opts, err);
    rc = rc ? rc : thumbprints(&thumbs, opts->chain_pem, opts->chain_len, err);
    rc = rc ? rc : sign_digest_buf(md, &mdlen, SIGN_HASH_SHA256, env, len, err);
    rc = rc ? rc : sign_oci_blob_put(src, EMPTY_DIGEST, "{}", 2, err);
    rc = rc ? rc : sign_oci_blob_put(src, NULL, env, len, err);
    if (rc == 0) {
        memcpy(edigest, "sha256:", 7);
        vouch_hex_encode(edigest + 7, md, sizeof(md));
        nt_time_text(created, sizeof(created), (int64_t)time(NULL));
        man =
            json_pack("{si ss ss so s[o] so s{ss ss}}", "schemaVersion", 2, "mediaType",
                      SIGN_OCI_MT_MANIFEST, "artifactType", SIGN_NOTATION_ARTIFACT_TYPE, "config",
                      descriptor(EMPTY_MT, EMPTY_DIGEST, 2), "layers", descriptor(mt, edigest, len),
                      "subject", descriptor(subject.media_type, digest, subject.len), "annotations",
                      THUMBPRINT_ANN, thumbs, "org.opencontainers.image.created", created);
        man_s = man ? json_dumps(man, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        rc = man_s ? 0 : vouch_enomem(err);
    }
    rc = rc ? rc : sign_referrer_push(sig_digest, src, digest, man_s, strlen(man_s), err);
    free(man_s);
    json_decref(man);
    free(thumbs);
    free(env);
    sign_oci_manifest_release(&subject);
    return rc;
}
