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
#include "password.h"

static const char cmd_version_usage[] = "usage: vouch version\n"
                                        "\n"
                                        "Print vouch's version and the versions of the libraries "
                                        "it runs on.\n";

static const struct opt_spec no_specs[] = {{0}};
static const struct opt_group cmd_version_opts[] = {{NULL, no_specs, NULL}, {0}};

/* Rows: adding a command is adding a row (and its cmd_<name>.c). */
const struct cmd cmd_table[] = {
    {"generate-key-pair", cmd_generate_key_pair, "generate a cosign-compatible key pair",
     cmd_generate_key_pair_usage, cmd_generate_key_pair_opts},
    {"public-key", cmd_public_key, "print the public key of a private key", cmd_public_key_usage,
     cmd_public_key_opts},
    {"sign-blob", cmd_sign_blob, "sign a file (cosign sign-blob)", cmd_sign_blob_usage,
     cmd_sign_blob_opts},
    {"verify-blob", cmd_verify_blob, "verify a file's signature or bundle", cmd_verify_blob_usage,
     cmd_verify_blob_opts},
    {"sign", cmd_sign, "sign a container image (cosign .sig format)", cmd_sign_usage,
     cmd_sign_opts},
    {"verify", cmd_verify, "verify a container image's cosign signatures", cmd_verify_usage,
     cmd_verify_opts},
    {"tree", cmd_tree, "show signatures, attestations and SBOMs attached to an image",
     cmd_tree_usage, cmd_tree_opts},
    {"triangulate", cmd_triangulate, "print where an image's signatures are stored",
     cmd_triangulate_usage, cmd_triangulate_opts},
    {"copy", cmd_copy, "copy an image and its signatures between registries and layouts",
     cmd_copy_usage, cmd_copy_opts},
    {"sbom", cmd_sbom,
     "generate an SBOM (SPDX 2.3, CycloneDX 1.6) of a directory, archive or image", cmd_sbom_usage,
     cmd_sbom_opts},
    {"provenance", cmd_provenance, "write SLSA provenance for files (optionally signed)",
     cmd_provenance_usage, cmd_provenance_opts},
    {"attest", cmd_attest, "sign an in-toto attestation and attach it to an image",
     cmd_attest_usage, cmd_attest_opts},
    {"attest-blob", cmd_attest_blob, "sign an in-toto attestation about a file",
     cmd_attest_blob_usage, cmd_attest_blob_opts},
    {"verify-attestation", cmd_verify_attestation,
     "verify attestations about a file or an image (slsa-verifier checks)",
     cmd_verify_attestation_usage, cmd_verify_attestation_opts},
    {"verify-blob-attestation", cmd_verify_blob_attestation,
     "verify an attestation about a file (cosign's name)", cmd_verify_blob_attestation_usage,
     cmd_verify_blob_attestation_opts},
    {"verify-artifact", cmd_verify_artifact,
     "verify SLSA provenance about a file (slsa-verifier's shape)", cmd_verify_artifact_usage,
     cmd_verify_artifact_opts},
    {"verify-image", cmd_verify_image,
     "verify SLSA provenance attached to an image (slsa-verifier's shape)", cmd_verify_image_usage,
     cmd_verify_image_opts},
    {"admit", cmd_admit, "decide whether images may run under a policy", cmd_admit_usage,
     cmd_admit_opts},
    {"webhook", cmd_webhook, "serve the Kubernetes admission webhook", cmd_webhook_usage,
     cmd_webhook_opts},
    {"lifecycle", cmd_lifecycle, "preview an ECR lifecycle policy against signatures",
     cmd_lifecycle_usage, cmd_lifecycle_opts},
    {"trusted-root", cmd_trusted_root, "update Sigstore's trusted root over TUF, show the default",
     cmd_trusted_root_usage, cmd_trusted_root_opts},
    {"version", cmd_version, "print version information", cmd_version_usage, cmd_version_opts},
    {"completion", cmd_completion, "print a bash, zsh or fish completion script",
     cmd_completion_usage, cmd_completion_opts},
    {"help", cmd_help, "show help for a command", cmd_help_usage, cmd_help_opts},
    {NULL, NULL, NULL, NULL, NULL},
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

const struct cmd *cmd_subcommands(const char *name)
{
    return strcmp(name, "sbom") == 0 ? cmd_sbom_subcommands : NULL;
}

static int no_take(void *ctx, const struct opt_spec *o, const char *v)
{
    (void)ctx;
    (void)o;
    (void)v;
    return EXIT_OK;
}

int cmd_version(int argc, char **argv)
{
    const char *none[1];
    int n = 0;
    int rc = opt_parse("version", cmd_version_opts, argc, argv, no_take, NULL, none, 0, &n);
    if (rc != EXIT_OK) {
        return rc;
    }
    printf("vouch %s\n", VOUCH_VERSION);
    printf("  %s\n", OpenSSL_version(OPENSSL_VERSION));
    printf("  libsodium %s\n", sodium_version_string());
    printf("  jansson %s\n", jansson_version_str());
    printf("  %s\n", archive_version_details());
    printf("  libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
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
        cmd_print_overview(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cmd_print_overview(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        return cmd_version(1, argv + 1);
    }
    c = cmd_find(argv[1]);
    if (c == NULL) {
        cmd_unknown(argv[1]);
        fputs("see 'vouch --help'\n", stderr);
        return EXIT_USAGE;
    }
    if (wants_help(argc - 1, argv + 1)) {
        cmd_print_help(stdout, c);
        return EXIT_OK;
    }
    if (sodium_init() < 0) {
        out_msg("cannot initialise libsodium");
        return EXIT_IO;
    }
    cli_secrets_stash();
    return c->run(argc - 1, argv + 1);
}
