/* vouch admit: decide, per image, whether a policy admits it. Evidence comes from the
 * reference, local files and (unless --offline) the image's registry or layout, where
 * signatures and attestations are verified; an image whose matching rules need nothing
 * cryptographic is decided without contacting anything. With --offline, requirements that
 * need signature/attestation verification are denied, not assumed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "admit_registry.h"
#include "cmd.h"
#include "decision.h"
#include "out.h"
#include "regopts.h"
#include "slsa/policy.h"

const char cmd_admit_usage[] =
    "usage: vouch admit --policy FILE [--offline] [--evidence-dir DIR] [--output text|json]\n"
    "                   [registry options] IMAGE...\n"
    "\n"
    "Decide whether each IMAGE (a registry reference or oci-dir:PATH[:TAG]) may run under the\n"
    "policy (docs/policy.md), and print every requirement checked with its result.\n"
    "\n"
    "Signatures (keys, keyless, Notation) and attestations are verified at the image's\n"
    "registry or layout when a matching rule needs them. With --offline nothing is\n"
    "contacted or verified cryptographically: a rule that requires signatures or\n"
    "attestations denies the image with that reason (fail closed).\n"
    "Exit: 0 every image allowed, 1 an image denied, 2 an error (which also denies).\n";

enum { O_POLICY = 1, O_EVIDENCE, O_OUTPUT, O_REGISTRY, O_OFFLINE };

static const struct opt_spec admit_specs[] = {
    {"policy", 'p', "FILE", "policy file (YAML, or JSON when it ends in .json)", 0, O_POLICY,
     "file"},
    {"evidence-dir", 'e', "DIR",
     "local evidence for the images: Trivy/Grype JSON or SARIF\n"
     "reports, cosign vuln predicates, OpenVEX, SPDX/CycloneDX SBOMs",
     0, O_EVIDENCE, "dir"},
    {"output", 'o', "FORMAT", "text (default) or json: machine-readable decisions on stdout", 0,
     O_OUTPUT, "text|json"},
    {"offline", 0, NULL,
     "contact no registry: only the reference, oci-dir indexes and\n"
     "--evidence-dir count; signature and attestation requirements deny",
     0, O_OFFLINE, NULL},
    {"registry", 0, NULL,
     "the default: resolve images at their registry (or oci-dir layout)\n"
     "and verify signatures and attestations; registry errors deny (exit 2)",
     0, O_REGISTRY, NULL},
    {0},
};

const struct opt_group cmd_admit_opts[] = {
    {NULL, admit_specs, NULL},
    {"registry options", regopts_specs, REGOPTS_SIGREPO_NOTE},
    {0},
};

struct admit_opts {
    const char *policy;
    const char *evidence_dir;
    int json;
    int registry; /* --registry given (the default unless --offline) */
    int offline;
    struct regopts ro;
    const char **images; /* argc slots */
    int nimages;
};

static int take(void *ctx, const struct opt_spec *spec, const char *v)
{
    struct admit_opts *o = ctx;
    switch (spec->id) {
    case O_POLICY:
        o->policy = v;
        return EXIT_OK;
    case O_EVIDENCE:
        o->evidence_dir = v;
        return EXIT_OK;
    case O_OUTPUT:
        if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
            return out_usage("admit", "unknown output format '%s'", v);
        }
        o->json = v[0] == 'j';
        return EXIT_OK;
    case O_REGISTRY:
        o->registry = opt_on(v);
        return EXIT_OK;
    case O_OFFLINE:
        o->offline = opt_on(v);
        return EXIT_OK;
    default:
        return regopts_take(&o->ro, spec, v, "admit");
    }
}

static int parse_args(struct admit_opts *o, int argc, char **argv)
{
    int rc;
    o->images = calloc((size_t)argc, sizeof(*o->images));
    if (o->images == NULL) {
        out_msg("out of memory");
        return EXIT_IO;
    }
    rc = opt_parse("admit", cmd_admit_opts, argc, argv, take, o, o->images, argc, &o->nimages);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (o->policy == NULL) {
        return out_usage("admit", "--policy is required");
    }
    if (o->nimages == 0) {
        return out_usage("admit", "no IMAGE given");
    }
    if (o->offline && o->registry) {
        return out_usage("admit", "--offline and --registry exclude each other");
    }
    return 0;
}

struct admit_run {
    struct slsa_policy *policy;
    struct slsa_evidence_dir *dir;
    struct slsa_evidence_provider providers[4];
    struct admit_registry reg;
    size_t n_providers;
    json_t *results;
    int any_deny, any_error;
};

static int admit_one(struct admit_run *r, const struct admit_opts *o, const char *image)
{
    struct slsa_evidence *ev = NULL;
    struct slsa_decision *d = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = slsa_evidence_collect(&ev, r->providers, r->n_providers, image, &err);
    if (rc == 0) {
        rc = slsa_policy_eval(&d, r->policy, image, ev, (int64_t)time(NULL), &err);
    }
    slsa_evidence_free(ev);
    if (rc != 0) {
        return out_fail(rc, &err);
    }
    r->any_deny |= !d->allowed;
    r->any_error |= d->error;
    if (o->json) {
        json_array_append_new(r->results, decision_json(d, image));
    } else {
        decision_print(stdout, d);
    }
    slsa_decision_free(d);
    return 0;
}

static int admit_setup(struct admit_run *r, const struct admit_opts *o)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int rc = slsa_policy_load(&r->policy, o->policy, &err);
    if (rc == 0 && o->evidence_dir != NULL) {
        rc = slsa_evidence_dir_load(&r->dir, o->evidence_dir, &err);
    }
    if (rc == 0 && !o->offline) {
        rc = admit_registry_init(&r->reg, r->policy, &o->ro, &err);
    }
    if (rc != 0) {
        /* an unusable policy, key or evidence is an input error: exit 2, nothing admitted */
        out_msg("%s", err.msg);
        return EXIT_USAGE;
    }
    r->providers[r->n_providers++] = slsa_evidence_ref_provider();
    if (!o->offline) {
        r->providers[r->n_providers++] = admit_registry_provider(&r->reg);
    } else {
        r->providers[r->n_providers++] = slsa_evidence_ocidir_provider();
    }
    if (r->dir != NULL) {
        r->providers[r->n_providers++] = slsa_evidence_dir_provider(r->dir);
    }
    r->results = json_array();
    return r->results == NULL ? EXIT_IO : 0;
}

int cmd_admit(int argc, char **argv)
{
    struct admit_opts o = {0};
    struct admit_run r = {0};
    int rc;
    regopts_init(&o.ro);
    rc = parse_args(&o, argc, argv);
    if (rc == 0 && !o.offline) {
        rc = regopts_finish(&o.ro, "admit");
    }
    if (rc == 0) {
        rc = admit_setup(&r, &o);
    }
    for (int i = 0; rc == 0 && i < o.nimages; i++) {
        rc = admit_one(&r, &o, o.images[i]);
    }
    if (rc == 0 && o.json) {
        json_t *doc = json_pack("{s:s, s:b, s:O}", "policyHash", slsa_policy_hash(r.policy),
                                "allowed", !r.any_deny, "results", r.results);
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
    }
    if (rc == 0) {
        rc = r.any_error ? EXIT_USAGE : r.any_deny ? EXIT_REJECTED : EXIT_OK;
    }
    json_decref(r.results);
    slsa_evidence_dir_free(r.dir);
    admit_registry_release(&r.reg);
    slsa_policy_free(r.policy);
    regopts_release(&o.ro);
    free(o.images);
    return rc;
}
