/* The error record: set once at the origin, prefixed by callers with context. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "vouch/error.h"

/* Messages quote untrusted input (names, JSON near an error): keep them one printable line
 * so that `vouch: msg` cannot be split or carry terminal escapes. */
static void msg_printable(char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            *s = '?';
        }
    }
}

__attribute__((format(printf, 3, 0))) static int error_vset(struct vouch_error *err, int code,
                                                            const char *fmt, va_list ap)
{
    if (err == NULL || err->code != 0) {
        return code;
    }
    err->code = code;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    msg_printable(err->msg);
    return code;
}

int vouch_error_set(struct vouch_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

static void error_append(struct vouch_error *err, const char *tail)
{
    size_t used = strlen(err->msg);
    if (used < sizeof(err->msg) - 1) {
        snprintf(err->msg + used, sizeof(err->msg) - used, ": %s", tail);
        msg_printable(err->msg);
    }
}

int vouch_error_sys(struct vouch_error *err, int code, int sys_errno, const char *fmt, ...)
{
    va_list ap;
    if (err == NULL || err->code != 0) {
        return code;
    }
    va_start(ap, fmt);
    error_vset(err, code, fmt, ap);
    va_end(ap);
    err->sys_errno = sys_errno;
    if (sys_errno != 0) {
        error_append(err, strerror(sys_errno));
    }
    return code;
}

int vouch_error_ssl(struct vouch_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    unsigned long e = ERR_peek_error();
    if (err != NULL && err->code == 0) {
        va_start(ap, fmt);
        error_vset(err, code, fmt, ap);
        va_end(ap);
        if (e != 0) {
            const char *reason = ERR_reason_error_string(e);
            error_append(err, reason != NULL ? reason : "openssl error");
        }
    }
    ERR_clear_error();
    return code;
}

void vouch_error_prefix(struct vouch_error *err, const char *fmt, ...)
{
    char head[256];
    char old[sizeof(err->msg)];
    va_list ap;
    if (err == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(head, sizeof(head), fmt, ap);
    va_end(ap);
    size_t hl = strlen(head);
    memcpy(old, err->msg, sizeof(old));
    if (hl >= sizeof(err->msg)) {
        hl = sizeof(err->msg) - 1;
    }
    memcpy(err->msg, head, hl);
    memcpy(err->msg + hl, old, sizeof(err->msg) - 1 - hl);
    err->msg[sizeof(err->msg) - 1] = '\0';
    msg_printable(err->msg);
}

void vouch_error_clear(struct vouch_error *err)
{
    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
}

static const struct {
    int code;
    const char *str;
} code_names[] = {
    {VOUCH_OK, "ok"},
    {VOUCH_ENOMEM, "out of memory"},
    {VOUCH_EINVAL, "invalid input"},
    {VOUCH_EIO, "i/o error"},
    {VOUCH_EPARSE, "malformed input"},
    {VOUCH_EUNSUPPORTED, "unsupported"},
    {VOUCH_ENETWORK, "network error"},
    {VOUCH_ECRYPTO, "unusable key"},
    {VOUCH_ENOTFOUND, "not found"},
    {VOUCH_EVERIFY, "verification failed"},
    {VOUCH_EPOLICY, "denied by policy"},
    {VOUCH_EEXIST, "already exists"},
    {VOUCH_EAUTH, "authentication failed"},
    {VOUCH_EINTERNAL, "internal error"},
};

const char *vouch_code_str(int code)
{
    for (size_t i = 0; i < sizeof(code_names) / sizeof(code_names[0]); i++) {
        if (code_names[i].code == code) {
            return code_names[i].str;
        }
    }
    return "unknown error";
}

const char *vouch_version(void)
{
    return VOUCH_VERSION;
}
