/* The option tables: one table of option specs per command (and shared groups, such as the
 * registry options), walked by the parser, by `vouch help CMD`, and by the man page and
 * shell completion generators (libgit2's cli_opt_spec, git's parse-options).
 *
 * Adopting it in a command (cmd_<name>.c):
 *
 *     enum { O_KEY = 1, O_FORCE };
 *     static const struct opt_spec name_specs[] = {
 *         {"key", 0, "KEY", "the private key file", 0, O_KEY, NULL},
 *         {"force", 'f', NULL, "overwrite existing files", 0, O_FORCE, NULL},
 *         {0},
 *     };
 *     const struct opt_group cmd_name_opts[] = {
 *         {NULL, name_specs, NULL},                        // "options:"
 *         {"registry options", regopts_specs, REGOPTS_NOTE}, // only if it touches a registry
 *         {0},
 *     };
 *
 *     static int take(void *ctx, const struct opt_spec *o, const char *v)
 *     {
 *         struct name_args *a = ctx;
 *         switch (o->id) {
 *         case O_KEY: a->key = v; return EXIT_OK;
 *         case O_FORCE: a->force = opt_on(v); return EXIT_OK;
 *         default: return regopts_take(&a->ro, o, v, "name");
 *         }
 *     }
 *     ...
 *     rc = opt_parse("name", cmd_name_opts, argc, argv, take, &a, operands, 1, &n);
 *
 * and the row in main.c's cmd_table names cmd_name_opts, so `vouch help name`, the man page
 * and completion list the options. The usage text holds the synopsis and description only.
 *
 * Syntax accepted: `--name VALUE`, `--name=VALUE`, `-s VALUE`, `-sVALUE`, `-s=VALUE`; a flag
 * also takes `--name=true|false` (cosign's `--tlog-upload=false`). Options and operands mix
 * in any order; `--` ends the options; `-` alone is an operand (stdin); any other argument
 * starting with `-` is an option, never an operand, so a mistyped flag is never taken for an
 * image. A non-repeatable option given twice keeps its last value. */
#ifndef VOUCH_CMD_OPT_H
#define VOUCH_CMD_OPT_H

#include <stdio.h>

/* opt_spec.flags */
enum {
    OPT_REPEAT = 1, /* may be given more than once; every value is passed to take */
    OPT_HIDDEN = 2, /* accepted, not listed in help (old spellings) */
};

/** One option. A table is an array ended by a row whose name and short_name are 0. */
struct opt_spec {
    const char *name;     /* long name without "--" ("output"), or NULL for a short-only option */
    char short_name;      /* 'o', or 0 */
    const char *arg;      /* value placeholder ("FILE"); NULL: a flag without a value */
    const char *help;     /* help text; '\n' starts a continuation line */
    unsigned flags;       /* OPT_REPEAT | OPT_HIDDEN */
    int id;               /* passed back to the command's take function */
    const char *complete; /* completion hint for the value: "file", "dir", or "a|b|c" */
};

/** A titled table; a command's groups are an array ended by a row whose specs is NULL. */
struct opt_group {
    const char *title; /* "registry options"; NULL: "options" */
    const struct opt_spec *specs;
    const char *note; /* printed after the group's rows, or NULL */
};

/** Called once per option in argv order. value is the option's value; for a flag "true" or
 *  "false" (see opt_on). Returns EXIT_OK, or an exit code after printing the error. */
typedef int (*opt_take_fn)(void *ctx, const struct opt_spec *o, const char *value);

/**
 * Parse argv[1..argc) (argv[0] is the command name) against groups, calling take for each
 * option and collecting the operands in operands[0..*n) (at most max). Unknown options
 * (with a "did you mean" when one is close), missing or unexpected values and surplus
 * operands are usage errors naming the argument, printed for cmd. Returns EXIT_OK or the
 * first non-zero exit code.
 */
int opt_parse(const char *cmd, const struct opt_group *groups, int argc, char **argv,
              opt_take_fn take, void *ctx, const char **operands, int max, int *n);

/** For a flag's value: 0 for "false", else 1. */
int opt_on(const char *value);

/** The spec named by a long option (without "--"), or NULL. */
const struct opt_spec *opt_find_long(const struct opt_group *groups, const char *name, size_t len);

/** Print groups as help text ("options:" and each group's rows, aligned). */
void opt_print_help(FILE *fp, const struct opt_group *groups);

/** The option synopsis of spec o, "-o, --output FORMAT" (for help, man pages). */
void opt_format(char *buf, size_t n, const struct opt_spec *o);

#endif
