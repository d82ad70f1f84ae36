/* vouch sbom validate|...: the auditor's tools over SBOMs made by any tool (libsbom
 * sbom/validate.h). `vouch sbom SUBCOMMAND` lands here from cmd_sbom.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "opt.h"
#include "out.h"
#include "sbom/validate.h"
#include "sbom_tools.h"
#include "vouch/io.h"

#define SBOM_TOOL_INPUT_MAX ((size_t)512 << 20)
#define SBOM_TOOL_FILES_MAX 256

const char cmd_sbom_validate_usage[] =
    "usage: vouch sbom validate FILE...\n"
    "\n"
    "Check SPDX 2.2/2.3 and CycloneDX 1.4-1.6 JSON documents (from any tool) against the\n"
    "official schemas (format and version detected) and for what the schemas miss: SPDX\n"
    "relationships and documentDescribes naming no element, duplicate SPDXIDs or bom-refs,\n"
    "dependencies on unknown bom-refs, malformed purls, invalid SPDX license expressions.\n"
    "Each problem is one line `FILE: JSON-POINTER: reason`; a valid file prints\n"
    "`FILE: valid FORMAT VERSION`. Exit: 0 all valid, 1 a problem, 2 a file that is not an\n"
    "SBOM or cannot be read.\n"
    "The schemas are read from $VOUCH_SCHEMA_DIR, else the installed ones.\n";

static const struct opt_spec validate_specs[] = {
    {"quiet", 'q', NULL, "print only the problems", 0, 1, NULL},
    {0},
};

const struct opt_group cmd_sbom_validate_opts[] = {
    {NULL, validate_specs, NULL},
    {0},
};

const char *sbom_tools_schema_dir(void)
{
    static const char *const dirs[] = {VOUCH_SCHEMA_DIR_INSTALLED, VOUCH_SCHEMA_DIR_SOURCE};
    const char *env = getenv("VOUCH_SCHEMA_DIR");
    struct stat st;
    if (env != NULL && env[0] != '\0') {
        return env;
    }
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            return dirs[i];
        }
    }
    return dirs[0];
}

static int take_quiet(void *ctx, const struct opt_spec *o, const char *v)
{
    (void)o;
    *(int *)ctx = opt_on(v);
    return EXIT_OK;
}

/* one file: 0 valid, 1 problems, or an exit code >= 2 after printing the error */
static int validate_one(const char *path, const char *schemas, int quiet)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_validation *v = NULL;
    unsigned char *text = NULL;
    size_t len = 0, n;
    int rc = vouch_file_read(&text, &len, path, SBOM_TOOL_INPUT_MAX, &err);
    rc = rc ? rc : sbom_validate(&v, schemas, (const char *)text, len, path, &err);
    free(text);
    if (rc != 0) {
        return out_fail(rc, &err);
    }
    n = sbom_validation_count(v);
    for (size_t i = 0; i < n; i++) {
        const char *ptr = sbom_validation_pointer(v, i);
        printf("%s: %s: %s\n", path, ptr[0] != '\0' ? ptr : "(document)",
               sbom_validation_reason(v, i));
    }
    if (n == 0 && !quiet) {
        printf("%s: valid %s %s\n", path, sbom_validation_format(v), sbom_validation_version(v));
    }
    sbom_validation_free(v);
    return n > 0 ? EXIT_REJECTED : EXIT_OK;
}

int cmd_sbom_validate(int argc, char **argv)
{
    const char *files[SBOM_TOOL_FILES_MAX];
    const char *schemas = sbom_tools_schema_dir();
    int n = 0, quiet = 0, worst = EXIT_OK;
    int rc = opt_parse("sbom validate", cmd_sbom_validate_opts, argc, argv, take_quiet, &quiet,
                       files, SBOM_TOOL_FILES_MAX, &n);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (n == 0) {
        return out_usage("sbom validate", "at least one FILE is required");
    }
    for (int i = 0; i < n; i++) {
        int r = validate_one(files[i], schemas, quiet);
        worst = r > worst ? r : worst;
    }
    return worst;
}
