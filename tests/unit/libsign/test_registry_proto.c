/* Registry protocol paths a Distribution registry test cannot reach: the Bearer token
 * flow (token per scope, cached, Basic credentials to the token service), retries on 503,
 * Link pagination of tag lists, the OCI 1.1 referrers API and Docker-Content-Digest
 * mismatches, against a small in-process HTTP server (libmicrohttpd). */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "oci/oci_internal.h"
#include "sign/oci.h"

#define MANIFEST                                                                                   \
    "{\"schemaVersion\":2,\"mediaType\":\"" SIGN_OCI_MT_MANIFEST "\",\"config\":{\"mediaType\":"   \
    "\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:"                                   \
    "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"              \
    "\"layers\":[]}"
#define REFERRERS "{\"schemaVersion\":2,\"mediaType\":\"" SIGN_OCI_MT_INDEX "\",\"manifests\":[]}"
#define BLOB "signature layer"
#define AUTH_PAIR "Basic dTpw" /* base64("u:p") */

struct fake {
    struct MHD_Daemon *d;
    unsigned short port;
    int tokens;    /* token requests served */
    int flaky;     /* 503s served on /manifests/flaky */
    int need_user; /* token service demands Basic u:p */
    int pings;     /* GET /v2/ served: the client never needs one */
    int requests;  /* registry requests served (not the token service) */
    char digest[SIGN_REF_DIGEST_MAX];
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *body,
                             const char *h1, const char *v1, const char *h2, const char *v2)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;
    if (h1 != NULL) {
        MHD_add_response_header(r, h1, v1);
    }
    if (h2 != NULL) {
        MHD_add_response_header(r, h2, v2);
    }
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result challenge(struct fake *f, struct MHD_Connection *c, const char *scope)
{
    char h[512];
    snprintf(h, sizeof(h), "Bearer realm=\"http://127.0.0.1:%u/token\",service=\"fake\"%s%s%s",
             f->port, scope ? ",scope=\"" : "", scope ? scope : "", scope ? "\"" : "");
    return reply(c, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", "WWW-Authenticate", h, NULL,
                 NULL);
}

static enum MHD_Result token(struct fake *f, struct MHD_Connection *c)
{
    const char *scope = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "scope");
    const char *svc = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "service");
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    char body[512];
    if (f->need_user && (auth == NULL || strcmp(auth, AUTH_PAIR) != 0)) {
        return reply(c, 401, "{}", NULL, NULL, NULL, NULL);
    }
    if (svc == NULL || strcmp(svc, "fake") != 0 || scope == NULL) {
        return reply(c, 400, "{}", NULL, NULL, NULL, NULL);
    }
    f->tokens++;
    snprintf(body, sizeof(body), "{\"access_token\":\"T-%s\"}", scope);
    return reply(c, 200, body, NULL, NULL, NULL, NULL);
}

static enum MHD_Result manifests(struct fake *f, struct MHD_Connection *c, const char *ref)
{
    if (strcmp(ref, "flaky") == 0 && f->flaky++ < 2) {
        return reply(c, 503, "busy", NULL, NULL, NULL, NULL);
    }
    if (strcmp(ref, "huge") == 0) {
        char *big = malloc(SIGN_OCI_MANIFEST_MAX + 2);
        enum MHD_Result ret;
        memset(big, ' ', SIGN_OCI_MANIFEST_MAX + 1);
        big[SIGN_OCI_MANIFEST_MAX + 1] = '\0';
        ret = reply(c, 200, big, "Content-Type", SIGN_OCI_MT_MANIFEST, NULL, NULL);
        free(big);
        return ret;
    }
    if (strcmp(ref, "bad") == 0) {
        return reply(c, 200, MANIFEST, "Content-Type", SIGN_OCI_MT_MANIFEST,
                     "Docker-Content-Digest",
                     "sha256:0000000000000000000000000000000000000000000000000000000000000000");
    }
    if (strcmp(ref, "v1") != 0 && strcmp(ref, "flaky") != 0) {
        return reply(c, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}", NULL, NULL, NULL,
                     NULL);
    }
    return reply(c, 200, MANIFEST, "Content-Type", SIGN_OCI_MT_MANIFEST, "Docker-Content-Digest",
                 f->digest);
}

