/* GitHub Actions -> SLSA provenance, as the SLSA GitHub Actions workflow build type
 * describes (slsa-framework/github-actions-buildtypes workflow/v1). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ci_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

struct gh {
    const char *server, *repo, *ref, *sha, *workflow_ref, *event, *run_id, *attempt;
};

/* workflow/v1 "MUST NOT be used for any other event type". */
static const char *const gh_events[] = {"create", "release", "push", "workflow_dispatch"};

static int gh_load(struct gh *g, const struct ci_env *e, struct vouch_error *err)
{
    int rc = ci_require(&g->server, e, "GITHUB_SERVER_URL", err);
    rc = rc ? rc : ci_require(&g->repo, e, "GITHUB_REPOSITORY", err);
    rc = rc ? rc : ci_require(&g->ref, e, "GITHUB_REF", err);
    rc = rc ? rc : ci_require(&g->sha, e, "GITHUB_SHA", err);
    rc = rc ? rc : ci_require(&g->workflow_ref, e, "GITHUB_WORKFLOW_REF", err);
    rc = rc ? rc : ci_require(&g->event, e, "GITHUB_EVENT_NAME", err);
    rc = rc ? rc : ci_require(&g->run_id, e, "GITHUB_RUN_ID", err);
    rc = rc ? rc : ci_require(&g->attempt, e, "GITHUB_RUN_ATTEMPT", err);
    if (rc != 0) {
        return rc;
    }
    for (size_t i = 0; i < sizeof(gh_events) / sizeof(gh_events[0]); i++) {
        if (strcmp(gh_events[i], g->event) == 0) {
            return 0;
        }
    }
    return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                           "github event '%.60s' is not supported by the workflow build type "
                           "(create, release, push, workflow_dispatch)",
                           g->event);
}

/* workflow.path: GITHUB_WORKFLOW_REF minus "<repo>/" and "@<ref>" (either may hold '@'). */
static int gh_workflow_path(struct vouch_buf *out, const struct gh *g, struct vouch_error *err)
{
    size_t wl = strlen(g->workflow_ref), rl = strlen(g->repo), fl = strlen(g->ref);
    if (wl <= rl + 1 + 1 + fl || strncmp(g->workflow_ref, g->repo, rl) != 0 ||
        g->workflow_ref[rl] != '/' || g->workflow_ref[wl - fl - 1] != '@' ||
        strcmp(g->workflow_ref + wl - fl, g->ref) != 0) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "GITHUB_WORKFLOW_REF '%.100s' is not <repository>/<path>@<ref>",
                               g->workflow_ref);
    }
    return vouch_buf_append(out, g->workflow_ref + rl + 1, wl - fl - 1 - (rl + 1), err);
}

/* A JSON value a workflow would treat as "not given". */
static int is_default(const json_t *v)
{
    return v == NULL || json_is_null(v) || json_is_false(v) ||
           (json_is_string(v) && json_string_length(v) == 0);
}

/* inputs: the non-empty workflow_dispatch inputs. release: non-default body, draft, name,
 * prerelease, target_commitish (default: the repository's default branch). */
static int gh_event_params(struct slsa_provenance *p, const struct gh *g, const json_t *ev,
                           struct vouch_error *err)
{
    static const char *const release_keys[] = {"body", "draft", "name", "prerelease",
                                               "target_commitish"};
    const char *key, *deflt;
    json_t *v, *src, *params = json_object();
    int rc = 0;
    int dispatch = strcmp(g->event, "workflow_dispatch") == 0;
    src = json_object_get(ev, dispatch ? "inputs" : "release");
    deflt = json_string_value(json_object_get(json_object_get(ev, "repository"), "default_branch"));
    if (dispatch) {
        json_object_foreach(src, key, v)
        {
            rc = rc || (!is_default(v) && json_object_set(params, key, v));
        }
    }
    for (size_t i = 0; !dispatch && i < sizeof(release_keys) / sizeof(release_keys[0]); i++) {
        v = json_object_get(src, release_keys[i]);
        if (i == 4 && deflt != NULL && json_is_string(v) &&
            strcmp(json_string_value(v), deflt) == 0) {
            continue;
        }
        rc = rc || (!is_default(v) && json_object_set(params, release_keys[i], v));
    }
    if (rc == 0 && json_object_size(params) > 0) {
        char *text = json_dumps(params, JSON_PRESERVE_ORDER | JSON_COMPACT);
        rc = text == NULL ? vouch_enomem(err)
                          : slsa_provenance_set_param_json(p, SLSA_PARAMS_EXTERNAL,
                                                           dispatch ? "inputs" : "release", text,
                                                           strlen(text), err);
        free(text);
    } else if (rc != 0) {
        rc = vouch_enomem(err);
    }
    json_decref(params);
    return rc;
}

