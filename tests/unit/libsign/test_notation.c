/* Unit tests for Notation verification (sign/notation.h) over the Notary Project's own test
 * data (shared/vectors/notation, from notaryproject/notation-go): the verdicts its Go tests
 * (verifier/verifier_test.go, verifier/timestamp_test.go) give each envelope, per level. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/pem.h>

#include "notation_internal.h"
#include "sign/notation.h"

#define MOCK "vectors/notation/internal/mock/testdata/"
#define TS_ENV "vectors/notation/verifier/testdata/timestamp/sigEnv/"
#define STORE "vectors/notation/verifier/testdata/truststore"
#define MOCK_REPO "registry.acme-rockets.io/software/net-monitor"
#define ROOT_ID "x509.subject:CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US"

static const struct sign_notation_target mock_target = {
    "sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e",
    SIGN_OCI_MT_DOCKER_MANIFEST, 528};
static const struct sign_notation_target ts_target = {
    "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda",
    SIGN_OCI_MT_DOCKER_MANIFEST, 528};
static const struct sign_notation_target layout_target = {
    "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0", SIGN_OCI_MT_MANIFEST,
    481};

static struct sign_notation_policy *policy(const char *json)
{
    struct sign_notation_policy *p = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = sign_notation_policy_parse(&p, (const unsigned char *)json, strlen(json), "p", &err);
    if (rc != 0) {
        fail_msg("policy: %s", err.msg);
    }
    return p;
}

/* dummyOCIPolicyDocument() of verifier/helpers_test.go, with a level and trust stores. */
static struct sign_notation_policy *mock_policy(const char *level, const char *stores,
                                                const char *ids)
{
    char doc[2048];
    snprintf(doc, sizeof(doc),
             "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"test-statement-name\","
             "\"registryScopes\":[\"" MOCK_REPO "\"],\"signatureVerification\":{\"level\":"
             "\"%s\"},\"trustStores\":[%s],\"trustedIdentities\":[%s]}]}",
             level, stores, ids);
    return policy(doc);
}

static int verify(struct sign_notation_result *r, const struct sign_notation_policy *p,
                  const char *repo, const struct sign_notation_target *t, const char *mt,
                  const char *file, const char *store, struct vouch_error *err)
{
    size_t len = 0;
    unsigned char *env = ts_read(file, &len);
    char sdir[4096];
    struct sign_notation_opts o = {NULL, 0};
    if (store != NULL) {
        snprintf(sdir, sizeof(sdir), "%s", store);
        o.trust_store = sdir;
    }
    int rc = sign_notation_verify_envelope(r, p, repo, t, mt, env, len, &o, err);
    free(env);
    return rc;
}

/* The shipped trust store, in a buffer of its own (ts_shared's is reused by each call). */
static const char *store_dir(void)
{
    static char dir[4096];
    snprintf(dir, sizeof(dir), "%s", ts_shared(STORE));
    return dir;
}

static const char *const levels[] = {"strict", "permissive", "audit"};

static void mock_case(const char *env, const char *stores, const char *ids, int check,
                      const int verified[3], const char *detail)
{
    for (int l = 0; l < 3; l++) {
        struct sign_notation_policy *p = mock_policy(levels[l], stores, ids);
        struct sign_notation_result r;
        struct vouch_error err = VOUCH_ERROR_INIT;
        int rc = verify(&r, p, MOCK_REPO, &mock_target, SIGN_NOTATION_MT_JWS, ts_shared(env),
                        store_dir(), &err);
        if (rc != (verified[l] ? 0 : VOUCH_EVERIFY)) {
            fail_msg("%s %s: %d %s", env, levels[l], rc, err.msg);
        }
        assert_int_equal(verified[l], r.verified);
        if (check >= 0) {
            assert_int_equal(detail ? SIGN_NOTATION_FAIL : SIGN_NOTATION_PASS,
                             r.checks[check].outcome);
            assert_string_equal(detail ? detail : "", r.checks[check].detail);
        }
        sign_notation_policy_free(p);
    }
}

#define STORES "\"ca:valid-trust-store\",\"signingAuthority:valid-trust-store\""
#define STORES2 "\"ca:valid-trust-store-2\",\"signingAuthority:valid-trust-store-2\""