static enum MHD_Result tags(struct MHD_Connection *c)
{
    const char *last = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "last");
    if (last == NULL) {
        return reply(c, 200, "{\"name\":\"app\",\"tags\":[\"a\",\"b\"]}", "Link",
                     "</v2/app/tags/list?last=b&n=1000>; rel=\"next\"", NULL, NULL);
    }
    return reply(c, 200, "{\"name\":\"app\",\"tags\":[\"c\"]}", NULL, NULL, NULL, NULL);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct fake *f = cls;
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    (void)method, (void)version, (void)upload, (void)upload_size, (void)con_cls;
    if (strcmp(url, "/token") == 0) {
        return token(f, c);
    }
    f->requests++;
    if (strcmp(url, "/v2/") == 0) {
        f->pings++;
        return challenge(f, c, NULL);
    }
    if (auth == NULL || strcmp(auth, "Bearer T-repository:app:pull") != 0) {
        return challenge(f, c, "repository:app:pull");
    }
    if (strncmp(url, "/v2/app/manifests/", 18) == 0) {
        return manifests(f, c, url + 18);
    }
    if (strcmp(url, "/v2/app/tags/list") == 0) {
        return tags(c);
    }
    if (strncmp(url, "/v2/app/referrers/", 18) == 0) {
        return reply(c, 200, REFERRERS, "Content-Type", SIGN_OCI_MT_INDEX, NULL, NULL);
    }
    if (strncmp(url, "/v2/app/blobs/", 14) == 0) {
        return reply(c, 200, BLOB, NULL, NULL, NULL, NULL); /* whatever digest is asked */
    }
    return reply(c, 404, "{}", NULL, NULL, NULL, NULL);
}

static int setup(void **state)
{
    struct fake *f = calloc(1, sizeof(*f));
    const union MHD_DaemonInfo *info;
    f->d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, f, MHD_OPTION_END);
    assert_non_null(f->d);
    info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
    f->port = info->port;
    assert_int_equal(0, sign_oci_digest_sha256(f->digest, MANIFEST, strlen(MANIFEST), NULL));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fake *f = *state;
    MHD_stop_daemon(f->d);
    free(f);
    return 0;
}

static struct sign_oci_source *open_app(const struct fake *f, const char *tag,
                                        const struct sign_oci_opts *opts)
{
    char name[128];
    struct sign_oci_source *src = NULL;
    snprintf(name, sizeof(name), "127.0.0.1:%u/app:%s", f->port, tag);
    assert_int_equal(0, sign_oci_open(&src, name, opts, NULL));
    return src;
}

static void test_token_flow(void **state)
{
    struct fake *f = *state;
    struct sign_oci_opts opts = {.retries = 3};
    struct sign_oci_source *src = open_app(f, "v1", &opts);
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    f->requests = 0;
    if (sign_oci_resolve(&m, src, &err) != 0) {
        fail_msg("%s", err.msg);
    }
    /* no /v2/ ping: the manifest GET itself gets the 401 challenge, then the token */
    assert_int_equal(0, f->pings);
    assert_int_equal(2, f->requests);
    assert_string_equal(f->digest, m.digest);
    assert_string_equal(SIGN_OCI_MT_MANIFEST, m.media_type);
    sign_oci_manifest_release(&m);
    assert_int_equal(0, sign_oci_resolve(&m, src, &err));
    sign_oci_manifest_release(&m);
    assert_int_equal(1, f->tokens); /* one token per scope, reused */
    assert_int_equal(3, f->requests);
    /* 503 twice, then served */
    assert_int_equal(0, sign_oci_manifest_get(&m, src, "flaky", &err));
    assert_int_equal(3, f->flaky);
    sign_oci_manifest_release(&m);
    sign_oci_free(src);
}

