/* Unit tests for the registry client's pure parts: WWW-Authenticate challenges, docker
 * config.json credentials, loopback detection. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci/ref_internal.h"
#include "oci/registry_internal.h"

static void test_challenge(void **state)
{
    struct reg_challenge c;
    (void)state;
    assert_int_equal(0, reg_challenge_parse(&c, "Bearer realm=\"https://auth.docker.io/token\","
                                                "service=\"registry.docker.io\",scope=\"repository:"
                                                "library/alpine:pull\""));
    assert_string_equal("bearer", c.scheme);
    assert_string_equal("https://auth.docker.io/token", c.realm);
    assert_string_equal("registry.docker.io", c.service);
    assert_string_equal("repository:library/alpine:pull", c.scope);
    /* case-insensitive scheme and names, spaces, token values, escapes, unknown params */
    assert_int_equal(0, reg_challenge_parse(&c, "  bEaReR Realm=\"https://h/t?a=1\" , "
                                                "SERVICE=svc,error=\"invalid_token\","
                                                "scope=\"a:b:pull,push\""));
    assert_string_equal("https://h/t?a=1", c.realm);
    assert_string_equal("svc", c.service);
    assert_string_equal("a:b:pull,push", c.scope);
    assert_string_equal("invalid_token", c.error);
    assert_int_equal(0, reg_challenge_parse(&c, "Bearer realm=\"x\\\"y\""));
    assert_string_equal("x\"y", c.realm);
    assert_int_equal(0, reg_challenge_parse(&c, "Basic realm=\"basic-realm\""));
    assert_string_equal("basic", c.scheme);
    assert_string_equal("basic-realm", c.realm);
    /* no realm for Bearer, unknown schemes, empty: refused */
    assert_int_equal(-1, reg_challenge_parse(&c, "Bearer service=\"x\""));
    assert_int_equal(-1, reg_challenge_parse(&c, "Negotiate abc"));
    assert_int_equal(-1, reg_challenge_parse(&c, ""));
    assert_int_equal(-1, reg_challenge_parse(&c, "Bearer realm=\"unterminated"));
}

static void test_challenge_bounded(void **state)
{
    struct reg_challenge c;
    char *h = malloc(10000);
    (void)state;
    memcpy(h, "Bearer realm=\"", 14);
    memset(h + 14, 'a', 9000);
    memcpy(h + 9014, "\",service=\"s\"", 14);
    assert_int_equal(0, reg_challenge_parse(&c, h));
    assert_int_equal(sizeof(c.realm) - 1, strlen(c.realm));
    assert_string_equal("s", c.service);
    free(h);
}

static const char *write_config(const char *name, const char *json)
{
    static char path[4200];
    snprintf(path, sizeof(path), "%s/config.json", ts_tmpdir(name));
    ts_write(path, json, strlen(json));
    return path;
}

static void expect_creds(const char *path, const char *host, const char *user, const char *pass)
{
    char *u = NULL, *p = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (reg_docker_config_creds(&u, &p, path, 0, host, &err) != 0) {
        fail_msg("%s: %s", host, err.msg);
    }
    if (user == NULL) {
        assert_null(u);
        assert_null(p);
        return;
    }
    assert_string_equal(user, u);
    assert_string_equal(pass, p);
    free(u);
    free(p);
}

static void test_docker_config(void **state)
{
    /* dXNlcjpwYTpzcw== is "user:pa:ss" (the password may hold ':') */
    const char *path = write_config(
        "docker_config", "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"dXNlcjpwYTpzcw==\"},"
                         "\"https://index.docker.io/v1/\":{\"auth\":\"aHViOmh1YnB3\"},"
                         "\"https://ghcr.io\":{\"username\":\"gh\",\"password\":\"tok\"},"
                         "\"helper.example\":{}}}");
    (void)state;
    expect_creds(path, "127.0.0.1:5000", "user", "pa:ss");
    expect_creds(path, "index.docker.io", "hub", "hubpw");
    expect_creds(path, "ghcr.io", "gh", "tok");
    expect_creds(path, "127.0.0.1:5001", NULL, NULL);
    expect_creds(path, "helper.example", NULL, NULL);
    expect_creds("/nonexistent/config.json", "ghcr.io", NULL, NULL);
}

