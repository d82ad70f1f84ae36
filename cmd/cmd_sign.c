/* vouch sign: sign an image as cosign does (legacy format): a simple-signing payload for
 * the image's manifest digest, signed with KEY, appended to its sha256-<hex>.sig image. */
#include <stdio.h>

#include "cmd.h"
#include "image.h"
#include "keyfile.h"
#include "out.h"
#include "sign/cosign_image.h"
#include "sign_args.h"

const char cmd_sign_usage[] =
    "usage: vouch sign --key KEY [-a KEY=VALUE]... [OPTIONS] IMAGE\n"
    "\n"
    "Sign IMAGE's manifest digest (a tag is resolved first) with the cosign key KEY and\n"
    "attach the signature to the image's sha256-<hex>.sig tag, byte for byte as cosign\n"
    "does: the payload names the repository (index.docker.io/... for Docker Hub) and the\n"
    "digest, with -a annotations under \"optional\". Signing the same payload again with\n"
    "the same key changes nothing. The key password is read as for sign-blob.\n"
    "IMAGE is a registry reference or oci-dir:PATH[:TAG].\n"
    "\n"
    "options:\n" REGOPTS_USAGE;

static int sign_image(const struct sign_args *a, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct sign_oci_source *src = NULL;
    char digest[SIGN_REF_DIGEST_MAX], tag[SIGN_REF_DIGEST_MAX + 8], name[4400];
    int added = 0;
    int rc = cli_load_private_key(&key, a->key, err);
    rc = rc ? rc : sign_oci_open(&src, a->image, &a->ro.opts, err);
    rc = rc ? rc : image_digest(digest, src, err);
    rc = rc ? rc
            : sign_cosign_image_sign(&added, src, digest, sign_oci_repo_name(src), key, a->ann.a,
                                     a->ann.n, err);
    if (rc == 0) {
        image_attachment_tag(tag, sizeof(tag), digest, "sig");
        image_tag_name(name, sizeof(name), src, tag);
        fprintf(stderr, "%s: %s\n", added ? "Pushing signature to" : "Signature already present in",
                name);
    }
    sign_oci_free(src);
    sign_key_free(key);
    return rc;
}

int cmd_sign(int argc, char **argv)
{
    struct sign_args a;
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = sign_args_parse(&a, argc, argv, "sign");
    if (rc == EXIT_OK) {
        int lrc = sign_image(&a, &err);
        rc = lrc == 0 ? EXIT_OK : out_fail(lrc, &err);
    }
    sign_args_release(&a);
    return rc;
}
