/* Arguments of `vouch sign` and `vouch verify`. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "out.h"
#include "sign_args.h"

enum {
    O_KEY = 1,
    O_RECURSIVE,
    O_BUNDLE_FORMAT,
    O_IDENTITY,
    O_ANNOTATION,
    O_FORMAT,
    O_TRUST_POLICY,
    O_TRUST_STORE,
    O_SCOPE,
    O_OUTPUT,
    O_CERTIFICATE,
    O_ENVELOPE,
    O_EXPIRY,
    O_YES,
    O_TLOG_UPLOAD,
    O_NEW_BUNDLE,
    O_UPLOAD,
    O_OUT_SIG,
    O_OUT_PAYLOAD,
    O_OUT_CERT,
    O_SIGNING_SCHEME,
    O_TIMESTAMP_URL,
    O_TIMESTAMP_ROOT,
    O_OFFLINE,
};

#define ROW_KEY(help)                                                                              \
    {                                                                                              \
        "key", 0, "KEY", help, 0, O_KEY, "file"                                                    \
    }
#define ROW_ANNOTATION(help)                                                                       \
    {                                                                                              \
        "annotations", 'a', "KEY=VALUE", help, OPT_REPEAT, O_ANNOTATION, NULL                      \
    }
#define ROW_BUNDLE_FORMAT(help)                                                                    \
    {                                                                                              \
        "bundle-format", 0, "FORMAT", help, 0, O_BUNDLE_FORMAT, "legacy|v3"                        \
    }

#define ROW_FORMAT                                                                                 \
    {                                                                                              \
        "format", 0, "FORMAT", "cosign (default) or notation (Notary Project signatures)", 0,      \
            O_FORMAT, "cosign|notation"                                                            \
    }

static const struct opt_spec sign_specs[] = {
    ROW_KEY("the cosign private key (password from VOUCH_PASSWORD,\n"
            "COSIGN_PASSWORD or the terminal)"),
    ROW_ANNOTATION("an annotation for the payload's \"optional\" map"),
    {"sign-container-identity", 0, "ID[,ID]...",
     "sign these identities instead of the image's\n"
     "repository (one signature each)",
     0, O_IDENTITY, NULL},
    {"recursive", 0, NULL, "also sign every image of a multi-platform index", 0, O_RECURSIVE, NULL},
    ROW_BUNDLE_FORMAT("legacy (default: the .sig tag) or v3 (a sigstore bundle\nreferrer)"),
    {"new-bundle-format", 0, NULL, "cosign's name for --bundle-format v3", 0, O_NEW_BUNDLE, NULL},
    {"yes", 'y', NULL, "accepted for cosign scripts: vouch never asks to confirm", 0, O_YES, NULL},
    {"tlog-upload", 0, NULL, "only =false is accepted: vouch uploads to no transparency log", 0,
     O_TLOG_UPLOAD, NULL},
    {"upload", 0, NULL, "attach the signature to the image (default);\n--upload=false only signs",
     0, O_UPLOAD, NULL},
    {"output-signature", 0, "FILE", "also write the base64 signature to FILE", 0, O_OUT_SIG,
     "file"},
    {"output-payload", 0, "FILE", "also write the signed payload to FILE", 0, O_OUT_PAYLOAD,
     "file"},
    {"output-certificate", 0, "FILE",
     "also write the signer's certificate to FILE (with a\nkey: its public key PEM, as cosign)", 0,
     O_OUT_CERT, "file"},
    ROW_FORMAT,
    {"certificate", 0, "CHAIN.pem",
     "notation: the signing certificate, then its CA\ncertificates up to the root", 0,
     O_CERTIFICATE, "file"},
    {"envelope", 0, "TYPE", "notation: jws (default) or cose", 0, O_ENVELOPE, "jws|cose"},
    {"expiry", 0, "DURATION", "notation: expire the signature after 24h, 30m, 7d...", 0, O_EXPIRY,
     NULL},
    {"signing-scheme", 0, "SCHEME",
     "notation: notary.x509 (default) or notary.x509.signingAuthority", 0, O_SIGNING_SCHEME,
     "notary.x509|notary.x509.signingAuthority"},
    {0},
};

static const struct opt_spec verify_specs[] = {
    ROW_KEY("the public key (PEM public key or certificate)"),
    ROW_ANNOTATION("require this annotation in the payload"),
    ROW_BUNDLE_FORMAT("v3: always look up bundle referrers; legacy: never"),
    {"new-bundle-format", 0, NULL, "cosign's name for --bundle-format v3", 0, O_NEW_BUNDLE, NULL},
    ROW_FORMAT,
    {"trust-policy", 0, "FILE",
     "notation: trustpolicy.json (default: Notation's\ntrustpolicy.oci.json or trustpolicy.json)",
     0, O_TRUST_POLICY, "file"},
    {"trust-store", 0, "DIR",
     "notation: the folder holding x509/{ca,signingAuthority,tsa}/\n(default: Notation's "
     "truststore)",
     0, O_TRUST_STORE, "dir"},
    {"scope", 0, "REPO", "notation: the repository URI trust policies match\n(layouts: \"*\" only)",
     0, O_SCOPE, NULL},
    {"output", 'o', "FORMAT",
     "cosign: json (default: the payloads as a JSON array) or text\n"
     "(one payload per line); notation: text (default) or json",
     0, O_OUTPUT, "json|text"},
    {0},
};

const struct opt_group cmd_sign_opts[] = {
    {NULL, sign_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

const struct opt_group cmd_verify_opts[] = {
    {NULL, verify_specs, NULL},
    {"keyless options", keyless_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

static int bundle_format(struct sign_args *a, const char *v, const char *cmd)
{
    if (strcmp(v, "v3") != 0 && strcmp(v, "legacy") != 0) {
        return out_usage(cmd, "--bundle-format must be legacy or v3, not '%s'", v);
    }
    a->v3 = strcmp(v, "v3") == 0;
    a->legacy = !a->v3;
    return EXIT_OK;
}

/* --format, --output, --envelope values; a notation flag marks the notation form. */
static int notation_take(struct sign_args *a, int id, const char *v, const char *cmd)
{
    static const struct {
        int id;
        size_t off;
    } strs[] = {
        {O_TRUST_POLICY, offsetof(struct sign_args, trust_policy)},
        {O_TRUST_STORE, offsetof(struct sign_args, trust_store)},
        {O_SCOPE, offsetof(struct sign_args, scope)},
        {O_CERTIFICATE, offsetof(struct sign_args, certificate)},
        {O_ENVELOPE, offsetof(struct sign_args, envelope)},
        {O_EXPIRY, offsetof(struct sign_args, expiry)},
        {O_SIGNING_SCHEME, offsetof(struct sign_args, signing_scheme)},
        {O_TIMESTAMP_URL, offsetof(struct sign_args, timestamp_url)},
        {O_TIMESTAMP_ROOT, offsetof(struct sign_args, timestamp_root)},
    };
    if (id == O_OFFLINE) {
        a->offline = opt_on(v);
        a->nflags = 1;
        return EXIT_OK;
    }
    if (id == O_FORMAT) {
        if (strcmp(v, "notation") != 0 && strcmp(v, "cosign") != 0) {
            return out_usage(cmd, "--format must be cosign or notation, not '%s'", v);
        }
        a->format = strcmp(v, "notation") == 0 ? 1 : -1;
        return EXIT_OK;
    }
    if (id == O_OUTPUT) {
        if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
            return out_usage(cmd, "--output must be text or json, not '%s'", v);
        }
        a->json = strcmp(v, "json") == 0;
        a->text = !a->json;
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        if (strs[i].id == id) {
            *(const char **)((char *)a + strs[i].off) = v;
            a->nflags = 1;
        }
    }
    if (id == O_ENVELOPE && strcmp(v, "jws") != 0 && strcmp(v, "cose") != 0) {
        return out_usage(cmd, "--envelope must be jws or cose, not '%s'", v);
    }
    if (id == O_SIGNING_SCHEME && strcmp(v, "notary.x509") != 0 &&
        strcmp(v, "notary.x509.signingAuthority") != 0) {
        return out_usage(cmd,
                         "--signing-scheme must be notary.x509 or notary.x509.signingAuthority, "
                         "not '%s'",
                         v);
    }
    return EXIT_OK;
}

