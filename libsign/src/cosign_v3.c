/* cosign v3 image signing: the statement, the bundle, the referrer manifest and the
 * referrers tag index (signing.md §2.3). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sign/bundle.h"
#include "sign/cosign_att.h"
#include "sign/cosign_v3.h"
#include "sign/referrer.h"
#include "vouch/digest.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define BUNDLE_MT SIGN_COSIGN_BUNDLE_MT
#define EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

static int nomem(struct vouch_error *err)
{
    return vouch_enomem(err);
}

/* {"_type":…,"subject":[{"digest":{"sha256":hex}[,"annotations":{…}]}],…,"predicate":{}} */
static json_t *statement_new(const char *digest, const struct sign_annotation *ann, size_t n_ann)
{
    json_t *subj = json_pack("{s{ss}}", "digest", "sha256", digest + strlen("sha256:"));
    if (subj != NULL && n_ann > 0) {
        json_t *a = json_object();
        for (size_t i = 0; i < n_ann; i++) {
            json_object_set_new(a, ann[i].key, json_string(ann[i].value));
        }
        json_object_set_new(subj, "annotations", a);
    }
    return subj == NULL
               ? NULL
               : json_pack("{ss s[o] ss s{}}", "_type", "https://in-toto.io/Statement/v1",
                           "subject", subj, "predicateType", SIGN_COSIGN_V3_PREDICATE, "predicate");
}

int sign_cosign_v3_statement(char **out, size_t *len, const char *digest,
                             const struct sign_annotation *ann, size_t n_ann,
                             struct vouch_error *err)
{
    json_t *st = NULL;
    *out = NULL;
    *len = 0;
    if (strncmp(digest, "sha256:", 7) != 0) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "image digest '%s' is not sha256", digest);
    }
    st = statement_new(digest, ann, n_ann);
    *out = st ? json_dumps(st, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(st);
    if (*out == NULL) {
        return nomem(err);
    }
    *len = strlen(*out);
    return 0;
}

static int bundle_new(char **out, size_t *len, const char *digest, const struct sign_key *key,
                      const struct sign_annotation *ann, size_t n_ann, struct vouch_error *err)
{
    char *payload = NULL;
    size_t plen = 0;
    int rc = sign_cosign_v3_statement(&payload, &plen, digest, ann, n_ann, err);
    rc = rc ? rc : sign_bundle_sign_statement(out, len, payload, plen, key, 1, err);
    free(payload);
    return rc;
}

static json_t *descriptor(const char *mt, const char *digest, size_t size)
{
    return json_pack("{ss ss sI}", "mediaType", mt, "digest", digest, "size", (json_int_t)size);
}

static void now_rfc3339(char *out, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The referrer manifest of signing.md §2.3. */
static json_t *referrer_new(const struct sign_oci_manifest *subject, const char *bdigest,
                            size_t blen, const char *created)
{
    json_t *cfg = descriptor(SIGN_COSIGN_V3_EMPTY_MT, EMPTY_DIGEST, 2);
    json_object_set_new(cfg, "artifactType", json_string(BUNDLE_MT));
    return json_pack(
        "{si ss ss so s[o] so s{ss ss ss}}", "schemaVersion", 2, "mediaType", SIGN_OCI_MT_MANIFEST,
        "artifactType", BUNDLE_MT, "config", cfg, "layers", descriptor(BUNDLE_MT, bdigest, blen),
        "subject", descriptor(subject->media_type, subject->digest, subject->len), "annotations",
        "org.opencontainers.image.created", created, "dev.sigstore.bundle.content", "dsse-envelope",
        "dev.sigstore.bundle.predicateType", SIGN_COSIGN_V3_PREDICATE);
}

int sign_cosign_v3_sign(char *ref_digest, struct sign_oci_source *src, const char *digest,
                        const struct sign_key *key, const struct sign_annotation *ann, size_t n_ann,
                        struct vouch_error *err)
{
    struct sign_oci_manifest subject = {0};
    char *bundle = NULL, bdigest[SIGN_REF_DIGEST_MAX], created[32];
    size_t blen = 0;
    json_t *man = NULL;
    char *s = NULL;
    int rc = sign_oci_manifest_get(&subject, src, digest, err);
    rc = rc ? rc : bundle_new(&bundle, &blen, digest, key, ann, n_ann, err);
    rc = rc ? rc : sign_oci_blob_put(src, EMPTY_DIGEST, "{}", 2, err);
    rc = rc ? rc : sign_oci_blob_put(src, NULL, bundle, blen, err);
    if (rc == 0) {
        unsigned char md[32];
        size_t mdlen = sizeof(md);
        now_rfc3339(created, sizeof(created));
        rc = sign_digest_buf(md, &mdlen, SIGN_HASH_SHA256, bundle, blen, err);
        memcpy(bdigest, "sha256:", 7);
        vouch_hex_encode(bdigest + 7, md, sizeof(md));
        man = referrer_new(&subject, bdigest, blen, created);
        s = man ? json_dumps(man, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if (rc == 0 && s == NULL) {
            rc = nomem(err);
        }
        rc = rc ? rc : sign_referrer_push(ref_digest, src, digest, s, strlen(s), err);
    }
    free(s);
    json_decref(man);
    free(bundle);
    sign_oci_manifest_release(&subject);
    return rc;
}
