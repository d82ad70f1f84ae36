/* Policy evaluation: a table of (image, evidence, time) cases with the expected decision
 * and the reason that explains it. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsa/policy.h"

static const char policy_text[] =
    "apiVersion: vouch.dev/policy/v1\n"
    "match: first\n"
    "rules:\n"
    "  - name: signed\n"
    "    images: ['ghcr.io/acme/signed/**']\n"
    "    signatures: {keys: [cosign-test.pub, cosign2.pub], threshold: 1}\n"
    "  - name: both\n"
    "    images: ['ghcr.io/acme/both/**']\n"
    "    signatures:\n"
    "      keys: [cosign-test.pub, {path: cosign2.pub}]\n"
    "      annotations: {env: prod}\n"
    "  - name: prov\n"
    "    images: [ghcr.io/acme/prov]\n"
    "    attestations:\n"
    "      - type: slsaprovenance1\n"
    "        keys: [cosign-test.pub]\n"
    "        builderId: 'https://github.com/acme/**'\n"
    "        sourceBranch: main\n"
    "        conditions: [{path: 'buildDefinition.resolvedDependencies[0].digest.gitCommit',"
    " equals: abc123}]\n"
    "  - name: tags\n"
    "    images: ['docker.io/library/*']\n"
    "    tags: {deny: [latest], allow: '^[0-9]+\\.[0-9]+(\\.[0-9]+)?$'}\n"
    "  - name: digest\n"
    "    images: ['registry.local:5000/pinned/*']\n"
    "    tags: {requireDigest: true}\n"
    "  - name: scanned\n"
    "    images: [ghcr.io/acme/scanned]\n"
    "    vulnerabilities:\n"
    "      maxSeverity: high\n"
    "      allow: [{id: CVE-2019-14697, expires: 2027-01-31, reason: test}]\n"
    "  - name: strict\n"
    "    images: [ghcr.io/acme/strict]\n"
    "    vulnerabilities: {maxSeverity: high, vex: false}\n"
    "  - name: attscan\n"
    "    images: [ghcr.io/acme/attscan]\n"
    "    vulnerabilities: {maxSeverity: medium}\n"
    "  - name: warned\n"
    "    images: [ghcr.io/acme/warned]\n"
    "    mode: warn\n"
    "    tags: {deny: [latest]}\n"
    "  - name: registries\n"
    "    images: ['**']\n"
    "    repositories: ['ghcr.io/**']\n";

static const char vex_text[] =
    "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":"
    "{\"name\":\"CVE-2019-14697\"},\"products\":[{\"@id\":\"pkg:oci/%s\"}],"
    "\"status\":\"not_affected\",\"justification\":\"vulnerable_code_not_present\"}]}";

static const char prov_fmt[] =
    "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],"
    "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":"
    "{\"buildType\":\"https://actions.github.io/buildtypes/workflow/v1\",\"externalParameters\":"
    "{\"workflow\":{\"ref\":\"refs/heads/main\",\"repository\":\"https://github.com/acme/prov\"}},"
    "\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/acme/prov@refs/heads/main\","
    "\"digest\":{\"gitCommit\":\"abc123\"}}]},\"runDetails\":{\"builder\":{\"id\":\"%s\"}}}}";

#define D_A "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define D_B "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define NOW 1795000000LL   /* 2026-11-18 */
#define LATER 1801500000LL /* 2027-02-01T16:40Z: the allow-list entry has expired */

enum {
    E_SIGCAP = 1 << 0,
    E_SIG1 = 1 << 1,
    E_SIG2 = 1 << 2,
    E_SIGX = 1 << 3,
    E_ANN = 1 << 4,
    E_ATTCAP = 1 << 5,
    E_PROV_GOOD = 1 << 6,
    E_PROV_BAD = 1 << 7,
    E_ALPINE = 1 << 8,
    E_VEX = 1 << 9,
    E_ERROR = 1 << 10,
    E_DIGEST_B = 1 << 11,
    E_VULN_ATT = 1 << 12,
};

struct eval_case {
    const char *image;
    unsigned ev;
    long long now;
    int allowed, error;
    const char *reason; /* substring of the first failed reason, or of the last reason */
};

