/* vouch sign: sign an image as cosign does (legacy format): a simple-signing payload for
 * the image's manifest digest, signed with KEY, appended to its sha256-<hex>.sig image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "image.h"
#include "keyfile.h"
#include "notation.h"
#include "out.h"
#include "sign/cosign_image.h"
#include "sign/cosign_v3.h"
#include "sign_args.h"
#include "vouch/buf.h"
#include "vouch/io.h"

/* Cap on the payloads and signatures of one sign run (identities are few and small). */
#define SIGN_MADE_MAX ((size_t)4 << 20)

const char cmd_sign_usage[] =
    "usage: vouch sign --key KEY [-a KEY=VALUE]... [--sign-container-identity ID[,ID]...]\n"
    "                  [--recursive] [--bundle-format legacy|v3] [OPTIONS] IMAGE\n"
    "\n"
    "Sign IMAGE's manifest digest (a tag is resolved first) with the cosign key KEY and\n"
    "attach the signature to the image's sha256-<hex>.sig tag, byte for byte as cosign\n"
    "does: the payload names the repository (index.docker.io/... for Docker Hub) and the\n"
    "digest, with -a annotations under \"optional\". Signing the same payload again with\n"
    "the same key changes nothing. --sign-container-identity writes these identities\n"
    "instead (one signature each), e.g. a tagged name for containers/image policies.\n"
    "--recursive also signs every image of a multi-platform index.\n"
    "--upload=false signs without attaching anything; --output-signature FILE,\n"
    "--output-payload FILE and --output-certificate FILE (with a key: its public key PEM)\n"
    "also write what was signed, as cosign does (one line per identity).\n"
    "--bundle-format v3 signs as cosign v3 does instead: an in-toto statement (predicate\n"
    "type https://sigstore.dev/cosign/sign/v1) in a DSSE sigstore bundle v0.3, attached as\n"
    "an OCI 1.1 referrer of the image (and listed in the sha256-<hex> referrers tag).\n"
    "The key password is read as for sign-blob.\n"
    "IMAGE is a registry reference or oci-dir:PATH[:TAG].\n"
    "\n"
    "usage: vouch sign --format notation --key KEY --certificate CHAIN.pem\n"
    "                  [--envelope jws|cose] [--expiry DURATION] [OPTIONS] IMAGE\n"
    "\n"
    "Sign IMAGE as Notation does (signing scheme notary.x509): a JWS (default) or COSE_Sign1\n"
    "envelope over IMAGE's manifest descriptor, signed with KEY (RSA: PS256/384/512, EC:\n"
    "ES256/384/512 by key size), CHAIN.pem the signing certificate first, then its CA\n"
    "certificates up to the root. The signature manifest is pushed as a referrer of IMAGE\n"
    "(and listed in the sha256-<hex> referrers tag). --certificate without --format selects\n"
    "this form. See docs/notation.md.\n";

/* What --output-signature and --output-payload get: cosign's lines, one per identity. */
struct sign_made {
    struct vouch_buf sigs, payloads;
};

static int made_add(struct sign_made *m, const char *payload, size_t len, const char *b64,
                    struct vouch_error *err)
{
    int rc = 0;
    if (m->sigs.len > 0) {
        rc = vouch_buf_append(&m->sigs, "\n", 1, err);
        rc = rc ? rc : vouch_buf_append(&m->payloads, "\n", 1, err);
    }
    rc = rc ? rc : vouch_buf_append(&m->sigs, b64, strlen(b64), err);
    return rc ? rc : vouch_buf_append(&m->payloads, payload, len, err);
}

/* One identity: make the payload and signature, attach them unless --upload=false. */
static int sign_one(int *added, struct sign_oci_source *sigsrc, const char *digest,
                    const char *identity, const struct sign_key *key, const struct sign_args *a,
                    struct sign_made *m, struct vouch_error *err)
{
    char *payload = NULL, *b64 = NULL;
    size_t len = 0;
    int rc = sign_cosign_image_make(&payload, &len, &b64, digest, identity, key, a->ann.a, a->ann.n,
                                    err);
    *added = 0;
    rc = rc ? rc : made_add(m, payload, len, b64, err);
    if (rc == 0 && !a->no_upload) {
        rc = sign_cosign_image_attach(added, sigsrc, digest, payload, len, b64, key, err);
    }
    free(payload);
    free(b64);
    return rc;
}

/* One payload and signature per identity (cosign's comma-separated
 * --sign-container-identity); by default the image's repository. Stored in sigsrc. */
static int sign_identities(int *added, struct sign_oci_source *src, struct sign_oci_source *sigsrc,
                           const char *digest, const struct sign_key *key,
                           const struct sign_args *a, struct sign_made *m, struct vouch_error *err)
{
    const char *p = a->identity != NULL ? a->identity : sign_oci_repo_name(src);
    size_t len = strlen(p);
    int rc = 0;
    *added = 0;
    /* checked before anything is written */
    if (len == 0 || p[0] == ',' || p[len - 1] == ',' || strstr(p, ",,") != NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "empty identity in '%s'", p);
    }
    while (rc == 0) {
        size_t n = a->identity != NULL ? strcspn(p, ",") : strlen(p);
        char *id = strndup(p, n);
        int one = 0;
        rc = id == NULL ? vouch_error_set(err, VOUCH_ENOMEM, "out of memory")
                        : sign_one(&one, sigsrc, digest, id, key, a, m, err);
        *added += one;
        free(id);
        if (p[n] == '\0') {
            break;
        }
        p += n + 1;
    }
    return rc;
}

