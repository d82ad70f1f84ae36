/* Private layout of struct slsa_provenance, shared by provenance.c and provenance_write.c. */
#ifndef SLSA_PROVENANCE_INTERNAL_H
#define SLSA_PROVENANCE_INTERNAL_H

#include <jansson.h>

#include "slsa/provenance.h"
#include "statement_internal.h"

#define FIELD_COUNT 5

struct slsa_provenance {
    char *fields[FIELD_COUNT]; /* enum slsa_field */
    json_t *params[2];         /* enum slsa_params: objects */
    json_t *lists[3];          /* enum slsa_resources: arrays */
    json_t *version;           /* builder.version object */
};

#endif
