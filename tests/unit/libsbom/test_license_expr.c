/* SPDX license expressions (SPDX 2.3 Annex D) through sbom_license_expression_valid. */
#include "testsupport.h"

#include "sbom/validate.h"

static void test_valid(void **state)
{
    static const char *const ok[] = {
        "MIT",
        "mit",
        "Apache-2.0 OR MIT",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "(MIT OR Apache-2.0) AND BSD-3-Clause",
        "LGPL-2.1+",
        "LicenseRef-acme-1",
        "DocumentRef-other:LicenseRef-x",
        "((MIT))",
        " MIT  AND\tISC ",
        "GPL-2.0-or-later WITH Bison-exception-2.2 OR MIT",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        if (!sbom_license_expression_valid(ok[i])) {
            fail_msg("refused: %s", ok[i]);
        }
    }
}

static void test_invalid(void **state)
{
    static const char *const bad[] = {
        "",
        "MIT AND",
        "AND MIT",
        "MIT and ISC", /* operators are upper case */
        "(MIT",
        "MIT)",
        "NotALicense-9.9",
        "MIT WITH",
        "GPL-3.0-or-later WITH Bison-exception", /* not on the exceptions list */
        "GPL-3.0-only WITH autoconf-exception+", /* '+' after an exception */
        "LicenseRef-",
        "DocumentRef-:LicenseRef-x",
        "MIT OR OR ISC",
        "(((((((((((((((((((((((((((((((((MIT)))))))))))))))))))))))))))))))))",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (sbom_license_expression_valid(bad[i])) {
            fail_msg("accepted: %s", bad[i]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
