/* AWS CodeBuild -> SLSA provenance. AWS publishes no build type, so vouch defines one
 * (docs/buildtypes/codebuild-v1.md): builder.id is the project ARN derived from
 * CODEBUILD_BUILD_ARN, invocationId the build ARN, startedOn CODEBUILD_START_TIME (ms). */
#include <string.h>

#include "ci_internal.h"

/* arn:PARTITION:codebuild:REGION:ACCOUNT:build/PROJECT:UUID ->
 * arn:PARTITION:codebuild:REGION:ACCOUNT:project/PROJECT */
static int cb_project_arn(struct vouch_buf *out, const char *arn, struct vouch_error *err)
{
    const char *build = strstr(arn, ":build/"), *colon;
    if (strncmp(arn, "arn:", 4) != 0 || build == NULL || strstr(arn, ":codebuild:") == NULL) {
        goto bad;
    }
    colon = strrchr(build + 7, ':');
    if (colon == NULL || colon == build + 7 || colon[1] == '\0') {
        goto bad;
    }
    return vouch_buf_printf(out, err, "%.*s:project/%.*s", (int)(build - arn), arn,
                            (int)(colon - (build + 7)), build + 7);
bad:
    return vouch_error_set(err, VOUCH_EINVAL, "CODEBUILD_BUILD_ARN '%.100s' is not a build ARN",
                           arn);
}

/* The git ref of the build: the webhook head ref, else from the webhook trigger
 * (branch/B, tag/T), else a source version that is already a ref. NULL if unknown. */
static int cb_ref(struct vouch_buf *out, const struct ci_env *e, struct vouch_error *err)
{
    const char *head = ci_get(e, "CODEBUILD_WEBHOOK_HEAD_REF");
    const char *trig = ci_get(e, "CODEBUILD_WEBHOOK_TRIGGER");
    const char *ver = ci_get(e, "CODEBUILD_SOURCE_VERSION");
    if (head != NULL) {
        return vouch_buf_puts(out, head, err);
    }
    if (trig != NULL && strncmp(trig, "branch/", 7) == 0) {
        return vouch_buf_printf(out, err, "refs/heads/%s", trig + 7);
    }
    if (trig != NULL && strncmp(trig, "tag/", 4) == 0) {
        return vouch_buf_printf(out, err, "refs/tags/%s", trig + 4);
    }
    return ver != NULL && strncmp(ver, "refs/", 5) == 0 ? vouch_buf_puts(out, ver, err) : 0;
}

static int cb_params(struct slsa_provenance *p, const struct ci_env *e, struct vouch_error *err)
{
    static const struct {
        enum slsa_params which;
        const char *var, *key;
    } rows[] = {
        {SLSA_PARAMS_EXTERNAL, "CODEBUILD_SOURCE_REPO_URL", "source"},
        {SLSA_PARAMS_EXTERNAL, "CODEBUILD_SOURCE_VERSION", "sourceVersion"},
        {SLSA_PARAMS_EXTERNAL, "CODEBUILD_WEBHOOK_TRIGGER", "webhookTrigger"},
        {SLSA_PARAMS_INTERNAL, "CODEBUILD_INITIATOR", "initiator"},
        {SLSA_PARAMS_INTERNAL, "CODEBUILD_BUILD_NUMBER", "buildNumber"},
        {SLSA_PARAMS_INTERNAL, "CODEBUILD_BUILD_IMAGE", "buildImage"},
        {SLSA_PARAMS_INTERNAL, "AWS_REGION", "region"},
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *v = ci_get(e, rows[i].var);
        if (v != NULL) {
            rc = slsa_provenance_set_param(p, rows[i].which, rows[i].key, v, err);
        }
    }
    return rc;
}

/* Only a git commit id is a gitCommit digest (S3 sources resolve to object versions). */
static int is_commit(const char *s)
{
    size_t n = strlen(s);
    if (n != 40 && n != 64) {
        return 0;
    }
    return strspn(s, "0123456789abcdef") == n;
}

static int cb_times(struct slsa_provenance *p, const struct ci_env *e, struct vouch_error *err)
{
    char when[40];
    const char *start = ci_get(e, "CODEBUILD_START_TIME");
    int rc = 0;
    if (start != NULL) {
        rc = slsa_time_from_ms(when, sizeof(when), start, err);
        rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_STARTED_ON, when, err);
    }
    return rc;
}

int ci_fill_codebuild(struct slsa_provenance *p, const struct ci_env *e, struct vouch_error *err)
{
    const char *arn = NULL, *repo = ci_get(e, "CODEBUILD_SOURCE_REPO_URL");
    const char *commit = ci_get(e, "CODEBUILD_RESOLVED_SOURCE_VERSION");
    struct vouch_buf s;
    int rc;
    vouch_buf_init(&s, 8192);
    rc = ci_require(&arn, e, "CODEBUILD_BUILD_ARN", err);
    rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_BUILD_TYPE, SLSA_BUILDTYPE_CODEBUILD, err);
    rc = rc ? rc : cb_params(p, e, err);
    rc = rc ? rc : cb_ref(&s, e, err);
    if (rc == 0 && repo != NULL && commit != NULL && is_commit(commit)) {
        rc = ci_add_source(p, repo, s.len > 0 ? vouch_buf_cstr(&s) : NULL, commit, err);
    }
    vouch_buf_reset(&s);
    rc = rc ? rc : cb_project_arn(&s, arn, err);
    rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_BUILDER_ID, vouch_buf_cstr(&s), err);
    rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_INVOCATION_ID, arn, err);
    rc = rc ? rc : cb_times(p, e, err);
    vouch_buf_release(&s);
    return rc;
}
