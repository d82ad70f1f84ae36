/* Small argument helpers shared by commands that parse argv by hand. */
#include <string.h>

#include "args.h"

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) {
        return 0;
    }
    if (argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0') {
        return 0;
    }
    *val = *i + 1 < argc ? argv[++*i] : NULL;
    return 1;
}
