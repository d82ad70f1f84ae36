/* Private: the SLSA provenance checks behind slsa_statement_check. */
#ifndef SLSA_VERIFY_INTERNAL_H
#define SLSA_VERIFY_INTERNAL_H

#include "slsa/verify.h"

/** Builder id, source repository/tag/branch and build type checks (VOUCH_EVERIFY). */
int verify_provenance(const struct slsa_statement *st, const struct slsa_expect *exp,
                      struct vouch_error *err);

#endif
