/* Table-driven "--name VALUE" / "--name=VALUE" parsing shared by sign-blob and verify-blob. */
#include <string.h>

#include "blob_args.h"
#include "cmd.h"
#include "out.h"

/* The row whose name matches arg (exactly, or up to an '='), or NULL. */
static const struct blob_opt *find_opt(const struct blob_opt *opts, const char *arg,
                                       const char **inline_value)
{
    for (const struct blob_opt *o = opts; o->name != NULL; o++) {
        size_t n = strlen(o->name);
        if (strncmp(arg, o->name, n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
            *inline_value = arg[n] == '=' ? arg + n + 1 : NULL;
            return o;
        }
    }
    return NULL;
}

int blob_args_parse(const char *cmd, int argc, char **argv, const struct blob_opt *opts,
                    const char **pos, int maxpos, int *npos)
{
    int only_pos = 0;
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const struct blob_opt *o;
        const char *v = NULL;
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
            if (*npos == maxpos) {
                return out_usage(cmd, "unexpected argument '%s'", a);
            }
            pos[(*npos)++] = a;
            continue;
        }
        o = find_opt(opts, a, &v);
        if (o == NULL) {
            return out_usage(cmd, "unknown option '%s'", a);
        }
        if (o->value == NULL) {
            if (v != NULL && strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
                return out_usage(cmd, "option '%s' takes no value", o->name);
            }
            *o->flag = v == NULL || strcmp(v, "true") == 0;
            continue;
        }
        if (v == NULL && i + 1 == argc) {
            return out_usage(cmd, "option '%s' needs a value", o->name);
        }
        *o->value = v != NULL ? v : argv[++i];
    }
    return EXIT_OK;
}
