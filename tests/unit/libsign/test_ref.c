/* Unit tests for image references: docker's normalisation cases (distribution/reference
 * normalize tests, restated as a table), ggcr naming, digests and tags. */
#include "testsupport.h"

#include <stdlib.h>
#include <string.h>

#include "sign/ref.h"

#define H64 "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"

struct norm_case {
    const char *in;
    const char *registry;
    const char *repo;
    const char *tag;    /* NULL: none */
    const char *digest; /* NULL: none */
    const char *str;
    const char *familiar;
};

static const struct norm_case norm_cases[] = {
    {"alpine", "docker.io", "library/alpine", "latest", NULL, "docker.io/library/alpine:latest",
     "alpine:latest"},
    {"ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", NULL, "docker.io/library/ubuntu:22.04",
     "ubuntu:22.04"},
    {"fooo/bar", "docker.io", "fooo/bar", "latest", NULL, "docker.io/fooo/bar:latest",
     "fooo/bar:latest"},
    {"index.docker.io/fooo/bar", "docker.io", "fooo/bar", "latest", NULL,
     "docker.io/fooo/bar:latest", "fooo/bar:latest"},
    {"docker.io/foo", "docker.io", "library/foo", "latest", NULL, "docker.io/library/foo:latest",
     "foo:latest"},
    {"index.docker.io/debian", "docker.io", "library/debian", "latest", NULL,
     "docker.io/library/debian:latest", "debian:latest"},
    {"library/foo/bar", "docker.io", "library/foo/bar", "latest", NULL,
     "docker.io/library/foo/bar:latest", "library/foo/bar:latest"},
    {"test_com/foo", "docker.io", "test_com/foo", "latest", NULL, "docker.io/test_com/foo:latest",
     "test_com/foo:latest"},
    {"test.com:8080/foo", "test.com:8080", "foo", "latest", NULL, "test.com:8080/foo:latest",
     "test.com:8080/foo:latest"},
    {"test-com:8080/foo", "test-com:8080", "foo", "latest", NULL, "test-com:8080/foo:latest",
     "test-com:8080/foo:latest"},
    {"xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", "latest", NULL,
     "xn--n3h.com:18080/foo:latest", "xn--n3h.com:18080/foo:latest"},
    {"localhost/foo", "localhost", "foo", "latest", NULL, "localhost/foo:latest",
     "localhost/foo:latest"},
    {"localhost:5000/a/b:v1", "localhost:5000", "a/b", "v1", NULL, "localhost:5000/a/b:v1",
     "localhost:5000/a/b:v1"},
    {"127.0.0.1:5000/library/debian", "127.0.0.1:5000", "library/debian", "latest", NULL,
     "127.0.0.1:5000/library/debian:latest", "127.0.0.1:5000/library/debian:latest"},
    {"[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker", "latest", NULL,
     "[fc00::1]:5000/docker/docker:latest", "[fc00::1]:5000/docker/docker:latest"},
    {"[::1]/a", "[::1]", "a", "latest", NULL, "[::1]/a:latest", "[::1]/a:latest"},
    {"Foo/bar", "Foo", "bar", "latest", NULL, "Foo/bar:latest", "Foo/bar:latest"},
    {"192.168.0.1", "docker.io", "library/192.168.0.1", "latest", NULL,
     "docker.io/library/192.168.0.1:latest", "192.168.0.1:latest"},
    {"192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", NULL,
     "docker.io/library/192.168.0.1:80", "192.168.0.1:80"},
    {"docker.io/" H64, "docker.io", "library/" H64, "latest", NULL,
     "docker.io/library/" H64 ":latest", H64 ":latest"},
    {"redis@sha256:" H64, "docker.io", "library/redis", NULL, "sha256:" H64,
     "docker.io/library/redis@sha256:" H64, "redis@sha256:" H64},
    {"busybox:latest@sha256:" H64, "docker.io", "library/busybox", "latest", "sha256:" H64,
     "docker.io/library/busybox:latest@sha256:" H64, "busybox:latest@sha256:" H64},
    {"host:5000/a/b:t_1.x-y@sha256:" H64, "host:5000", "a/b", "t_1.x-y", "sha256:" H64,
     "host:5000/a/b:t_1.x-y@sha256:" H64, "host:5000/a/b:t_1.x-y@sha256:" H64},
    {"docker---rules/dock__er", "docker.io", "docker---rules/dock__er", "latest", NULL,
     "docker.io/docker---rules/dock__er:latest", "docker---rules/dock__er:latest"},
    {"d/t", "docker.io", "d/t", "latest", NULL, "docker.io/d/t:latest", "d/t:latest"},
};

