/* Messages and exit codes for the vouch command line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* Library messages never name command-line flags: the command line adds the hint to the
 * messages it knows, by code and ending. */
static const struct {
    int code;
    int anywhere; /* 0: the message ends with text; 1: holds it anywhere */
    const char *text;
    const char *hint;
} hints[] = {
    {VOUCH_EAUTH, 0, "requires authentication (HTTP 401)",
     ": give --registry-username or log in with docker"},
    {VOUCH_EEXIST, 0, "already exists", " (use --force)"},
    {VOUCH_ENETWORK, 1, "': TLS failed: ",
     " (trust the registry's CA with --ca-cert FILE, or for testing only "
     "--allow-insecure-registry)"},
};

static const char *hint_for(int rc, const char *msg)
{
    size_t n = strlen(msg);
    for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
        size_t k = strlen(hints[i].text);
        int hit = hints[i].anywhere ? strstr(msg, hints[i].text) != NULL
                                    : n >= k && strcmp(msg + n - k, hints[i].text) == 0;
        if (hints[i].code == rc && hit) {
            return hints[i].hint;
        }
    }
    return "";
}

int out_fail(int rc, const struct vouch_error *err)
{
    const char *msg = err != NULL && err->msg[0] != '\0' ? err->msg : vouch_code_str(rc);
    fprintf(stderr, "vouch: %s%s\n", msg, hint_for(rc, msg));
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
