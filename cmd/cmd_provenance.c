/* vouch provenance: an in-toto statement with a SLSA v1 provenance predicate for files,
 * filled from the CI environment (GitHub Actions, GitLab CI, AWS CodeBuild) and flags;
 * printed as JSON, or signed into a DSSE envelope line or a sigstore bundle. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attest_image.h"
#include "attest_util.h"
#include "cmd.h"
#include "image.h"
#include "keyfile.h"
#include "out.h"
#include "sign/bundle.h"
#include "slsa/ci.h"
#include "slsa/provenance.h"
#include "vouch/io.h"

const char cmd_provenance_usage[] =
    "usage: vouch provenance --subject PATH... [--builder-id URI] [--build-type URI]\n"
    "                        [--material URI@ALG:HEX]... [--invocation-id ID]\n"
    "                        [--started-on TIME] [--finished-on TIME]\n"
    "                        [--ci auto|none|github|gitlab|codebuild]\n"
    "                        [--key KEY [--bundle]] [-o FILE] [registry flags]\n"
    "\n"
    "Write an in-toto Statement v1 with a SLSA Provenance v1 predicate for the --subject\n"
    "files (SHA-256 and SHA-512) or images (a --subject that is not a file and names an\n"
    "image, oci-dir:PATH[:TAG] or REF:TAG / REF@DIGEST: its manifest digest). The CI\n"
    "environment is detected (GitHub Actions, GitLab CI, AWS CodeBuild) and fills\n"
    "buildType, parameters, the source dependency, builder.id, invocationId and\n"
    "startedOn; flags override it, and outside CI --builder-id and --build-type are\n"
    "required. Values that are not known are left out.\n"
    "TIME is RFC 3339 in UTC (2024-01-02T03:04:05Z).\n"
    "\n"
    "Without --key the statement is printed as JSON. With --key (cosign.key; password from\n"
    "VOUCH_PASSWORD or COSIGN_PASSWORD) it is signed: a DSSE envelope on one line\n"
    "(.intoto.jsonl), or with --bundle a sigstore bundle holding the envelope.\n";

#define EVENT_MAX ((size_t)16 << 20)

struct prov_args {
    const char *subjects[ATTEST_MAX_LIST], *materials[ATTEST_MAX_LIST];
    size_t nsubjects, nmaterials;
    const char *builder_id, *build_type, *invocation_id, *started_on, *finished_on;
    const char *ci, *key, *output;
    int bundle;
    struct regopts ro;
};

static const char *env_get(void *ctx, const char *name)
{
    (void)ctx;
    return getenv(name);
}

static int fill_ci(struct slsa_provenance *p, const char *ci_name, struct vouch_error *err)
{
    enum slsa_ci ci = slsa_ci_detect(env_get, NULL);
    const char *event_path = getenv("GITHUB_EVENT_PATH");
    unsigned char *event = NULL;
    size_t event_len = 0;
    int rc = 0;
    if (ci_name != NULL && strcmp(ci_name, "auto") != 0) {
        rc = slsa_ci_from_name(&ci, ci_name, err);
    }
    if (rc == 0 && ci == SLSA_CI_GITHUB && event_path != NULL && event_path[0] != '\0') {
        rc = vouch_file_read(&event, &event_len, event_path, EVENT_MAX, err);
    }
    if (rc == 0) {
        rc = slsa_provenance_fill_ci(p, ci, env_get, NULL, (const char *)event, event_len, err);
    }
    free(event);
    return rc;
}

static int apply_flags(struct slsa_provenance *p, const struct prov_args *a,
                       struct vouch_error *err)
{
    const struct {
        enum slsa_field field;
        const char *value;
    } rows[] = {
        {SLSA_FIELD_BUILD_TYPE, a->build_type},       {SLSA_FIELD_BUILDER_ID, a->builder_id},
        {SLSA_FIELD_INVOCATION_ID, a->invocation_id}, {SLSA_FIELD_STARTED_ON, a->started_on},
        {SLSA_FIELD_FINISHED_ON, a->finished_on},
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (rows[i].value != NULL) {
            rc = slsa_provenance_set(p, rows[i].field, rows[i].value, err);
        }
    }
    for (size_t i = 0; rc == 0 && i < a->nmaterials; i++) {
        rc = slsa_provenance_add_material(p, a->materials[i], err);
    }
    return rc;
}

/* A --subject that is not an existing file but names an image (a transport prefix, or a
 * :TAG / @DIGEST after the last '/') is an image subject. */
