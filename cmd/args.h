/* Small argument helpers shared by commands that parse argv by hand. */
#ifndef VOUCH_CMD_ARGS_H
#define VOUCH_CMD_ARGS_H

/** "--name VALUE" or "--name=VALUE" at argv[*i]: 1 when matched (*i advanced past a
 *  separate VALUE; *val is NULL when VALUE is missing), else 0. */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val);

#endif
