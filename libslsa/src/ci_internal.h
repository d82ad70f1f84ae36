/* Private helpers for the CI environment fillers (ci.c, ci_github.c, ci_gitlab.c,
 * ci_codebuild.c). */
#ifndef SLSA_CI_INTERNAL_H
#define SLSA_CI_INTERNAL_H

#include "slsa/ci.h"
#include "vouch/buf.h"

struct ci_env {
    slsa_env_get get;
    void *ctx;
};

/** The variable's value, or NULL when unset or empty (borrowed). */
const char *ci_get(const struct ci_env *e, const char *name);

/** Like ci_get, but a missing variable is VOUCH_EINVAL naming it. */
int ci_require(const char **out, const struct ci_env *e, const char *name, struct vouch_error *err);

/** Add the source dependency {"uri": "git+" repo ["@" ref], "digest": {"gitCommit": sha}}. */
int ci_add_source(struct slsa_provenance *p, const char *repo, const char *ref, const char *commit,
                  struct vouch_error *err);

int ci_fill_github(struct slsa_provenance *p, const struct ci_env *e, const char *event,
                   size_t event_len, struct vouch_error *err);
int ci_fill_gitlab(struct slsa_provenance *p, const struct ci_env *e, struct vouch_error *err);
int ci_fill_codebuild(struct slsa_provenance *p, const struct ci_env *e, struct vouch_error *err);

#endif
