/* GitLab CI -> SLSA provenance, in the shape of GitLab runner's build type
 * (gitlab-runner PROVENANCE.md; docs.gitlab.com ci/pipeline_security/slsa/provenance_v1).
 * A job cannot see which variables are masked, so externalParameters.variables and the
 * runner's name/executor are left out rather than guessed. */
#include <string.h>

#include "ci_internal.h"

/* refs/tags/T for tag pipelines, refs/heads/B for branch pipelines, the merge request
 * ref path for MR pipelines, else unknown. */
static int gl_ref(struct vouch_buf *out, const struct ci_env *e, struct vouch_error *err)
{
    const char *tag = ci_get(e, "CI_COMMIT_TAG");
    const char *branch = ci_get(e, "CI_COMMIT_BRANCH");
    const char *mr = ci_get(e, "CI_MERGE_REQUEST_REF_PATH");
    if (tag != NULL) {
        return vouch_buf_printf(out, err, "refs/tags/%s", tag);
    }
    if (branch != NULL) {
        return vouch_buf_printf(out, err, "refs/heads/%s", branch);
    }
    return mr != NULL ? vouch_buf_puts(out, mr, err) : 0;
}

static int gl_ids(struct slsa_provenance *p, const struct ci_env *e, const char *url,
                  const char *version, struct vouch_error *err)
{
    struct vouch_buf s;
    const char *runner = NULL, *v;
    int rc;
    vouch_buf_init(&s, 8192);
    rc = ci_require(&runner, e, "CI_RUNNER_ID", err);
    rc = rc ? rc : vouch_buf_printf(&s, err, "%s/-/runners/%s", url, runner);
    rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_BUILDER_ID, vouch_buf_cstr(&s), err);
    rc = rc ? rc : slsa_provenance_set_builder_version(p, "gitlab-runner", version, err);
    if (rc == 0 && (v = ci_get(e, "CI_JOB_URL")) != NULL) {
        rc = slsa_provenance_set(p, SLSA_FIELD_INVOCATION_ID, v, err);
    }
    if (rc == 0 && (v = ci_get(e, "CI_JOB_STARTED_AT")) != NULL) {
        rc = slsa_provenance_set(p, SLSA_FIELD_STARTED_ON, v, err);
    }
    vouch_buf_release(&s);
    return rc;
}

int ci_fill_gitlab(struct slsa_provenance *p, const struct ci_env *e, struct vouch_error *err)
{
    const char *url = NULL, *job = NULL, *sha = NULL, *version = NULL, *job_id;
    struct vouch_buf bt, ref;
    int rc;
    vouch_buf_init(&bt, 4096);
    vouch_buf_init(&ref, 4096);
    rc = ci_require(&url, e, "CI_PROJECT_URL", err);
    rc = rc ? rc : ci_require(&job, e, "CI_JOB_NAME", err);
    rc = rc ? rc : ci_require(&sha, e, "CI_COMMIT_SHA", err);
    rc = rc ? rc : ci_require(&version, e, "CI_RUNNER_VERSION", err);
    /* the runner links its build type at its version tag, "v<CI_RUNNER_VERSION>" */
    rc = rc ? rc : vouch_buf_printf(&ref, err, "%s%s", version[0] == 'v' ? "" : "v", version);
    rc = rc ? rc : vouch_buf_printf(&bt, err, SLSA_BUILDTYPE_GITLAB_FMT, vouch_buf_cstr(&ref));
    vouch_buf_reset(&ref);
    rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_BUILD_TYPE, vouch_buf_cstr(&bt), err);
    rc = rc ? rc : slsa_provenance_set_param(p, SLSA_PARAMS_EXTERNAL, "source", url, err);
    rc = rc ? rc : slsa_provenance_set_param(p, SLSA_PARAMS_EXTERNAL, "entryPoint", job, err);
    if (rc == 0 && (job_id = ci_get(e, "CI_JOB_ID")) != NULL) {
        rc = slsa_provenance_set_param(p, SLSA_PARAMS_INTERNAL, "job", job_id, err);
    }
    rc = rc ? rc : gl_ref(&ref, e, err);
    rc = rc ? rc : ci_add_source(p, url, ref.len > 0 ? vouch_buf_cstr(&ref) : NULL, sha, err);
    rc = rc ? rc : gl_ids(p, e, url, version, err);
    vouch_buf_release(&bt);
    vouch_buf_release(&ref);
    return rc;
}