static int is_image(const char *s)
{
    static const char *const transports[] = {
        "oci-dir:", "oci-archive:", "docker-archive:", "registry:"};
    const char *slash = strrchr(s, '/'), *tail = slash != NULL ? slash + 1 : s;
    struct stat sb;
    if (stat(s, &sb) == 0) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
        if (strncmp(s, transports[i], strlen(transports[i])) == 0) {
            return 1;
        }
    }
    return strchr(tail, ':') != NULL || strchr(tail, '@') != NULL;
}

/* The image's manifest digest under its repository name, as cosign names subjects. */
static int add_image_subject(struct slsa_statement *st, const char *image, const struct regopts *ro,
                             struct vouch_error *err)
{
    struct sign_oci_source *src = NULL;
    char digest[SIGN_REF_DIGEST_MAX] = "", name[1024];
    struct slsa_digest d = {"sha256", digest + 7};
    int rc = sign_oci_open(&src, image, &ro->opts, err);
    rc = rc ? rc : attest_image_subject(digest, name, sizeof(name), src, err);
    if (rc == 0 && strncmp(digest, "sha256:", 7) != 0) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "image digest '%s' is not sha256", digest);
    }
    rc = rc ? rc : slsa_statement_add_subject(st, name, &d, 1, err);
    sign_oci_free(src);
    return rc;
}

static int build_statement(char **out, size_t *len, const struct prov_args *a,
                           struct vouch_error *err)
{
    struct slsa_provenance *p = NULL;
    struct slsa_statement *st = NULL;
    char *pred = NULL;
    size_t pred_len = 0;
    int rc = slsa_provenance_new(&p, err);
    rc = rc ? rc : fill_ci(p, a->ci, err);
    rc = rc ? rc : apply_flags(p, a, err);
    rc = rc ? rc : slsa_provenance_write(&pred, &pred_len, p, SLSA_JSON_COMPACT, err);
    if (rc == VOUCH_EINVAL && pred == NULL && strncmp(err->msg, "provenance has no ", 18) == 0) {
        vouch_error_prefix(err, "outside a known CI, give --build-type and --builder-id: ");
    }
    rc = rc ? rc : slsa_statement_new(&st, SLSA_PREDICATE_PROVENANCE_V1, err);
    for (size_t i = 0; rc == 0 && i < a->nsubjects; i++) {
        rc = is_image(a->subjects[i]) ? add_image_subject(st, a->subjects[i], &a->ro, err)
                                      : attest_add_file_subject(st, a->subjects[i], 1, err);
    }
    rc = rc ? rc : slsa_statement_set_predicate(st, pred, pred_len, err);
    rc = rc ? rc
            : slsa_statement_write(out, len, st,
                                   a->key != NULL ? SLSA_JSON_COMPACT : SLSA_JSON_INDENT, err);
    free(pred);
    slsa_statement_free(st);
    slsa_provenance_free(p);
    return rc;
}

static int run(const struct prov_args *a, struct vouch_error *err)
{
    struct sign_key *key = NULL;
    char *stmt = NULL, *signed_out = NULL;
    size_t len = 0, signed_len = 0;
    int rc = build_statement(&stmt, &len, a, err);
    if (rc == 0 && a->key != NULL) {
        rc = cli_load_private_key(&key, a->key, err);
        rc = rc ? rc
                : sign_bundle_sign_statement(&signed_out, &signed_len, stmt, len, key, a->bundle,
                                             err);
    }
    if (rc == 0) {
        rc = signed_out != NULL ? attest_emit(a->output, signed_out, signed_len, err)
                                : attest_emit(a->output, stmt, len, err);
    }
    sign_key_free(key);
    free(stmt);
    free(signed_out);
    return rc;
}