static void test_normalise(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++) {
        const struct norm_case *c = &norm_cases[i];
        struct sign_ref *r = NULL;
        struct vouch_error err = VOUCH_ERROR_INIT;
        int rc = sign_ref_parse(&r, c->in, &err);
        if (rc != 0) {
            fail_msg("'%s': %s", c->in, err.msg);
        }
        assert_string_equal(c->registry, sign_ref_registry(r));
        assert_string_equal(c->repo, sign_ref_repository(r));
        if (c->tag == NULL) {
            assert_null(sign_ref_tag(r));
        } else {
            assert_string_equal(c->tag, sign_ref_tag(r));
        }
        if (c->digest == NULL) {
            assert_null(sign_ref_digest(r));
        } else {
            assert_string_equal(c->digest, sign_ref_digest(r));
        }
        assert_string_equal(c->str, sign_ref_string(r));
        assert_string_equal(c->familiar, sign_ref_familiar(r));
        sign_ref_free(r);
    }
}

static const char *const invalid_refs[] = {
    "",
    "https://github.com/docker/docker",
    "docker/Docker",
    "-docker",
    "-docker/docker",
    "-docker.io/docker/docker",
    "docker///docker",
    "docker.io/docker/Docker",
    "docker.io/docker///docker",
    "[fc00::1]",
    "[fc00::1]:5000",
    "fc00::1:5000/debian",
    "[fe80::1%eth0]:5000/debian",
    "[2001:db8:3:4::192.0.2.33]:5000/debian",
    H64,
    "docker-/docker",
    "-docker-/docker",
    "____/____",
    "_docker/_docker",
    "dock..er/docker",
    "dock_.er/docker",
    "dock-.er/docker",
    "docker/",
    "/docker",
    "host:/a",
    "host:5x/a",
    "a:-tag",
    "a:",
    "a@",
    "a@sha256:abc",
    "a@sha256:" H64 "00",
    "a@sha256:DBCC1C35AC38DF41FD2F5E4130B32FFDB93EBAE8B3DBE638C23575912276FC9C",
    "a@md5:" H64,
    "a@sha256:" H64 "@sha256:" H64,
    "a b",
    "a/b:t:u",
    "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_"
    "namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_"
    "lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_"
    "255/docker",
};

static void test_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(invalid_refs) / sizeof(invalid_refs[0]); i++) {
        struct sign_ref *r = (struct sign_ref *)1;
        struct vouch_error err = VOUCH_ERROR_INIT;
        int rc = sign_ref_parse(&r, invalid_refs[i], &err);
        if (rc == 0) {
            fail_msg("'%s' parsed as '%s'", invalid_refs[i], sign_ref_string(r));
        }
        assert_true(rc == VOUCH_EINVAL || rc == VOUCH_EUNSUPPORTED);
        assert_null(r);
        assert_non_null(strstr(err.msg, "invalid image reference '"));
    }
}

static void test_messages(void **state)
{
    struct sign_ref *r = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(VOUCH_EINVAL, sign_ref_parse(&r, "docker/Docker", &err));
    assert_string_equal("invalid image reference 'docker/Docker': repository name must be "
                        "lowercase",
                        err.msg);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EUNSUPPORTED, sign_ref_parse(&r, "a@md5:" H64, &err));
    assert_string_equal("invalid image reference 'a@md5:" H64
                        "': unsupported digest algorithm in 'md5:" H64 "'",
                        err.msg);
}

static void test_ggcr_name(void **state)
{
    struct sign_ref *r = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(0, sign_ref_parse(&r, "hello-world", &err));
    assert_string_equal("docker.io/library/hello-world", sign_ref_name(r));
    assert_string_equal("index.docker.io/library/hello-world", sign_ref_ggcr_name(r));
    assert_string_equal("index.docker.io", sign_ref_api_host(r));
    assert_false(sign_ref_is_loopback(r));
    sign_ref_free(r);
    assert_int_equal(0, sign_ref_parse(&r, "127.0.0.1:5000/signed:v1", &err));
    assert_string_equal("127.0.0.1:5000/signed", sign_ref_ggcr_name(r));
    assert_string_equal("127.0.0.1:5000", sign_ref_api_host(r));
    assert_true(sign_ref_is_loopback(r));
    sign_ref_free(r);
}