static void test_mock_verdicts(void **state)
{
    static const int all[3] = {1, 1, 1}, none[3] = {0, 0, 0}, audit_only[3] = {0, 0, 1},
                     strict_no[3] = {0, 1, 1};
    static const char *const schemes[] = {MOCK "ca_", MOCK "sa_"};
    char f[256];
    (void)state;
    for (int s = 0; s < 2; s++) {
        snprintf(f, sizeof(f), "%svalid_sig_env.json", schemes[s]);
        mock_case(f, STORES, "\"" ROOT_ID "\"", SIGN_NOTATION_AUTHENTICITY, all, NULL);
        mock_case(f, STORES, "\"*\"", SIGN_NOTATION_AUTHENTIC_TIMESTAMP, all, NULL);
        mock_case(f, STORES2, "\"" ROOT_ID "\"", SIGN_NOTATION_AUTHENTICITY, audit_only,
                  "the signature's certificate chain does not contain any trusted certificate");
        mock_case(f, STORES, "\"x509.subject:CN=LOL,O=DummyOrg,L=Hyderabad,ST=TG,C=IN\"",
                  SIGN_NOTATION_AUTHENTICITY, audit_only,
                  "signing certificate from the digital signature does not match the X.509 "
                  "trusted identities [CN=LOL,O=DummyOrg,L=Hyderabad,ST=TG,C=IN] defined in the "
                  "trust policy \"test-statement-name\"");
        snprintf(f, sizeof(f), "%sinvalid_sig_env.json", schemes[s]);
        mock_case(f, STORES, "\"" ROOT_ID "\"", SIGN_NOTATION_INTEGRITY, none,
                  "illegal base64 data in payload");
        snprintf(f, sizeof(f), "%sexpired_sig_env.json", schemes[s]);
        mock_case(f, STORES, "\"" ROOT_ID "\"", SIGN_NOTATION_EXPIRY, strict_no,
                  "digital signature has expired on \"Fri, 29 Jul 2022 23:59:00 +0000\"");
        /* an unknown critical attribute ("SomeKey") fails integrity */
        snprintf(f, sizeof(f), "%splugin_sig_env.json", schemes[s]);
        mock_case(f, STORES, "\"" ROOT_ID "\"", SIGN_NOTATION_INTEGRITY, none,
                  "unknown critical header 'SomeKey'");
    }
    /* the signature names another artifact */
    mock_case(MOCK "sig_env_with_metadata.json", STORES, "\"*\"", SIGN_NOTATION_INTEGRITY, none,
              "signature does not match the given artifact: it names "
              "sha256:5a07385af4e6b6af81b0ebfd435aedccdfa3507f0609c658209e1aba57159b2b");
}

/* A verification plugin is asked for (crit): vouch runs none, so authenticity fails (strict
 * rejects naming the plugin, audit logs it) and what the plugin says of revocation is
 * unknown. */
static void test_plugin_envelopes(void **state)
{
    static const struct sign_notation_target t = {
        "sha256:fe7e9333395060c2f5e63cf36a38fba10176f183b4163a5794e081a480abba5f",
        SIGN_OCI_MT_DOCKER_MANIFEST, 942};
    static const char *const docs[] = {
        "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"p\",\"registryScopes\":[\"*\"],"
        "\"signatureVerification\":{\"level\":\"strict\",\"override\":{\"revocation\":\"log\"}},"
        "\"trustStores\":[\"ca:valid-trust-store\"],\"trustedIdentities\":[\"*\"]}]}",
        "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"p\",\"registryScopes\":[\"*\"],"
        "\"signatureVerification\":{\"level\":\"audit\"},\"trustStores\":[\"ca:valid-trust-"
        "store\"],\"trustedIdentities\":[\"*\"]}]}"};
    (void)state;
    for (int i = 0; i < 2; i++) {
        struct sign_notation_policy *p = policy(docs[i]);
        struct sign_notation_result r;
        struct vouch_error err = VOUCH_ERROR_INIT;
        int rc =
            verify(&r, p, "x.io/a", &t, SIGN_NOTATION_MT_JWS,
                   ts_shared(MOCK "ca_compatible_pluginver_sig_env_1.0.0.json"), store_dir(), &err);
        assert_int_equal(i == 0 ? VOUCH_EVERIFY : 0, rc);
        assert_int_equal(SIGN_NOTATION_FAIL, r.checks[SIGN_NOTATION_AUTHENTICITY].outcome);
        assert_string_equal("signature requires verification plugin "
                            "'io.cncf.notary.plugin.unittest.mock', which vouch does not run",
                            r.checks[SIGN_NOTATION_AUTHENTICITY].detail);
        assert_int_equal(i == 0 ? SIGN_NOTATION_NOT_RUN : SIGN_NOTATION_UNKNOWN,
                         r.checks[SIGN_NOTATION_REVOCATION].outcome);
        if (i == 1) {
            assert_string_equal("revocation status from verification plugin "
                                "'io.cncf.notary.plugin.unittest.mock' is unknown: vouch does not "
                                "run plugins",
                                r.checks[SIGN_NOTATION_REVOCATION].detail);
        }
        sign_notation_policy_free(p);
    }
}

