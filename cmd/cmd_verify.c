/* vouch verify: verify an image's cosign signatures (the sha256-<hex>.sig image) with a
 * public key; prints the verified payloads as cosign does, exit 1 when none verifies. */
#include <stdio.h>

#include "cmd.h"
#include "image.h"
#include "keyfile.h"
#include "keyless.h"
#include "notation.h"
#include "out.h"
#include "sign/cosign_image.h"
#include "sign/cosign_v3.h"
#include "sign_args.h"

const char cmd_verify_usage[] =
    "usage: vouch verify --key PUB [-a KEY=VALUE]... [--bundle-format legacy|v3] [OPTIONS] IMAGE\n"
    "\n"
    "Verify the cosign signatures of IMAGE (its sha256-<hex>.sig tag) with the public key\n"
    "PUB (PEM public key or certificate). A signature counts when its payload blob matches\n"
    "its digest, the signature verifies, the payload names IMAGE's digest and carries every\n"
    "-a annotation. Prints the verified payloads as a JSON array on stdout; exit 1 when no\n"
    "signature counts.\n"
    "Signatures in cosign v3's bundle form (sign --bundle-format v3: OCI referrers with a\n"
    "DSSE sigstore bundle) count too: the envelope verifies with PUB, its payloadType is\n"
    "in-toto, the statement's subject is IMAGE's digest, its predicateType\n"
    "https://sigstore.dev/cosign/sign/v1 and its subject annotations carry every -a.\n"
    "Bundles are looked up when no legacy signature counts, so either form is found;\n"
    "--bundle-format v3 looks them up always (printed after the legacy payloads),\n"
    "--bundle-format legacy never.\n"
    "Keyless (no --key; --certificate-identity[-regexp], --certificate-oidc-issuer[-regexp],\n"
    "--trusted-root), or --key with --trusted-root/--rekor-key: each .sig layer's Fulcio\n"
    "certificate annotation must chain to the trusted root at its Rekor integrated time, carry\n"
    "a valid SCT and the identity, and its dev.sigstore.cosign/bundle SET must verify over an\n"
    "entry naming the payload, signature and signer (docs/keyless.md); bundle referrers get\n"
    "the same checks (sigstore's, over IMAGE's digest), then the statement's.\n"
    "\n"
    "usage: vouch verify --format notation [--trust-policy FILE] [--trust-store DIR]\n"
    "                    [--scope REPO] [--output text|json] [OPTIONS] IMAGE\n"
    "\n"
    "Verify IMAGE's Notary Project (Notation, AWS Signer) signatures: referrers of artifact\n"
    "type application/vnd.cncf.notary.signature holding a JWS or COSE envelope, under the\n"
    "trust policy statement whose registryScopes match IMAGE's repository (or --scope), with\n"
    "the certificates of DIR/x509/{ca,signingAuthority,tsa}/NAME (defaults: Notation's\n"
    "$XDG_CONFIG_HOME/notation/trustpolicy.oci.json and truststore). --trust-policy or\n"
    "--trust-store without --key selects this form, as does an IMAGE with Notation\n"
    "signature referrers when neither --key nor keyless options are given. Exit 1 when no "
    "signature passes the\n"
    "statement's level; failures the level only logs are printed as warnings.\n"
    "--output json prints each signature's subject, issuer, signing time and the action\n"
    "and outcome of each check (integrity, authenticity, expiry, authenticTimestamp,\n"
    "revocation). See docs/notation.md.\n";

static void print_result(const struct sign_cosign_result *res,
                         const struct sign_cosign_v3_result *v3, const char *image, int text)
{
    fprintf(stderr,
            "\nVerification for %s --\n"
            "The following checks were performed on each of these signatures:\n"
            "  - The cosign claims were validated\n"
            "  - The signatures were verified against the specified public key\n",
            image);
    fputs(text ? "" : "[", stdout);
    size_t nl = res != NULL ? sign_cosign_result_count(res) : 0;
    for (size_t i = 0; i < nl + v3->n; i++) {
        size_t len = 0;
        const char *p = i < nl ? sign_cosign_result_payload(res, i, &len) : v3->stmt[i - nl];
        len = i < nl ? len : v3->len[i - nl];
        if (i > 0 && !text) {
            fputc(',', stdout);
        }
        fwrite(p, 1, len, stdout);
        fputs(text ? "\n" : "", stdout);
    }
    fputs(text ? "" : "]\n", stdout);
}

/* The bundle referrers, after the legacy signatures (legacy: 0, or VOUCH_EVERIFY with err):
 * looked up when no legacy signature counts, or always with --bundle-format v3 (then the
 * verified bundles are added to the legacy ones); never with --bundle-format legacy. */