static void test_docker_config_malformed(void **state)
{
    char *u = NULL, *p = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char *path = write_config("docker_config_bad", "{\"auths\":[]}");
    (void)state;
    assert_int_equal(VOUCH_EPARSE, reg_docker_config_creds(&u, &p, path, 0, "h", &err));
    assert_non_null(strstr(err.msg, "malformed docker config"));
    vouch_error_clear(&err);
    path = write_config("docker_config_bad2", "{\"auths\":{\"h\":{\"auth\":\"bm9jb2xvbg==\"}}}");
    assert_int_equal(VOUCH_EPARSE, reg_docker_config_creds(&u, &p, path, 0, "h", &err));
    assert_non_null(strstr(err.msg, "malformed auth entry"));
    assert_null(u);
    assert_null(p);
}

/* docker's precedence: credHelpers[host] > credsStore > auths; identity tokens. */
static void test_docker_config_helpers(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    char *u = NULL, *p = NULL;
    const char *path;
    (void)state;
    path = write_config("cfg_idtok", "{\"auths\":{\"h:1\":{\"auth\":\"dTpw\","
                                     "\"identitytoken\":\"refresh-me\"}}}");
    assert_int_equal(0, reg_docker_config_creds(&u, &p, path, 0, "h:1", &err));
    assert_string_equal(REG_IDENTITY_USER, u);
    assert_string_equal("refresh-me", p);
    free(u);
    free(p);
    /* another host's helper is not run: auths answers */
    path = write_config("cfg_other", "{\"credHelpers\":{\"other:1\":\"vouch-unit-none\"},"
                                     "\"auths\":{\"h:1\":{\"auth\":\"dTpw\"}}}");
    assert_int_equal(0, reg_docker_config_creds(&u, &p, path, 0, "h:1", &err));
    assert_string_equal("u", u);
    assert_string_equal("p", p);
    free(u);
    free(p);
    /* the host's helper (or credsStore) wins over auths, even when it is missing */
    path = write_config("cfg_store", "{\"credsStore\":\"vouch-unit-none\","
                                     "\"auths\":{\"h:1\":{\"auth\":\"dTpw\"}}}");
    assert_int_equal(VOUCH_ENOTFOUND, reg_docker_config_creds(&u, &p, path, 0, "h:1", &err));
    assert_string_equal("credential helper 'docker-credential-vouch-unit-none' not found in PATH",
                        err.msg);
    assert_null(u);
    assert_null(p);
    path = write_config("cfg_bad_name", "{\"credHelpers\":{\"h:1\":\"a/b\"}}");
    assert_int_equal(VOUCH_EPARSE, reg_docker_config_creds(&u, &p, path, 0, "h:1", &err));
    path = write_config("cfg_bad_helpers", "{\"credHelpers\":[]}");
    assert_int_equal(VOUCH_EPARSE, reg_docker_config_creds(&u, &p, path, 0, "h:1", &err));
    assert_null(u);
}

/* Cached tokens: the exact scope, else a multi-scope token naming it as a whole word. */
static void test_token_lookup(void **state)
{
    struct reg r;
    char *h;
    (void)state;
    memset(&r, 0, sizeof(r));
    r.tokens[0].scope = (char *)"repository:b:pull,push repository:a:pull";
    r.tokens[0].token = (char *)"multi";
    r.tokens[1].scope = (char *)"repository:a:pull";
    r.tokens[1].token = (char *)"exact";
    r.ntokens = 2;
    h = reg_auth_header(&r, "repository:a:pull");
    assert_string_equal("Authorization: Bearer exact", h);
    free(h);
    h = reg_auth_header(&r, "repository:b:pull,push");
    assert_string_equal("Authorization: Bearer multi", h);
    free(h);
    assert_null(reg_auth_header(&r, "repository:b:pull")); /* not a whole scope */
    assert_null(reg_auth_header(&r, "repository:a:pul"));  /* prefix only */
    assert_null(reg_auth_header(&r, "b:pull,push"));       /* suffix only */
    assert_null(reg_auth_header(&r, NULL));
}

static void test_loopback_hosts(void **state)
{
    (void)state;
    assert_true(ref_host_is_loopback("localhost"));
    assert_true(ref_host_is_loopback("127.0.0.1:5000"));
    assert_true(ref_host_is_loopback("[::1]:443"));
    assert_false(ref_host_is_loopback("[::1]x"));
    assert_false(ref_host_is_loopback("10.0.0.1:5000"));
    assert_false(ref_host_is_loopback("localhostx:1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_challenge),
        cmocka_unit_test(test_challenge_bounded),
        cmocka_unit_test(test_docker_config),
        cmocka_unit_test(test_docker_config_malformed),
        cmocka_unit_test(test_docker_config_helpers),
        cmocka_unit_test(test_token_lookup),
        cmocka_unit_test(test_loopback_hosts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
