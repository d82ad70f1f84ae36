/* Password input: environment, terminal prompt without echo, or standard input. Every copy
 * lives in sodium_malloc'd memory (guard pages, wiped on free). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "password.h"

/* Longest password accepted from a prompt or standard input. */
#define PASSWORD_MAX ((size_t)64 << 10)

static const char prompt_first[] = "Enter password for private key: ";
static const char prompt_again[] = "Enter password for private key again: ";

static char *secret_alloc(size_t n, struct vouch_error *err)
{
    char *p = sodium_malloc(n + 1);
    if (p == NULL) {
        vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
    }
    return p;
}

static int from_env(char **out, size_t *out_len, const char *value, struct vouch_error *err)
{
    size_t n = strlen(value);
    char *p = secret_alloc(n, err);
    if (p == NULL) {
        return VOUCH_ENOMEM;
    }
    memcpy(p, value, n + 1);
    *out = p;
    *out_len = n;
    return 0;
}

/* Read from fd until EOF (stop_at_newline 0) or the first '\n' (1, not kept). */
static int read_fd(char **out, size_t *out_len, int fd, int stop_at_newline, const char *what,
                   struct vouch_error *err)
{
    char *p = secret_alloc(PASSWORD_MAX, err);
    size_t n = 0;
    if (p == NULL) {
        return VOUCH_ENOMEM;
    }
    for (;;) {
        ssize_t r = read(fd, p + n, stop_at_newline ? 1 : PASSWORD_MAX - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            int e = errno;
            sodium_free(p);
            return vouch_error_sys(err, VOUCH_EIO, e, "cannot read the password from %s", what);
        }
        if (r == 0 || (stop_at_newline && p[n] == '\n')) {
            break;
        }
        n += (size_t)r;
        if (n == PASSWORD_MAX) {
            sodium_free(p);
            return vouch_error_set(err, VOUCH_EINVAL, "password from %s is too long", what);
        }
    }
    p[n] = '\0';
    *out = p;
    *out_len = n;
    return 0;
}

/* One prompt on the terminal with echo turned off, restored afterwards. */
static int prompt_once(char **out, size_t *out_len, int tty, const char *prompt,
                       struct vouch_error *err)
{
    struct termios old, quiet;
    int have_termios = tcgetattr(tty, &old) == 0;
    int rc;
    if (have_termios) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    if (write(tty, prompt, strlen(prompt)) < 0) {
        /* the prompt is a courtesy: reading still works */
    }
    rc = read_fd(out, out_len, tty, 1, "the terminal", err);
    if (have_termios) {
        tcsetattr(tty, TCSAFLUSH, &old);
    }
    return rc;
}

static int from_tty(char **out, size_t *out_len, int confirm, struct vouch_error *err)
{
    char *again = NULL;
    size_t again_len = 0;
    int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
    int rc;
    if (tty < 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno,
                               "cannot open /dev/tty to ask for the password (set "
                               "VOUCH_PASSWORD)");
    }
    rc = prompt_once(out, out_len, tty, prompt_first, err);
    if (rc == 0 && confirm) {
        rc = prompt_once(&again, &again_len, tty, prompt_again, err);
        if (rc == 0 && (again_len != *out_len || sodium_memcmp(again, *out, again_len) != 0)) {
            rc = vouch_error_set(err, VOUCH_EINVAL, "passwords do not match");
        }
        sodium_free(again);
        if (rc != 0) {
            sodium_free(*out);
            *out = NULL;
            *out_len = 0;
        }
    }
    close(tty);
    return rc;
}

/* The password variables, taken out of the environment at start (cli_secrets_stash): no
 * child process inherits them and /proc/PID/environ no longer shows them. */
static const char *const secret_vars[] = {"VOUCH_PASSWORD", "COSIGN_PASSWORD"};
static char *stash[2]; /* sodium_malloc'd copies, NULL when the variable was unset */

void cli_secrets_guard(void)
{
    static int done;
    struct rlimit none = {0, 0};
    if (!done) {
        /* no core dump can carry a key or password out of this process */
        (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        (void)setrlimit(RLIMIT_CORE, &none);
        done = 1;
    }
}

void cli_secrets_stash(void)
{
    for (size_t i = 0; i < 2; i++) {
        char *v = getenv(secret_vars[i]);
        size_t n = v != NULL ? strlen(v) : 0;
        if (v == NULL) {
            continue;
        }
        cli_secrets_guard();
        stash[i] = sodium_malloc(n + 1);
        if (stash[i] != NULL) {
            memcpy(stash[i], v, n + 1);
        }
        sodium_memzero(v, n); /* the bytes /proc/PID/environ reads */
        unsetenv(secret_vars[i]);
    }
}

static const char *stdin_taken_by;
static int none_given; /* the last read found stdin empty: no password at all */

void cli_password_stdin_taken(const char *what)
{
    stdin_taken_by = what;
}

int cli_password_read(char **out, size_t *out_len, int confirm, struct vouch_error *err)
{
    const char *vouch_pw = stash[0] != NULL ? stash[0] : getenv("VOUCH_PASSWORD");
    const char *cosign_pw = stash[1] != NULL ? stash[1] : getenv("COSIGN_PASSWORD");
    int rc;
    *out = NULL;
    *out_len = 0;
    none_given = 0;
    cli_secrets_guard();
    if (vouch_pw != NULL) {
        return from_env(out, out_len, vouch_pw, err);
    }
    if (cosign_pw != NULL) {
        return from_env(out, out_len, cosign_pw, err);
    }
    if (isatty(STDIN_FILENO)) {
        return from_tty(out, out_len, confirm, err);
    }
    if (stdin_taken_by != NULL) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "the key password cannot come from standard input, which %s "
                               "reads: set COSIGN_PASSWORD or VOUCH_PASSWORD",
                               stdin_taken_by);
    }
    /* cosign reads all of stdin here, trailing newline included: keep it byte for byte so
     * a key made by one tool opens with the same input in the other. */
    rc = read_fd(out, out_len, STDIN_FILENO, 0, "standard input", err);
    none_given = rc == 0 && *out_len == 0;
    return rc;
}

int cli_password_none_given(void)
{
    return none_given;
}

void cli_password_free(char *pw)
{
    if (pw != NULL) {
        sodium_free(pw);
    }
}
