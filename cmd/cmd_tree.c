/* vouch tree: list what is attached to an image, as cosign tree does: the .att, .sig and
 * .sbom tags with their layers, and OCI 1.1 referrers. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "image.h"
#include "out.h"

const char cmd_tree_usage[] = "usage: vouch tree [OPTIONS] IMAGE\n"
                              "\n"
                              "Show the signatures, attestations and SBOMs attached to IMAGE\n"
                              "(cosign's sha256-<hex>.sig/.att/.sbom tags) and its OCI 1.1\n"
                              "referrers.\n";

static const struct {
    const char *suffix;
    const char *title;
} tree_kinds[] = {
    {"att", "\xF0\x9F\x92\xBE Attestations for an image tag"},
    {"sig", "\xF0\x9F\x94\x90 Signatures for an image tag"},
    {"sbom", "\xF0\x9F\x93\xA6 SBOMs for an image tag"},
};

#define CHERRY "\xF0\x9F\x8D\x92"

/* Print one line per entry of the manifest's array key ("layers" or "manifests"). */
static int print_entries(const struct sign_oci_manifest *m, const char *key,
                         struct vouch_error *err)
{
    json_t *root = json_loadb((const char *)m->data, m->len, 0, NULL);
    json_t *list = json_object_get(root, key);
    json_t *d;
    size_t i;
    if (!json_is_array(list)) {
        json_decref(root);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed manifest %s: no %s", m->digest, key);
    }
    json_array_foreach(list, i, d)
    {
        const char *dg = json_string_value(json_object_get(d, "digest"));
        const char *at = json_string_value(json_object_get(d, "artifactType"));
        printf("   \xE2\x94\x94\xE2\x94\x80\xE2\x94\x80 " CHERRY " %s%s%s%s\n", dg ? dg : "?",
               at ? " (" : "", at ? at : "", at ? ")" : "");
    }
    json_decref(root);
    return 0;
}

static int tree_attachments(int *found, struct sign_oci_source *src, const char *digest,
                            struct vouch_error *err)
{
    for (size_t i = 0; i < sizeof(tree_kinds) / sizeof(tree_kinds[0]); i++) {
        struct sign_oci_manifest m = {0};
        char tag[SIGN_REF_DIGEST_MAX + 8], name[4200];
        int rc;
        image_attachment_tag(tag, sizeof(tag), digest, tree_kinds[i].suffix);
        rc = sign_oci_manifest_get(&m, src, tag, err);
        if (rc == VOUCH_ENOTFOUND) {
            vouch_error_clear(err);
            continue;
        }
        if (rc == 0) {
            image_tag_name(name, sizeof(name), src, tag);
            printf("\xE2\x94\x94\xE2\x94\x80\xE2\x94\x80 %s: %s\n", tree_kinds[i].title, name);
            rc = print_entries(&m, "layers", err);
            (*found)++;
        }
        sign_oci_manifest_release(&m);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int tree_referrers(int *found, struct sign_oci_source *src, const char *digest,
                          struct vouch_error *err)
{
    struct sign_oci_manifest m = {0};
    json_t *root;
    int rc = sign_oci_referrers(&m, src, digest, NULL, err);
    if (rc != 0) {
        return rc;
    }
    root = json_loadb((const char *)m.data, m.len, 0, NULL);
    if (json_array_size(json_object_get(root, "manifests")) > 0) {
        printf("\xE2\x94\x94\xE2\x94\x80\xE2\x94\x80 \xF0\x9F\x94\x97 Referrers for an image "
               "digest: %s\n",
               digest);
        rc = print_entries(&m, "manifests", err);
        (*found)++;
    }
    json_decref(root);
    sign_oci_manifest_release(&m);
    return rc;
}

static int tree(const char *image, const struct regopts *ro)
{
    struct sign_oci_source *src = NULL, *sigsrc = NULL, *owned = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    char digest[SIGN_REF_DIGEST_MAX];
    int found = 0;
    int rc = image_open(&src, image, ro);
    if (rc != 0) {
        return rc;
    }
    rc = image_digest(digest, src, &err);
    rc = rc != 0 ? rc : image_sig_source(&sigsrc, &owned, src, ro, &err);
    if (rc == 0) {
        printf("\xF0\x9F\x93\xA6 Supply Chain Security Related artifacts for an image: %s\n",
               image);
        rc = tree_attachments(&found, sigsrc, digest, &err);
    }
    rc = rc != 0 ? rc : tree_referrers(&found, src, digest, &err);
    sign_oci_free(owned);
    sign_oci_free(src);
    if (rc != 0) {
        fflush(stdout);
        return out_fail(rc, &err);
    }
    if (found == 0) {
        printf("No Supply Chain Security Related Artifacts found for image %s,\n"
               " start creating one with simply\n vouch sign --key cosign.key %s\n",
               image, image);
    }
    return EXIT_OK;
}

const struct opt_group cmd_tree_opts[] = {
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

int cmd_tree(int argc, char **argv)
{
    struct regopts ro;
    const char *image = NULL;
    int n = 0;
    int rc;
    regopts_init(&ro);
    rc = regopts_parse_args(&ro, "tree", cmd_tree_opts, argc, argv, &image, 1, &n);
    if (rc == 0 && image == NULL) {
        rc = out_usage("tree", "missing IMAGE");
    }
    rc = rc != 0 ? rc : regopts_finish(&ro, "tree");
    rc = rc != 0 ? rc : tree(image, &ro);
    regopts_release(&ro);
    return rc;
}