/* --format notation, or (no --format) notation's flags without --key (verify) or with
 * --certificate (sign), selects the Notation form. */
static int notation_finish(struct sign_args *a, const char *cmd)
{
    int sign = strcmp(cmd, "sign") == 0;
    a->notation = a->format == 1 || (a->format == 0 && a->nflags && (sign || a->key == NULL));
    if (!a->notation) {
        return a->nflags ? out_usage(cmd, "--trust-policy, --trust-store, --scope, --certificate, "
                                          "--envelope, --expiry and --signing-scheme need "
                                          "--format notation")
                         : EXIT_OK;
    }
    if ((a->timestamp_url == NULL) != (a->timestamp_root == NULL)) {
        return out_usage(cmd, "--timestamp-url and --timestamp-root-cert go together");
    }
    if (a->image == NULL || (sign && (a->key == NULL || a->certificate == NULL))) {
        return out_usage(cmd, sign ? "--format notation needs --key, --certificate and one IMAGE"
                                   : "--format notation needs one IMAGE");
    }
    return a->v3 || a->legacy || a->identity || a->recursive || a->ann.n
               ? out_usage(cmd, "--format notation takes none of --bundle-format, -a, "
                                "--sign-container-identity, --recursive")
               : EXIT_OK;
}

struct parse_ctx {
    struct sign_args *a;
    const char *cmd;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct parse_ctx *p = ctx;
    struct sign_args *a = p->a;
    switch (o->id) {
    case O_KEY:
        a->key = v;
        return EXIT_OK;
    case O_RECURSIVE:
        a->recursive = opt_on(v);
        return EXIT_OK;
    case O_BUNDLE_FORMAT:
        return bundle_format(a, v, p->cmd);
    case O_IDENTITY:
        a->identity = v;
        return EXIT_OK;
    case O_ANNOTATION:
        return sig_annotations_add(&a->ann, v, p->cmd);
    case O_NEW_BUNDLE:
        a->v3 = opt_on(v);
        a->legacy = 0;
        return EXIT_OK;
    case O_YES:
        return EXIT_OK;
    case O_UPLOAD:
        a->no_upload = !opt_on(v);
        return EXIT_OK;
    case O_OUT_SIG:
        a->out_sig = v;
        return EXIT_OK;
    case O_OUT_PAYLOAD:
        a->out_payload = v;
        return EXIT_OK;
    case O_OUT_CERT:
        a->out_cert = v;
        return EXIT_OK;
    case O_TLOG_UPLOAD:
        return opt_on(v) ? out_usage(p->cmd, "vouch uploads to no transparency log: give "
                                             "--tlog-upload=false")
                         : EXIT_OK;
    case O_FORMAT:
    case O_TRUST_POLICY:
    case O_TRUST_STORE:
    case O_SCOPE:
    case O_OUTPUT:
    case O_CERTIFICATE:
    case O_ENVELOPE:
    case O_EXPIRY:
    case O_SIGNING_SCHEME:
    case O_TIMESTAMP_URL:
    case O_TIMESTAMP_ROOT:
    case O_OFFLINE:
        return notation_take(a, o->id, v, p->cmd);
    default:
        if (o->id >= KEYLESS_FIRST && o->id <= KEYLESS_LAST) {
            return keyless_take(&a->k, o, v);
        }
        return regopts_take(&a->ro, o, v, p->cmd);
    }
}