static void test_no_policy_and_skip(void **state)
{
    struct sign_notation_policy *p = mock_policy("strict", STORES, "\"*\"");
    struct sign_notation_result r;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(VOUCH_EPOLICY,
                     verify(&r, p, "non-existent-domain.com/repo", &mock_target,
                            SIGN_NOTATION_MT_JWS, ts_shared(MOCK "ca_valid_sig_env.json"),
                            store_dir(), &err));
    assert_string_equal("artifact \"non-existent-domain.com/repo\" has no applicable trust policy "
                        "statement",
                        err.msg);
    sign_notation_policy_free(p);
    /* unsupported envelope type: integrity fails at every level */
    p = mock_policy("audit", STORES, "\"*\"");
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EVERIFY,
                     verify(&r, p, MOCK_REPO, &mock_target, "application/unsupported+json",
                            ts_shared(MOCK "ca_valid_sig_env.json"), store_dir(), &err));
    assert_string_equal("integrity: signature envelope format with media type "
                        "\"application/unsupported+json\" is not supported",
                        err.msg);
    sign_notation_policy_free(p);
    /* skip: nothing is looked at, not even the envelope */
    p = policy(
        "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"s\",\"registryScopes\":[\"" MOCK_REPO
        "\"],\"signatureVerification\":{\"level\":\"skip\"}}]}");
    assert_int_equal(0, verify(&r, p, MOCK_REPO, &mock_target, SIGN_NOTATION_MT_JWS,
                               ts_shared(MOCK "ca_invalid_sig_env.json"), NULL, &err));
    assert_int_equal(1, r.verified);
    sign_notation_policy_free(p);
}

static void bad_policy(const char *stmt_tail, const char *msg)
{
    char doc[2048];
    struct sign_notation_policy *p = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    snprintf(doc, sizeof(doc),
             "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"test-statement-name\","
             "\"registryScopes\":[\"" MOCK_REPO "\"],%s}]}",
             stmt_tail);
    assert_int_equal(VOUCH_EINVAL, sign_notation_policy_parse(&p, (const unsigned char *)doc,
                                                              strlen(doc), "tp.json", &err));
    assert_null(p);
    assert_string_equal(msg, err.msg);
}

