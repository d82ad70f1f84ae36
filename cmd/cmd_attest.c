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
    "the same predicate type. IMAGE is a registry reference or oci-dir:PATH[:TAG].\n";

enum { O_KEY = 1, O_PREDICATE, O_TYPE, O_REPLACE };

static const struct opt_spec attest_specs[] = {
    ATTEST_ROWS_KEY_PREDICATE_TYPE(O_KEY, O_PREDICATE, O_TYPE),
    {"replace", 0, NULL, "first remove attestations of the same predicate type", 0, O_REPLACE,
     NULL},
    {0},
};

const struct opt_group cmd_attest_opts[] = {
    {NULL, attest_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

struct attest_args {
    const char *key, *pred, *type;
    int replace;
    struct regopts ro;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct attest_args *a = ctx;
    switch (o->id) {
    case O_KEY:
        a->key = v;
        return EXIT_OK;
    case O_PREDICATE:
        a->pred = v;
        return EXIT_OK;
    case O_TYPE:
        a->type = v;
        return EXIT_OK;
    case O_REPLACE:
        a->replace = opt_on(v);
        return EXIT_OK;
    default:
        return regopts_take(&a->ro, o, v, "attest");
    }
}

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
    struct attest_args a = {.type = "custom"};
    const char *pos[1];
    int npos = 0, rc;
    regopts_init(&a.ro);
    rc = opt_parse("attest", cmd_attest_opts, argc, argv, take, &a, pos, 1, &npos);
    if (rc == EXIT_OK && (a.key == NULL || a.pred == NULL || npos != 1)) {
        rc = out_usage("attest", "give --key, --predicate and one IMAGE");
    }
    rc = rc ? rc : regopts_finish(&a.ro, "attest");
    rc = rc ? rc : image_open(&src, pos[0], &a.ro);
    if (rc == EXIT_OK) {
        int lrc = run(a.key, a.type, a.pred, a.replace, src, &a.ro, &err);
        rc = lrc == 0 ? EXIT_OK : out_fail(lrc, &err);
    }
    sign_oci_free(src);
    regopts_release(&a.ro);
    return rc;
}
