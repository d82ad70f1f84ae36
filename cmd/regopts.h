/* Registry options shared by every command that talks to a registry. */
#ifndef VOUCH_REGOPTS_H
#define VOUCH_REGOPTS_H

#include "sign/oci.h"

struct regopts {
    struct sign_oci_opts opts; /* pass to sign_oci_open */
    const char *username;
    int password_stdin;
    char *password; /* read from stdin; wiped on release */
    char *docker_config;
    const char *sig_repo; /* COSIGN_REPOSITORY: where signatures/attestations live, or NULL */
};

/** Help lines for the shared flags (append to a command's usage). */
#define REGOPTS_USAGE                                                                              \
    "  --registry-username USER     registry user (password from --registry-password-stdin)\n"     \
    "  --registry-password-stdin    read the registry password from stdin\n"                       \
    "  --ca-cert FILE               trust this PEM CA bundle for registry TLS\n"                   \
    "  --allow-insecure-registry    allow plain HTTP and unverified TLS (testing only)\n"          \
    "Credentials otherwise come from $DOCKER_CONFIG/config.json or ~/.docker/config.json\n"        \
    "(credHelpers, credsStore: docker-credential-<name> on PATH, auths).\n"

/** Help line for COSIGN_REPOSITORY (commands that read or write .sig/.att images). */
#define REGOPTS_SIGREPO_USAGE                                                                      \
    "COSIGN_REPOSITORY=REGISTRY/REPO keeps signatures and attestations in that repository.\n"

void regopts_init(struct regopts *ro);

/**
 * If argv[*i] is a registry flag, consume it (and its value, advancing *i) and return 1;
 * return 0 when it is not one, or EXIT_USAGE after printing a usage error.
 */
int regopts_parse(struct regopts *ro, int argc, char **argv, int *i, const char *cmd);

/** Read the password (stdin), find the docker config, read COSIGN_REPOSITORY; 0 or an exit
 *  code (message printed). */
int regopts_finish(struct regopts *ro, const char *cmd);

void regopts_release(struct regopts *ro);

#endif
