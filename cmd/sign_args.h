/* Arguments shared by `vouch sign` and `vouch verify`: --key, -a KEY=VALUE, registry
 * options and one IMAGE. */
#ifndef VOUCH_CMD_SIGN_ARGS_H
#define VOUCH_CMD_SIGN_ARGS_H

#include "keyless.h"
#include "regopts.h"
#include "annotations.h"

struct sign_args {
    const char *key;
    const char *image;   /* the image being handled (one of images) */
    const char **images; /* every IMAGE operand (cosign takes several) */
    int nimages;
    int text;             /* verify: -o text (cosign: one payload per line) */
    const char *identity; /* sign: --sign-container-identity (comma-separated), or NULL */
    int recursive;        /* sign: also sign every image of an index */
    int v3;               /* --bundle-format v3 (sign: referrer bundle; verify: bundles always) */
    int legacy;           /* verify: --bundle-format legacy (never look up bundles) */
    int notation;       /* 1: --format notation, or its flags without --key; 2: verify with neither
                           --key nor keyless options: Notation if the image has its referrers */
    int format, nflags; /* parsing: --format (1 notation, -1 cosign), notation flags seen */
    const char *trust_policy, *trust_store, *scope; /* verify --format notation */
    int json;                                       /* verify: --output json */
    int offline;                                    /* verify: --offline (no OCSP/CRL) */
    const char *certificate, *envelope, *expiry;    /* sign --format notation */
    int no_upload;                                  /* sign --upload=false */
    const char *out_sig, *out_payload, *out_cert;   /* sign --output-signature/-payload/-cert */
    const char *signing_scheme;                     /* sign: --signing-scheme */
    const char *timestamp_url, *timestamp_root;     /* sign: --timestamp-url, -root-cert */
    struct sig_annotations ann;
    struct regopts ro;
    struct keyless_opts k; /* verify: keyless identity, trusted root, --rekor-key */
};

/** Parse; EXIT_OK or a usage error (printed). Release with sign_args_release either way. */
int sign_args_parse(struct sign_args *a, int argc, char **argv, const char *cmd);
void sign_args_release(struct sign_args *a);

#endif
