/* Registry options shared by every command that talks to a registry. */
#ifndef VOUCH_REGOPTS_H
#define VOUCH_REGOPTS_H

#include "opt.h"
#include "sign/oci.h"

struct regopts {
    struct sign_oci_opts opts; /* pass to sign_oci_open */
    const char *username;
    int password_stdin;
    const char *password_arg; /* --registry-password */
    char *password;           /* read from stdin; wiped on release */
    char *docker_config;
    const char *sig_repo; /* COSIGN_REPOSITORY: where signatures/attestations live, or NULL */
};

/** The registry options: one group shared by every command that touches a registry
 *  ({"registry options", regopts_specs, REGOPTS_NOTE} in its opt_group list). */
extern const struct opt_spec regopts_specs[];

/** Where credentials come from otherwise (the group's note). */
#define REGOPTS_NOTE                                                                               \
    "Credentials otherwise come from $DOCKER_CONFIG/config.json or ~/.docker/config.json\n"        \
    "(credHelpers, credsStore: docker-credential-<name> on PATH, auths).\n"

/** The note for COSIGN_REPOSITORY (commands that read or write .sig/.att images). */
#define REGOPTS_SIGREPO_NOTE                                                                       \
    REGOPTS_NOTE                                                                                   \
    "COSIGN_REPOSITORY=REGISTRY/REPO keeps signatures and attestations in that repository.\n"

/** Ids of regopts_specs rows; a command's own ids stay below REGOPT_FIRST. */
enum {
    REGOPT_FIRST = 1000,
    REGOPT_USERNAME = REGOPT_FIRST,
    REGOPT_PASSWORD_STDIN,
    REGOPT_CA_CERT,
    REGOPT_INSECURE,
    REGOPT_PASSWORD,
    REGOPT_TOKEN,
    REGOPT_ALLOW_HTTP,
    REGOPT_TIMEOUT,
    REGOPT_VERBOSE,
};

void regopts_init(struct regopts *ro);

/** A command's take function passes regopts_specs rows here (opt.h): EXIT_OK, or a usage
 *  error printed for cmd (also for an id that is not a registry option's). */
int regopts_take(struct regopts *ro, const struct opt_spec *o, const char *value, const char *cmd);

/** opt_parse for a command whose only options are the registry options (groups holds
 *  regopts_specs): operands as for opt_parse. */
int regopts_parse_args(struct regopts *ro, const char *cmd, const struct opt_group *groups,
                       int argc, char **argv, const char **operands, int max, int *n);

/** Read the password (stdin), find the docker config, read COSIGN_REPOSITORY; 0 or an exit
 *  code (message printed). */
int regopts_finish(struct regopts *ro, const char *cmd);

void regopts_release(struct regopts *ro);

#endif