static int verify_v3(struct sign_cosign_v3_result *v3, struct sign_oci_source *src,
                     const char *digest, const struct sign_key *key,
                     const struct sign_sigstore_opts *so, const struct sign_args *a, int legacy,
                     struct vouch_error *err)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc;
    if (a->legacy || (legacy == 0 && !a->v3)) {
        return legacy;
    }
    if (so != NULL) {
        rc = sign_cosign_v3_verify_sigstore(v3, src, digest, so, a->ann.a, a->ann.n, &e);
    } else {
        rc = sign_cosign_v3_verify(v3, src, digest, key, a->ann.a, a->ann.n, &e);
    }
    if (legacy == 0) {
        return 0;
    }
    if (rc != 0) {
        *err = e;
        return rc;
    }
    if (v3->n > 0) {
        vouch_error_clear(err);
        return 0;
    }
    if (v3->seen > 0) {
        vouch_error_set(&e, VOUCH_EVERIFY, "%s; %s", err->msg, v3->reasons);
        *err = e;
    }
    return VOUCH_EVERIFY;
}

/* Keyless (or --key with a trusted root / --rekor-key): the .sig layers as sigstore checks
 * them: Fulcio chain at the Rekor integrated time, SCT, identity, SET over the entry. */
static int verify_sigstore(const struct sign_args *a, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct sign_trustroot *root = NULL;
    struct sign_oci_source *src = NULL, *sigsrc = NULL, *owned = NULL;
    struct sign_cosign_result *res = NULL;
    struct sign_cosign_v3_result v3 = {0};
    struct sign_sigstore_identity id;
    struct sign_sigstore_opts so = {NULL, &id, NULL, a->k.ignore_tlog};
    char digest[SIGN_REF_DIGEST_MAX];
    int rc = a->key != NULL ? cli_load_public_key(&key, a->key, err) : 0;
    keyless_identity(&id, &a->k);
    so.key = key;
    rc = rc ? rc : keyless_load_root(&root, &a->k, err);
    so.root = root;
    rc = rc ? rc : sign_oci_open(&src, a->image, &a->ro.opts, err);
    rc = rc ? rc : image_digest(digest, src, err);
    rc = rc ? rc : image_sig_source(&sigsrc, &owned, src, &a->ro, err);
    rc = rc ? rc
            : sign_cosign_image_verify_sigstore(&res, sigsrc, digest, &so, a->ann.a, a->ann.n, err);
    rc = rc == 0 || rc == VOUCH_EVERIFY ? verify_v3(&v3, src, digest, NULL, &so, a, rc, err) : rc;
    if (rc == 0) {
        print_result(res, &v3, a->image, a->text);
    } else if (rc == VOUCH_EVERIFY || rc == VOUCH_EPOLICY) {
        vouch_error_prefix(err, "'%s': ", a->image);
    }
    sign_cosign_v3_result_release(&v3);
    sign_cosign_result_free(res);
    sign_oci_free(owned);
    sign_oci_free(src);
    sign_key_free(key);
    sign_trustroot_free(root);
    return rc;
}

static int verify_image(const struct sign_args *a, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct sign_oci_source *src = NULL, *sigsrc = NULL, *owned = NULL;
    struct sign_cosign_result *res = NULL;
    struct sign_cosign_v3_result v3 = {0};
    char digest[SIGN_REF_DIGEST_MAX];
    int rc = cli_load_public_key(&key, a->key, err);
    rc = rc ? rc : sign_oci_open(&src, a->image, &a->ro.opts, err);
    rc = rc ? rc : image_digest(digest, src, err);
    rc = rc ? rc : image_sig_source(&sigsrc, &owned, src, &a->ro, err);
    rc = rc ? rc
            : sign_cosign_image_verify(&res, sigsrc, digest, (const struct sign_key *const *)&key,
                                       1, a->ann.a, a->ann.n, err);
    rc = rc == 0 || rc == VOUCH_EVERIFY ? verify_v3(&v3, src, digest, key, NULL, a, rc, err) : rc;
    if (rc == 0) {
        print_result(res, &v3, a->image, a->text);
    } else if (rc == VOUCH_EVERIFY) {
        vouch_error_prefix(err, "'%s': ", a->image);
    }
    sign_cosign_v3_result_release(&v3);
    sign_cosign_result_free(res);
    sign_oci_free(owned);
    sign_oci_free(src);
    sign_key_free(key);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    struct sign_args a;
    int rc = sign_args_parse(&a, argc, argv, "verify");
    int worst = EXIT_OK;
    if (rc == EXIT_OK && a.notation == 2) {
        rc = notation_verify_detected(&a);
    } else if (rc == EXIT_OK && a.notation) {
        rc = notation_verify(&a);
    }
    /* cosign verify IMG1 IMG2 ...: every image is verified; the exit code is the worst */
    for (int i = 0; rc == EXIT_OK && !a.notation && i < a.nimages; i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        int lrc;
        a.image = a.images[i];
        lrc = a.key == NULL || keyless_wanted(&a.k) ? verify_sigstore(&a, &err)
                                                    : verify_image(&a, &err);
        lrc = lrc == 0 ? EXIT_OK : out_fail(lrc, &err);
        worst = lrc > worst ? lrc : worst;
    }
    sign_args_release(&a);
    return rc != EXIT_OK ? rc : worst;
}
