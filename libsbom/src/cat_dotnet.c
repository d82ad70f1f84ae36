/* .NET: *.deps.json next to an application (every `libraries` entry NAME/VERSION, projects
 * and packages; edges from its `targets` `dependencies`), and NuGet's packages.lock.json
 * for dir: sources (every framework's resolved packages; edges by name within the same
 * framework, whose lock pins one version of each). */
#include <string.h>

#include "cat_internal.h"

#define CAP ((size_t)64 << 20)

static const struct want_rule rules[] = {
    {"**/*.deps.json", CAP},
    {"**/packages.lock.json", CAP},
    {NULL, 0},
};

struct net_ctx {
    struct sbom_doc *doc;
    struct vouch_error *err;
};

/* "Name/1.2.3" into name and version; 0 when both are there. */
static int split_key(const char *key, size_t *nlen, const char **ver)
{
    const char *slash = strrchr(key, '/');
    if (slash == NULL || slash == key || slash[1] == '\0') {
        return -1;
    }
    *nlen = (size_t)(slash - key);
    *ver = slash + 1;
    return 0;
}

/* The dependencies of "Name/Version" in any target: {"Dep": "1.0.0"} edges. */
static int deps_json_edges(struct net_ctx *c, struct sbom_pkg *p, const json_t *targets,
                           const char *key)
{
    const char *tk, *dk;
    const json_t *t, *dv;
    int rc = 0;
    json_object_foreach((json_t *)targets, tk, t)
    {
        json_object_foreach(json_object_get(json_object_get(t, key), "dependencies"), dk, dv)
        {
            if (rc == 0 && json_is_string(dv)) {
                rc = cat_dep(p, dk, json_string_value(dv), c->err);
            }
        }
    }
    return rc;
}

static int deps_json(struct net_ctx *c, const char *path, const json_t *j)
{
    const json_t *libs = json_object_get(j, "libraries"), *targets = json_object_get(j, "targets");
    const char *key, *ver;
    const json_t *lib;
    size_t nlen, bad = 0;
    int rc = 0;
    if (!json_is_object(libs)) {
        doc_warn(c->doc, "nuget: '%s': no libraries object, skipped", path);
        return 0;
    }
    json_object_foreach((json_t *)libs, key, lib)
    {
        struct sbom_pkg *p;
        if (split_key(key, &nlen, &ver) != 0) {
            bad++;
            continue;
        }
        rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_NUGET, key, nlen, ver, (size_t)-1, path, c->err);
        rc = rc ? rc : deps_json_edges(c, p, targets, key);
        if (rc != 0) {
            return rc;
        }
    }
    if (bad > 0) {
        doc_warn(c->doc, "nuget: '%s': %zu libraries not named NAME/VERSION skipped", path, bad);
    }
    return 0;
}

/* packages.lock.json: {"version": 1|2, "dependencies": {FRAMEWORK: {NAME: {"resolved"}}}}. */
static int lock_json(struct net_ctx *c, const char *path, const json_t *j)
{
    const json_t *fws = json_object_get(j, "dependencies"), *fw, *e, *dv;
    const char *fk, *name, *dk;
    int rc = 0;
    if (!json_is_object(fws)) {
        doc_warn(c->doc, "nuget: '%s': no dependencies object, skipped", path);
        return 0;
    }
    json_object_foreach((json_t *)fws, fk, fw)
    {
        size_t first = c->doc->npkgs;
        json_object_foreach((json_t *)fw, name, e)
        {
            const char *ver = cat_json_str(e, "resolved");
            struct sbom_pkg *p;
            if (ver == NULL) {
                continue; /* project references carry no resolved version */
            }
            rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_NUGET, name, (size_t)-1, ver, (size_t)-1, path,
                              c->err);
            json_object_foreach(json_object_get(e, "dependencies"), dk, dv)
            {
                if (rc == 0 && strchr(dk, '@') == NULL) {
                    rc = strv_add_unique(&p->depends, dk, (size_t)-1, c->err);
                }
            }
            if (rc != 0) {
                return rc;
            }
        }
        if ((rc = cat_lang_resolve(c->doc, first, c->err)) != 0) {
            return rc;
        }
    }
    return 0;
}

static int on_file(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct net_ctx *c = vctx;
    size_t n = strlen(path);
    int lock = n >= 18 && strcmp(path + n - 18, "packages.lock.json") == 0;
    json_t *j;
    int rc;
    if (lock && !cat_declared(c->doc)) {
        return 0;
    }
    if ((j = cat_json(c->doc, "nuget", path, d, len)) == NULL) {
        return 0;
    }
    rc = lock ? lock_json(c, path, j) : deps_json(c, path, j);
    json_decref(j);
    return rc;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct net_ctx c = {doc, err};
    return cat_each(r, rules, sizeof(rules) / sizeof(rules[0]) - 1, on_file, &c);
}

const struct cataloger cat_dotnet = {"dotnet", rules, run};
