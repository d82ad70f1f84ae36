/* Filling SLSA provenance from a CI environment: GitHub Actions, GitLab CI, AWS CodeBuild.
 * The library never reads the process environment: the caller passes a getter. */
#ifndef SLSA_CI_H
#define SLSA_CI_H

#include <stddef.h>

#include "slsa/provenance.h"
#include "vouch/error.h"

/** Look up an environment variable: its value, or NULL when unset (borrowed). */
typedef const char *(*slsa_env_get)(void *ctx, const char *name);

/** A getter over a NULL-terminated array of "KEY=VALUE" strings (ctx is the array,
 *  e.g. environ or a test fixture). */
const char *slsa_env_array_get(void *ctx, const char *name);

enum slsa_ci {
    SLSA_CI_NONE = 0,
    SLSA_CI_GITHUB,    /* GITHUB_ACTIONS=true */
    SLSA_CI_GITLAB,    /* GITLAB_CI=true */
    SLSA_CI_CODEBUILD, /* CODEBUILD_BUILD_ARN set */
};

/** The CI platform the environment belongs to (SLSA_CI_NONE when none is recognised). */
enum slsa_ci slsa_ci_detect(slsa_env_get get, void *ctx);

/** Static name: "none", "github", "gitlab", "codebuild". */
const char *slsa_ci_name(enum slsa_ci ci);

/** Parse such a name. */
int slsa_ci_from_name(enum slsa_ci *out, const char *name, struct vouch_error *err);

/**
 * Fill p from the environment of ci: buildType, externalParameters, internalParameters,
 * the source dependency (git+REPO@REF with its commit), builder.id, invocationId and
 * startedOn where the platform provides them. Values the environment does not give are
 * left unset. GitHub: event_json is the GITHUB_EVENT_PATH payload (NULL if unavailable);
 * workflow_dispatch inputs and release parameters come from it, and those events fail
 * with VOUCH_EINVAL without it; events the build type does not support are
 * VOUCH_EUNSUPPORTED. A required variable that is missing is VOUCH_EINVAL naming it.
 */
int slsa_provenance_fill_ci(struct slsa_provenance *p, enum slsa_ci ci, slsa_env_get get, void *ctx,
                            const char *event_json, size_t event_len, struct vouch_error *err);

#endif
