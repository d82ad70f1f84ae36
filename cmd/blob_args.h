/* Option parsing for the blob commands: a table of "--name VALUE" options. */
#ifndef VOUCH_BLOB_ARGS_H
#define VOUCH_BLOB_ARGS_H

/** One option row: --name VALUE or --name=VALUE stores VALUE in *value; a flag row (value
 * NULL) sets *flag to 1 (--name=false to 0). */
struct blob_opt {
    const char *name; /* "--key" */
    const char **value;
    int *flag;
};

/**
 * Parse argv[1..argc) (argv[0] is the command name) against the NULL-terminated table opts;
 * the positional arguments go to pos[0..*npos) (at most maxpos). "--" ends the options.
 * Returns EXIT_OK, or prints a usage error for cmd and returns EXIT_USAGE.
 */
int blob_args_parse(const char *cmd, int argc, char **argv, const struct blob_opt *opts,
                    const char **pos, int maxpos, int *npos);

#endif
