/* vouch's one error type: a negative code from enum vouch_code plus an optional
 * caller-owned detail record, set once where the failure happens. */
#ifndef VOUCH_ERROR_H
#define VOUCH_ERROR_H

#include <stddef.h>

/** Return codes. 0 is success; every failure is negative. */
enum vouch_code {
    VOUCH_OK = 0,
    VOUCH_ENOMEM = -1,       /* out of memory */
    VOUCH_EINVAL = -2,       /* bad argument or bad user input */
    VOUCH_EIO = -3,          /* file or stream I/O failed */
    VOUCH_EPARSE = -4,       /* malformed input (JSON, PEM, tar, ...) */
    VOUCH_EUNSUPPORTED = -5, /* well-formed but not supported (curve, algorithm, ...) */
    VOUCH_ENETWORK = -6,     /* network / registry transport failure */
    VOUCH_ECRYPTO = -7,      /* key could not be used: wrong password, bad key material */
    VOUCH_ENOTFOUND = -8,    /* file, image, tag or blob does not exist */
    VOUCH_EVERIFY = -9,      /* checked and rejected: signature or digest mismatch */
    VOUCH_EPOLICY = -10,     /* checked and rejected by policy */
    VOUCH_EEXIST = -11,      /* refusing to overwrite an existing file */
    VOUCH_EAUTH = -12,       /* registry refused the credentials */
    VOUCH_EINTERNAL = -13,   /* a library call failed unexpectedly */
};

/** Detail of a failure. Caller-owned; zero it (or use VOUCH_ERROR_INIT) before use. */
struct vouch_error {
    int code;      /* the same negative code the function returned */
    int sys_errno; /* errno at the origin, or 0 */
    char msg[256]; /* one line, lowercase, no trailing period */
};

#define VOUCH_ERROR_INIT                                                                           \
    {                                                                                              \
        0, 0,                                                                                      \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }

/**
 * Record a failure in err (which may be NULL) and return code, so callers can write
 * `return vouch_error_set(err, VOUCH_EINVAL, "bad '%s'", x);`. The first call wins:
 * an err that already holds a failure is left unchanged.
 */
int vouch_error_set(struct vouch_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Like vouch_error_set, and records errno (and appends strerror(errno) to the text). */
int vouch_error_sys(struct vouch_error *err, int code, int sys_errno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Like vouch_error_set, and appends the first queued OpenSSL error, then clears the queue. */
int vouch_error_ssl(struct vouch_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Prefix context only the caller knows ("'key.pem': "). Does nothing when err is NULL. */
void vouch_error_prefix(struct vouch_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Reset err to "no error". */
void vouch_error_clear(struct vouch_error *err);

/** Static name of a code ("verification failed", "i/o error", ...). */
const char *vouch_code_str(int code);

/** Version string of the vouch libraries (static). */
const char *vouch_version(void);

#endif
