/* Unit tests for SLSA provenance: exact predicates from GitHub, GitLab, CodeBuild and
 * generic fixtures; unknown values omitted; bad input rejected. */
#include "testsupport.h"

#include <stdlib.h>
#include <string.h>

#include "slsa/ci.h"
#include "slsa/provenance.h"

#define COMMIT "c27d339ee6075c1f744c5d4b200f7901aad2c369"

static const char *const github_env[] = {
    "GITHUB_ACTIONS=true",
    "GITHUB_SERVER_URL=https://github.com",
    "GITHUB_REPOSITORY=octocat/hello-world",
    "GITHUB_REF=refs/heads/main",
    "GITHUB_SHA=" COMMIT,
    "GITHUB_WORKFLOW_REF=octocat/hello-world/.github/workflows/release.yml@refs/heads/main",
    "GITHUB_EVENT_NAME=push",
    "GITHUB_RUN_ID=1536140711",
    "GITHUB_RUN_ATTEMPT=1",
    "GITHUB_ACTOR_ID=1234567",
    "GITHUB_REPOSITORY_ID=555",
    "GITHUB_REPOSITORY_OWNER_ID=583231",
    NULL,
};

static const char *const gitlab_env[] = {
    "GITLAB_CI=true",
    "CI_PROJECT_URL=https://gitlab.com/group/proj",
    "CI_JOB_NAME=build-job",
    "CI_JOB_ID=4089072540",
    "CI_JOB_URL=https://gitlab.com/group/proj/-/jobs/4089072540",
    "CI_JOB_STARTED_AT=2024-05-01T10:00:00Z",
    "CI_COMMIT_SHA=" COMMIT,
    "CI_COMMIT_TAG=v1.2.0",
    "CI_RUNNER_ID=12270831",
    "CI_RUNNER_VERSION=17.0.0",
    NULL,
};

static const char *const codebuild_env[] = {
    "CODEBUILD_BUILD_ARN=arn:aws:codebuild:eu-west-1:123456789012:build/app:0b8a-11ee",
    "CODEBUILD_SOURCE_REPO_URL=https://github.com/octocat/hello-world.git",
    "CODEBUILD_SOURCE_VERSION=main",
    "CODEBUILD_RESOLVED_SOURCE_VERSION=" COMMIT,
    "CODEBUILD_WEBHOOK_TRIGGER=branch/main",
    "CODEBUILD_INITIATOR=GitHub-Hookshot/1a2b",
    "CODEBUILD_START_TIME=1714557600123",
    "AWS_REGION=eu-west-1",
    NULL,
};

static char *fill(const char *const *env, enum slsa_ci want, const char *event, int *rc_out,
                  struct vouch_error *err)
{
    struct slsa_provenance *p = NULL;
    char *out = NULL;
    enum slsa_ci ci = slsa_ci_detect(slsa_env_array_get, (void *)env);
    int rc;
    assert_int_equal(want, ci);
    assert_int_equal(0, slsa_provenance_new(&p, err));
    rc = slsa_provenance_fill_ci(p, ci, slsa_env_array_get, (void *)env, event,
                                 event != NULL ? strlen(event) : 0, err);
    if (rc == 0) {
        rc = slsa_provenance_write(&out, NULL, p, SLSA_JSON_COMPACT, err);
    }
    *rc_out = rc;
    slsa_provenance_free(p);
    return out;
}

static void test_github(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc;
    char *out = fill(github_env, SLSA_CI_GITHUB, NULL, &rc, &err);
    (void)state;
    assert_int_equal(0, rc);
    assert_string_equal(
        "{\"buildDefinition\":{\"buildType\":\"https://slsa-framework.github.io/"
        "github-actions-buildtypes/workflow/v1\",\"externalParameters\":{\"workflow\":{\"ref\":"
        "\"refs/heads/main\",\"repository\":\"https://github.com/octocat/hello-world\",\"path\":"
        "\".github/workflows/release.yml\"}},\"internalParameters\":{\"github\":{\"actor_id\":"
        "\"1234567\",\"event_name\":\"push\",\"repository_id\":\"555\",\"repository_owner_id\":"
        "\"583231\"}},\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/octocat/"
        "hello-world@refs/heads/main\",\"digest\":{\"gitCommit\":\"" COMMIT "\"}}]},"
        "\"runDetails\":{\"builder\":{\"id\":\"https://github.com/octocat/hello-world/.github/"
        "workflows/release.yml@refs/heads/main\"},\"metadata\":{\"invocationId\":\"https://"
        "github.com/octocat/hello-world/actions/runs/1536140711/attempts/1\"}}}",
        out);
    free(out);
}

