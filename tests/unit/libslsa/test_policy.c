/* Policy loading: the documented examples load into the expected model, and every kind of
 * invalid policy is rejected with its exact FILE:LINE:COL message. */
#include "testsupport.h"

#include <stdlib.h>
#include <string.h>

#include "policy_internal.h"
#include "slsa/policy.h"

#define HDR "apiVersion: vouch.dev/policy/v1\n"

static void test_examples_load(void **state)
{
    struct slsa_policy *p = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(0, slsa_policy_load(&p, ts_src("docs/examples/production.yaml"), &err));
    assert_int_equal(2, p->n_rules);
    assert_int_equal(POL_MATCH_FIRST, p->match);
    assert_int_equal(POL_DEFAULT_DENY, p->unmatched);
    assert_string_equal("ghcr.io/acme/**", p->rules[0].images[0]);
    assert_int_equal(2, p->rules[0].sigs.keys.n);
    assert_int_equal(1, p->rules[0].sigs.threshold);
    assert_string_equal("https://slsa.dev/provenance/v1", p->rules[0].atts[0].type);
    assert_int_equal(4, p->rules[0].atts[0].n_conds);
    assert_int_equal(SLSA_SEV_MEDIUM, p->rules[0].vulns.max);
    /* 2027-01-31 is valid through that day: expiry at 2027-02-01T00:00:00Z */
    assert_int_equal(1801440000, p->rules[0].vulns.allow[0].expires);
    assert_int_equal(SLSA_MODE_WARN, p->rules[1].mode);
    assert_string_equal("registry.example.com:5000/mirror/**", p->rules[1].images[0]);
    assert_int_equal(2, slsa_policy_key_count(p));
    assert_int_equal(64, strlen(slsa_policy_hash(p)));
    slsa_policy_free(p);
    assert_int_equal(0, slsa_policy_load(&p, ts_src("docs/examples/offline.yaml"), &err));
    assert_int_equal(POL_MATCH_ALL, p->match);
    assert_string_equal("docker.io/library/*", p->rules[0].repos[1]);
    slsa_policy_free(p);
    assert_int_equal(0, slsa_policy_load(&p, ts_src("docs/examples/pinned.json"), &err));
    assert_int_equal(POL_DEFAULT_WARN, p->unmatched);
    assert_string_equal("v1.0.0", p->rules[0].tags.pins[0].tag);
    assert_int_equal(SLSA_MODE_AUDIT, p->rules[0].mode);
    slsa_policy_free(p);
}

static void test_glob_normalisation(void **state)
{
    struct slsa_policy *p = NULL;
    const char *text = HDR "rules:\n  - name: a\n    images: [nginx, 'index.docker.io/acme/*', "
                           "'localhost:5000/x/**', '**', 'docker.io/**', 'nginx*', "
                           "'*.acme.io/app?']\n";
    (void)state;
    assert_int_equal(0, slsa_policy_parse(&p, text, strlen(text), "p.yaml", NULL, NULL));
    assert_string_equal("docker.io/library/nginx", p->rules[0].images[0]);
    assert_string_equal("docker.io/acme/*", p->rules[0].images[1]);
    assert_string_equal("localhost:5000/x/**", p->rules[0].images[2]);
    assert_string_equal("**", p->rules[0].images[3]);
    assert_string_equal("docker.io/**", p->rules[0].images[4]);
    assert_string_equal("docker.io/library/nginx*", p->rules[0].images[5]);
    assert_string_equal("*.acme.io/app?", p->rules[0].images[6]);
    assert_true(pol_glob_match("ghcr.io/acme/**", "ghcr.io/acme/team/app"));
    assert_true(pol_glob_match("ghcr.io/acme/*", "ghcr.io/acme/app"));
    assert_false(pol_glob_match("ghcr.io/acme/*", "ghcr.io/acme/team/app"));
    assert_false(pol_glob_match("ghcr.io/acme/**", "ghcr.io/acmex/app"));
    assert_true(pol_glob_match("ghcr.io/**/app", "ghcr.io/app"));
    assert_true(pol_glob_match("*-dev", "1.2-dev"));
    slsa_policy_free(p);
}

