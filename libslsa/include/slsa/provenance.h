/* SLSA Provenance v1 predicates (https://slsa.dev/provenance/v1): build one field by field
 * or from a CI environment, and write it as deterministic JSON. Only what is set is
 * written: nothing is invented when a value is unknown. */
#ifndef SLSA_PROVENANCE_H
#define SLSA_PROVENANCE_H

#include <stddef.h>

#include "slsa/statement.h"
#include "vouch/error.h"

/** SLSA GitHub Actions workflow build type (slsa-framework/github-actions-buildtypes). */
#define SLSA_BUILDTYPE_GITHUB                                                                      \
    "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1"
/** GitLab runner's build type; %s is the runner version tag ("v17.0.0"). */
#define SLSA_BUILDTYPE_GITLAB_FMT                                                                  \
    "https://gitlab.com/gitlab-org/gitlab-runner/-/blob/%s/PROVENANCE.md"
/** vouch's AWS CodeBuild build type (no official one exists; docs/buildtypes/codebuild-v1.md). */
#define SLSA_BUILDTYPE_CODEBUILD "https://vouch.dev/buildtypes/codebuild/v1"

/** A provenance predicate under construction (opaque). */
struct slsa_provenance;

/** The parameter maps of buildDefinition. */
enum slsa_params {
    SLSA_PARAMS_EXTERNAL = 0, /* buildDefinition.externalParameters */
    SLSA_PARAMS_INTERNAL,     /* buildDefinition.internalParameters */
};

/** The ResourceDescriptor lists of the predicate. */
enum slsa_resources {
    SLSA_RES_DEPENDENCIES = 0, /* buildDefinition.resolvedDependencies */
    SLSA_RES_BYPRODUCTS,       /* runDetails.byproducts */
    SLSA_RES_BUILDER_DEPS,     /* runDetails.builder.builderDependencies */
};

/** A ResourceDescriptor with at most one digest. NULL members are omitted; at least one
 *  of uri and digest must be set. */
struct slsa_resource {
    const char *name;
    const char *uri;
    const char *alg; /* digest algorithm, with hex */
    const char *hex;
};

/** The string fields of the predicate. */
enum slsa_field {
    SLSA_FIELD_BUILD_TYPE = 0, /* buildDefinition.buildType (URI) */
    SLSA_FIELD_BUILDER_ID,     /* runDetails.builder.id (URI) */
    SLSA_FIELD_INVOCATION_ID,  /* runDetails.metadata.invocationId */
    SLSA_FIELD_STARTED_ON,     /* runDetails.metadata.startedOn (RFC 3339 UTC) */
    SLSA_FIELD_FINISHED_ON,    /* runDetails.metadata.finishedOn (RFC 3339 UTC) */
};

/** An empty predicate. */
int slsa_provenance_new(struct slsa_provenance **out, struct vouch_error *err);

/**
 * Set a string field (replacing it). URIs must be absolute; timestamps must be
 * YYYY-MM-DDThh:mm:ss[.frac]Z. value NULL unsets the field.
 */
int slsa_provenance_set(struct slsa_provenance *p, enum slsa_field field, const char *value,
                        struct vouch_error *err);

/** The current value of a field, or NULL (borrowed). */
const char *slsa_provenance_get(const struct slsa_provenance *p, enum slsa_field field);

/**
 * Set a string parameter at a dotted path ("workflow.ref" creates the "workflow" object),
 * keeping insertion order. Replaces an existing value.
 */
int slsa_provenance_set_param(struct slsa_provenance *p, enum slsa_params which, const char *path,
                              const char *value, struct vouch_error *err);

/** Like slsa_provenance_set_param with a JSON value (object, array, ...) given as text. */
int slsa_provenance_set_param_json(struct slsa_provenance *p, enum slsa_params which,
                                   const char *path, const char *json, size_t len,
                                   struct vouch_error *err);

/** Set runDetails.builder.version[component] = version. */
int slsa_provenance_set_builder_version(struct slsa_provenance *p, const char *component,
                                        const char *version, struct vouch_error *err);

/** Append a ResourceDescriptor to one of the lists. */
int slsa_provenance_add_resource(struct slsa_provenance *p, enum slsa_resources list,
                                 const struct slsa_resource *r, struct vouch_error *err);

/**
 * Append a resolved dependency from a "URI@ALG:HEX" spec (the last '@' whose suffix is
 * ALG:HEX splits it, so URIs may contain '@'); a spec without a digest is a bare URI.
 */
int slsa_provenance_add_material(struct slsa_provenance *p, const char *spec,
                                 struct vouch_error *err);

/**
 * Write the predicate JSON: buildDefinition{buildType, externalParameters,
 * internalParameters?, resolvedDependencies?}, runDetails{builder{id, builderDependencies?,
 * version?}, metadata?, byproducts?}. buildType and builder.id are required (VOUCH_EINVAL
 * naming the missing one). *out is malloc'd; flags are SLSA_JSON_*.
 */
int slsa_provenance_write(char **out, size_t *out_len, const struct slsa_provenance *p, int flags,
                          struct vouch_error *err);

/** Free; accepts NULL. */
void slsa_provenance_free(struct slsa_provenance *p);

/** Convert milliseconds since the epoch to "YYYY-MM-DDThh:mm:ss.mmmZ" (buf: 32 bytes). */
int slsa_time_from_ms(char *buf, size_t size, const char *ms, struct vouch_error *err);

#endif
