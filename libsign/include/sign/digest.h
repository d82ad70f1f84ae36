/* Message digests: the API lives in the base layer (vouch/digest.h); this name stays for
 * callers that include it as part of the signing API. */
#ifndef SIGN_DIGEST_H
#define SIGN_DIGEST_H

#include "vouch/digest.h"

#endif
