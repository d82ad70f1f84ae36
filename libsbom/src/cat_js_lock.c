/* Shared by the yarn and pnpm lockfile readers: a lockfile names packages by descriptors
 * ("ms@^2.0.0", "/ms@2.0.0", "ms@npm:2.0.0") and its entries depend on descriptors, so
 * each reader adds its packages, maps every descriptor to the package it resolved to and
 * then turns the dependencies into exact NAME@VERSION edges. */
#include <stdio.h>
#include <string.h>

#include "cat_npm_internal.h"

int js_lock_init(struct js_lock *l, struct sbom_doc *doc, const char *path, struct vouch_error *err)
{
    memset(l, 0, sizeof(*l));
    l->doc = doc;
    l->path = path;
    l->err = err;
    if ((l->map = json_object()) == NULL) {
        return vouch_enomem(err);
    }
    return 0;
}

void js_lock_release(struct js_lock *l)
{
    json_decref(l->map);
    l->map = NULL;
}

int js_lock_pkg(size_t *idx, struct js_lock *l, const char *name, size_t name_len,
                const char *version, size_t version_len)
{
    struct sbom_pkg *p;
    int rc = cat_lang_pkg(&p, l->doc, SBOM_PKG_NPM, name, name_len, version, version_len, l->path,
                          l->err);
    if (rc == 0) {
        *idx = l->doc->npkgs - 1;
    }
    return rc;
}

int js_lock_alias(struct js_lock *l, const char *desc, size_t desc_len, size_t idx)
{
    const struct sbom_pkg *p = l->doc->pkgs[idx];
    char dep[1200];
    int m = snprintf(dep, sizeof(dep), "%s@%s", p->name, p->version != NULL ? p->version : "");
    json_t *v;
    if (m <= 0 || (size_t)m >= sizeof(dep) || p->version == NULL) {
        return 0; /* no exact version (or absurdly long): not a target of edges */
    }
    v = json_stringn_nocheck(dep, (size_t)m);
    if (v == NULL || json_object_setn_new_nocheck(l->map, desc, desc_len, v) != 0) {
        return vouch_enomem(l->err);
    }
    return 0;
}

int js_lock_edge(struct js_lock *l, size_t from, const char *desc, size_t desc_len)
{
    const char *to = json_string_value(json_object_getn(l->map, desc, desc_len));
    if (to == NULL) {
        return 1;
    }
    return strv_add_unique(&l->doc->pkgs[from]->depends, to, (size_t)-1, l->err);
}