struct bad_case {
    const char *name;
    const char *text;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    {"bad.yaml", HDR "rules: []\nrulez: 1\n",
     "bad.yaml:3:1: unknown key 'rulez' in policy (did you mean 'rules'?)"},
    {"bad.yaml", "rules: []\n", "bad.yaml:1:1: missing required key 'apiVersion' in policy"},
    {"bad.yaml", "apiVersion: vouch.dev/policy/v2\nrules: []\n",
     "bad.yaml:1:13: unsupported apiVersion 'vouch.dev/policy/v2' (want 'vouch.dev/policy/v1')"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: [x]\n    tagz: {}\n",
     "bad.yaml:5:5: unknown key 'tagz' in rule (did you mean 'tags'?)"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: [x]\n    mode: block\n",
     "bad.yaml:5:11: unknown mode 'block'"},
    {"bad.yaml", HDR "match: some\nrules: []\n", "bad.yaml:2:8: unknown match 'some'"},
    {"bad.yaml", HDR "default: reject\nrules: []\n", "bad.yaml:2:10: unknown default 'reject'"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: x\n",
     "bad.yaml:4:13: expected a list, got a scalar"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: ['ghcr.io/[ab]/x']\n",
     "bad.yaml:4:14: bad glob 'ghcr.io/[ab]/x': character classes, braces, escapes and spaces "
     "are not supported in globs"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: ['Ghcr.io/UPPER']\n",
     "bad.yaml:4:14: bad image glob 'Ghcr.io/UPPER'"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: ['ghcr.io/a:v1']\n",
     "bad.yaml:4:14: bad image glob 'ghcr.io/a:v1'"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: ['ghcr.io/a/']\n",
     "bad.yaml:4:14: bad image glob 'ghcr.io/a/'"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: [x]\n    tags:\n      allow: '(['\n",
     "bad.yaml:6:14: bad regex '([': "},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: [x]\n    tags:\n      deny: [yes]\n",
     "bad.yaml:6:14: expected a string, got a boolean (quote it)"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: [x]\n    tags:\n      requireDigest: 1\n",
     "bad.yaml:6:22: expected true or false"},
    {"bad.yaml",
     HDR "rules:\n  - name: a\n    images: [x]\n    vulnerabilities:\n      maxSeverity: high\n"
         "      allow:\n        - {id: CVE-1, expires: 2027-02-30}\n",
     "bad.yaml:8:32: bad date '2027-02-30' (want YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)"},
    {"bad.yaml",
     HDR "rules:\n  - name: a\n    images: [x]\n    vulnerabilities:\n      maxSeverity: severe\n",
     "bad.yaml:6:20: unknown severity 'severe' (none, low, medium, high, critical)"},
    {"bad.yaml",
     HDR "rules:\n  - name: a\n    images: [x]\n    signatures:\n      keys: [cosign-test.pub]\n"
         "      threshold: \"2\"\n",
     "bad.yaml:7:18: expected an integer"},
    {"bad.yaml",
     HDR "rules:\n  - name: a\n    images: [x]\n    signatures:\n      keys: [cosign-test.pub]\n"
         "      threshold: 2\n",
     "bad.yaml:6:7: threshold 2 is more than the 1 keys listed"},
    {"bad.yaml",
     HDR "rules:\n  - name: a\n    images: [x]\n    signatures:\n      keys: [nope.pub]\n",
     "bad.yaml:6:14: cannot open '"},
    {"bad.yaml",
     HDR "rules:\n  - name: a\n    images: [x]\n    signatures:\n      keys: [{pem: junk}]\n",
     "bad.yaml:6:20: 'inline key' is not a PEM public key"},
    {"bad.yaml",
     HDR "rules:\n  - name: a\n    images: [x]\n    attestations:\n      - type: slsa\n"
         "        keys: [cosign-test.pub]\n",
     "bad.yaml:6:15: unknown attestation type 'slsa' (a cosign type name or a URI)"},
    {"bad.yaml",
     HDR "rules:\n  - name: a\n    images: [x]\n    attestations:\n      - type: vuln\n"
         "        keys: [cosign-test.pub]\n        conditions:\n          - path: 'a..b'\n"
         "            equals: x\n",
     "bad.yaml:9:19: bad JSON path 'a..b' (want a.b[0].c)"},
    {"bad.yaml", HDR "rules:\n  - name: a\n    images: [x]\n  - name: a\n    images: [y]\n",
     "bad.yaml:5:11: duplicate rule name 'a'"},
    {"bad.yaml", HDR "rules:\n  - &r {name: a, images: [x]}\n",
     "bad.yaml:3:5: anchors and aliases are not supported"},
    {"bad.yaml", HDR "rules: []\nrules: []\n", "bad.yaml:3:1: duplicate key 'rules'"},
    {"bad.yaml", HDR "rules: [\n", "bad.yaml:3:1: did not find expected node content"},
    {"bad.yaml", "", "bad.yaml:1:1: empty policy"},
    {"bad.json", "{\"apiVersion\": }", "bad.json:1:16: unexpected token near '}'"},
    {"bad.json", "{\"apiVersion\": \"vouch.dev/policy/v1\", \"rules\": [], \"x\": 1}",
     "bad.json:1:52: unknown key 'x' in policy"},
    {"bad.json", "{\"apiVersion\": \"vouch.dev/policy/v1\", \"rules\": [], \"rules\": []}",
     "bad.json:1:58: duplicate object key near '\"rules\"'"},
    {"bad.json",
     "{\"apiVersion\": \"vouch.dev/policy/v1\",\n \"rules\": [{\"name\": \"a\", \"images\": "
     "[\"x\"],\n  \"signatures\": {\"keys\": [\"cosign-test.pub\"], \"threshold\": \"1\"}}]}",
     "bad.json:3:60: expected an integer"},
};

static void test_bad_policies(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *b = &bad_cases[i];
        struct slsa_policy *p = NULL;
        struct vouch_error err = VOUCH_ERROR_INIT;
        int rc = slsa_policy_parse(&p, b->text, strlen(b->text), b->name,
                                   ts_src("testvectors/policy"), &err);
        if (rc == 0 || strncmp(err.msg, b->msg, strlen(b->msg)) != 0) {
            print_error("case %zu: rc %d msg '%s'\n  want '%s'\n", i, rc, err.msg, b->msg);
            fail();
        }
        assert_int_equal(VOUCH_EPARSE, rc);
        assert_null(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_load),
        cmocka_unit_test(test_glob_normalisation),
        cmocka_unit_test(test_bad_policies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
