/* ECR lifecycle evaluation through the public API: tag selection (every prefix/pattern
 * matched by some tag, '*' wildcards), count and age rules, protection by earlier rules. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsa/lifecycle.h"

#define DAY 86400

static struct slsa_lc_plan *preview(const char *policy, const char *images, int64_t now)
{
    struct slsa_lifecycle *p = NULL;
    struct slsa_lc_plan *pl = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (slsa_lifecycle_parse(&p, policy, strlen(policy), "p", &err) != 0 ||
        slsa_lifecycle_preview(&pl, p, images, strlen(images), "i", now, &err) != 0) {
        fail_msg("%s", err.msg);
    }
    slsa_lifecycle_free(p);
    return pl;
}

/* expired flags of the entries, as a string of 0/1 */
static void expect_expired(const struct slsa_lc_plan *pl, const char *want)
{
    char got[64] = {0};
    for (size_t i = 0; i < slsa_lc_plan_count(pl) && i + 1 < sizeof(got); i++) {
        got[i] = slsa_lc_plan_at(pl, i)->expired ? '1' : '0';
    }
    assert_string_equal(want, got);
}

#define RULE(prio, sel)                                                                            \
    "{\"rulePriority\":" #prio ",\"selection\":{" sel "},\"action\":{\"type\":\"expire\"}}"
#define IMG(d, tags, t)                                                                            \
    "{\"imageDigest\":\"sha256:" d "\",\"imageTags\":" tags ",\"imagePushedAt\":" #t "}"

static void test_patterns(void **state)
{
    /* all patterns must be matched: "prod*" and "*-2026*" select only the first image */
    const char *pol = "{\"rules\":[" RULE(
        1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\",\"*-2026*\"],\"countType\":"
           "\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":1") "]}";
    const char *imgs = "{\"imageDetails\":[" IMG("1", "[\"prod\",\"build-2026-01\"]", 0) "," IMG(
        "2", "[\"prod\"]", 0) "," IMG("3", "[\"prod-x-2026\"]", 0) "," IMG("4", "[\"dev-2026\"]",
                                                                           0) "]}";
    struct slsa_lc_plan *pl = preview(pol, imgs, 10 * DAY);
    (void)state;
    expect_expired(pl, "1010");
    slsa_lc_plan_free(pl);
}

static void test_prefix_and_count(void **state)
{
    /* keep 1 "v" image; an image matched by rule 1 is never expired by rule 2 (any, 0 days
     * would take everything) */
    const char *pol = "{\"rules\":[" RULE(
        5, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"],\"countType\":"
           "\"imageCountMoreThan\",\"countNumber\":1") "," RULE(9, "\"tagStatus\":\"any\","
                                                                   "\"countType\":"
                                                                   "\"sinceImagePushed\","
                                                                   "\"countUnit\":\"days\","
                                                                   "\"countNumber\":1") "]}";
    const char *imgs =
        "{\"imageDetails\":[" IMG("1", "[\"v1\"]", 100) "," IMG("2", "[\"v2\"]", 300) "," IMG(
            "3", "[\"v3\"]", 200) "," IMG("4", "[]", 50) "," IMG("5", "[\"x\"]", 999999) "]}";
    struct slsa_lc_plan *pl = preview(pol, imgs, 5 * DAY);
    (void)state;
    /* v2 newest kept; v3, v1 expired by rule 5; the old untagged one by rule 9; x was
     * pushed after now (clock skew): kept */
    expect_expired(pl, "10110");
    assert_int_equal(5, slsa_lc_plan_at(pl, 0)->rule);
    assert_int_equal(9, slsa_lc_plan_at(pl, 3)->rule);
    slsa_lc_plan_free(pl);
}

static void test_companions(void **state)
{
    char imgs[1024];
    const char *pol = "{\"rules\":[" RULE(1, "\"tagStatus\":\"untagged\",\"countType\":"
                                             "\"imageCountMoreThan\",\"countNumber\":1") "]}";
    const char *h = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    struct slsa_lc_plan *pl;
    (void)state;
    snprintf(imgs, sizeof(imgs),
             "{\"imageDetails\":[{\"imageDigest\":\"sha256:%s\",\"imagePushedAt\":1},"
             "{\"imageDigest\":\"sha256:%s\",\"imagePushedAt\":2},"
             "{\"imageDigest\":\"sha256:9\",\"imageTags\":[\"sha256-%s.sbom\"],"
             "\"imagePushedAt\":3},{\"imageDigest\":\"sha256:8\",\"imageTags\":[\"sha256-%s."
             "sig.bak\"],\"imagePushedAt\":3}]}",
             h, "f", h, h);
    pl = preview(pol, imgs, 10);
    expect_expired(pl, "1000");
    assert_int_equal(SLSA_LC_SBOM, slsa_lc_plan_at(pl, 2)->role);
    assert_true(slsa_lc_plan_at(pl, 2)->orphaned);
    assert_false(slsa_lc_plan_at(pl, 2)->breaks);
    assert_int_equal(SLSA_LC_IMAGE, slsa_lc_plan_at(pl, 3)->role); /* not a cosign tag */
    assert_string_equal("sbom", slsa_lc_role_name(SLSA_LC_SBOM));
    slsa_lc_plan_free(pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_prefix_and_count),
        cmocka_unit_test(test_companions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
