/* Python lockfiles, for dir: sources: poetry.lock and uv.lock (the shared TOML reader:
 * [[package]] name and version; poetry's [package.dependencies] less optional ones, uv's
 * `dependencies` and [package.dev-dependencies]), Pipfile.lock (JSON `default` and
 * `develop`, "==V" pins) and pinned requirements files (cat_python_req.c). Edges are
 * resolved within the lock by PEP 503 names; extras (poetry's optional, uv's
 * optional-dependencies) are not edges, as for Requires-Dist. */
#include <string.h>

#include "cat_python_internal.h"
#include "toml_internal.h"

#define LOCK_CAP ((size_t)64 << 20)
#define REQ_CAP ((size_t)16 << 20)

static const struct want_rule rules[] = {
    {"**/poetry.lock", LOCK_CAP},          {"**/uv.lock", LOCK_CAP},
    {"**/Pipfile.lock", LOCK_CAP},         {"**/*requirements*.txt", REQ_CAP},
    {"**/requirements/**/*.txt", REQ_CAP}, {NULL, 0},
};

#define NRULES (sizeof(rules) / sizeof(rules[0]) - 1)

/* Where the reader is: outside packages, in [[package]], in one of its sub-tables. */
enum sect { SECT_NONE, SECT_PKG, SECT_DEPS, SECT_DEV, SECT_OTHER };

struct lock_ctx {
    struct sbom_doc *doc;
    const struct sbom_root *r;
    struct vouch_error *err;
    const char *path;
    size_t first; /* this lock's first package in doc */
    enum sect sect;
};

int py_req_path(const char *path)
{
    return cat_glob(rules[3].glob, path) || cat_glob(rules[4].glob, path);
}

static struct sbom_pkg *cur(struct lock_ctx *c)
{
    return c->sect != SECT_NONE && c->doc->npkgs > c->first ? c->doc->pkgs[c->doc->npkgs - 1]
                                                            : NULL;
}

