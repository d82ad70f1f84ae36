/* Key passwords for the command line, read the way cosign reads them (CLI.md, signing.md
 * §3.2), with VOUCH_PASSWORD first. */
#ifndef VOUCH_CMD_PASSWORD_H
#define VOUCH_CMD_PASSWORD_H

#include <stddef.h>

#include "vouch/error.h"

/**
 * Read a key password from, in order:
 *   1. VOUCH_PASSWORD if set (even to the empty string);
 *   2. COSIGN_PASSWORD if set (even empty);
 *   3. a prompt on /dev/tty without echo when standard input is a terminal (asked twice
 *      and compared when confirm is 1; the typed newline is not part of the password);
 *   4. otherwise all of standard input, byte for byte: a trailing newline IS part of the
 *      password, exactly as cosign reads it (`echo pw | vouch ...` gives "pw\n").
 * *out is sodium_malloc'd and NUL-terminated (the NUL not counted in *out_len); release it
 * with cli_password_free, which wipes it. The password is never printed.
 */
int cli_password_read(char **out, size_t *out_len, int confirm, struct vouch_error *err);

/**
 * Move VOUCH_PASSWORD and COSIGN_PASSWORD out of the environment into guarded memory
 * (their bytes in the process's environment block wiped, the variables unset), so that no
 * child process (credential helpers) inherits them; cli_password_read reads the copies.
 * Called once by main before any command runs.
 */
void cli_secrets_stash(void);

/** Turn core dumps off for the rest of the process (PR_SET_DUMPABLE 0, RLIMIT_CORE 0):
 *  called before a password or private key enters memory. */
void cli_secrets_guard(void);

/** Wipe and free a password from cli_password_read; accepts NULL. */
void cli_password_free(char *pw);

/** 1 when the last cli_password_read found no variable, no terminal and an empty standard
 *  input (a CI job that gave no password), else 0. */
int cli_password_none_given(void);

/** Standard input was used by what (e.g. "--registry-password-stdin", borrowed): a key
 *  password is then never read from it (cli_password_read says how to give one instead). */
void cli_password_stdin_taken(const char *what);

#endif
