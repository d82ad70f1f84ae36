/* vouch triangulate: print where cosign stores an image's signatures, attestations or
 * SBOM (the sha256-<hex>.sig/.att/.sbom tag), or the image's digest reference. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "image.h"
#include "out.h"

const char cmd_triangulate_usage[] =
    "usage: vouch triangulate [--type signature|attestation|sbom|digest] [OPTIONS] IMAGE\n"
    "\n"
    "Print the reference where cosign stores the attachment of IMAGE: the tag\n"
    "sha256-<hex>.sig (signature, the default), .att (attestation) or .sbom (sbom), or the\n"
    "image pinned by digest (digest). A tag is resolved to its digest first.\n"
    "\n"
    "options:\n" REGOPTS_USAGE REGOPTS_SIGREPO_USAGE;

static const struct {
    const char *type;
    const char *suffix; /* NULL: the digest reference */
} triangulate_types[] = {
    {"signature", "sig"},
    {"attestation", "att"},
    {"sbom", "sbom"},
    {"digest", NULL},
};

static int find_type(const char *type)
{
    for (size_t i = 0; i < sizeof(triangulate_types) / sizeof(triangulate_types[0]); i++) {
        if (strcmp(type, triangulate_types[i].type) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int triangulate(const char *image, int type, const struct regopts *ro)
{
    struct sign_oci_source *src = NULL, *sigsrc = NULL, *owned = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    char digest[SIGN_REF_DIGEST_MAX], tag[SIGN_REF_DIGEST_MAX + 8], name[4200];
    int rc = image_open(&src, image, ro);
    if (rc != 0) {
        return rc;
    }
    rc = image_digest(digest, src, &err);
    rc = rc != 0 ? rc : image_sig_source(&sigsrc, &owned, src, ro, &err);
    if (rc != 0) {
        sign_oci_free(src);
        return out_fail(rc, &err);
    }
    if (triangulate_types[type].suffix == NULL) {
        const struct sign_ref *ref = sign_oci_ref(src);
        if (ref != NULL) {
            printf("%s@%s\n", sign_ref_ggcr_name(ref), digest);
        } else {
            image_tag_name(name, sizeof(name), src, "");
            printf("%.*s@%s\n", (int)strlen(name) - 1, name, digest);
        }
    } else {
        image_attachment_tag(tag, sizeof(tag), digest, triangulate_types[type].suffix);
        image_tag_name(name, sizeof(name), sigsrc, tag);
        printf("%s\n", name);
    }
    sign_oci_free(owned);
    sign_oci_free(src);
    return EXIT_OK;
}

int cmd_triangulate(int argc, char **argv)
{
    struct regopts ro;
    const char *image = NULL;
    int type = 0, rc = 0;
    regopts_init(&ro);
    for (int i = 1; i < argc && rc == 0; i++) {
        int r = regopts_parse(&ro, argc, argv, &i, "triangulate");
        if (r == 1) {
            continue;
        }
        if (r != 0) {
            rc = r;
        } else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) {
            type = find_type(argv[++i]);
            rc = type < 0 ? out_usage("triangulate", "unknown --type '%s'", argv[i]) : 0;
        } else if (argv[i][0] == '-' || image != NULL) {
            rc = out_usage("triangulate", "unexpected argument '%s'", argv[i]);
        } else {
            image = argv[i];
        }
    }
    if (rc == 0 && image == NULL) {
        rc = out_usage("triangulate", "missing IMAGE");
    }
    rc = rc != 0 ? rc : regopts_finish(&ro, "triangulate");
    rc = rc != 0 ? rc : triangulate(image, type, &ro);
    regopts_release(&ro);
    return rc;
}
