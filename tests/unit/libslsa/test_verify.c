/* Unit tests for the statement and provenance checks (slsa-verifier's rules) on parsed
 * statements: v1 and v0.2 predicates, source normalisation, builder id matching. */
#include "testsupport.h"

#include <stdlib.h>
#include <string.h>

#include "slsa/verify.h"
#include "verify_internal.h"

#define SHA "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define HEAD                                                                                       \
    "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" SHA   \
    "\"}}],"

static const char v1[] = HEAD
    "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":{"
    "\"buildType\":\"https://actions.github.io/buildtypes/workflow/v1\",\"externalParameters\":{"
    "\"workflow\":{\"ref\":\"refs/tags/v1.2.0\",\"repository\":\"https://github.com/o/r\","
    "\"path\":\".github/workflows/b.yml\"}},\"resolvedDependencies\":[{\"uri\":\"https://x/y\"},"
    "{\"uri\":\"git+https://github.com/o/r@refs/tags/v1.2.0\",\"digest\":{\"gitCommit\":"
    "\"c27d339ee6075c1f744c5d4b200f7901aad2c369\"}}]},\"runDetails\":{\"builder\":{\"id\":"
    "\"https://github.com/o/r/.github/workflows/b.yml@refs/tags/v1.2.0\"}}}}";

static const char v02[] =
    "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[{\"digest\":{\"sha256\":\"" SHA
    "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v0.2\",\"predicate\":{\"builder\":{"
    "\"id\":\"https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
    "generator_generic_slsa3.yml@refs/tags/v1.4.0\"},\"buildType\":\"https://github.com/"
    "slsa-framework/slsa-github-generator/generic@v1\",\"invocation\":{\"configSource\":{\"uri\":"
    "\"git+https://github.com/o/r@refs/heads/main\",\"digest\":{\"sha1\":"
    "\"c27d339ee6075c1f744c5d4b200f7901aad2c369\"},\"entryPoint\":\".github/workflows/r.yml\"}},"
    "\"materials\":[{\"uri\":\"git+https://github.com/o/r@refs/heads/main\"}]}}";

static int check(const char *json, const struct slsa_expect *exp, struct vouch_error *err)
{
    struct slsa_statement *st = NULL;
    int rc;
    vouch_error_clear(err);
    assert_int_equal(0, slsa_statement_parse(&st, (const unsigned char *)json, strlen(json), err));
    rc = slsa_statement_check(st, exp, err);
    slsa_statement_free(st);
    return rc;
}

static const struct slsa_digest subject = {"sha256", SHA};

static void test_v1_checks(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_expect e = {
        SLSA_PREDICATE_PROVENANCE_V1, &subject, NULL, NULL, NULL, NULL, NULL, NULL};
    (void)state;
    assert_int_equal(0, check(v1, &e, &err));
    e.builder_id = "https://github.com/o/r/.github/workflows/b.yml";
    e.source_uri = "github.com/o/r";
    e.source_tag = "v1.2.0";
    e.build_type = "https://actions.github.io/buildtypes/workflow/v1";
    assert_int_equal(0, check(v1, &e, &err));
    e.source_uri = "https://github.com/o/r.git";
    assert_int_equal(0, check(v1, &e, &err));
    e.builder_id = "https://github.com/o/r/.github/workflows/b.yml@refs/tags/v1.2.0";
    assert_int_equal(0, check(v1, &e, &err));
    e.builder_id = "https://github.com/o/r/.github/workflows/b.y";
    assert_int_equal(VOUCH_EVERIFY, check(v1, &e, &err));
    e.builder_id = NULL;
    e.source_branch = "v1.2.0";
    assert_int_equal(VOUCH_EVERIFY, check(v1, &e, &err));
    assert_string_equal("source ref 'refs/tags/v1.2.0' is not branch 'v1.2.0'", err.msg);
    e.source_branch = NULL;
    e.source_tag = "v1.2";
    assert_int_equal(VOUCH_EVERIFY, check(v1, &e, &err));
    e.source_tag = NULL;
    e.source_uri = "github.com/o/r2";
    assert_int_equal(VOUCH_EVERIFY, check(v1, &e, &err));
    assert_string_equal("source 'git+https://github.com/o/r@refs/tags/v1.2.0' is not "
                        "'git+https://github.com/o/r2'",
                        err.msg);
}

static void test_v1_trigger_mismatch(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_expect e = {
        SLSA_PREDICATE_PROVENANCE_V1, &subject, NULL, "github.com/o/r", NULL, NULL, NULL, NULL};
    char *bad = strdup(v1), *p;
    (void)state;
    /* the workflow ran from another repository than the source dependency names */
    p = strstr(bad, "\"repository\":\"https://github.com/o/r\"");
    assert_non_null(p);
    memcpy(p + 33, "x", 1);
    assert_int_equal(VOUCH_EVERIFY, check(bad, &e, &err));
    assert_string_equal("build trigger 'git+https://github.com/x/r@refs/tags/v1.2.0' is not "
                        "'git+https://github.com/o/r'",
                        err.msg);
    free(bad);
}

static void test_v02_checks(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_expect e = {SLSA_PREDICATE_PROVENANCE_V02,
                            &subject,
                            "https://github.com/slsa-framework/slsa-github-generator/.github/"
                            "workflows/generator_generic_slsa3.yml",
                            "github.com/o/r",
                            NULL,
                            "main",
                            "https://github.com/slsa-framework/slsa-github-generator/generic@v1",
                            NULL};
    (void)state;
    assert_int_equal(0, check(v02, &e, &err));
    e.predicate_type = SLSA_PREDICATE_PROVENANCE_V1;
    assert_int_equal(VOUCH_EVERIFY, check(v02, &e, &err));
    assert_string_equal("predicateType 'https://slsa.dev/provenance/v0.2' is not "
                        "'https://slsa.dev/provenance/v1'",
                        err.msg);
}

static void test_other_predicates(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char *spdx = HEAD "\"predicateType\":\"https://spdx.dev/Document\",\"predicate\":{}}";
    const char *nogit = HEAD "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{"
                             "\"buildDefinition\":{\"buildType\":\"https://e/t\"},\"runDetails\":{"
                             "\"builder\":{\"id\":\"https://e/b\"}}}}";
    struct slsa_expect e = {
        "https://spdx.dev/Document", &subject, NULL, NULL, NULL, NULL, NULL, NULL};
    struct slsa_digest other = {"sha256",
                                "1111111111111111111111111111111111111111111111111111111111111111"};
    (void)state;
    assert_int_equal(0, check(spdx, &e, &err));
    e.builder_id = "https://e/b";
    assert_int_equal(VOUCH_EVERIFY, check(spdx, &e, &err));
    e.predicate_type = SLSA_PREDICATE_PROVENANCE_V1;
    assert_int_equal(0, check(nogit, &e, &err));
    e.source_uri = "github.com/o/r";
    assert_int_equal(VOUCH_EVERIFY, check(nogit, &e, &err));
    assert_string_equal("provenance names no git source repository", err.msg);
    e.source_uri = NULL;
    e.subject = &other;
    assert_int_equal(VOUCH_EVERIFY, check(nogit, &e, &err));
}

/* slsa-verifier's --source-versioned-tag on the source tag v1.2.0 */
static void test_versioned_tag(void **state)
{
    static const struct {
        const char *want;
        int rc;
    } rows[] = {
        {"v1", 0},
        {"v1.2", 0},
        {"v1.2.0", 0},
        {"v1.2.0+b5", 0},
        {"v1.2.0+build.5", VOUCH_EVERIFY}, /* slsa-verifier splits on dots: patch "0+build" */
        {"v2", VOUCH_EVERIFY},
        {"v1.3", VOUCH_EVERIFY},
        {"v1.2.1", VOUCH_EVERIFY},
        {"v1.2.0-rc.1", VOUCH_EVERIFY},
        {"v0", VOUCH_EVERIFY},
        {"1.2.0", VOUCH_EINVAL},
        {"v01", VOUCH_EINVAL},
        {"v1.2-rc", VOUCH_EINVAL},
        {"v1..2", VOUCH_EINVAL},
    };
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_expect e = {.predicate_type = SLSA_PREDICATE_PROVENANCE_V1, .subject = &subject};
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        e.source_versioned_tag = rows[i].want;
        vouch_error_clear(&err);
        if (check(v1, &e, &err) != rows[i].rc) {
            fail_msg("versioned tag '%s': %s", rows[i].want, err.msg);
        }
    }
    e.source_versioned_tag = "v2";
    assert_int_equal(VOUCH_EVERIFY, check(v1, &e, &err));
    assert_string_equal("source tag 'v1.2.0' is not versioned tag 'v2': major version expected "
                        "'v2', got 'v1'",
                        err.msg);
    /* the provenance tag must be a version itself */
    assert_int_equal(VOUCH_EVERIFY, verify_versioned_tag("release-1", "v1", &err));
    assert_int_equal(0, verify_versioned_tag("v1.4", "v1.4.0", &err));
    assert_int_equal(VOUCH_EVERIFY, verify_versioned_tag("v1.2.3-rc.1", "v1.2.3", &err));
}

static void test_normalize(void **state)
{
    static const char *const cases[][2] = {
        {"github.com/o/r", "git+https://github.com/o/r"},
        {"https://github.com/o/r.git", "git+https://github.com/o/r"},
        {"git+https://github.com/o/r@refs/heads/main", "git+https://github.com/o/r"},
        {"git+https://github.com/o/r@c27d339e", "git+https://github.com/o/r"},
        {"https://gitlab.com/g/sub/p/", "git+https://gitlab.com/g/sub/p"},
        {"git+ssh://git@host/o/r", "git+ssh://git@host/o/r"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL;
        assert_int_equal(0, slsa_source_uri_normalize(&out, cases[i][0], NULL));
        assert_string_equal(cases[i][1], out);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_checks),  cmocka_unit_test(test_v1_trigger_mismatch),
        cmocka_unit_test(test_v02_checks), cmocka_unit_test(test_other_predicates),
        cmocka_unit_test(test_normalize),  cmocka_unit_test(test_versioned_tag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
