/* The `vouch sbom` subcommands for SBOMs made by any tool (cmd_sbom_tools.c). */
#ifndef VOUCH_CMD_SBOM_TOOLS_H
#define VOUCH_CMD_SBOM_TOOLS_H

#include "opt.h"

/** Where the official SBOM schemas are: $VOUCH_SCHEMA_DIR, the installed folder, or the
 *  source tree's schemas/sbom (a build that was not installed). */
const char *sbom_tools_schema_dir(void);

/** `vouch sbom validate FILE...` */
int cmd_sbom_validate(int argc, char **argv);
extern const char cmd_sbom_validate_usage[];
extern const struct opt_group cmd_sbom_validate_opts[];

/** `vouch sbom diff A B`, `vouch sbom query FILE` (cmd_sbom_diff.c) */
int cmd_sbom_diff(int argc, char **argv);
int cmd_sbom_query(int argc, char **argv);
extern const char cmd_sbom_diff_usage[], cmd_sbom_query_usage[];
extern const struct opt_group cmd_sbom_diff_opts[], cmd_sbom_query_opts[];

/** `vouch sbom convert FILE -o FORMAT[=OUT]` (cmd_sbom_convert.c) */
int cmd_sbom_convert(int argc, char **argv);
extern const char cmd_sbom_convert_usage[];
extern const struct opt_group cmd_sbom_convert_opts[];

/** `vouch sbom report FILE [--vulns REPORT] [-o OUT]` (cmd_sbom_report.c) */
int cmd_sbom_report(int argc, char **argv);
extern const char cmd_sbom_report_usage[];
extern const struct opt_group cmd_sbom_report_opts[];

#endif
