/* Docker credential helpers: `docker-credential-<name> get` with the server URL on stdin,
 * {"ServerURL","Username","Secret"} on stdout (docker-credential-helpers protocol). Run with
 * fork/execvp (found through the inherited PATH, as docker does), bounded output, a timeout. */
#define _GNU_SOURCE /* pipe2 (O_CLOEXEC pipes for the helper) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "registry_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define HELPER_OUT_MAX ((size_t)64 << 10)
#define HELPER_TIMEOUT_DEFAULT 30L /* seconds */
/* what helpers print (exit 1) when they hold nothing for the server: anonymous, as docker */
#define HELPER_NOT_FOUND "credentials not found in native keychain"

struct helper_run {
    pid_t pid;
    int in, out, status_fd; /* parent ends: stdin socket, stdout pipe, exec-error pipe */
    long timeout;           /* seconds */
    long deadline;          /* monotonic ms */
    char prog[160];
    char buf[HELPER_OUT_MAX + 1];
    size_t len;
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Only async-signal-safe calls between fork and exec. The exec errno goes to status_fd. */
static void child_exec(const char *prog, int in, int out, int status_fd)
{
    char *const argv[] = {(char *)prog, (char *)"get", NULL};
    int e, devnull;
    /* above 2 first, so that no dup2 clobbers the other end when the caller had 0-2 closed */
    in = fcntl(in, F_DUPFD_CLOEXEC, 3);
    out = fcntl(out, F_DUPFD_CLOEXEC, 3);
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        (devnull >= 0 && dup2(devnull, 2) < 0)) {
        _exit(127);
    }
    execvp(prog, argv);
    e = errno;
    if (write(status_fd, &e, sizeof(e)) < 0) {
        _exit(127);
    }
    _exit(127);
}

static int helper_spawn(struct helper_run *h, struct vouch_error *err)
{
    int sv[2] = {-1, -1}, op[2] = {-1, -1}, st[2] = {-1, -1};
    /* stdin is a socket so that writing to a helper that already exited is EPIPE via
     * MSG_NOSIGNAL, never a SIGPIPE in the caller's process */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 || pipe2(op, O_CLOEXEC) != 0 ||
        pipe2(st, O_CLOEXEC) != 0) {
        int e = errno;
        for (int i = 0; i < 2; i++) {
            (void)(sv[i] >= 0 && close(sv[i]));
            (void)(op[i] >= 0 && close(op[i]));
            (void)(st[i] >= 0 && close(st[i]));
        }
        return vouch_error_set(err, VOUCH_EIO, "cannot run credential helper '%s': %s", h->prog,
                               strerror(e));
    }
    h->pid = fork();
    if (h->pid == 0) {
        child_exec(h->prog, sv[1], op[1], st[1]);
    }
    close(sv[1]);
    close(op[1]);
    close(st[1]);
    h->in = sv[0];
    h->out = op[0];
    h->status_fd = st[0];
    if (h->pid < 0) {
        return vouch_error_set(err, VOUCH_EIO, "cannot run credential helper '%s': fork failed",
                               h->prog);
    }
    return 0;
}

static int helper_timeout(const struct helper_run *h, struct vouch_error *err)
{
    return vouch_error_set(err, VOUCH_EIO, "credential helper '%s' timed out after %ld s", h->prog,
                           h->timeout);
}

/* Read stdout until EOF, the cap or the deadline. */
static int helper_read(struct helper_run *h, struct vouch_error *err)
{
    for (;;) {
        struct pollfd p = {.fd = h->out, .events = POLLIN};
        long left = h->deadline - now_ms();
        int ready = left > 0 ? poll(&p, 1, (int)left) : 0;
        ssize_t n;
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready == 0) {
            return helper_timeout(h, err);
        }
        n = read(h->out, h->buf + h->len, HELPER_OUT_MAX + 1 - h->len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return 0;
        }
        h->len += (size_t)n;
        if (h->len > HELPER_OUT_MAX) {
            return vouch_error_set(err, VOUCH_EPARSE,
                                   "credential helper '%s' printed more than %zu bytes", h->prog,
                                   HELPER_OUT_MAX);
        }
    }
}

/* The first line of the helper's output, printable only, for an error message. */
static void first_line(char *dst, size_t size, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && s[i] != '\n' && n + 1 < size; i++) {
        dst[n++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    }
    dst[n] = '\0';
}

