/* Licences listed by an SBOM (SPDX 2.x or CycloneDX JSON), for the sbom requirement's
 * licence deny-list; shared by local SBOM files and verified SBOM attestations. */
#include <stdlib.h>
#include <string.h>

#include "evidence_internal.h"

static int lic_add(char ***lic, size_t *n, const char *l)
{
    char **p;
    if (l == NULL || l[0] == '\0' || strcmp(l, "NOASSERTION") == 0 || strcmp(l, "NONE") == 0) {
        return 0;
    }
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*lic)[i], l) == 0) {
            return 0;
        }
    }
    if ((p = realloc(*lic, (*n + 1) * sizeof(char *))) == NULL) {
        return VOUCH_ENOMEM;
    }
    *lic = p;
    return (p[*n] = strdup(l)) != NULL ? ((*n)++, 0) : VOUCH_ENOMEM;
}

int slsa_sbom_licenses(char ***lic, size_t *n, const json_t *doc)
{
    const json_t *p;
    const json_t *l;
    size_t i;
    size_t j;
    int rc = 0;
    json_array_foreach(json_object_get(doc, "packages"), i, p)
    {
        rc |= lic_add(lic, n, json_string_value(json_object_get(p, "licenseConcluded")));
        rc |= lic_add(lic, n, json_string_value(json_object_get(p, "licenseDeclared")));
    }
    json_array_foreach(json_object_get(doc, "components"), i, p)
    {
        json_array_foreach(json_object_get(p, "licenses"), j, l)
        {
            const json_t *one = json_object_get(l, "license");
            const char *id = json_string_value(json_object_get(one, "id"));
            rc |=
                lic_add(lic, n, id != NULL ? id : json_string_value(json_object_get(one, "name")));
            rc |= lic_add(lic, n, json_string_value(json_object_get(l, "expression")));
        }
    }
    return rc != 0 ? VOUCH_ENOMEM : 0;
}
