/* Arguments of `vouch sign` and `vouch verify`. */
#include <string.h>

#include "cmd.h"
#include "out.h"
#include "sign_args.h"

enum { O_KEY = 1, O_RECURSIVE, O_BUNDLE_FORMAT, O_IDENTITY, O_ANNOTATION };

#define ROW_KEY(help)                                                                              \
    {                                                                                              \
        "key", 0, "KEY", help, 0, O_KEY, "file"                                                    \
    }
#define ROW_ANNOTATION(help)                                                                       \
    {                                                                                              \
        "annotations", 'a', "KEY=VALUE", help, OPT_REPEAT, O_ANNOTATION, NULL                      \
    }
#define ROW_BUNDLE_FORMAT(help)                                                                    \
    {                                                                                              \
        "bundle-format", 0, "FORMAT", help, 0, O_BUNDLE_FORMAT, "legacy|v3"                        \
    }

static const struct opt_spec sign_specs[] = {
    ROW_KEY("the cosign private key (password from VOUCH_PASSWORD,\n"
            "COSIGN_PASSWORD or the terminal)"),
    ROW_ANNOTATION("an annotation for the payload's \"optional\" map"),
    {"sign-container-identity", 0, "ID[,ID]...",
     "sign these identities instead of the image's\n"
     "repository (one signature each)",
     0, O_IDENTITY, NULL},
    {"recursive", 0, NULL, "also sign every image of a multi-platform index", 0, O_RECURSIVE, NULL},
    ROW_BUNDLE_FORMAT("legacy (default: the .sig tag) or v3 (a sigstore bundle\nreferrer)"),
    {0},
};

static const struct opt_spec verify_specs[] = {
    ROW_KEY("the public key (PEM public key or certificate)"),
    ROW_ANNOTATION("require this annotation in the payload"),
    ROW_BUNDLE_FORMAT("v3: always look up bundle referrers; legacy: never"),
    {0},
};

const struct opt_group cmd_sign_opts[] = {
    {NULL, sign_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

const struct opt_group cmd_verify_opts[] = {
    {NULL, verify_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

static int bundle_format(struct sign_args *a, const char *v, const char *cmd)
{
    if (strcmp(v, "v3") != 0 && strcmp(v, "legacy") != 0) {
        return out_usage(cmd, "--bundle-format must be legacy or v3, not '%s'", v);
    }
    a->v3 = strcmp(v, "v3") == 0;
    a->legacy = !a->v3;
    return EXIT_OK;
}

struct parse_ctx {
    struct sign_args *a;
    const char *cmd;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct parse_ctx *p = ctx;
    struct sign_args *a = p->a;
    switch (o->id) {
    case O_KEY:
        a->key = v;
        return EXIT_OK;
    case O_RECURSIVE:
        a->recursive = opt_on(v);
        return EXIT_OK;
    case O_BUNDLE_FORMAT:
        return bundle_format(a, v, p->cmd);
    case O_IDENTITY:
        a->identity = v;
        return EXIT_OK;
    case O_ANNOTATION:
        return sig_annotations_add(&a->ann, v, p->cmd);
    default:
        return regopts_take(&a->ro, o, v, p->cmd);
    }
}

int sign_args_parse(struct sign_args *a, int argc, char **argv, const char *cmd)
{
    struct parse_ctx p = {a, cmd};
    const char *image[1] = {NULL};
    int n = 0;
    int rc;
    memset(a, 0, sizeof(*a));
    regopts_init(&a->ro);
    rc = opt_parse(cmd, strcmp(cmd, "sign") == 0 ? cmd_sign_opts : cmd_verify_opts, argc, argv,
                   take, &p, image, 1, &n);
    a->image = image[0];
    if (rc == EXIT_OK && (a->key == NULL || a->image == NULL)) {
        rc = out_usage(cmd, "give --key and one IMAGE");
    }
    if (rc == EXIT_OK && a->v3 && (a->identity != NULL || a->recursive)) {
        rc = out_usage(cmd, "--bundle-format v3 takes neither --sign-container-identity "
                            "nor --recursive");
    }
    return rc ? rc : regopts_finish(&a->ro, cmd);
}

void sign_args_release(struct sign_args *a)
{
    sig_annotations_release(&a->ann);
    regopts_release(&a->ro);
}
