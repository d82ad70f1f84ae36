/* -a KEY=VALUE annotations of `vouch sign` and `vouch verify`. */
#ifndef VOUCH_CMD_ANNOTATIONS_H
#define VOUCH_CMD_ANNOTATIONS_H

#include <stddef.h>

#include "sign/cosign.h"

#define SIG_ANNOTATIONS_MAX 32

/** -a KEY=VALUE annotations (values point into argv). */
struct sig_annotations {
    struct sign_annotation a[SIG_ANNOTATIONS_MAX];
    char *keys[SIG_ANNOTATIONS_MAX]; /* malloc'd copies of the keys */
    size_t n;
};

/** Add "KEY=VALUE"; EXIT_OK or a usage error (printed) for cmd. */
int sig_annotations_add(struct sig_annotations *s, const char *kv, const char *cmd);
void sig_annotations_release(struct sig_annotations *s);

#endif