static const struct eval_case cases[] = {
    {"ghcr.io/acme/signed/app:v1", 0, NOW, 0, 0,
     "signature verification not available for 'ghcr.io/acme/signed/app:v1'"},
    {"ghcr.io/acme/signed/app:v1", E_SIGCAP | E_SIG1, NOW, 1, 0,
     "1 of 2 keys verified a signature (threshold 1)"},
    {"ghcr.io/acme/signed/app:v1", E_SIGCAP | E_SIGX, NOW, 0, 0,
     "0 of 2 keys verified a signature (threshold 1)"},
    {"ghcr.io/acme/signed/app:v1", E_SIGCAP, NOW, 0, 0, "0 of 2 keys verified"},
    {"ghcr.io/acme/both/app:v1", E_SIGCAP | E_SIG1 | E_ANN, NOW, 0, 0,
     "1 of 2 keys verified a signature (threshold 2)"},
    {"ghcr.io/acme/both/app:v1", E_SIGCAP | E_SIG1 | E_SIG2 | E_ANN, NOW, 1, 0,
     "2 of 2 keys verified a signature (threshold 2)"},
    {"ghcr.io/acme/both/app:v1", E_SIGCAP | E_SIG1 | E_SIG2, NOW, 0, 0,
     "some signatures lack the required annotations"},
    {"ghcr.io/acme/prov:v1", E_SIGCAP, NOW, 0, 0,
     "attestation verification not available for 'ghcr.io/acme/prov:v1' (type "
     "https://slsa.dev/provenance/v1)"},
    {"ghcr.io/acme/prov:v1", E_ATTCAP | E_PROV_GOOD, NOW, 1, 0,
     "verified https://slsa.dev/provenance/v1 attestation meets 3 condition(s)"},
    {"ghcr.io/acme/prov:v1", E_ATTCAP | E_PROV_BAD, NOW, 0, 0,
     "https://slsa.dev/provenance/v1 attestation: builderId does not match "
     "'https://github.com/acme/**'"},
    {"ghcr.io/acme/prov:v1", E_ATTCAP, NOW, 0, 0,
     "no https://slsa.dev/provenance/v1 attestation verified with the listed keys"},
    {"nginx", 0, NOW, 0, 0, "tag 'latest' is denied by 'latest'"},
    {"nginx:latest", 0, NOW, 0, 0, "tag 'latest' is denied by 'latest'"},
    {"docker.io/library/nginx:1.25", 0, NOW, 1, 0, "tag '1.25' matches"},
    {"index.docker.io/library/nginx:mainline", 0, NOW, 0, 0,
     "tag 'mainline' does not match /^[0-9]+\\.[0-9]+(\\.[0-9]+)?$/"},
    {"nginx@" D_A, 0, NOW, 1, 0, "digest reference without a tag"},
    {"registry.local:5000/pinned/app:v1", 0, NOW, 0, 0,
     "reference 'registry.local:5000/pinned/app:v1' is not pinned by digest"},
    {"registry.local:5000/pinned/app:v1@" D_A, 0, NOW, 1, 0, "reference is pinned by digest"},
    {"ghcr.io/acme/scanned:v1", 0, NOW, 0, 0,
     "no vulnerability report for 'ghcr.io/acme/scanned:v1'"},
    {"ghcr.io/acme/scanned:v1", E_ALPINE, NOW, 1, 0,
     "6 finding(s) in 1 report(s), none above high (2 allow-listed, 0 not_affected by VEX)"},
    {"ghcr.io/acme/scanned:v1", E_ALPINE, LATER, 0, 0,
     "2 finding(s) above high: CVE-2019-14697 (critical, musl 1.1.20-r4, allow-list entry "
     "expired), CVE-2019-14697 (critical, musl-utils 1.1.20-r4, allow-list entry expired)"},
    {"ghcr.io/acme/scanned:v1", E_ALPINE | E_VEX, LATER, 1, 0,
     "(0 allow-listed, 2 not_affected by VEX)"},
    {"ghcr.io/acme/strict:v1", E_ALPINE | E_VEX, NOW, 0, 0,
     "2 finding(s) above high: CVE-2019-14697 (critical, musl 1.1.20-r4)"},
    {"ghcr.io/acme/attscan:v1", E_ATTCAP | E_VULN_ATT, NOW, 0, 0,
     "2 finding(s) above medium: CVE-2021-28831 (high, busybox 1.31.1-r21), CVE-2021-28831 "
     "(high, ssl_client 1.31.1-r21)"},
    {"ghcr.io/acme/warned:latest", 0, NOW, 1, 0, "tag 'latest' is denied by 'latest'"},
    {"quay.io/other/app:v1", 0, NOW, 0, 0,
     "repository 'quay.io/other/app' is not in the "
     "allow-list"},
    {"ghcr.io/other/app:v1", 0, NOW, 1, 0,
     "repository 'ghcr.io/other/app' allowed by "
     "'ghcr.io/**'"},
    {"ghcr.io/other/app:v1", E_ERROR, NOW, 0, 1, "registry: connection refused"},
    {"Not A/Reference", 0, NOW, 0, 1, "invalid image reference 'Not A/Reference'"},
    {"nginx:1.25@" D_A, E_DIGEST_B, NOW, 0, 1,
     "reference digest " D_A " differs from the resolved digest " D_B},
};

