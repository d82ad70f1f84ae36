/* signatures.notation of a rule: a Notation trust store folder, trusted identities and a
 * verification level, checked at load as a one-statement trust policy (sign/notation.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_parse_internal.h"
#include "vouch/mem.h"

static int pnt_store(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_notation *nt = obj;
    char *path = NULL;
    int rc = pstr(c, n, &path);
    if (rc == 0 && path[0] != '/' && c->base_dir != NULL) {
        nt->trust_store = vouch_strf("%s/%s", c->base_dir, path);
        rc = nt->trust_store == NULL ? vouch_enomem(c->err) : 0;
        free(path);
    } else if (rc == 0) {
        nt->trust_store = path;
    }
    return rc;
}

static int pnt_stores(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_notation *nt = obj;
    return pstr_list(c, n, &nt->stores, &nt->n_stores);
}

static int pnt_identities(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_notation *nt = obj;
    return pstr_list(c, n, &nt->identities, &nt->n_identities);
}

static int pnt_level(struct pctx *c, const struct pnode *n, void *obj)
{
    struct pol_notation *nt = obj;
    int rc = pstr(c, n, &nt->level);
    if (rc == 0 && strcmp(nt->level, "strict") != 0 && strcmp(nt->level, "permissive") != 0 &&
        strcmp(nt->level, "audit") != 0) {
        rc = perr(c, n, "notation level must be strict, permissive or audit, not '%s'", nt->level);
    }
    return rc;
}

static const struct pfield nt_fields[] = {
    {"trustStore", pnt_store, 1},
    {"trustStores", pnt_stores, 0},
    {"trustedIdentities", pnt_identities, 1},
    {"level", pnt_level, 0},
    {NULL, NULL, 0},
};

/* Every named store of the folder: x509/<type>/<name> directories. */
static int stores_found(struct pctx *c, const struct pnode *n, struct pol_notation *nt)
{
    static const char *const types[] = {"ca", "signingAuthority", "tsa"};
    for (size_t t = 0; t < 3; t++) {
        char dir[4096];
        struct dirent *d;
        DIR *dp;
        snprintf(dir, sizeof(dir), "%s/x509/%s", nt->trust_store, types[t]);
        dp = opendir(dir);
        while (dp != NULL && (d = readdir(dp)) != NULL) {
            char **slot;
            if (d->d_name[0] == '.') {
                continue;
            }
            slot = vouch_push(&nt->stores, &nt->n_stores, sizeof(char *), c->err);
            if (slot == NULL || (*slot = vouch_strf("%s:%s", types[t], d->d_name)) == NULL) {
                closedir(dp);
                return vouch_enomem(c->err);
            }
        }
        if (dp != NULL) {
            closedir(dp);
        }
    }
    return nt->n_stores > 0
               ? 0
               : perr(c, n,
                      "notation trust store '%s' holds no x509/{ca,signingAuthority,tsa} "
                      "stores",
                      nt->trust_store);
}

int preq_notation(struct pctx *c, const struct pnode *n, struct pol_notation *nt)
{
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc = pfields(c, n, nt_fields, nt, "signatures.notation");
    nt->present = 1;
    if (rc == 0 && nt->n_stores == 0) {
        rc = stores_found(c, n, nt);
    }
    if (rc == 0 && sign_notation_policy_single(&nt->tp, nt->level, (const char *const *)nt->stores,
                                               nt->n_stores, (const char *const *)nt->identities,
                                               nt->n_identities, &e) != 0) {
        rc = perr(c, n, "%s", e.msg);
    }
    return rc;
}

void pol_notation_release(struct pol_notation *nt)
{
    for (size_t i = 0; i < nt->n_stores; i++) {
        free(nt->stores[i]);
    }
    for (size_t i = 0; i < nt->n_identities; i++) {
        free(nt->identities[i]);
    }
    free(nt->stores);
    free(nt->identities);
    free(nt->trust_store);
    free(nt->level);
    sign_notation_policy_free(nt->tp);
    memset(nt, 0, sizeof(*nt));
}
