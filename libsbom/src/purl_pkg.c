/* A package's purl through the one builder (purl.c). OS packages: the distro id is the
 * namespace, arch/distro/epoch/upstream are qualifiers and rpm's epoch leaves the
 * version. Language packages: the namespace is the npm scope, the Go module path up to
 * its last element, the composer vendor, or what the cataloger set (maven groupId). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "sbom/purl.h"
#include "vouch/mem.h"

static const char *default_ns(enum sbom_pkg_type t)
{
    static const char *const ns[] = {"debian", "alpine", "redhat"};
    return ns[t];
}

static int os_purl(char **out, const struct sbom_doc *doc, const struct sbom_pkg *p,
                   struct vouch_error *err)
{
    char distro[128] = "";
    const char *ver = p->version;
    if (doc->distro_id != NULL && doc->distro_version != NULL) {
        snprintf(distro, sizeof(distro), "%s-%s", doc->distro_id, doc->distro_version);
    }
    if (p->type == SBOM_PKG_RPM && p->epoch != NULL && ver != NULL && strchr(ver, ':') != NULL) {
        ver = strchr(ver, ':') + 1; /* rpm: epoch is a qualifier, not in the version */
    }
    struct sbom_purl_qualifier q[] = {
        {"arch", p->arch},
        {"distro", distro},
        {"epoch", p->type == SBOM_PKG_RPM ? p->epoch : NULL},
        {"upstream", p->source != NULL && p->name != NULL && strcmp(p->source, p->name) != 0
                         ? p->source
                         : NULL},
    };
    struct sbom_purl u = {
        .type = sbom_pkg_type_name(p->type),
        .ns = doc->distro_id != NULL ? doc->distro_id : default_ns(p->type),
        .name = p->name,
        .version = ver,
        .qualifiers = q,
        .nqualifiers = sizeof(q) / sizeof(q[0]),
    };
    return sbom_purl_build(out, &u, err);
}

/* Types whose package names carry the namespace before their last '/'. */
static int split_name(enum sbom_pkg_type t)
{
    return t == SBOM_PKG_NPM || t == SBOM_PKG_GOLANG || t == SBOM_PKG_COMPOSER;
}

static int lang_purl(char **out, const struct sbom_pkg *p, struct vouch_error *err)
{
    struct sbom_purl u = {.type = sbom_pkg_type_name(p->type), .version = p->version};
    const char *slash = p->name != NULL ? strrchr(p->name, '/') : NULL;
    char *ns = NULL;
    int rc;
    u.name = p->name;
    u.ns = p->ns;
    if (p->ns == NULL && slash != NULL && split_name(p->type)) {
        if ((ns = util_strndup(p->name, (size_t)(slash - p->name))) == NULL) {
            return vouch_enomem(err);
        }
        u.ns = ns;
        u.name = slash + 1;
    }
    rc = sbom_purl_build(out, &u, err);
    free(ns);
    return rc;
}

int purl_make(char **out, const struct sbom_doc *doc, const struct sbom_pkg *p,
              struct vouch_error *err)
{
    if (pkg_type_info(p->type)->os) {
        return os_purl(out, doc, p, err);
    }
    return lang_purl(out, p, err);
}
