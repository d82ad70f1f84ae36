/* vouch: entry point and the command table. Each command lives in cmd_<name>.c. */
#include <stdio.h>
#include <string.h>

#include <archive.h>
#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <sodium.h>

#include "cmd.h"
#include "out.h"

static const char cmd_version_usage[] = "usage: vouch version\n"
                                        "\n"
                                        "Print vouch's version and the versions of the libraries "
                                        "it runs on.\n";
static const char cmd_help_usage[] = "usage: vouch help [COMMAND]\n"
                                     "\n"
                                     "Without COMMAND, list the commands; with it, show its "
                                     "help.\n";

/* Rows: adding a command is adding a row (and its cmd_<name>.c). */
const struct cmd cmd_table[] = {
    {"generate-key-pair", cmd_generate_key_pair, "generate a cosign-compatible key pair",
     cmd_generate_key_pair_usage},
    {"public-key", cmd_public_key, "print the public key of a private key", cmd_public_key_usage},
    {"sign-blob", cmd_sign_blob, "sign a file (cosign sign-blob)", cmd_sign_blob_usage},
    {"verify-blob", cmd_verify_blob, "verify a file's signature or bundle", cmd_verify_blob_usage},
    {"sign", cmd_sign, "sign a container image (cosign .sig format)", cmd_sign_usage},
    {"verify", cmd_verify, "verify a container image's cosign signatures", cmd_verify_usage},
    {"tree", cmd_tree, "show signatures, attestations and SBOMs attached to an image",
     cmd_tree_usage},
    {"triangulate", cmd_triangulate, "print where an image's signatures are stored",
     cmd_triangulate_usage},
    {"copy", cmd_copy, "copy an image and its signatures between registries and layouts",
     cmd_copy_usage},
    {"sbom", cmd_sbom,
     "generate an SBOM (SPDX 2.3, CycloneDX 1.6) of a directory, archive or image", cmd_sbom_usage},
    {"provenance", cmd_provenance, "write SLSA provenance for files (optionally signed)",
     cmd_provenance_usage},
    {"attest", cmd_attest, "sign an in-toto attestation and attach it to an image",
     cmd_attest_usage},
    {"attest-blob", cmd_attest_blob, "sign an in-toto attestation about a file",
     cmd_attest_blob_usage},
    {"verify-attestation", cmd_verify_attestation,
     "verify attestations about a file or an image (slsa-verifier checks)",
     cmd_verify_attestation_usage},
    {"admit", cmd_admit, "decide whether images may run under a policy", cmd_admit_usage},
    {"webhook", cmd_webhook, "serve the Kubernetes admission webhook", cmd_webhook_usage},
    {"trusted-root", cmd_trusted_root, "update Sigstore's trusted root over TUF, show the default",
     cmd_trusted_root_usage},
    {"version", cmd_version, "print version information", cmd_version_usage},
    {"help", cmd_help, "show help for a command", cmd_help_usage},
    {NULL, NULL, NULL, NULL},
};

const struct cmd *cmd_find(const char *name)
{
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

static void print_overview(FILE *fp)
{
    fputs("usage: vouch COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "vouch signs and verifies artefacts and container images (cosign-compatible),\n"
          "generates SBOMs and SLSA provenance, and gates deployments.\n"
          "\n"
          "commands:\n",
          fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        fprintf(fp, "  %-20s %s\n", c->name, c->summary);
    }
    fputs("\nRun 'vouch help COMMAND' or 'vouch COMMAND --help' for details.\n"
          "Exit codes: 0 ok, 1 verification failed or denied, 2 usage or input error,\n"
          "3 I/O, network or internal error.\n",
          fp);
}

int cmd_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        return out_usage("version", "unexpected argument '%s'", argv[1]);
    }
    printf("vouch %s\n", VOUCH_VERSION);
    printf("  %s\n", OpenSSL_version(OPENSSL_VERSION));
    printf("  libsodium %s\n", sodium_version_string());
    printf("  jansson %s\n", jansson_version_str());
    printf("  %s\n", archive_version_details());
    printf("  libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
    return EXIT_OK;
}

int cmd_help(int argc, char **argv)
{
    const struct cmd *c;
    if (argc < 2) {
        print_overview(stdout);
        return EXIT_OK;
    }
    c = cmd_find(argv[1]);
    if (c == NULL) {
        out_msg("unknown command '%s'", argv[1]);
        return EXIT_USAGE;
    }
    fputs(c->usage, stdout);
    return EXIT_OK;
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            return 0;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const struct cmd *c;
    if (argc < 2) {
        print_overview(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_overview(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        return cmd_version(1, argv + 1);
    }
    c = cmd_find(argv[1]);
    if (c == NULL) {
        out_msg("unknown command '%s'", argv[1]);
        fputs("see 'vouch --help'\n", stderr);
        return EXIT_USAGE;
    }
    if (wants_help(argc - 1, argv + 1)) {
        fputs(c->usage, stdout);
        return EXIT_OK;
    }
    if (sodium_init() < 0) {
        out_msg("cannot initialise libsodium");
        return EXIT_IO;
    }
    return c->run(argc - 1, argv + 1);
}