static void test_loopback(void **state)
{
    static const struct {
        const char *ref;
        int loop;
    } cases[] = {
        {"localhost/a", 1},        {"localhost:5000/a", 1}, {"127.0.0.1/a", 1},
        {"127.9.8.7:1/a", 1},      {"[::1]:5000/a", 1},     {"[::1]/a", 1},
        {"128.0.0.1:5000/a", 0},   {"[::2]:5000/a", 0},     {"localhost.example/a", 0},
        {"127.0.0.1.nip.io/a", 0}, {"example.com/a", 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sign_ref *r = NULL;
        assert_int_equal(0, sign_ref_parse(&r, cases[i].ref, NULL));
        if (sign_ref_is_loopback(r) != cases[i].loop) {
            fail_msg("loopback('%s') != %d", cases[i].ref, cases[i].loop);
        }
        sign_ref_free(r);
    }
}

static void test_with_digest_and_tag(void **state)
{
    struct sign_ref *r = NULL, *d = NULL, *t = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(0, sign_ref_parse(&r, "example.com/app:v2", &err));
    assert_int_equal(0, sign_ref_with_digest(&d, r, "sha256:" H64, &err));
    assert_string_equal("example.com/app:v2@sha256:" H64, sign_ref_string(d));
    assert_int_equal(0, sign_ref_with_tag(&t, d, "sha256-" H64 ".sig", &err));
    assert_string_equal("example.com/app:sha256-" H64 ".sig", sign_ref_string(t));
    assert_null(sign_ref_digest(t));
    sign_ref_free(t);
    sign_ref_free(d);
    assert_int_equal(VOUCH_EINVAL, sign_ref_with_digest(&d, r, "sha256:zz", &err));
    assert_null(d);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EINVAL, sign_ref_with_tag(&t, r, ".bad", &err));
    assert_string_equal("invalid tag '.bad'", err.msg);
    sign_ref_free(r);
}

static void test_digest_check(void **state)
{
    enum sign_hash alg = SIGN_HASH_SHA1;
    (void)state;
    assert_int_equal(0, sign_ref_digest_check(&alg, "sha256:" H64, NULL));
    assert_int_equal(SIGN_HASH_SHA256, alg);
    assert_int_equal(0, sign_ref_digest_check(&alg, "sha512:" H64 H64, NULL));
    assert_int_equal(SIGN_HASH_SHA512, alg);
    assert_int_equal(
        0, sign_ref_digest_check(&alg, "sha384:" H64 "0123456789abcdef0123456789abcdef", NULL));
    assert_int_equal(SIGN_HASH_SHA384, alg);
    assert_int_equal(VOUCH_EINVAL, sign_ref_digest_check(NULL, "sha256:" H64 "0", NULL));
    assert_int_equal(VOUCH_EINVAL, sign_ref_digest_check(NULL, "sha256" H64, NULL));
    assert_int_equal(VOUCH_EINVAL, sign_ref_digest_check(NULL, ":" H64, NULL));
    assert_int_equal(VOUCH_EINVAL, sign_ref_digest_check(NULL, "sha256:", NULL));
    assert_int_equal(VOUCH_EUNSUPPORTED, sign_ref_digest_check(NULL, "sha3+x:" H64, NULL));
    assert_int_equal(VOUCH_EINVAL, sign_ref_digest_check(NULL, "1sha:" H64, NULL));
}

static void test_tag_check(void **state)
{
    char long_tag[130];
    (void)state;
    memset(long_tag, 'a', 128);
    long_tag[128] = '\0';
    assert_int_equal(0, sign_ref_tag_check(long_tag, NULL));
    long_tag[128] = 'a';
    long_tag[129] = '\0';
    assert_int_equal(VOUCH_EINVAL, sign_ref_tag_check(long_tag, NULL));
    assert_int_equal(0, sign_ref_tag_check("_x.Y-1", NULL));
    assert_int_equal(VOUCH_EINVAL, sign_ref_tag_check("-x", NULL));
    assert_int_equal(VOUCH_EINVAL, sign_ref_tag_check("", NULL));
    assert_int_equal(VOUCH_EINVAL, sign_ref_tag_check("a/b", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise),    cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_messages),     cmocka_unit_test(test_ggcr_name),
        cmocka_unit_test(test_loopback),     cmocka_unit_test(test_with_digest_and_tag),
        cmocka_unit_test(test_digest_check), cmocka_unit_test(test_tag_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
