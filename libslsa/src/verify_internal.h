/* Private: the SLSA provenance checks behind slsa_statement_check. */
#ifndef SLSA_VERIFY_INTERNAL_H
#define SLSA_VERIFY_INTERNAL_H

#include "slsa/verify.h"

/** Builder id, source repository/tag/branch and build type checks (VOUCH_EVERIFY). */
int verify_provenance(const struct slsa_statement *st, const struct slsa_expect *exp,
                      struct vouch_error *err);

/** slsa-verifier's --source-versioned-tag rule: tag (a provenance's source tag) and want
 *  are Go semantic versions, and tag has want's major version, and its minor and patch when
 *  want gives them ("v1" matches v1.x.y, "v1.2" v1.2.y). VOUCH_EVERIFY on a mismatch or a
 *  tag that is no version, VOUCH_EINVAL when want is none (verify_semver.c). */
int verify_versioned_tag(const char *tag, const char *want, struct vouch_error *err);

#endif
