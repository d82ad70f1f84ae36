/* The command table and helpers shared by cmd_<name>.c files. */
#ifndef VOUCH_CMD_H
#define VOUCH_CMD_H

#include <stdio.h>

#include "opt.h"
#include "vouch/error.h"

/** One row of the command table. run returns the process exit code. */
struct cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;          /* one line for `vouch --help` */
    const char *usage;            /* synopsis and description for `vouch help CMD` */
    const struct opt_group *opts; /* its option tables (help, man page, completion); NULL:
                                   * the usage text lists them (not yet on opt.h) */
};

/** Exit codes (CLI.md): 0 ok, 1 rejected, 2 usage/input, 3 I/O/network/internal. */
enum {
    EXIT_OK = 0,
    EXIT_REJECTED = 1,
    EXIT_USAGE = 2,
    EXIT_IO = 3,
};

/* cmd_*.c entry points */
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_generate_key_pair(int argc, char **argv);
int cmd_public_key(int argc, char **argv);
int cmd_sign_blob(int argc, char **argv);
int cmd_verify_blob(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_triangulate(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_provenance(int argc, char **argv);
int cmd_attest(int argc, char **argv);
int cmd_attest_blob(int argc, char **argv);
int cmd_verify_attestation(int argc, char **argv);
int cmd_verify_blob_attestation(int argc, char **argv);
int cmd_verify_artifact(int argc, char **argv);
int cmd_verify_image(int argc, char **argv);
int cmd_admit(int argc, char **argv);
int cmd_webhook(int argc, char **argv);
int cmd_lifecycle(int argc, char **argv);
int cmd_trusted_root(int argc, char **argv);

extern const char cmd_generate_key_pair_usage[];
extern const char cmd_public_key_usage[];
extern const char cmd_sign_blob_usage[];
extern const char cmd_verify_blob_usage[];
extern const char cmd_sign_usage[];
extern const char cmd_verify_usage[];
extern const char cmd_sbom_usage[];
extern const char cmd_tree_usage[];
extern const char cmd_triangulate_usage[];
extern const char cmd_copy_usage[];
extern const char cmd_provenance_usage[];
extern const char cmd_attest_usage[];
extern const char cmd_attest_blob_usage[];
extern const char cmd_verify_attestation_usage[];
extern const char cmd_verify_blob_attestation_usage[];
extern const char cmd_verify_artifact_usage[];
extern const char cmd_verify_image_usage[];
extern const char cmd_admit_usage[];
extern const char cmd_webhook_usage[];
extern const char cmd_lifecycle_usage[];
extern const char cmd_trusted_root_usage[];

extern const struct opt_group cmd_generate_key_pair_opts[];
extern const struct opt_group cmd_webhook_opts[];
extern const struct opt_group cmd_public_key_opts[];
extern const struct opt_group cmd_sign_blob_opts[];
extern const struct opt_group cmd_verify_blob_opts[];
extern const struct opt_group cmd_sign_opts[];
extern const struct opt_group cmd_verify_opts[];
extern const struct opt_group cmd_sbom_opts[];
extern const struct opt_group cmd_tree_opts[];
extern const struct opt_group cmd_triangulate_opts[];
extern const struct opt_group cmd_copy_opts[];
extern const struct opt_group cmd_provenance_opts[];
extern const struct opt_group cmd_attest_opts[];
extern const struct opt_group cmd_attest_blob_opts[];
extern const struct opt_group cmd_verify_attestation_opts[];
extern const struct opt_group cmd_verify_blob_attestation_opts[];
extern const struct opt_group cmd_verify_artifact_opts[];
extern const struct opt_group cmd_verify_image_opts[];
extern const struct opt_group cmd_admit_opts[];
extern const struct opt_group cmd_lifecycle_opts[];
extern const struct opt_group cmd_trusted_root_opts[];

/** The table (main.c) and lookup. */
extern const struct cmd cmd_table[];
const struct cmd *cmd_find(const char *name);

/** The subcommand table of command name (`sbom validate`), or NULL. */
const struct cmd *cmd_subcommands(const char *name);
extern const struct cmd cmd_sbom_subcommands[];

/* cmd_help.c: the one text behind `vouch help`, the man pages and completion */
extern const char cmd_help_usage[], cmd_completion_usage[];
extern const struct opt_group cmd_help_opts[], cmd_completion_opts[];
int cmd_completion(int argc, char **argv);
void cmd_print_overview(FILE *fp);
void cmd_print_help(FILE *fp, const struct cmd *c);
/** Print "unknown command" with a suggestion; returns EXIT_USAGE. */
int cmd_unknown(const char *name);

#endif