static void test_github_dispatch(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char *env[16];
    int rc, n = 0;
    char *out;
    (void)state;
    for (; github_env[n] != NULL; n++) {
        env[n] = strncmp(github_env[n], "GITHUB_EVENT_NAME=", 18) == 0
                     ? "GITHUB_EVENT_NAME=workflow_dispatch"
                     : github_env[n];
    }
    env[n] = NULL;
    out = fill(env, SLSA_CI_GITHUB, NULL, &rc, &err);
    assert_int_equal(VOUCH_EINVAL, rc);
    assert_null(out);
    out = fill(env, SLSA_CI_GITHUB, "{\"inputs\":{\"deploy\":\"yes\",\"empty\":\"\",\"n\":3}}", &rc,
               &err);
    assert_int_equal(0, rc);
    assert_non_null(strstr(out, "\"externalParameters\":{\"inputs\":{\"deploy\":\"yes\",\"n\":3},"
                                "\"workflow\":{"));
    free(out);
    env[6] = "GITHUB_EVENT_NAME=pull_request";
    out = fill(env, SLSA_CI_GITHUB, NULL, &rc, &err);
    assert_int_equal(VOUCH_EUNSUPPORTED, rc);
    env[6] = "GITHUB_EVENT_NAME=push";
    env[5] = "GITHUB_WORKFLOW_REF=other/repo/.github/workflows/x.yml@refs/heads/main";
    out = fill(env, SLSA_CI_GITHUB, NULL, &rc, &err);
    assert_int_equal(VOUCH_EINVAL, rc);
}

static void test_gitlab(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc;
    char *out = fill(gitlab_env, SLSA_CI_GITLAB, NULL, &rc, &err);
    (void)state;
    assert_int_equal(0, rc);
    assert_string_equal(
        "{\"buildDefinition\":{\"buildType\":\"https://gitlab.com/gitlab-org/gitlab-runner/-/"
        "blob/v17.0.0/PROVENANCE.md\",\"externalParameters\":{\"source\":\"https://gitlab.com/"
        "group/proj\",\"entryPoint\":\"build-job\"},\"internalParameters\":{\"job\":"
        "\"4089072540\"},\"resolvedDependencies\":[{\"uri\":\"git+https://gitlab.com/group/"
        "proj@refs/tags/v1.2.0\",\"digest\":{\"gitCommit\":\"" COMMIT "\"}}]},\"runDetails\":{"
        "\"builder\":{\"id\":\"https://gitlab.com/group/proj/-/runners/12270831\",\"version\":{"
        "\"gitlab-runner\":\"17.0.0\"}},\"metadata\":{\"invocationId\":\"https://gitlab.com/"
        "group/proj/-/jobs/4089072540\",\"startedOn\":\"2024-05-01T10:00:00Z\"}}}",
        out);
    free(out);
}

static void test_codebuild(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc;
    char *out = fill(codebuild_env, SLSA_CI_CODEBUILD, NULL, &rc, &err);
    (void)state;
    assert_int_equal(0, rc);
    assert_string_equal(
        "{\"buildDefinition\":{\"buildType\":\"" SLSA_BUILDTYPE_CODEBUILD "\","
        "\"externalParameters\":{\"source\":\"https://github.com/octocat/hello-world.git\","
        "\"sourceVersion\":\"main\",\"webhookTrigger\":\"branch/main\"},\"internalParameters\":{"
        "\"initiator\":\"GitHub-Hookshot/1a2b\",\"region\":\"eu-west-1\"},"
        "\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/octocat/hello-world.git@"
        "refs/heads/main\",\"digest\":{\"gitCommit\":\"" COMMIT "\"}}]},\"runDetails\":{"
        "\"builder\":{\"id\":\"arn:aws:codebuild:eu-west-1:123456789012:project/app\"},"
        "\"metadata\":{\"invocationId\":\"arn:aws:codebuild:eu-west-1:123456789012:build/"
        "app:0b8a-11ee\",\"startedOn\":\"2024-05-01T10:00:00.123Z\"}}}",
        out);
    free(out);
}

