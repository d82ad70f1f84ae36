/* Decisions as JSON and text, shared by `vouch admit` and `vouch webhook`. */
#ifndef VOUCH_CMD_DECISION_H
#define VOUCH_CMD_DECISION_H

#include <stdio.h>

#include <jansson.h>

#include "slsa/policy.h"

/** {"image","input","allowed","error","digest","reasons":[…]}; NULL on allocation failure. */
json_t *decision_json(const struct slsa_decision *d, const char *input);

/** "ALLOW image" / "DENY image" and one line per reason. */
void decision_print(FILE *fp, const struct slsa_decision *d);

/** Join the failed reasons of d (for the given mode) as "rule/requirement: message; …"
 *  into buf (truncated to n). Returns the number of reasons joined. */
size_t decision_failures(char *buf, size_t n, const struct slsa_decision *d, enum slsa_mode mode);

#endif