int sign_args_parse(struct sign_args *a, int argc, char **argv, const char *cmd)
{
    struct parse_ctx p = {a, cmd};
    int rc;
    memset(a, 0, sizeof(*a));
    regopts_init(&a->ro);
    a->images = calloc((size_t)argc, sizeof(*a->images));
    if (a->images == NULL) {
        out_msg("out of memory");
        return EXIT_IO;
    }
    rc = opt_parse(cmd, strcmp(cmd, "sign") == 0 ? cmd_sign_opts : cmd_verify_opts, argc, argv,
                   take, &p, a->images, argc, &a->nimages);
    a->image = a->images[0];
    rc = rc ? rc : notation_finish(a, cmd);
    if (rc == EXIT_OK && a->notation && a->nimages > 1) {
        rc = out_usage(cmd, "--format notation takes one IMAGE");
    }
    if (rc == EXIT_OK && !a->notation && a->key == NULL && keyless_has_identity(&a->k)) {
        rc = keyless_check(cmd, &a->k, 0);
        rc = rc == EXIT_OK && a->image == NULL ? out_usage(cmd, "give an IMAGE") : rc;
    } else if (rc == EXIT_OK && !a->notation && a->key == NULL && a->nimages == 1 &&
               a->format == 0 && !strcmp(cmd, "verify")) {
        a->notation = 2; /* nothing names the format: the image's referrers decide */
    } else if (rc == EXIT_OK && !a->notation && (a->key == NULL || a->image == NULL)) {
        rc = out_usage(cmd, a->key == NULL && !strcmp(cmd, "verify")
                                ? "give --key, or the keyless --certificate-identity and "
                                  "--certificate-oidc-issuer options, and an IMAGE"
                                : "give --key and an IMAGE");
    } else if (rc == EXIT_OK && a->key != NULL) {
        rc = keyless_check(cmd, &a->k, 1);
    }
    if (rc == EXIT_OK && (a->no_upload || a->out_sig || a->out_payload || a->out_cert) &&
        (a->v3 || a->notation || a->recursive || a->nimages > 1)) {
        rc = out_usage(cmd, "--upload=false and --output-signature, --output-payload, "
                            "--output-certificate take one IMAGE in the legacy format, without "
                            "--recursive");
    }
    if (rc == EXIT_OK && a->v3 && (a->identity != NULL || a->recursive)) {
        rc = out_usage(cmd, "--bundle-format v3 takes neither --sign-container-identity "
                            "nor --recursive");
    }
    return rc ? rc : regopts_finish(&a->ro, cmd);
}

void sign_args_release(struct sign_args *a)
{
    sig_annotations_release(&a->ann);
    regopts_release(&a->ro);
    free(a->images);
    a->images = NULL;
}