static void test_generic(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_provenance *p = NULL;
    char *out = NULL;
    const char *const none[] = {"PATH=/bin", NULL};
    (void)state;
    assert_int_equal(SLSA_CI_NONE, slsa_ci_detect(slsa_env_array_get, (void *)none));
    assert_int_equal(0, slsa_provenance_new(&p, &err));
    assert_int_equal(VOUCH_EINVAL, slsa_provenance_write(&out, NULL, p, 0, &err));
    assert_string_equal("provenance has no buildType", err.msg);
    assert_int_equal(0, slsa_provenance_set(p, SLSA_FIELD_BUILD_TYPE, "https://e.com/bt", &err));
    assert_int_equal(0, slsa_provenance_set(p, SLSA_FIELD_BUILDER_ID, "https://e.com/b", &err));
    assert_int_equal(0, slsa_provenance_add_material(p,
                                                     "git+https://e.com/r@refs/heads/x@sha1:"
                                                     "c27d339ee6075c1f744c5d4b200f7901aad2c369",
                                                     &err));
    assert_int_equal(0, slsa_provenance_add_material(p, "https://e.com/tool", &err));
    assert_int_equal(0,
                     slsa_provenance_set(p, SLSA_FIELD_FINISHED_ON, "2024-01-02T03:04:05Z", &err));
    assert_int_equal(0, slsa_provenance_write(&out, NULL, p, SLSA_JSON_COMPACT, &err));
    assert_string_equal("{\"buildDefinition\":{\"buildType\":\"https://e.com/bt\","
                        "\"externalParameters\":{},\"resolvedDependencies\":[{\"uri\":\"git+"
                        "https://e.com/r@refs/heads/x\",\"digest\":{\"sha1\":\"" COMMIT "\"}},"
                        "{\"uri\":\"https://e.com/tool\"}]},\"runDetails\":{\"builder\":{\"id\":"
                        "\"https://e.com/b\"},\"metadata\":{\"finishedOn\":"
                        "\"2024-01-02T03:04:05Z\"}}}",
                        out);
    free(out);
    slsa_provenance_free(p);
}

static void test_bad_values(void **state)
{
    struct slsa_provenance *p = NULL;
    char buf[40];
    (void)state;
    assert_int_equal(0, slsa_provenance_new(&p, NULL));
    assert_int_equal(VOUCH_EINVAL, slsa_provenance_set(p, SLSA_FIELD_BUILDER_ID, "nouri", NULL));
    assert_int_equal(VOUCH_EINVAL,
                     slsa_provenance_set(p, SLSA_FIELD_STARTED_ON, "2024-13-01T00:00:00Z", NULL));
    assert_int_equal(VOUCH_EINVAL,
                     slsa_provenance_set(p, SLSA_FIELD_STARTED_ON, "2024-01-01 00:00:00", NULL));
    assert_int_equal(VOUCH_EINVAL, slsa_provenance_set(p, SLSA_FIELD_STARTED_ON,
                                                       "2024-01-01T00:00:00+01:00", NULL));
    assert_int_equal(VOUCH_EINVAL, slsa_provenance_add_material(p, "not a uri", NULL));
    assert_int_equal(VOUCH_EINVAL,
                     slsa_provenance_set_param(p, SLSA_PARAMS_EXTERNAL, "a..b", "v", NULL));
    assert_int_equal(VOUCH_EINVAL, slsa_time_from_ms(buf, sizeof(buf), "12x", NULL));
    assert_int_equal(0, slsa_time_from_ms(buf, sizeof(buf), "0", NULL));
    assert_string_equal("1970-01-01T00:00:00Z", buf);
    slsa_provenance_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_github),  cmocka_unit_test(test_github_dispatch),
        cmocka_unit_test(test_gitlab),  cmocka_unit_test(test_codebuild),
        cmocka_unit_test(test_generic), cmocka_unit_test(test_bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
