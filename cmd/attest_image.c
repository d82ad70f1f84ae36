/* Image attestations for `vouch attest`: the statement subject of an image, signing it and
 * attaching it to the `.att` image (sign/cosign_att.h) in the signature repository. */
#include <stdlib.h>
#include <string.h>

#include "attest_image.h"
#include "attest_util.h"
#include "image.h"
#include "sign/bundle.h"
#include "sign/cosign_att.h"

int attest_image_subject(char *digest, char *name, size_t name_size, struct sign_oci_source *src,
                         struct vouch_error *err)
{
    size_t n;
    int rc = image_digest(digest, src, err);
    if (rc != 0) {
        return rc;
    }
    /* cosign: ref.Context().Name(); here the tag-less name of the same repository */
    image_tag_name(name, name_size, src, "x");
    n = strlen(name);
    if (n >= 2) {
        name[n - 2] = '\0';
    }
    return 0;
}

int attest_image_sign_attach(struct sign_oci_source *src, const struct regopts *ro,
                             struct slsa_statement *st, const struct sign_key *key, int replace,
                             struct vouch_error *err)
{
    char digest[SIGN_REF_DIGEST_MAX] = "", name[1024], *stmt = NULL, *env = NULL;
    size_t len = 0, env_len = 0;
    struct slsa_digest d = {"sha256", digest + 7};
    struct sign_oci_source *sigsrc = NULL, *owned = NULL;
    int rc = attest_image_subject(digest, name, sizeof(name), src, err);
    if (rc == 0 && strncmp(digest, "sha256:", 7) != 0) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "image digest '%s' is not sha256", digest);
    }
    rc = rc ? rc : slsa_statement_add_subject(st, name, &d, 1, err);
    rc = rc ? rc : slsa_statement_write(&stmt, &len, st, SLSA_JSON_COMPACT, err);
    rc = rc ? rc : sign_bundle_sign_statement(&env, &env_len, stmt, len, key, 0, err);
    rc = rc ? rc : image_sig_source(&sigsrc, &owned, src, ro, err);
    rc = rc ? rc
            : sign_cosign_att_attach(sigsrc, digest, env, env_len,
                                     slsa_statement_predicate_type(st), replace, err);
    sign_oci_free(owned);
    free(stmt);
    free(env);
    return rc;
}
