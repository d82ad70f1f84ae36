/* The Notation forms of `vouch verify` and `vouch sign` (--format notation). */
#ifndef VOUCH_CMD_NOTATION_H
#define VOUCH_CMD_NOTATION_H

#include "sign_args.h"

/** Verify IMAGE's Notation signatures; returns the exit code (messages printed). */
int notation_verify(const struct sign_args *a);

/** verify without --format, --key or keyless options: Notation when IMAGE has referrers of
 *  the Notation signature artifact type, else the usage error verify has always given. */
int notation_verify_detected(const struct sign_args *a);

/** Sign IMAGE as a Notation signature referrer; returns the exit code. */
int notation_sign(const struct sign_args *a);

#endif
