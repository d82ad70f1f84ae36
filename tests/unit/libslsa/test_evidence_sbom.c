/* A verified SPDX/CycloneDX attestation satisfies `sbom.required`, and its licences feed
 * `sbom.denyLicenses`; other attestations do not count as SBOMs. */
#include "testsupport.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "slsa/evidence.h"
#include "slsa/policy.h"

static const char policy_text[] = "apiVersion: vouch.dev/policy/v1\n"
                                  "rules:\n"
                                  "  - name: sbom\n"
                                  "    images: [\"**\"]\n"
                                  "    sbom: {required: true, denyLicenses: [\"AGPL-*\"]}\n";

static int allowed_with(const char *type, const char *license)
{
    struct slsa_policy *p = NULL;
    struct slsa_evidence *ev = NULL;
    struct slsa_decision *d = NULL;
    char st[1024];
    int n;
    int allowed;
    assert_int_equal(0,
                     slsa_policy_parse(&p, policy_text, strlen(policy_text), "p.yaml", NULL, NULL));
    assert_int_equal(0, slsa_evidence_new(&ev, NULL));
    slsa_evidence_mark_checked(ev, SLSA_CAP_ATTESTATIONS);
    n = snprintf(st, sizeof(st),
                 "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],"
                 "\"predicateType\":\"%s\",\"predicate\":{\"bomFormat\":\"CycloneDX\","
                 "\"components\":[{\"name\":\"a\",\"licenses\":[{\"license\":{\"id\":\"%s\"}}]}],"
                 "\"packages\":[{\"licenseConcluded\":\"%s\"}]}}",
                 type, license, license);
    assert_int_equal(0, slsa_evidence_add_attestation(ev, "k", st, (size_t)n, NULL));
    assert_int_equal(0, slsa_policy_eval(&d, p, "registry.example/app:v1", ev, time(NULL), NULL));
    allowed = d->allowed;
    slsa_decision_free(d);
    slsa_evidence_free(ev);
    slsa_policy_free(p);
    return allowed;
}

static void test_sbom_attestations(void **state)
{
    (void)state;
    assert_true(allowed_with("https://cyclonedx.org/bom", "MIT"));
    assert_true(allowed_with("https://spdx.dev/Document", "Apache-2.0"));
    assert_true(allowed_with("https://cyclonedx.org/bom/v1.6", "MIT"));
    /* a denied licence in the attested SBOM denies */
    assert_false(allowed_with("https://cyclonedx.org/bom", "AGPL-3.0-only"));
    assert_false(allowed_with("https://spdx.dev/Document", "AGPL-3.0-or-later"));
    /* a provenance attestation is not an SBOM */
    assert_false(allowed_with("https://slsa.dev/provenance/v1", "MIT"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_sbom_attestations)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
