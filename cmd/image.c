/* Helpers shared by the image commands: opening sources with registry options, resolving
 * digests, and cosign's attachment tag names. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "image.h"
#include "out.h"

int image_open(struct sign_oci_source **out, const char *image, const struct regopts *ro)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = sign_oci_open(out, image, &ro->opts, &err);
    return rc != 0 ? out_fail(rc, &err) : 0;
}

int image_digest(char *out, struct sign_oci_source *src, struct vouch_error *err)
{
    const struct sign_ref *ref = sign_oci_ref(src);
    struct sign_oci_manifest m = {0};
    int rc;
    if (ref != NULL && sign_ref_digest(ref) != NULL) {
        snprintf(out, SIGN_REF_DIGEST_MAX, "%s", sign_ref_digest(ref));
        return 0;
    }
    rc = sign_oci_resolve(&m, src, err);
    if (rc == 0) {
        snprintf(out, SIGN_REF_DIGEST_MAX, "%s", m.digest);
    }
    sign_oci_manifest_release(&m);
    return rc;
}

int image_sig_source(struct sign_oci_source **out, struct sign_oci_source **owned,
                     struct sign_oci_source *src, const struct regopts *ro, struct vouch_error *err)
{
    int rc = 0;
    *out = src;
    *owned = NULL;
    /* cosign applies COSIGN_REPOSITORY to remote images only */
    if (ro == NULL || ro->sig_repo == NULL || sign_oci_kind_of(src) != SIGN_OCI_REGISTRY) {
        return 0;
    }
    rc = sign_oci_open(owned, ro->sig_repo, &ro->opts, err);
    if (rc != 0) {
        vouch_error_prefix(err, "COSIGN_REPOSITORY: ");
    } else if (sign_oci_kind_of(*owned) != SIGN_OCI_REGISTRY) {
        rc = vouch_error_set(err, VOUCH_EINVAL,
                             "COSIGN_REPOSITORY '%s' is not a registry repository", ro->sig_repo);
    }
    if (rc != 0) {
        sign_oci_free(*owned);
        *owned = NULL;
        return rc;
    }
    *out = *owned;
    return 0;
}

void image_attachment_tag(char *out, size_t size, const char *digest, const char *suffix)
{
    const char *colon = strchr(digest, ':');
    snprintf(out, size, "%.*s-%s%s%s", colon ? (int)(colon - digest) : 0, digest,
             colon ? colon + 1 : digest, suffix[0] ? "." : "", suffix);
}

void image_tag_name(char *out, size_t size, const struct sign_oci_source *src, const char *tag)
{
    snprintf(out, size, "%s:%s", sign_oci_repo_name(src), tag);
}
