/* vouch attest: sign an in-toto statement about an image and attach it to the image's
 * `sha256-<hex>.att` tag as cosign attest does. */
#include <stdlib.h>
#include <string.h>

#include "attest_image.h"
#include "attest_util.h"
#include "cmd.h"
#include "image.h"
#include "keyfile.h"
#include "out.h"
#include "vouch/io.h"

const char cmd_attest_usage[] =
    "usage: vouch attest --key KEY --predicate FILE [--type TYPE] [--replace] IMAGE\n"
    "\n"
    "Sign an in-toto Statement v1 whose subject is IMAGE's manifest digest and whose predicate\n"
    "is --predicate (TYPE as for attest-blob: custom, slsaprovenance, slsaprovenance1, spdxjson,\n"
    "cyclonedx, vuln, openvex, link or a URI), and append the DSSE envelope as a layer of the\n"
    "image's sha256-<hex>.att tag, as cosign does. --replace first removes attestations with\n"
    "the same predicate type. IMAGE is a registry reference or oci-dir:PATH[:TAG].\n"
    "\n" REGOPTS_USAGE REGOPTS_SIGREPO_USAGE;

static int run(const char *key_path, const char *type, const char *pred, int replace,
               struct sign_oci_source *src, const struct regopts *ro, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    struct slsa_statement *st = NULL;
    int rc = attest_statement_new(&st, type, pred, err);
    rc = rc ? rc : cli_load_private_key(&key, key_path, err);
    rc = rc ? rc : attest_image_sign_attach(src, ro, st, key, replace, err);
    sign_key_free(key);
    slsa_statement_free(st);
    return rc;
}

int cmd_attest(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_oci_source *src = NULL;
    struct regopts ro;
    const char *key = NULL, *pred = NULL, *type = "custom", *pos[1];
    int replace = 0, npos = 0, rc;
    const struct attest_opt opts[] = {
        {"--key", &key, NULL, NULL, NULL},   {"--predicate", &pred, NULL, NULL, NULL},
        {"--type", &type, NULL, NULL, NULL}, {"--replace", NULL, NULL, NULL, &replace},
        {NULL, NULL, NULL, NULL, NULL},
    };
    regopts_init(&ro);
    rc = attest_args_parse("attest", argc, argv, opts, &ro, pos, 1, &npos);
    if (rc == EXIT_OK && (key == NULL || pred == NULL || npos != 1)) {
        rc = out_usage("attest", "give --key, --predicate and one IMAGE");
    }
    rc = rc ? rc : regopts_finish(&ro, "attest");
    rc = rc ? rc : image_open(&src, pos[0], &ro);
    if (rc == EXIT_OK) {
        int lrc = run(key, type, pred, replace, src, &ro, &err);
        rc = lrc == 0 ? EXIT_OK : out_fail(lrc, &err);
    }
    sign_oci_free(src);
    regopts_release(&ro);
    return rc;
}
