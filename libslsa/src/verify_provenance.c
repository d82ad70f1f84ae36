/* slsa-verifier's provenance checks (verifiers/internal/gha/provenance.go): builder id,
 * source repository as both trigger and source material, tag and branch of the source
 * ref, build type. Reads SLSA v1 and v0.2 predicates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsa/provenance.h"
#include "statement_internal.h"
#include "verify_internal.h"
#include "vouch/mem.h"

struct view {
    const char *builder_id;
    const char *build_type;
    char *trigger;      /* owned: "git+<repo>[@<ref>]" from the parameters, or NULL */
    const char *source; /* first git+ dependency / material uri, or NULL */
};

static const char *str_at(const json_t *o, const char *a, const char *b, const char *c)
{
    json_t *v = json_object_get(o, a);
    v = b != NULL ? json_object_get(v, b) : v;
    v = c != NULL ? json_object_get(v, c) : v;
    return json_string_value(v);
}

static const char *first_git_uri(const json_t *list)
{
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r)
    {
        const char *uri = json_string_value(json_object_get(r, "uri"));
        if (uri != NULL && strncmp(uri, "git+", 4) == 0) {
            return uri;
        }
    }
    return NULL;
}

/* Build types whose externalParameters name the source as workflow{repository, ref}. */
static const char *const github_types[] = {
    "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
    "https://actions.github.io/buildtypes/workflow/v1",
    "https://github.com/actions/buildtypes/workflow/v1",
};

static int trigger_v1(struct view *v, const json_t *ext)
{
    const char *repo = NULL, *ref = NULL;
    size_t n;
    for (size_t i = 0; i < sizeof(github_types) / sizeof(github_types[0]); i++) {
        if (strcmp(v->build_type, github_types[i]) == 0) {
            repo = str_at(ext, "workflow", "repository", NULL);
            ref = str_at(ext, "workflow", "ref", NULL);
        }
    }
    /* GitLab runner and vouch's CodeBuild type: externalParameters.source */
    if (strncmp(v->build_type, "https://gitlab.com/gitlab-org/gitlab-runner/", 44) == 0 ||
        strcmp(v->build_type, SLSA_BUILDTYPE_CODEBUILD) == 0) {
        repo = str_at(ext, "source", NULL, NULL);
    }
    if (repo == NULL) {
        return 0;
    }
    n = strlen(repo) + (ref != NULL ? strlen(ref) : 0) + 6;
    v->trigger = malloc(n);
    if (v->trigger == NULL) {
        return VOUCH_ENOMEM;
    }
    snprintf(v->trigger, n, "git+%s%s%s", repo, ref != NULL ? "@" : "", ref != NULL ? ref : "");
    return 0;
}

static int view_load(struct view *v, const struct slsa_statement *st, struct vouch_error *err)
{
    const json_t *p = st->predicate;
    const char *cfg;
    memset(v, 0, sizeof(*v));
    if (strcmp(st->predicate_type, SLSA_PREDICATE_PROVENANCE_V1) == 0) {
        v->builder_id = str_at(p, "runDetails", "builder", "id");
        v->build_type = str_at(p, "buildDefinition", "buildType", NULL);
        v->source = first_git_uri(
            json_object_get(json_object_get(p, "buildDefinition"), "resolvedDependencies"));
        if (v->build_type != NULL &&
            trigger_v1(v, json_object_get(json_object_get(p, "buildDefinition"),
                                          "externalParameters")) != 0) {
            return vouch_enomem(err);
        }
        return 0;
    }
    if (strcmp(st->predicate_type, SLSA_PREDICATE_PROVENANCE_V02) == 0) {
        v->builder_id = str_at(p, "builder", "id", NULL);
        v->build_type = str_at(p, "buildType", NULL, NULL);
        v->source = first_git_uri(json_object_get(p, "materials"));
        cfg = str_at(p, "invocation", "configSource", "uri");
        v->trigger = cfg != NULL ? strdup(cfg) : NULL;
        return 0;
    }
    return vouch_error_set(err, VOUCH_EVERIFY,
                           "predicateType '%.100s' is not SLSA provenance: cannot check builder, "
                           "source or build type",
                           st->predicate_type);
}

/* The ref after the last "@refs/", or NULL. */
static const char *uri_ref(const char *uri)
{
    const char *at = NULL, *p = uri;
    while (uri != NULL && (p = strstr(p, "@refs/")) != NULL) {
        at = p++;
    }
    return at != NULL ? at + 1 : NULL;
}

/* builder ids match exactly, or by name when the expected id has no "@ref". */
static int builder_matches(const char *have, const char *want)
{
    const char *at;
    if (strcmp(have, want) == 0) {
        return 1;
    }
    at = strrchr(have, '@');
    return strchr(want, '@') == NULL && at != NULL && strlen(want) == (size_t)(at - have) &&
           strncmp(have, want, (size_t)(at - have)) == 0;
}

static int uri_equal(const char *have, const char *want_norm, struct vouch_error *err)
{
    char *n = NULL;
    int rc = slsa_source_uri_normalize(&n, have, err), same;
    if (rc != 0) {
        return rc;
    }
    same = strcmp(n, want_norm) == 0;
    free(n);
    return same ? 0 : VOUCH_EVERIFY;
}

