/* `vouch verify --format notation` and `vouch sign --format notation`: Notary Project
 * signatures of an image, verified under a trustpolicy.json with Notation trust stores, or
 * made with a key and certificate chain and pushed as referrers (docs/notation.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cmd.h"
#include "image.h"
#include "keyfile.h"
#include "notation.h"
#include "out.h"
#include "sign/notation.h"
#include "vouch/io.h"

#define POLICY_MAX ((size_t)1 << 20)
#define CHAIN_MAX ((size_t)1 << 20)

/* Notation's own configuration folder: $XDG_CONFIG_HOME/notation, else ~/.config/notation. */
static void config_path(char *out, size_t size, const char *leaf)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg != NULL && xdg[0] != '\0') {
        snprintf(out, size, "%s/notation/%s", xdg, leaf);
    } else {
        snprintf(out, size, "%s/.config/notation/%s", home ? home : ".", leaf);
    }
}

static int policy_load(struct sign_notation_policy **out, const char *path, struct vouch_error *err)
{
    char def[4096];
    unsigned char *data = NULL;
    size_t len = 0;
    int rc;
    if (path == NULL) {
        config_path(def, sizeof(def), "trustpolicy.oci.json");
        FILE *f = fopen(def, "r");
        if (f == NULL) {
            config_path(def, sizeof(def), "trustpolicy.json");
        } else {
            fclose(f);
        }
        path = def;
    }
    rc = vouch_file_read(&data, &len, path, POLICY_MAX, err);
    rc = rc ? rc : sign_notation_policy_parse(out, data, len, path, err);
    free(data);
    return rc;
}

/* The repository URI trust policies name: registry/namespace/repo (docker.io for Docker Hub,
 * as notation writes it), the --scope given, or the image name for layouts. */
static void scope_of(char *out, size_t size, const struct sign_oci_source *src, const char *given)
{
    const char *repo = sign_oci_repo_name(src);
    if (given != NULL) {
        snprintf(out, size, "%s", given);
    } else if (strncmp(repo, "index.docker.io/", 16) == 0) {
        snprintf(out, size, "docker.io/%s", repo + 16);
    } else {
        snprintf(out, size, "%s", repo);
    }
}

static json_t *result_json(const struct sign_notation_result *r)
{
    json_t *checks = json_object();
    for (int c = 0; c < SIGN_NOTATION_NCHECKS; c++) {
        json_object_set_new(checks, sign_notation_check_name(c),
                            json_pack("{ss ss ss}", "action",
                                      sign_notation_action_name(r->checks[c].action), "outcome",
                                      sign_notation_outcome_name(r->checks[c].outcome), "detail",
                                      r->checks[c].detail));
    }
    return json_pack("{ss ss ss ss ss ss ss ss sb so}", "digest", r->signature_digest, "envelope",
                     r->envelope, "signingScheme", r->scheme, "subject", r->subject, "issuer",
                     r->issuer, "signingTime", r->signing_time, "expiry", r->expiry, "timestamp",
                     r->timestamp, "verified", r->verified, "checks", checks);
}

static void print_json(const struct sign_notation_report *rep, const char *image,
                       const char *digest, const char *scope, int ok)
{
    json_t *sigs = json_array();
    for (size_t i = 0; i < rep->n; i++) {
        json_array_append_new(sigs, result_json(&rep->r[i]));
    }
    json_t *doc = json_pack("{ss ss ss ss ss sb so}", "image", image, "digest", digest, "scope",
                            scope, "policy", rep->policy, "level",
                            rep->skipped ? "skip"
                            : rep->n     ? rep->r[0].level
                                         : "",
                            "verified", ok, "signatures", sigs);
    char *s = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (s != NULL) {
        puts(s);
    }
    free(s);
    json_decref(doc);
}

/* Text: the verified signature, and every logged failure as a warning (the spec's "log"). */
static void print_text(const struct sign_notation_report *rep, const char *image,
                       const char *digest, int ok)
{
    for (size_t i = 0; i < rep->n; i++) {
        const struct sign_notation_result *r = &rep->r[i];
        for (int c = 0; r->verified && c < SIGN_NOTATION_NCHECKS; c++) {
            if (r->checks[c].outcome >= SIGN_NOTATION_FAIL) {
                out_msg("warning: %s: %s %s (logged under %s): %s", r->signature_digest,
                        sign_notation_check_name(c),
                        sign_notation_outcome_name(r->checks[c].outcome), r->level,
                        r->checks[c].detail);
            }
        }
        if (ok && r->verified) {
            printf("Successfully verified signature for %s%s%s\n  signature: %s (%s)\n"
                   "  trust policy: %s (%s)\n  subject: %s\n  issuer: %s\n  signing time: %s\n",
                   image, strchr(image, '@') ? "" : "@", strchr(image, '@') ? "" : digest,
                   r->signature_digest, r->envelope, r->policy, r->level, r->subject, r->issuer,
                   r->signing_time);
        }
    }
    if (ok && rep->skipped) {
        printf("Trust policy %s skips signature verification for %s@%s\n", rep->policy, image,
               digest);
    }
}

