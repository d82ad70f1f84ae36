/* CI platform detection and dispatch to the per-platform provenance fillers. The
 * environment is reached only through the caller's getter. */
#include <string.h>

#include "ci_internal.h"

const char *slsa_env_array_get(void *ctx, const char *name)
{
    size_t n = strlen(name);
    for (const char *const *v = ctx; v != NULL && *v != NULL; v++) {
        if (strncmp(*v, name, n) == 0 && (*v)[n] == '=') {
            return *v + n + 1;
        }
    }
    return NULL;
}

const char *ci_get(const struct ci_env *e, const char *name)
{
    const char *v = e->get(e->ctx, name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

int ci_require(const char **out, const struct ci_env *e, const char *name, struct vouch_error *err)
{
    *out = ci_get(e, name);
    if (*out == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "environment variable %s is not set", name);
    }
    return 0;
}

int ci_add_source(struct slsa_provenance *p, const char *repo, const char *ref, const char *commit,
                  struct vouch_error *err)
{
    struct vouch_buf uri;
    struct slsa_resource r = {NULL, NULL, "gitCommit", commit};
    int rc;
    vouch_buf_init(&uri, 8192);
    rc = vouch_buf_printf(&uri, err, "git+%s%s%s", repo, ref != NULL ? "@" : "",
                          ref != NULL ? ref : "");
    if (rc == 0) {
        r.uri = vouch_buf_cstr(&uri);
        rc = slsa_provenance_add_resource(p, SLSA_RES_DEPENDENCIES, &r, err);
    }
    vouch_buf_release(&uri);
    return rc;
}

static const struct {
    enum slsa_ci ci;
    const char *name;
    const char *var;   /* set in this CI */
    const char *value; /* required value of var, or NULL for "any" */
} ci_table[] = {
    {SLSA_CI_GITHUB, "github", "GITHUB_ACTIONS", "true"},
    {SLSA_CI_GITLAB, "gitlab", "GITLAB_CI", "true"},
    {SLSA_CI_CODEBUILD, "codebuild", "CODEBUILD_BUILD_ARN", NULL},
};

#define CI_ROWS (sizeof(ci_table) / sizeof(ci_table[0]))

enum slsa_ci slsa_ci_detect(slsa_env_get get, void *ctx)
{
    struct ci_env e = {get, ctx};
    for (size_t i = 0; i < CI_ROWS; i++) {
        const char *v = ci_get(&e, ci_table[i].var);
        if (v != NULL && (ci_table[i].value == NULL || strcmp(v, ci_table[i].value) == 0)) {
            return ci_table[i].ci;
        }
    }
    return SLSA_CI_NONE;
}

const char *slsa_ci_name(enum slsa_ci ci)
{
    for (size_t i = 0; i < CI_ROWS; i++) {
        if (ci_table[i].ci == ci) {
            return ci_table[i].name;
        }
    }
    return "none";
}

int slsa_ci_from_name(enum slsa_ci *out, const char *name, struct vouch_error *err)
{
    *out = SLSA_CI_NONE;
    if (strcmp(name, "none") == 0) {
        return 0;
    }
    for (size_t i = 0; i < CI_ROWS; i++) {
        if (strcmp(ci_table[i].name, name) == 0) {
            *out = ci_table[i].ci;
            return 0;
        }
    }
    return vouch_error_set(err, VOUCH_EINVAL,
                           "unknown CI '%.40s' (want none, github, gitlab or codebuild)", name);
}

int slsa_provenance_fill_ci(struct slsa_provenance *p, enum slsa_ci ci, slsa_env_get get, void *ctx,
                            const char *event_json, size_t event_len, struct vouch_error *err)
{
    struct ci_env e = {get, ctx};
    switch (ci) {
    case SLSA_CI_GITHUB:
        return ci_fill_github(p, &e, event_json, event_len, err);
    case SLSA_CI_GITLAB:
        return ci_fill_gitlab(p, &e, err);
    case SLSA_CI_CODEBUILD:
        return ci_fill_codebuild(p, &e, err);
    default:
        return 0;
    }
}