enum {
    O_SUBJECT = 1,
    O_MATERIAL,
    O_BUILDER_ID,
    O_BUILD_TYPE,
    O_INVOCATION_ID,
    O_STARTED_ON,
    O_FINISHED_ON,
    O_CI,
    O_KEY,
    O_BUNDLE,
    O_OUTPUT,
};

static const struct opt_spec prov_specs[] = {
    {"subject", 0, "PATH", "a file, or an image (oci-dir:PATH[:TAG], REF:TAG, REF@DIGEST)",
     OPT_REPEAT, O_SUBJECT, "file"},
    {"material", 0, "URI@ALG:HEX", "a resolved dependency", OPT_REPEAT, O_MATERIAL, NULL},
    {"builder-id", 0, "URI", "builder.id (required outside a known CI)", 0, O_BUILDER_ID, NULL},
    {"build-type", 0, "URI", "buildType (required outside a known CI)", 0, O_BUILD_TYPE, NULL},
    {"invocation-id", 0, "ID", "metadata.invocationId", 0, O_INVOCATION_ID, NULL},
    {"started-on", 0, "TIME", "metadata.startedOn (RFC 3339 UTC)", 0, O_STARTED_ON, NULL},
    {"finished-on", 0, "TIME", "metadata.finishedOn (RFC 3339 UTC)", 0, O_FINISHED_ON, NULL},
    {"ci", 0, "CI", "auto (default), none, github, gitlab or codebuild", 0, O_CI,
     "auto|none|github|gitlab|codebuild"},
    {"key", 0, "KEY", "sign the statement with this cosign private key", 0, O_KEY, "file"},
    {"bundle", 0, NULL, "with --key: write a sigstore bundle, not a DSSE envelope line", 0,
     O_BUNDLE, NULL},
    {"output", 'o', "FILE", "write to FILE (default: standard output)", 0, O_OUTPUT, "file"},
    {0},
};

const struct opt_group cmd_provenance_opts[] = {
    {NULL, prov_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_NOTE},
    {0},
};

static int add_list(const char **list, size_t *n, const char *v, const char *name)
{
    if (*n >= ATTEST_MAX_LIST) {
        return out_usage("provenance", "too many --%s options", name);
    }
    list[(*n)++] = v;
    return EXIT_OK;
}

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct prov_args *a = ctx;
    const char **slot[] = {
        [O_BUILDER_ID] = &a->builder_id,
        [O_BUILD_TYPE] = &a->build_type,
        [O_INVOCATION_ID] = &a->invocation_id,
        [O_STARTED_ON] = &a->started_on,
        [O_FINISHED_ON] = &a->finished_on,
        [O_CI] = &a->ci,
        [O_KEY] = &a->key,
        [O_OUTPUT] = &a->output,
    };
    if (o->id >= REGOPT_FIRST) {
        return regopts_take(&a->ro, o, v, "provenance");
    }
    if (o->id == O_SUBJECT) {
        return add_list(a->subjects, &a->nsubjects, v, o->name);
    }
    if (o->id == O_MATERIAL) {
        return add_list(a->materials, &a->nmaterials, v, o->name);
    }
    if (o->id == O_BUNDLE) {
        a->bundle = opt_on(v);
        return EXIT_OK;
    }
    *slot[o->id] = v;
    return EXIT_OK;
}

int cmd_provenance(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct prov_args a;
    const char *pos[1];
    int npos = 0, rc;
    memset(&a, 0, sizeof(a));
    regopts_init(&a.ro);
    rc = opt_parse("provenance", cmd_provenance_opts, argc, argv, take, &a, pos, 0, &npos);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (a.nsubjects == 0) {
        return out_usage("provenance", "give at least one --subject");
    }
    if (a.bundle && a.key == NULL) {
        return out_usage("provenance", "--bundle needs --key");
    }
    rc = regopts_finish(&a.ro, "provenance");
    if (rc == EXIT_OK) {
        int lrc = run(&a, &err);
        rc = lrc == 0 ? EXIT_OK : out_fail(lrc, &err);
    }
    regopts_release(&a.ro);
    return rc;
}
