/* User-facing output: messages on stderr as `vouch: <what>: <why>`, exit-code mapping. */
#ifndef VOUCH_OUT_H
#define VOUCH_OUT_H

#include "vouch/error.h"

/** Map a library return code to an exit code (the only place this is decided). */
int out_exit_code(int rc);

/** Print `vouch: <err->msg>` (or the code's text) and return out_exit_code(rc). */
int out_fail(int rc, const struct vouch_error *err);

/** Print `vouch: <formatted>` to stderr. */
void out_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Print a usage error for cmd and a pointer to its help; returns EXIT_USAGE (2). */
int out_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
