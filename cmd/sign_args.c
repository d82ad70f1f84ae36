/* Arguments of `vouch sign` and `vouch verify`. */
#include <string.h>

#include "cmd.h"
#include "out.h"
#include "sign_args.h"

static int value_of(const char **val, int argc, char **argv, int *i, const char *cmd)
{
    const char *eq = strchr(argv[*i], '=');
    if (strncmp(argv[*i], "--", 2) == 0 && eq != NULL) {
        *val = eq + 1;
        return EXIT_OK;
    }
    if (*i + 1 >= argc) {
        return out_usage(cmd, "%s needs a value", argv[*i]);
    }
    *val = argv[++*i];
    return EXIT_OK;
}

static int is_flag(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || (arg[n] == '=' && name[1] == '-'));
}

static int bundle_format(struct sign_args *a, const char *v, const char *cmd)
{
    if (strcmp(v, "v3") != 0 && strcmp(v, "legacy") != 0) {
        return out_usage(cmd, "--bundle-format must be legacy or v3, not '%s'", v);
    }
    a->v3 = strcmp(v, "v3") == 0;
    a->legacy = !a->v3;
    return EXIT_OK;
}

int sign_args_parse(struct sign_args *a, int argc, char **argv, const char *cmd)
{
    int rc = EXIT_OK;
    memset(a, 0, sizeof(*a));
    regopts_init(&a->ro);
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *v = NULL;
        int r = regopts_parse(&a->ro, argc, argv, &i, cmd);
        if (r == 1) {
            continue;
        }
        if (r != 0) {
            rc = r;
        } else if (is_flag(argv[i], "--key")) {
            rc = value_of(&a->key, argc, argv, &i, cmd);
        } else if (strcmp(cmd, "sign") == 0 && strcmp(argv[i], "--recursive") == 0) {
            a->recursive = 1;
        } else if (is_flag(argv[i], "--bundle-format")) {
            rc = value_of(&v, argc, argv, &i, cmd);
            rc = rc ? rc : bundle_format(a, v, cmd);
        } else if (strcmp(cmd, "sign") == 0 && is_flag(argv[i], "--sign-container-identity")) {
            rc = value_of(&a->identity, argc, argv, &i, cmd);
        } else if (is_flag(argv[i], "-a") || is_flag(argv[i], "--annotations")) {
            rc = value_of(&v, argc, argv, &i, cmd);
            rc = rc ? rc : sig_annotations_add(&a->ann, v, cmd);
        } else if (argv[i][0] == '-' || a->image != NULL) {
            rc = out_usage(cmd, "unexpected argument '%s'", argv[i]);
        } else {
            a->image = argv[i];
        }
    }
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