static void test_retries_exhausted(void **state)
{
    struct fake *f = *state;
    struct sign_oci_opts opts = {.retries = -1};
    struct sign_oci_source *src = open_app(f, "flaky", &opts);
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char want[200];
    f->flaky = 0;
    assert_int_equal(VOUCH_ENETWORK, sign_oci_resolve(&m, src, &err));
    snprintf(want, sizeof(want),
             "cannot fetch manifest '127.0.0.1:%u/app:flaky': registry '127.0.0.1:%u' answered "
             "HTTP 503",
             f->port, f->port);
    assert_string_equal(want, err.msg);
    sign_oci_free(src);
}

static void test_pagination_referrers_digest(void **state)
{
    struct fake *f = *state;
    struct sign_oci_source *src = open_app(f, "v1", NULL);
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char **v = NULL;
    size_t n = 0;
    assert_int_equal(0, sign_oci_tags(&v, &n, src, &err));
    assert_int_equal(3, n);
    assert_string_equal("a", v[0]);
    assert_string_equal("c", v[2]);
    sign_oci_strv_free(v, n);
    assert_int_equal(0, sign_oci_referrers(&m, src, f->digest, NULL, &err));
    assert_string_equal(REFERRERS, (char *)m.data);
    sign_oci_manifest_release(&m);
    assert_int_equal(VOUCH_EVERIFY, sign_oci_manifest_get(&m, src, "bad", &err));
    assert_non_null(strstr(err.msg, "digest mismatch for '127.0.0.1:"));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_ENOTFOUND, sign_oci_manifest_get(&m, src, "v2", &err));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EINVAL, sign_oci_manifest_get(&m, src, "huge", &err));
    assert_non_null(strstr(err.msg, "is too large"));
    sign_oci_free(src);
}

/* small blobs come straight into memory: digest-checked and capped */
static void test_blob_read(void **state)
{
    struct fake *f = *state;
    struct sign_oci_source *src = open_app(f, "v1", NULL);
    struct vouch_error err = VOUCH_ERROR_INIT;
    char dig[SIGN_REF_DIGEST_MAX], want[600];
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(0, sign_oci_digest_sha256(dig, BLOB, strlen(BLOB), NULL));
    assert_int_equal(0, sign_oci_blob_read(&data, &len, src, dig, 1024, &err));
    assert_int_equal(strlen(BLOB), len);
    assert_memory_equal(BLOB, data, len);
    free(data);
    assert_int_equal(VOUCH_EINVAL, sign_oci_blob_read(&data, &len, src, dig, 4, &err));
    snprintf(want, sizeof(want), "blob %s is larger than 4 bytes", dig);
    assert_string_equal(want, err.msg);
    assert_null(data);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EVERIFY, sign_oci_blob_read(&data, &len, src, f->digest, 1024, &err));
    snprintf(want, sizeof(want), "digest mismatch for blob %s from '127.0.0.1:%u/app': got %s",
             f->digest, f->port, dig);
    assert_string_equal(want, err.msg);
    assert_null(data);
    sign_oci_free(src);
}

static void test_token_credentials(void **state)
{
    struct fake *f = *state;
    struct sign_oci_opts good = {.username = "u", .password = "p"};
    struct sign_oci_opts wrong = {.username = "u", .password = "x"};
    struct sign_oci_source *src;
    struct sign_oci_manifest m = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char want[200];
    f->need_user = 1;
    src = open_app(f, "v1", &wrong);
    assert_int_equal(VOUCH_EAUTH, sign_oci_resolve(&m, src, &err));
    snprintf(want, sizeof(want),
             "registry '127.0.0.1:%u' refused the credentials (token service answered HTTP 401)",
             f->port);
    assert_string_equal(want, err.msg);
    sign_oci_free(src);
    src = open_app(f, "v1", NULL);
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EAUTH, sign_oci_resolve(&m, src, &err));
    sign_oci_free(src);
    src = open_app(f, "v1", &good);
    assert_int_equal(0, sign_oci_resolve(&m, src, NULL));
    sign_oci_manifest_release(&m);
    sign_oci_free(src);
    f->need_user = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_flow),
        cmocka_unit_test(test_retries_exhausted),
        cmocka_unit_test(test_pagination_referrers_digest),
        cmocka_unit_test(test_blob_read),
        cmocka_unit_test(test_token_credentials),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
