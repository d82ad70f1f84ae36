/* Package URLs: sbom_purl_parse in both modes; whatever parses must build, and the
 * canonical string must parse again to the same canonical string (a fixed point). */
#include "fuzz.h"
#include "sbom/purl.h"

static void fixed_point(const struct sbom_purl *p)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    char *once = NULL, *twice = NULL;
    int rc = sbom_purl_build(&once, p, &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        return; /* parse accepts a few things build refuses (none known); must explain */
    }
    rc = sbom_purl_canonical(&twice, once, 0, &err);
    if (rc != 0 || strcmp(once, twice) != 0) {
        fprintf(stderr, "fuzz: canonical '%s' is not a fixed point (%s)\n", once,
                rc != 0 ? err.msg : twice);
        abort();
    }
    free(once);
    free(twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    if (s == NULL) {
        return 0;
    }
    for (unsigned flags = 0; flags <= SBOM_PURL_NORMALIZE; flags += SBOM_PURL_NORMALIZE) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct sbom_purl *p = NULL;
        int rc = sbom_purl_parse(&p, s, flags, &err);
        fuzz_check_error(rc, &err);
        if (rc == 0) {
            (void)p->qualifiers;
            fixed_point(p);
        }
        sbom_purl_free(p);
    }
    free(s);
    return 0;
}