/* uv: an array of { name = "x" [, version = "1.0"] [, marker = ...] }. */
static int uv_deps(struct sbom_pkg *p, const json_t *arr, struct vouch_error *err)
{
    const json_t *d;
    size_t i;
    json_array_foreach(arr, i, d)
    {
        const char *name = cat_json_str(d, "name"), *ver = cat_json_str(d, "version");
        int rc = 0;
        if (name != NULL && strchr(name, '@') == NULL) {
            rc = ver != NULL ? cat_dep(p, name, ver, err)
                             : strv_add_unique(&p->depends, name, (size_t)-1, err);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* poetry: name = "constraint" | { version, optional, markers } | [ {..}, {..} ]. */
static int poetry_dep(struct sbom_pkg *p, const char *name, const json_t *v,
                      struct vouch_error *err)
{
    const json_t *e;
    size_t i, optional = 0;
    if (json_is_object(v)) {
        optional = json_is_true(json_object_get(v, "optional"));
    } else if (json_is_array(v) && json_array_size(v) > 0) {
        optional = 1; /* several constraints: optional when each of them is */
        json_array_foreach(v, i, e)
        {
            optional &= json_is_true(json_object_get(e, "optional"));
        }
    }
    if (optional || strchr(name, '@') != NULL) {
        return 0;
    }
    return strv_add_unique(&p->depends, name, (size_t)-1, err);
}

static int lock_stmt(const struct toml_ev *ev, void *vctx)
{
    struct lock_ctx *c = vctx;
    struct sbom_pkg *p;
    int rc = 0;
    if (ev->kind == TOML_ARRAY_TABLE) {
        c->sect = strcmp(ev->table, "package") == 0 ? SECT_PKG : SECT_NONE;
        if (c->sect == SECT_PKG) {
            rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_PYPI, "", 0, NULL, 0, c->path, c->err);
        }
        return rc < 0 ? rc : 0;
    }
    if (ev->kind == TOML_TABLE) { /* sub-tables of the last [[package]] */
        if (c->sect == SECT_NONE || strncmp(ev->table, "package.", 8) != 0) {
            c->sect = SECT_NONE;
        } else {
            c->sect = strcmp(ev->table, "package.dependencies") == 0       ? SECT_DEPS
                      : strcmp(ev->table, "package.dev-dependencies") == 0 ? SECT_DEV
                                                                           : SECT_OTHER;
        }
        return 0;
    }
    if ((p = cur(c)) == NULL) {
        return 0;
    }
    if (c->sect == SECT_DEPS) {
        return poetry_dep(p, ev->key, ev->val, c->err);
    }
    if (c->sect == SECT_DEV) {
        return json_is_array(ev->val) ? uv_deps(p, ev->val, c->err) : 0;
    }
    if (c->sect != SECT_PKG) {
        return 0; /* extras, metadata, source, optional-dependencies */
    }
    if (strcmp(ev->key, "dependencies") == 0 && json_is_array(ev->val)) {
        return uv_deps(p, ev->val, c->err);
    }
    if (strcmp(ev->key, "name") != 0 && strcmp(ev->key, "version") != 0) {
        return 0;
    }
    if (!json_is_string(ev->val)) {
        return 1;
    }
    return util_set(ev->key[0] == 'n' ? &p->name : &p->version, json_string_value(ev->val),
                    (size_t)-1, c->err);
}

/* Drop [[package]] tables without name or version; their count. */
static size_t drop_incomplete(struct sbom_doc *doc, size_t first)
{
    size_t w = first, dropped = 0;
    for (size_t i = first; i < doc->npkgs; i++) {
        struct sbom_pkg *p = doc->pkgs[i];
        if (p->name[0] == '\0' || p->version == NULL) {
            doc_pkg_free(p);
            dropped++;
            continue;
        }
        doc->pkgs[w++] = p;
    }
    doc->npkgs = w;
    return dropped;
}

static int toml_lock(struct lock_ctx *c, const unsigned char *d, size_t len)
{
    struct toml_stats st;
    size_t dropped;
    int rc = toml_each((const char *)d, len, lock_stmt, c, &st);
    if (rc < 0) {
        return rc;
    }
    dropped = drop_incomplete(c->doc, c->first);
    if (st.bad > 0) {
        doc_warn(c->doc,
                 "python: '%s': %zu malformed lines or packages (first at line %zu) skipped",
                 c->path, st.bad + dropped, st.first_bad_line);
    } else if (dropped > 0) {
        doc_warn(c->doc, "python: '%s': %zu packages without name or version skipped", c->path,
                 dropped);
    }
    return 0;
}

/* Pipfile.lock: { "default": { NAME: { "version": "==V", ... } }, "develop": { ... } }. */
static int pipfile_lock(struct lock_ctx *c, const unsigned char *d, size_t len)
{
    static const char *const sections[] = {"default", "develop"};
    json_t *j = cat_json(c->doc, "python", c->path, d, len);
    size_t found = 0, bad = 0;
    int rc = 0;
    if (j == NULL) {
        return 0;
    }
    for (size_t s = 0; rc == 0 && s < 2; s++) {
        const json_t *sec = json_object_get(j, sections[s]), *e;
        const char *name;
        found += json_is_object(sec);
        json_object_foreach((json_t *)sec, name, e)
        {
            const char *v = cat_json_str(e, "version");
            struct sbom_pkg *p;
            if (!json_is_object(e)) {
                bad++;
            } else if (v != NULL && strncmp(v, "==", 2) == 0 && name[0] != '\0') {
                v += strncmp(v, "===", 3) == 0 ? 3 : 2; /* git, path, editable: no pin */
                rc = cat_lang_pkg(&p, c->doc, SBOM_PKG_PYPI, name, (size_t)-1, v, (size_t)-1,
                                  c->path, c->err);
            }
            if (rc != 0) {
                break;
            }
        }
    }
    json_decref(j);
    if (rc == 0 && found == 0) {
        doc_warn(c->doc, "python: '%s': no default or develop object, skipped", c->path);
    } else if (rc == 0 && bad > 0) {
        doc_warn(c->doc, "python: '%s': %zu entries that are not objects skipped", c->path, bad);
    }
    return rc;
}

static int on_file(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct lock_ctx *c = vctx;
    const char *base = strrchr(path, '/');
    int rc;
    base = base != NULL ? base + 1 : path;
    c->path = path;
    c->first = c->doc->npkgs;
    c->sect = SECT_NONE;
    if (strcmp(base, "poetry.lock") == 0 || strcmp(base, "uv.lock") == 0) {
        rc = toml_lock(c, d, len);
    } else if (strcmp(base, "Pipfile.lock") == 0) {
        rc = pipfile_lock(c, d, len);
    } else {
        rc = py_req_file(c->doc, c->r, path, d, len, c->err);
    }
    return rc ? rc : py_link(c->doc, c->first, c->err);
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct lock_ctx c = {.doc = doc, .r = r, .err = err};
    return cat_declared(doc) ? cat_each(r, rules, NRULES, on_file, &c) : 0;
}

const struct cataloger cat_pylock = {"python-lock", rules, run};