static int check_source(const struct view *v, const char *want, struct vouch_error *err)
{
    char *norm = NULL;
    const char *tref = uri_ref(v->trigger), *sref = uri_ref(v->source);
    int rc = slsa_source_uri_normalize(&norm, want, err);
    if (rc != 0) {
        return rc;
    }
    if (v->source == NULL) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "provenance names no git source repository");
    } else if (uri_equal(v->source, norm, err) != 0) {
        rc =
            vouch_error_set(err, VOUCH_EVERIFY, "source '%.200s' is not '%.200s'", v->source, norm);
    } else if (v->trigger != NULL && uri_equal(v->trigger, norm, err) != 0) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "build trigger '%.200s' is not '%.200s'",
                             v->trigger, norm);
    } else if (tref != NULL && sref != NULL && strcmp(tref, sref) != 0) {
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "trigger ref '%.100s' differs from source ref "
                             "'%.100s'",
                             tref, sref);
    }
    free(norm);
    return rc;
}

static int check_ref(const struct view *v, const char *prefix, const char *want,
                     struct vouch_error *err)
{
    const char *ref = uri_ref(v->source) != NULL ? uri_ref(v->source) : uri_ref(v->trigger);
    size_t n = strlen(prefix);
    const char *what = prefix[5] == 't' ? "tag" : "branch";
    if (ref == NULL) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "provenance names no source ref (want %s "
                               "'%.100s')",
                               what, want);
    }
    if (strncmp(ref, prefix, n) != 0 || strcmp(ref + n, want) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "source ref '%.100s' is not %s '%.100s'", ref,
                               what, want);
    }
    return 0;
}

static int check_versioned(const struct view *v, const char *want, struct vouch_error *err)
{
    const char *ref = uri_ref(v->source) != NULL ? uri_ref(v->source) : uri_ref(v->trigger);
    if (ref == NULL || strncmp(ref, "refs/tags/", 10) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "source ref '%.100s' is not a tag (want versioned tag '%.100s')",
                               ref != NULL ? ref : "", want);
    }
    return verify_versioned_tag(ref + 10, want, err);
}

static int check_view(const struct view *v, const struct slsa_expect *exp, struct vouch_error *err)
{
    int rc = 0;
    if (exp->builder_id != NULL &&
        (v->builder_id == NULL || !builder_matches(v->builder_id, exp->builder_id))) {
        return vouch_error_set(err, VOUCH_EVERIFY, "builder id '%.200s' is not '%.200s'",
                               v->builder_id != NULL ? v->builder_id : "", exp->builder_id);
    }
    if (exp->build_type != NULL &&
        (v->build_type == NULL || strcmp(v->build_type, exp->build_type) != 0)) {
        return vouch_error_set(err, VOUCH_EVERIFY, "buildType '%.200s' is not '%.200s'",
                               v->build_type != NULL ? v->build_type : "", exp->build_type);
    }
    if (exp->source_uri != NULL) {
        rc = check_source(v, exp->source_uri, err);
    }
    if (rc == 0 && exp->source_tag != NULL) {
        rc = check_ref(v, "refs/tags/", exp->source_tag, err);
    }
    if (rc == 0 && exp->source_branch != NULL) {
        rc = check_ref(v, "refs/heads/", exp->source_branch, err);
    }
    if (rc == 0 && exp->source_versioned_tag != NULL) {
        rc = check_versioned(v, exp->source_versioned_tag, err);
    }
    return rc;
}

int verify_provenance(const struct slsa_statement *st, const struct slsa_expect *exp,
                      struct vouch_error *err)
{
    struct view v;
    int rc;
    if (exp->builder_id == NULL && exp->source_uri == NULL && exp->source_tag == NULL &&
        exp->source_branch == NULL && exp->source_versioned_tag == NULL &&
        exp->build_type == NULL) {
        return 0;
    }
    rc = view_load(&v, st, err);
    if (rc == 0) {
        rc = check_view(&v, exp, err);
    }
    free(v.trigger);
    return rc;
}

int slsa_source_uri_normalize(char **out, const char *uri, struct vouch_error *err)
{
    const char *ref = uri_ref(uri), *slash = strrchr(uri, '/'), *at = strrchr(uri, '@');
    size_t n = ref != NULL ? (size_t)(ref - 1 - uri) : strlen(uri), cap;
    const char *prefix = strncmp(uri, "git+", 4) == 0 ? ""
                         : strstr(uri, "://") != NULL ? "git+"
                                                      : "git+https://";
    if (ref == NULL && at != NULL && slash != NULL && at > slash) {
        n = (size_t)(at - uri); /* "…/repo@<commit>" */
    }
    while (n > 0 && uri[n - 1] == '/') {
        n--;
    }
    if (n >= 4 && strncmp(uri + n - 4, ".git", 4) == 0) {
        n -= 4;
    }
    cap = strlen(prefix) + n + 1;
    *out = malloc(cap);
    if (*out == NULL) {
        return vouch_enomem(err);
    }
    snprintf(*out, cap, "%s%.*s", prefix, (int)n, uri);
    return 0;
}
