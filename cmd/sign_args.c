/* Arguments of `vouch sign` and `vouch verify`. */
#include <stddef.h>
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

/* Notation's flags (docs/notation.md); 1 when argv[*i] was one of them. */
static int notation_flag(struct sign_args *a, int argc, char **argv, int *i, const char *cmd,
                         int *rc)
{
    static const struct {
        const char *flag;
        int sign; /* 1: sign only, 0: verify only */
        size_t off;
    } rows[] = {
        {"--trust-policy", 0, offsetof(struct sign_args, trust_policy)},
        {"--trust-store", 0, offsetof(struct sign_args, trust_store)},
        {"--scope", 0, offsetof(struct sign_args, scope)},
        {"--certificate", 1, offsetof(struct sign_args, certificate)},
        {"--envelope", 1, offsetof(struct sign_args, envelope)},
        {"--expiry", 1, offsetof(struct sign_args, expiry)},
    };
    int sign = strcmp(cmd, "sign") == 0;
    const char *v = NULL;
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        if (rows[r].sign == sign && is_flag(argv[*i], rows[r].flag)) {
            *rc = value_of((const char **)((char *)a + rows[r].off), argc, argv, i, cmd);
            a->nflags = 1;
            return 1;
        }
    }
    if (is_flag(argv[*i], "--format")) {
        *rc = value_of(&v, argc, argv, i, cmd);
        if (*rc == EXIT_OK && strcmp(v, "notation") != 0 && strcmp(v, "cosign") != 0) {
            *rc = out_usage(cmd, "--format must be cosign or notation, not '%s'", v);
        }
        a->format = *rc == EXIT_OK && strcmp(v, "notation") == 0 ? 1 : -1;
        return 1;
    }
    if (!sign && is_flag(argv[*i], "--output")) {
        *rc = value_of(&v, argc, argv, i, cmd);
        if (*rc == EXIT_OK && strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
            *rc = out_usage(cmd, "--output must be text or json, not '%s'", v);
        }
        a->json = *rc == EXIT_OK && strcmp(v, "json") == 0;
        return 1;
    }
    return 0;
}

/* --format notation, or (no --format) notation's flags without --key, selects Notation. */
static int notation_finish(struct sign_args *a, const char *cmd)
{
    int sign = strcmp(cmd, "sign") == 0;
    a->notation = a->format == 1 || (a->format == 0 && a->nflags && (sign || a->key == NULL));
    if (!a->notation) {
        return a->nflags ? out_usage(cmd, "--trust-policy, --trust-store, --scope, --certificate, "
                                          "--envelope and --expiry need --format notation")
                         : EXIT_OK;
    }
    if (a->image == NULL ||
        (strcmp(cmd, "sign") == 0 && (a->key == NULL || a->certificate == NULL))) {
        return out_usage(cmd, strcmp(cmd, "sign") == 0
                                  ? "--format notation needs --key, --certificate and one IMAGE"
                                  : "--format notation needs one IMAGE");
    }
    if (a->envelope != NULL && strcmp(a->envelope, "jws") != 0 &&
        strcmp(a->envelope, "cose") != 0) {
        return out_usage(cmd, "--envelope must be jws or cose, not '%s'", a->envelope);
    }
    return a->v3 || a->legacy || a->identity || a->recursive || a->ann.n
               ? out_usage(cmd, "--format notation takes none of --bundle-format, -a, "
                                "--sign-container-identity, --recursive")
               : EXIT_OK;
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
        } else if (notation_flag(a, argc, argv, &i, cmd, &rc)) {
            continue;
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
    rc = rc ? rc : notation_finish(a, cmd);
    if (rc == EXIT_OK && !a->notation && (a->key == NULL || a->image == NULL)) {
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