/* Exit status and output -> credentials (or none), or the error. */
static int helper_result(char **user, char **secret, struct helper_run *h, int status,
                         struct vouch_error *err)
{
    json_t *root;
    const char *u, *s;
    char line[160];
    first_line(line, sizeof(line), h->buf, h->len);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (strcmp(line, HELPER_NOT_FOUND) == 0) {
            return 0;
        }
        return vouch_error_set(err, VOUCH_EAUTH, "credential helper '%s' failed (%s %d)%s%s",
                               h->prog, WIFEXITED(status) ? "exit" : "signal",
                               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                               line[0] ? ": " : "", line);
    }
    root = vouch_json_load(h->buf, h->len, 0, NULL);
    u = json_string_value(json_object_get(root, "Username"));
    s = json_string_value(json_object_get(root, "Secret"));
    if (u == NULL || s == NULL || s[0] == '\0') {
        json_decref(root);
        return vouch_error_set(err, VOUCH_EPARSE,
                               "credential helper '%s' printed malformed credentials", h->prog);
    }
    *user = strdup(u);
    *secret = strdup(s);
    json_decref(root); /* jansson's copies are not wiped: a known limit, as for config.json */
    return *user && *secret ? 0 : vouch_enomem(err);
}

static int helper_finish(char **user, char **secret, struct helper_run *h, int rc,
                         struct vouch_error *err)
{
    int status = 0, exec_errno = 0;
    ssize_t n;
    pid_t got = 0;
    /* a helper that closed its stdout but lingers is bounded by the same deadline */
    while (rc == 0 && (got = waitpid(h->pid, &status, WNOHANG)) <= 0) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        if (got < 0 && errno != EINTR) {
            rc = vouch_error_set(err, VOUCH_EIO, "cannot wait for credential helper '%s'", h->prog);
        } else if (now_ms() >= h->deadline) {
            rc = helper_timeout(h, err);
        } else {
            nanosleep(&ts, NULL);
        }
    }
    if (rc != 0) {
        kill(h->pid, SIGKILL);
        while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    n = read(h->status_fd, &exec_errno, sizeof(exec_errno));
    if (rc == 0 && n == (ssize_t)sizeof(exec_errno)) {
        rc = exec_errno == ENOENT
                 ? vouch_error_set(err, VOUCH_ENOTFOUND, "credential helper '%s' not found in PATH",
                                   h->prog)
                 : vouch_error_set(err, VOUCH_EIO, "cannot run credential helper '%s': %s", h->prog,
                                   strerror(exec_errno));
    }
    return rc != 0 ? rc : helper_result(user, secret, h, status, err);
}

int reg_credhelper_get(char **user, char **secret, const char *name, const char *server,
                       long timeout, struct vouch_error *err)
{
    struct helper_run *h;
    size_t k = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
    int rc;
    *user = *secret = NULL;
    if (name[0] == '\0' || name[k] != '\0' || k > 100) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "invalid credential helper name in docker config");
    }
    h = calloc(1, sizeof(*h));
    if (h == NULL) {
        return vouch_enomem(err);
    }
    h->in = h->out = h->status_fd = -1;
    snprintf(h->prog, sizeof(h->prog), "docker-credential-%s", name);
    h->timeout = timeout > 0 ? timeout : HELPER_TIMEOUT_DEFAULT;
    h->deadline = now_ms() + h->timeout * 1000;
    rc = helper_spawn(h, err);
    if (h->pid > 0) {
        /* an early exit makes this EPIPE; the exit status tells what happened */
        (void)!send(h->in, server, strlen(server), MSG_NOSIGNAL);
        close(h->in);
        h->in = -1;
        rc = helper_read(h, err);
        rc = helper_finish(user, secret, h, rc, err);
    }
    (void)(h->in >= 0 && close(h->in));
    (void)(h->out >= 0 && close(h->out));
    (void)(h->status_fd >= 0 && close(h->status_fd));
    OPENSSL_cleanse(h->buf, sizeof(h->buf));
    free(h);
    if (rc != 0) {
        free(*user);
        if (*secret != NULL) {
            OPENSSL_cleanse(*secret, strlen(*secret));
        }
        free(*secret);
        *user = *secret = NULL;
    }
    return rc;
}