static struct slsa_policy *policy;
static struct slsa_vuln_report *alpine;
static char key1[65], key2[65];

static void key_id(char out[65], const char *file)
{
    size_t len = 0;
    unsigned char *pem = ts_read(ts_src(file), &len);
    assert_int_equal(0, slsa_key_id_pem(out, (char *)pem, len, file, NULL));
    free(pem);
}

static int setup(void **state)
{
    size_t len = 0;
    unsigned char *text;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    if (slsa_policy_parse(&policy, policy_text, strlen(policy_text), "eval.yaml",
                          ts_src("testvectors/policy"), &err) != 0) {
        print_error("%s\n", err.msg);
        return -1;
    }
    text = ts_read(ts_src("testvectors/vuln/trivy/alpine-39.json"), &len);
    assert_int_equal(0, slsa_vuln_report_parse(&alpine, (char *)text, len, "alpine-39", NULL));
    free(text);
    key_id(key1, "testvectors/policy/cosign-test.pub");
    key_id(key2, "testvectors/policy/cosign2.pub");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    slsa_policy_free(policy);
    slsa_vuln_report_free(alpine);
    return 0;
}

static void add_prov(struct slsa_evidence *ev, const char *builder)
{
    char buf[2048];
    int n = snprintf(buf, sizeof(buf), prov_fmt, builder);
    assert_int_equal(0, slsa_evidence_add_attestation(ev, key1, buf, (size_t)n, NULL));
}

/* the cosign spec's {"predicate": …} (a Trivy result) as a verified vuln attestation */
static void add_vuln_att(struct slsa_evidence *ev)
{
    size_t len = 0;
    unsigned char *pred =
        ts_read(ts_src("testvectors/vuln/cosign/cosign-spec-vuln-predicate-trivy.json"), &len);
    const char *head = "{\"predicateType\":\"https://cosign.sigstore.dev/attestation/vuln/v1\","
                       "\"subject\":[],";
    size_t hl = strlen(head);
    char *st = malloc(hl + len);
    const char *brace = strchr((char *)pred, '{');
    assert_non_null(st);
    assert_non_null(brace);
    memcpy(st, head, hl);
    memcpy(st + hl, brace + 1, len - (size_t)(brace + 1 - (char *)pred));
    assert_int_equal(0, slsa_evidence_add_attestation(
                            ev, key1, st, hl + len - (size_t)(brace + 1 - (char *)pred), NULL));
    free(st);
    free(pred);
}