/* --recursive: the images of an index are signed too (cosign sign --recursive). */
static int sign_children(int *added, struct sign_oci_source *src, struct sign_oci_source *sigsrc,
                         const struct sign_key *key, const struct sign_args *a,
                         struct sign_made *made, struct vouch_error *err)
{
    struct sign_oci_manifest m = {0};
    json_t *root = NULL, *d;
    size_t i;
    int rc = sign_oci_resolve(&m, src, err);
    if (rc != 0 || !sign_oci_is_index(m.media_type)) {
        sign_oci_manifest_release(&m);
        return rc;
    }
    root = json_loadb((const char *)m.data, m.len, 0, NULL);
    json_array_foreach(json_object_get(root, "manifests"), i, d)
    {
        const char *child = json_string_value(json_object_get(d, "digest"));
        int one = 0;
        rc = child != NULL && sign_ref_digest_check(NULL, child, NULL) == 0
                 ? sign_identities(&one, src, sigsrc, child, key, a, made, err)
                 : vouch_error_set(err, VOUCH_EPARSE, "malformed index %s", m.digest);
        *added += one;
        if (rc != 0) {
            break;
        }
    }
    json_decref(root);
    sign_oci_manifest_release(&m);
    return rc;
}

static int sign_image_v3(const struct sign_args *a, const struct sign_key *key,
                         struct sign_oci_source *src, const char *digest, struct vouch_error *err)
{
    char ref[SIGN_REF_DIGEST_MAX], name[4400];
    int rc = sign_cosign_v3_sign(ref, src, digest, key, a->ann.a, a->ann.n, err);
    if (rc == 0) {
        snprintf(name, sizeof(name), "%s@%s", sign_oci_repo_name(src), ref);
        fprintf(stderr, "Pushing bundle referrer to: %s\n", name);
    }
    return rc;
}

/* --output-signature, --output-payload, --output-certificate: every file opened and
 * written, then committed, so none appears unless all were made. */
static int write_outputs(const struct sign_args *a, const struct sign_key *key,
                         const struct sign_made *m, struct vouch_error *err)
{
    struct vouch_outfile of[3] = {{0}};
    const char *paths[3] = {a->out_sig, a->out_payload, a->out_cert};
    const struct vouch_buf *bufs[2] = {&m->sigs, &m->payloads};
    char *pem = NULL;
    size_t pem_len = 0;
    int rc = a->out_cert != NULL ? sign_key_write_public_pem(&pem, &pem_len, key, err) : 0;
    for (int i = 0; rc == 0 && i < 3; i++) {
        const void *data = i < 2 ? (const void *)bufs[i]->data : pem;
        size_t n = i < 2 ? bufs[i]->len : pem_len;
        if (paths[i] == NULL) {
            continue;
        }
        rc = vouch_outfile_open(&of[i], paths[i], 0644, 0, err);
        if (rc == 0 && n > 0 && fwrite(data, 1, n, of[i].fp) != n) {
            rc = vouch_error_set(err, VOUCH_EIO, "cannot write '%s'", paths[i]);
        }
    }
    for (int i = 0; rc == 0 && i < 3; i++) {
        rc = paths[i] != NULL ? vouch_outfile_commit(&of[i], err) : 0;
    }
    for (int i = 0; i < 3; i++) {
        vouch_outfile_abort(&of[i]);
    }
    free(pem);
    return rc;
}

static int sign_image(const struct sign_args *a, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct sign_oci_source *src = NULL, *sigsrc = NULL, *owned = NULL;
    char digest[SIGN_REF_DIGEST_MAX], tag[SIGN_REF_DIGEST_MAX + 8], name[4400];
    struct sign_made made;
    int added = 0;
    int rc = cli_load_private_key(&key, a->key, err);
    vouch_buf_init(&made.sigs, SIGN_MADE_MAX);
    vouch_buf_init(&made.payloads, SIGN_MADE_MAX);
    rc = rc ? rc : sign_oci_open(&src, a->image, &a->ro.opts, err);
    rc = rc ? rc : image_digest(digest, src, err);
    if (a->v3) {
        rc = rc ? rc : sign_image_v3(a, key, src, digest, err);
        goto done;
    }
    if (!a->no_upload) {
        rc = rc ? rc : image_sig_source(&sigsrc, &owned, src, &a->ro, err);
    }
    rc = rc ? rc : sign_identities(&added, src, sigsrc, digest, key, a, &made, err);
    rc = rc || !a->recursive ? rc : sign_children(&added, src, sigsrc, key, a, &made, err);
    rc = rc ? rc : write_outputs(a, key, &made, err);
    if (rc == 0 && a->no_upload) {
        goto done;
    }
    if (rc == 0) {
        image_attachment_tag(tag, sizeof(tag), digest, "sig");
        image_tag_name(name, sizeof(name), sigsrc, tag);
        fprintf(stderr, "%s: %s\n", added ? "Pushing signature to" : "Signature already present in",
                name);
    }
done:
    vouch_buf_release(&made.sigs);
    vouch_buf_release(&made.payloads);
    sign_oci_free(owned);
    sign_oci_free(src);
    sign_key_free(key);
    return rc;
}

int cmd_sign(int argc, char **argv)
{
    struct sign_args a;
    int rc = sign_args_parse(&a, argc, argv, "sign");
    if (rc == EXIT_OK && a.notation) {
        rc = notation_sign(&a);
    }
    /* cosign sign IMG1 IMG2 ...: each in turn, stopping at the first failure */
    for (int i = 0; rc == EXIT_OK && !a.notation && i < a.nimages; i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        int lrc;
        a.image = a.images[i];
        lrc = sign_image(&a, &err);
        rc = lrc == 0 ? EXIT_OK : out_fail(lrc, &err);
    }
    sign_args_release(&a);
    return rc;
}
