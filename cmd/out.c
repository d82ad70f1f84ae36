/* Messages and exit codes for the vouch command line. */
#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"
#include "out.h"

int out_exit_code(int rc)
{
    switch (rc) {
    case VOUCH_OK:
        return EXIT_OK;
    case VOUCH_EVERIFY:
    case VOUCH_EPOLICY:
        return EXIT_REJECTED;
    case VOUCH_EINVAL:
    case VOUCH_EPARSE:
    case VOUCH_EUNSUPPORTED:
    case VOUCH_ECRYPTO:
    case VOUCH_ENOTFOUND:
    case VOUCH_EEXIST:
        return EXIT_USAGE;
    default:
        return EXIT_IO;
    }
}

int out_fail(int rc, const struct vouch_error *err)
{
    const char *msg = err != NULL && err->msg[0] != '\0' ? err->msg : vouch_code_str(rc);
    fprintf(stderr, "vouch: %s\n", msg);
    return out_exit_code(rc);
}

void out_msg(const char *fmt, ...)
{
    va_list ap;
    fputs("vouch: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int out_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("vouch: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nsee 'vouch %s --help'\n", cmd);
    return EXIT_USAGE;
}
