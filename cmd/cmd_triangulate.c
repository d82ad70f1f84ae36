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
    "image pinned by digest (digest). A tag is resolved to its digest first.\n";

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

enum { O_TYPE = 1 };

static const struct opt_spec triangulate_specs[] = {
    {"type", 0, "TYPE", "signature (default), attestation, sbom or digest", 0, O_TYPE,
     "signature|attestation|sbom|digest"},
    {0},
};

const struct opt_group cmd_triangulate_opts[] = {
    {NULL, triangulate_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

struct tri_args {
    struct regopts ro;
    int type;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct tri_args *a = ctx;
    if (o->id != O_TYPE) {
        return regopts_take(&a->ro, o, v, "triangulate");
    }
    a->type = find_type(v);
    return a->type < 0 ? out_usage("triangulate", "unknown --type '%s'", v) : EXIT_OK;
}

int cmd_triangulate(int argc, char **argv)
{
    struct tri_args a = {.type = 0};
    const char *image = NULL;
    int n = 0, rc;
    regopts_init(&a.ro);
    rc = opt_parse("triangulate", cmd_triangulate_opts, argc, argv, take, &a, &image, 1, &n);
    if (rc == 0 && image == NULL) {
        rc = out_usage("triangulate", "missing IMAGE");
    }
    rc = rc != 0 ? rc : regopts_finish(&a.ro, "triangulate");
    rc = rc != 0 ? rc : triangulate(image, a.type, &a.ro);
    regopts_release(&a.ro);
    return rc;
}