static struct slsa_evidence *make_evidence(unsigned f, struct slsa_vex **vex)
{
    struct slsa_evidence *ev = NULL;
    const char *ann = f & E_ANN ? "{\"env\":\"prod\"}" : NULL;
    char buf[512];
    assert_int_equal(0, slsa_evidence_new(&ev, NULL));
    slsa_evidence_mark_checked(ev, (f & E_SIGCAP ? SLSA_CAP_SIGNATURES : 0) |
                                       (f & E_ATTCAP ? SLSA_CAP_ATTESTATIONS : 0));
    if (f & E_SIG1) {
        assert_int_equal(0, slsa_evidence_add_signature(ev, key1, ann, NULL));
    }
    if (f & E_SIG2) {
        assert_int_equal(0, slsa_evidence_add_signature(ev, key2, ann, NULL));
    }
    if (f & E_SIGX) {
        assert_int_equal(0, slsa_evidence_add_signature(ev, "00ff", NULL, NULL));
    }
    if (f & (E_PROV_GOOD | E_PROV_BAD)) {
        add_prov(ev, f & E_PROV_GOOD ? "https://github.com/acme/.github/workflows/b.yml@v1"
                                     : "https://evil.example/builder");
    }
    if (f & E_ALPINE) {
        assert_int_equal(0, slsa_evidence_add_vuln_report(ev, alpine, NULL));
    }
    if (f & E_VEX) {
        int n = snprintf(buf, sizeof(buf), vex_text, f & E_ALPINE ? "scanned" : "x");
        assert_int_equal(0, slsa_vex_parse(vex, buf, (size_t)n, "vex.json", NULL));
        assert_int_equal(0, slsa_evidence_add_vex(ev, *vex, NULL));
    }
    if (f & E_VULN_ATT) {
        add_vuln_att(ev);
    }
    if (f & E_ERROR) {
        assert_int_equal(0, slsa_evidence_add_error(ev, "registry", "connection refused", NULL));
    }
    if (f & E_DIGEST_B) {
        assert_int_equal(0, slsa_evidence_set_digest(ev, D_B, NULL));
    }
    return ev;
}

static const char *explaining_reason(const struct slsa_decision *d)
{
    for (size_t i = 0; i < d->n_reasons; i++) {
        if (!d->reasons[i].passed) {
            return d->reasons[i].message;
        }
    }
    return d->n_reasons > 0 ? d->reasons[d->n_reasons - 1].message : "";
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct eval_case *c = &cases[i];
        struct slsa_vex *vex = NULL;
        struct slsa_evidence *ev = make_evidence(c->ev, &vex);
        struct slsa_decision *d = NULL;
        const char *why;
        assert_int_equal(0, slsa_policy_eval(&d, policy, c->image, ev, c->now, NULL));
        why = explaining_reason(d);
        if (d->allowed != c->allowed || d->error != c->error || strstr(why, c->reason) == NULL) {
            print_error("case %zu (%s): allowed %d error %d reason '%s'\n  want %d %d '%s'\n", i,
                        c->image, d->allowed, d->error, why, c->allowed, c->error, c->reason);
            fail();
        }
        slsa_decision_free(d);
        slsa_evidence_free(ev);
        slsa_vex_free(vex);
    }
}

static void test_default_and_modes(void **state)
{
    static const char *texts[] = {
        "apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: [ghcr.io/x]}]\n",
        "apiVersion: vouch.dev/policy/v1\ndefault: warn\nrules: []\n",
        "apiVersion: vouch.dev/policy/v1\ndefault: allow\nrules: []\n",
        ("apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: ['**'], mode: audit, "
         "signatures: {keys: [cosign-test.pub]}}]\n"),
    };
    static const int allowed[] = {0, 1, 1, 1};
    static const enum slsa_mode modes[] = {SLSA_MODE_ENFORCE, SLSA_MODE_WARN, SLSA_MODE_ENFORCE,
                                           SLSA_MODE_AUDIT};
    (void)state;
    for (size_t i = 0; i < 4; i++) {
        struct slsa_policy *p = NULL;
        struct slsa_decision *d = NULL;
        struct slsa_reason *last;
        assert_int_equal(0, slsa_policy_parse(&p, texts[i], strlen(texts[i]), "d.yaml",
                                              ts_src("testvectors/policy"), NULL));
        assert_int_equal(0, slsa_policy_eval(&d, p, "quay.io/x/y:1", NULL, NOW, NULL));
        last = &d->reasons[d->n_reasons - 1];
        assert_int_equal(allowed[i], d->allowed);
        assert_int_equal(modes[i], last->mode);
        assert_int_equal(i == 2, last->passed);
        assert_string_equal("quay.io/x/y:1", d->image);
        if (i < 3) {
            assert_non_null(strstr(last->message, "no rule matches 'quay.io/x/y'"));
        }
        slsa_decision_free(d);
        slsa_policy_free(p);
    }
}

/* Keyless authorities: the evidence ids they expose, and a signature or statement recorded
 * under one passes with its signer named in the reason; under another id it does not. */