static int gh_event(struct slsa_provenance *p, const struct gh *g, const char *event, size_t len,
                    struct vouch_error *err)
{
    json_error_t jerr;
    json_t *ev;
    int rc;
    if (strcmp(g->event, "workflow_dispatch") != 0 && strcmp(g->event, "release") != 0) {
        return 0;
    }
    if (event == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL,
                               "the github %s event payload (GITHUB_EVENT_PATH) is needed",
                               g->event);
    }
    ev = vouch_json_load(event, len, 0, &jerr);
    if (!json_is_object(ev)) {
        json_decref(ev);
        return vouch_error_set(err, VOUCH_EPARSE, "github event payload is not a json object");
    }
    rc = gh_event_params(p, g, ev, err);
    json_decref(ev);
    return rc;
}

static int gh_internal(struct slsa_provenance *p, const struct ci_env *e, const struct gh *g,
                       struct vouch_error *err)
{
    static const struct {
        const char *var, *key;
    } ids[] = {
        {"GITHUB_ACTOR_ID", "github.actor_id"},
        {NULL, "github.event_name"},
        {"GITHUB_REPOSITORY_ID", "github.repository_id"},
        {"GITHUB_REPOSITORY_OWNER_ID", "github.repository_owner_id"},
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof(ids) / sizeof(ids[0]); i++) {
        const char *v = ids[i].var != NULL ? ci_get(e, ids[i].var) : g->event;
        if (v != NULL) {
            rc = slsa_provenance_set_param(p, SLSA_PARAMS_INTERNAL, ids[i].key, v, err);
        }
    }
    return rc;
}

int ci_fill_github(struct slsa_provenance *p, const struct ci_env *e, const char *event,
                   size_t event_len, struct vouch_error *err)
{
    struct gh g;
    struct vouch_buf repo, path, s;
    int rc;
    vouch_buf_init(&repo, 4096);
    vouch_buf_init(&path, 4096);
    vouch_buf_init(&s, 8192);
    rc = gh_load(&g, e, err);
    rc = rc ? rc : vouch_buf_printf(&repo, err, "%s/%s", g.server, g.repo);
    rc = rc ? rc : gh_workflow_path(&path, &g, err);
    rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_BUILD_TYPE, SLSA_BUILDTYPE_GITHUB, err);
    rc = rc ? rc : gh_event(p, &g, event, event_len, err);
    rc = rc ? rc : slsa_provenance_set_param(p, SLSA_PARAMS_EXTERNAL, "workflow.ref", g.ref, err);
    rc = rc ? rc
            : slsa_provenance_set_param(p, SLSA_PARAMS_EXTERNAL, "workflow.repository",
                                        vouch_buf_cstr(&repo), err);
    rc = rc ? rc
            : slsa_provenance_set_param(p, SLSA_PARAMS_EXTERNAL, "workflow.path",
                                        vouch_buf_cstr(&path), err);
    rc = rc ? rc : gh_internal(p, e, &g, err);
    rc = rc ? rc : ci_add_source(p, vouch_buf_cstr(&repo), g.ref, g.sha, err);
    rc = rc ? rc : vouch_buf_printf(&s, err, "%s/%s", g.server, g.workflow_ref);
    rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_BUILDER_ID, vouch_buf_cstr(&s), err);
    vouch_buf_reset(&s);
    rc = rc ? rc
            : vouch_buf_printf(&s, err, "%s/actions/runs/%s/attempts/%s", vouch_buf_cstr(&repo),
                               g.run_id, g.attempt);
    rc = rc ? rc : slsa_provenance_set(p, SLSA_FIELD_INVOCATION_ID, vouch_buf_cstr(&s), err);
    vouch_buf_release(&repo);
    vouch_buf_release(&path);
    vouch_buf_release(&s);
    return rc;
}