static void test_policy_errors(void **state)
{
    (void)state;
    bad_policy("\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":["
               "\"ca:valid-trust-store-2\",\"signingAuthority\"],\"trustedIdentities\":[\"*\"]",
               "'tp.json': trust policy statement \"test-statement-name\" is missing separator "
               "in trust store value \"signingAuthority\". The required format is "
               "<TrustStoreType>:<TrustStoreName>");
    bad_policy("\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:x\"],"
               "\"trustedIdentities\":[\"x509.subject\"]",
               "'tp.json': trust policy statement \"test-statement-name\" has trusted identity "
               "\"x509.subject\" missing separator");
    bad_policy("\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:x\"],"
               "\"trustedIdentities\":[\"x509.subject:\"]",
               "'tp.json': trust policy statement \"test-statement-name\" has trusted identity "
               "\"x509.subject:\" without an identity value");
    bad_policy("\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:x\"],"
               "\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=a\","
               "\"x509.subject:C=US,ST=WA,O=a,OU=b\"]",
               "'tp.json': trust policy statement \"test-statement-name\" has overlapping x509 "
               "trustedIdentities");
    bad_policy("\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:x\"],"
               "\"trustedIdentities\":[\"x509.subject:C=US,O=a\"]",
               "'tp.json': trust policy statement \"test-statement-name\" has trusted identity "
               "\"x509.subject:C=US,O=a\" without the mandatory \"ST\" attribute");
    bad_policy("\"signatureVerification\":{\"level\":\"strict\",\"override\":{\"integrity\":"
               "\"log\"}},\"trustStores\":[\"ca:x\"],\"trustedIdentities\":[\"*\"]",
               "'tp.json': trust policy statement \"test-statement-name\" has an invalid override "
               "\"integrity\": \"log\"");
    bad_policy("\"signatureVerification\":{\"level\":\"skip\"},\"trustStores\":[\"ca:x\"]",
               "'tp.json': trust policy statement \"test-statement-name\" is set to skip "
               "signature verification but configured with trust stores and/or trusted "
               "identities, remove them as they are not needed");
}

/* A trust store under a fresh directory: type/name holding the envelope's own signing
 * certificate (the layout's envelopes are signed by a self-signed leaf no shipped store
 * holds), plus the shipped tsa stores. */
static const char *own_store(const char *name, const char *file, int cose)
{
    static char dir[4096];
    char path[4600];
    size_t len = 0;
    unsigned char *data = ts_read(ts_shared(file), &len);
    struct nt_env e;
    FILE *f;
    snprintf(dir, sizeof(dir), "%s", ts_tmpdir(name));
    struct vouch_error err = VOUCH_ERROR_INIT;
    if ((cose ? nt_cose_parse(&e, data, len, &err) : nt_jws_parse(&e, data, len, &err)) != 0) {
        fail_msg("%s: %s", file, err.msg);
    }
    snprintf(path, sizeof(path), "%s/x509", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/x509/ca", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/x509/ca/own", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/x509/ca/own/leaf.pem", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    PEM_write_X509(f, sk_X509_value(e.chain, 0));
    fclose(f);
    nt_env_release(&e);
    free(data);
    snprintf(path, sizeof(path), "cp -r '%s/x509/tsa' '%s/x509/'", ts_shared(STORE), dir);
    assert_int_equal(0, system(path));
    return dir;
}

static void test_layout_envelopes(void **state)
{
    static const struct {
        const char *file, *mt;
        int cose;
        const char *time;
    } envs[] = {{"vectors/notation/internal/testdata/jws_signature.sig", SIGN_NOTATION_MT_JWS, 0,
                 "2023-03-14T08:10:02Z"},
                {"vectors/notation/internal/testdata/cose_signature.sig", SIGN_NOTATION_MT_COSE, 1,
                 "2023-03-14T04:45:22Z"}};
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        const char *dir =
            own_store(i ? "nt-layout-cose" : "nt-layout-jws", envs[i].file, envs[i].cose);
        struct sign_notation_policy *p = policy(
            "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"layout\",\"registryScopes\":"
            "[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":"
            "[\"ca:own\"],\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=Notary,CN=alpine\"]}]"
            "}");
        struct sign_notation_result r;
        struct vouch_error err = VOUCH_ERROR_INIT;
        int rc = verify(&r, p, "local/oci-layout", &layout_target, envs[i].mt,
                        ts_shared(envs[i].file), dir, &err);
        if (rc != 0) {
            fail_msg("%s: %s", envs[i].file, err.msg);
        }
        assert_string_equal("CN=alpine,O=Notary,L=Seattle,ST=WA,C=US", r.subject);
        assert_string_equal("notary.x509", r.scheme);
        assert_string_equal(envs[i].time, r.signing_time);
        /* the wrong trust store: the shipped ca store does not hold this leaf */
        vouch_error_clear(&err);
        assert_int_equal(VOUCH_ENOTFOUND,
                         verify(&r, p, "local/oci-layout", &layout_target, envs[i].mt,
                                ts_shared(envs[i].file), store_dir(), &err));
        /* another artifact */
        struct sign_notation_target other = layout_target;
        other.size = 480;
        vouch_error_clear(&err);
        assert_int_equal(VOUCH_EVERIFY, verify(&r, p, "local/oci-layout", &other, envs[i].mt,
                                               ts_shared(envs[i].file), dir, &err));
        sign_notation_policy_free(p);
    }
}

/* timestamp_test.go: envelopes with and without countersignatures. */
static void ts_case(const char *file, int cose, const char *stores, const char *level,
                    const char *detail)
{
    char doc[1024];
    const char *dir = own_store("nt-ts", file, cose);
    struct sign_notation_policy *p;
    struct sign_notation_result r;
    struct vouch_error err = VOUCH_ERROR_INIT;
    snprintf(doc, sizeof(doc),
             "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"test-timestamp\","
             "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"%s\"},"
             "\"trustStores\":[%s],\"trustedIdentities\":[\"*\"]}]}",
             level, stores);
    p = policy(doc);
    int rc =
        verify(&r, p, "x.io/a", &ts_target, cose ? SIGN_NOTATION_MT_COSE : SIGN_NOTATION_MT_JWS,
               ts_shared(file), dir, &err);
    if (detail == NULL && rc != 0) {
        fail_msg("%s: %s", file, err.msg);
    }
    assert_int_equal(detail == NULL || strcmp(level, "strict") != 0 ? 0 : VOUCH_EVERIFY, rc);
    assert_string_equal(detail ? detail : "", r.checks[SIGN_NOTATION_AUTHENTIC_TIMESTAMP].detail);
    sign_notation_policy_free(p);
}

#define TSA "\"ca:own\",\"tsa:test-timestamp\""
#define TESTTSA "\"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\""

static void test_timestamps(void **state)
{
    (void)state;
    ts_case(TS_ENV "jwsWithTimestamp.sig", 0, TSA, "strict", NULL);
    ts_case(TS_ENV "coseWithTimestamp.sig", 1, TSA, "strict", NULL);
    ts_case(TS_ENV "jwsExpiredWithTimestamp.sig", 0, TSA, "strict", NULL);
    ts_case(TS_ENV "coseExpiredWithTimestamp.sig", 1, TSA, "strict", NULL);
    ts_case(TS_ENV "coseExpiredWithTimestamp.sig", 1, "\"ca:own\"", "strict",
            "verification time is after certificate " TESTTSA " validity period, it was expired "
            "at \"Tue, 18 Jun 2024 07:30:31 +0000\"");
    ts_case(TS_ENV "coseExpiredWithTimestamp.sig", 1, "\"ca:own\"", "permissive",
            "verification time is after certificate " TESTTSA " validity period, it was expired "
            "at \"Tue, 18 Jun 2024 07:30:31 +0000\"");
    ts_case(TS_ENV "withoutTimestamp.sig", 0, TSA, "strict",
            "no timestamp countersignature was found in the signature envelope");
    ts_case(TS_ENV "withoutTimestamp.sig", 0, "\"ca:own\"", "strict", NULL);
    ts_case(TS_ENV "timestampBeforeNotBefore.sig", 0, TSA, "strict",
            "timestamp can be before certificate " TESTTSA " validity period, it will be valid "
            "from \"Fri, 18 Sep 2099 11:54:34 +0000\"");
    ts_case(TS_ENV "timestampAfterNotAfter.sig", 1, TSA, "strict",
            "timestamp can be after certificate " TESTTSA " validity period, it was expired at "
            "\"Tue, 18 Sep 2001 11:54:34 +0000\"");
}

static void test_timestamp_wrong_tsa(void **state)
{
    char doc[1024];
    const char *dir = own_store("nt-ts-mismatch", TS_ENV "coseWithTimestamp.sig", 1);
    struct sign_notation_policy *p;
    struct sign_notation_result r;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    snprintf(doc, sizeof(doc),
             "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"t\",\"registryScopes\":[\"*\"],"
             "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:own\","
             "\"tsa:test-mismatch\"],\"trustedIdentities\":[\"*\"]}]}");
    p = policy(doc);
    assert_int_equal(VOUCH_EVERIFY, verify(&r, p, "x.io/a", &ts_target, SIGN_NOTATION_MT_COSE,
                                           ts_shared(TS_ENV "coseWithTimestamp.sig"), dir, &err));
    assert_string_equal("failed to verify the timestamp countersignature: timestamp of "
                        "2024-06-18T06:27:16Z not verified by 'CN=DigiCert Trusted Root G4,"
                        "OU=www.digicert.com,O=DigiCert Inc,C=US': certificate verify error",
                        r.checks[SIGN_NOTATION_AUTHENTIC_TIMESTAMP].detail);
    sign_notation_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mock_verdicts),       cmocka_unit_test(test_plugin_envelopes),
        cmocka_unit_test(test_no_policy_and_skip),  cmocka_unit_test(test_policy_errors),
        cmocka_unit_test(test_layout_envelopes),    cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_timestamp_wrong_tsa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