static void test_keyless(void **state)
{
    static const char text[] =
        "apiVersion: vouch.dev/policy/v1\n"
        "rules:\n"
        "  - name: kl\n"
        "    images: ['**']\n"
        "    signatures:\n"
        "      keyless:\n"
        "        identities: [{issuer: https://i, subjectRegExp: '@acme\\.com$'}, {issuer: x, "
        "subject: y}]\n"
        "    attestations:\n"
        "      - type: slsaprovenance1\n"
        "        keyless: {identities: [{issuerRegExp: '^https://', subject: ci}]}\n";
    static const char stmt[] = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],"
                               "\"predicateType\":\"https://slsa.dev/provenance/v1\","
                               "\"predicate\":{}}";
    const struct slsa_signer who = {"me@acme.com", "https://i", 42, 1700000000};
    struct slsa_policy *p = NULL;
    struct slsa_decision *d = NULL;
    struct slsa_evidence *ev = NULL;
    struct slsa_keyless k;
    (void)state;
    assert_int_equal(0, slsa_policy_parse(&p, text, strlen(text), "k.yaml", NULL, NULL));
    assert_int_equal(2, slsa_policy_keyless_count(p));
    assert_int_equal(0, slsa_policy_keyless_at(p, 0, &k));
    assert_string_equal("keyless:kl", k.id);
    assert_int_equal(0, k.attestation);
    assert_int_equal(2, k.n_identities);
    assert_string_equal("@acme\\.com$", k.identities[0].subject_regexp);
    assert_null(k.root);
    assert_int_equal(0, slsa_policy_keyless_at(p, 1, &k));
    assert_string_equal("keyless:kl/attestations[0]", k.id);
    assert_string_equal("https://slsa.dev/provenance/v1", k.predicate_type);
    assert_int_equal(VOUCH_EINVAL, slsa_policy_keyless_at(p, 2, &k));

    /* recorded under other ids (a key's, the other authority's): nothing passes */
    assert_int_equal(0, slsa_evidence_new(&ev, NULL));
    slsa_evidence_mark_checked(ev, SLSA_CAP_SIGNATURES | SLSA_CAP_ATTESTATIONS);
    assert_int_equal(
        0, slsa_evidence_add_signature_by(ev, "keyless:kl/attestations[0]", NULL, &who, NULL));
    assert_int_equal(
        0, slsa_evidence_add_attestation_by(ev, "keyless:kl", stmt, strlen(stmt), &who, NULL));
    assert_int_equal(0, slsa_policy_eval(&d, p, "ghcr.io/a/b:1", ev, NOW, NULL));
    assert_int_equal(0, d->allowed);
    assert_string_equal("signatures.keyless", d->reasons[1].requirement);
    assert_string_equal("no keyless signature verified for subject matching '@acme\\.com$', "
                        "issuer 'https://i' (or one of 1 more identities)",
                        d->reasons[1].message);
    assert_null(d->reasons[1].signer);
    assert_string_equal("no https://slsa.dev/provenance/v1 attestation verified for subject 'ci', "
                        "issuer matching '^https://'",
                        d->reasons[2].message);
    slsa_decision_free(d);
    slsa_evidence_free(ev);

    assert_int_equal(0, slsa_evidence_new(&ev, NULL));
    slsa_evidence_mark_checked(ev, SLSA_CAP_SIGNATURES | SLSA_CAP_ATTESTATIONS);
    assert_int_equal(0, slsa_evidence_add_signature_by(ev, "keyless:kl", NULL, &who, NULL));
    assert_int_equal(0, slsa_evidence_add_attestation_by(ev, "keyless:kl/attestations[0]", stmt,
                                                         strlen(stmt), &who, NULL));
    assert_int_equal(0, slsa_policy_eval(&d, p, "ghcr.io/a/b:1", ev, NOW, NULL));
    assert_int_equal(1, d->allowed);
    assert_string_equal("keyless signature by me@acme.com (issuer https://i, log index 42) "
                        "verified",
                        d->reasons[1].message);
    assert_string_equal("me@acme.com", d->reasons[1].signer);
    assert_string_equal("https://i", d->reasons[1].issuer);
    assert_int_equal(42, d->reasons[1].log_index);
    assert_int_equal(1700000000, d->reasons[1].signed_time);
    assert_string_equal("me@acme.com", d->reasons[2].signer);
    assert_null(d->reasons[0].signer);
    slsa_decision_free(d);
    slsa_evidence_free(ev);
    slsa_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_default_and_modes),
        cmocka_unit_test(test_keyless),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