int notation_verify(const struct sign_args *a)
{
    struct sign_notation_policy *pol = NULL;
    struct sign_oci_source *src = NULL;
    struct sign_notation_report rep;
    struct vouch_error err = VOUCH_ERROR_INIT;
    char digest[SIGN_REF_DIGEST_MAX], scope[4200], store[4096];
    struct sign_notation_opts opts = {a->trust_store, 0};
    int rc = policy_load(&pol, a->trust_policy, &err);
    memset(&rep, 0, sizeof(rep));
    if (a->trust_store == NULL) {
        config_path(store, sizeof(store), "truststore");
        opts.trust_store = store;
    }
    rc = rc ? rc : sign_oci_open(&src, a->image, &a->ro.opts, &err);
    rc = rc ? rc : image_digest(digest, src, &err);
    if (rc == 0) {
        scope_of(scope, sizeof(scope), src, a->scope);
        rc = sign_notation_verify_image(&rep, src, digest, scope, pol, &opts, &err);
        if (rc == 0 || rc == VOUCH_EVERIFY || rc == VOUCH_EPOLICY) {
            if (a->json) {
                print_json(&rep, a->image, digest, scope, rc == 0);
            } else {
                print_text(&rep, a->image, digest, rc == 0);
            }
        }
    }
    if (rc == VOUCH_EVERIFY || rc == VOUCH_EPOLICY) {
        vouch_error_prefix(&err, "'%s': ", a->image);
    }
    sign_notation_report_release(&rep);
    sign_oci_free(src);
    sign_notation_policy_free(pol);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}

int notation_verify_detected(const struct sign_args *a)
{
    struct sign_oci_source *src = NULL;
    struct sign_oci_manifest idx = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char digest[SIGN_REF_DIGEST_MAX];
    json_t *root = NULL;
    size_t n = 0;
    int rc = sign_oci_open(&src, a->image, &a->ro.opts, &err);
    rc = rc ? rc : image_digest(digest, src, &err);
    rc = rc ? rc : sign_oci_referrers(&idx, src, digest, SIGN_NOTATION_ARTIFACT_TYPE, &err);
    if (rc == 0) {
        root = json_loadb((const char *)idx.data, idx.len, 0, NULL);
        n = json_array_size(json_object_get(root, "manifests"));
    }
    json_decref(root);
    sign_oci_manifest_release(&idx);
    sign_oci_free(src);
    if (rc != 0) {
        return out_fail(rc, &err);
    }
    return n > 0 ? notation_verify(a)
                 : out_usage("verify", "give --key, or the keyless --certificate-identity and "
                                       "--certificate-oidc-issuer options, and one IMAGE");
}

/* --expiry: a duration ("24h", "30m", "7d", "3600s"). */
static int expiry_of(time_t *out, const char *v, struct vouch_error *err)
{
    char *end = NULL;
    long n = v ? strtol(v, &end, 10) : 0;
    long unit = end == NULL             ? 0
                : strcmp(end, "s") == 0 ? 1
                : strcmp(end, "m") == 0 ? 60
                : strcmp(end, "h") == 0 ? 3600
                : strcmp(end, "d") == 0 ? 86400
                                        : 0;
    *out = 0;
    if (v == NULL) {
        return 0;
    }
    if (n <= 0 || unit == 0 || n > 3650L * 86400 / unit) {
        return vouch_error_set(err, VOUCH_EINVAL, "--expiry '%s' is not a duration like 24h", v);
    }
    *out = time(NULL) + (time_t)(n * unit);
    return 0;
}

int notation_sign(const struct sign_args *a)
{
    struct sign_key *key = NULL;
    struct sign_oci_source *src = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char *chain = NULL;
    size_t chain_len = 0;
    char digest[SIGN_REF_DIGEST_MAX], sig[SIGN_REF_DIGEST_MAX];
    struct sign_notation_sign_opts o;
    memset(&o, 0, sizeof(o));
    int rc = expiry_of(&o.expiry, a->expiry, &err);
    rc = rc ? rc : cli_load_private_key(&key, a->key, &err);
    rc = rc ? rc : vouch_file_read(&chain, &chain_len, a->certificate, CHAIN_MAX, &err);
    if (rc == 0) {
        o.envelope = a->envelope != NULL && strcmp(a->envelope, "cose") == 0 ? SIGN_NOTATION_MT_COSE
                                                                             : SIGN_NOTATION_MT_JWS;
        o.chain_pem = chain;
        o.chain_len = chain_len;
        o.signing_authority = a->signing_scheme != NULL &&
                              strcmp(a->signing_scheme, "notary.x509.signingAuthority") == 0;
    }
    rc = rc ? rc : sign_oci_open(&src, a->image, &a->ro.opts, &err);
    rc = rc ? rc : image_digest(digest, src, &err);
    if (rc == 0) {
        rc = sign_notation_sign_image(sig, src, digest, key, &o, &err);
        if (rc == VOUCH_EINVAL) {
            vouch_error_prefix(&err, "'%s': ", a->certificate);
        }
    }
    if (rc == 0) {
        fprintf(stderr, "Successfully signed %s%s%s\nPushed Notation signature %s@%s\n", a->image,
                strchr(a->image, '@') ? "" : "@", strchr(a->image, '@') ? "" : digest,
                sign_oci_repo_name(src), sig);
    }
    free(chain);
    sign_oci_free(src);
    sign_key_free(key);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}
