/* `vouch sbom --attest`: the SBOM of an image attached to it as a signed in-toto
 * attestation in the same run, as `vouch attest --type cyclonedx|spdxjson` would. */
#ifndef VOUCH_CMD_SBOM_ATTEST_H
#define VOUCH_CMD_SBOM_ATTEST_H

#include "opt.h"
#include "regopts.h"
#include "sbom/doc.h"
#include "sbom/format.h"
#include "sign/key.h"
#include "sign/oci.h"
#include "vouch/error.h"

struct sbom_attest {
    int on;               /* --attest */
    int replace;          /* --replace */
    const char *key_path; /* --key */
    enum sbom_format fmt; /* --attest-format (default cyclonedx-json) */
    int fmt_set;
    struct sign_key *key;
    struct sign_oci_source *src;
    struct regopts ro;
};

/** The --attest options (a group of `vouch sbom`); ids from SBOM_ATTEST_FIRST. */
extern const struct opt_spec sbom_attest_specs[];

enum { SBOM_ATTEST_FIRST = 500 };

void sbom_attest_init(struct sbom_attest *at);

/** Take a sbom_attest_specs option (opt.h): EXIT_OK or a printed usage error. */
int sbom_attest_take(struct sbom_attest *at, const struct opt_spec *o, const char *value);

/**
 * Before the walk: check the options fit the source (kind "dir", "file" or "image"; image
 * sources as SOURCE was given), load the key (asking for the password) and open the image
 * for writing. Returns EXIT_OK, or an exit code with the message printed.
 */
int sbom_attest_begin(struct sbom_attest *at, const char *kind, const char *source);

/** After the walk: render doc, sign the statement and attach it. 0 or an error code. */
int sbom_attest_run(struct sbom_attest *at, const struct sbom_doc *doc,
                    const struct sbom_write_opts *wo, struct vouch_error *err);

/** Free the key (zeroed) and the image source. */
void sbom_attest_release(struct sbom_attest *at);

#endif
