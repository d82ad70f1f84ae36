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
