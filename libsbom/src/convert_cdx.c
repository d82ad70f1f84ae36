/* SPDX 2.x -> CycloneDX 1.6: packages and files become components (a package's files, from
 * CONTAINS or hasFiles, nest inside it), the one described package becomes
 * metadata.component, DEPENDS_ON/DEPENDENCY_OF become dependencies, declared and concluded
 * licenses keep their acknowledgement. Every other field is a note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert_internal.h"
#include "vouch/mem.h"

struct el {
    const json_t *j;
    const char *id;
    const char *ref; /* bom-ref */
    json_t *comp;    /* the component (owned) */
    long parent;     /* index of the containing package, or -1 */
    int file;
};

static const char *const doc_fields[] = {
    "spdxVersion",       "dataLicense",       "SPDXID",   "name",
    "documentNamespace", "creationInfo",      "packages", "files",
    "relationships",     "documentDescribes", "$schema",  NULL};

struct s2c {
    struct cv *c;
    struct el *el;
    size_t n;
    json_t *ix;   /* SPDXID -> index */
    json_t *deps; /* bom-ref -> {bom-ref: true} */
    long root;
};

static long find(const struct s2c *s, const char *id)
{
    const json_t *v = id != NULL ? json_object_get(s->ix, id) : NULL;
    return v != NULL ? (long)json_integer_value(v) : -1;
}

static int add_el(struct s2c *s, const json_t *j, int file)
{
    const char *id = cv_str(j, "SPDXID");
    if (id == NULL || json_object_get(s->ix, id) != NULL) {
        cv_note(s->c, "SPDX element without a unique SPDXID");
        return 0;
    }
    s->el[s->n] = (struct el){.j = j, .id = id, .ref = id, .parent = -1, .file = file};
    if (json_object_set_new(s->ix, id, json_integer((json_int_t)s->n)) != 0) {
        return VOUCH_ENOMEM;
    }
    s->n++;
    return 0;
}

/* bom-ref: the purl when no other package has it, else the SPDXID */
static int choose_refs(struct s2c *s)
{
    json_t *count = json_object();
    int rc = count != NULL ? 0 : VOUCH_ENOMEM;
    for (int pass = 0; rc == 0 && pass < 2; pass++) {
        for (size_t i = 0; i < s->n; i++) {
            const json_t *x;
            size_t k;
            json_array_foreach(json_object_get(s->el[i].j, "externalRefs"), k, x)
            {
                const char *t = cv_str(x, "referenceType"), *loc = cv_str(x, "referenceLocator");
                if (t == NULL || loc == NULL || strcmp(t, "purl") != 0 || !cv_purl_ok(loc)) {
                    continue;
                }
                if (pass == 0) {
                    json_int_t m = json_integer_value(json_object_get(count, loc));
                    json_object_set_new(count, loc, json_integer(m + 1));
                } else if (json_integer_value(json_object_get(count, loc)) == 1 &&
                           json_object_get(s->ix, loc) == NULL) {
                    s->el[i].ref = loc;
                }
                break;
            }
        }
    }
    json_decref(count);
    return rc;
}

/* 1 when making `in` a child of `parent` would close a circle */
static int circle(const struct s2c *s, long parent, long in)
{
    for (int d = 0; parent >= 0 && d <= CV_MAX_DEPTH; d++) {
        if (parent == in) {
            return 1;
        }
        parent = s->el[parent].parent;
    }
    return parent >= 0;
}

static void contain(struct s2c *s, const char *a, const char *b)
{
    long x = find(s, a), y = find(s, b);
    if (a != NULL && strcmp(a, "SPDXRef-DOCUMENT") == 0) {
        return;
    }
    if (x < 0 || y < 0 || s->el[x].file) {
        cv_note(s->c, "SPDX CONTAINS naming no package of the document");
        return;
    }
    if (x == s->root || y == s->root) {
        return; /* the described package holds every component */
    }
    if (s->el[y].parent >= 0 || x == y || circle(s, x, y)) {
        cv_note(s->c, "SPDX CONTAINS of an element already contained (CycloneDX nests once)");
        return;
    }
    s->el[y].parent = x;
}

static void depend(struct s2c *s, const char *a, const char *b)
{
    long x = find(s, a), y = find(s, b);
    json_t *set;
    if (x < 0 || y < 0 || x == y) {
        cv_note(s->c, "SPDX DEPENDS_ON naming no element of the document");
        return;
    }
    set = json_object_get(s->deps, s->el[x].ref);
    if (set == NULL) {
        set = json_object();
        if (set == NULL || json_object_set_new(s->deps, s->el[x].ref, set) != 0) {
            s->c->oom = 1;
            return;
        }
    }
    if (json_object_set_new(set, s->el[y].ref, json_true()) != 0) {
        s->c->oom = 1;
    }
}

static void relationships(struct s2c *s)
{
    const json_t *r;
    size_t i;
    json_array_foreach(json_object_get(s->c->in, "relationships"), i, r)
    {
        const char *t = cv_str(r, "relationshipType"), *a = cv_str(r, "spdxElementId");
        const char *b = cv_str(r, "relatedSpdxElement");
        if (t == NULL || a == NULL || b == NULL) {
            cv_note(s->c, "SPDX relationship without a type or element");
        } else if (strcmp(t, "DESCRIBES") == 0 || strcmp(t, "DESCRIBED_BY") == 0) {
            continue;
        } else if (strcmp(t, "DEPENDS_ON") == 0) {
            depend(s, a, b);
        } else if (strcmp(t, "DEPENDENCY_OF") == 0) {
            depend(s, b, a);
        } else if (strcmp(t, "CONTAINS") == 0) {
            contain(s, a, b);
        } else if (strcmp(t, "CONTAINED_BY") == 0) {
            contain(s, b, a);
        } else {
            cv_note(s->c, "SPDX relationship %.48s", t);
        }
    }
    for (size_t e = 0; e < s->n; e++) {
        const json_t *f;
        size_t k;
        json_array_foreach(json_object_get(s->el[e].j, "hasFiles"), k, f)
        {
            contain(s, s->el[e].id, json_string_value(f));
        }
    }
}

/* the package the document describes, when it describes exactly one */
static long described_root(struct s2c *s)
{
    const json_t *r, *v;
    const char *one = NULL;
    size_t i;
    int many = 0;
    json_array_foreach(json_object_get(s->c->in, "relationships"), i, r)
    {
        const char *t = cv_str(r, "relationshipType"), *a = cv_str(r, "spdxElementId");
        const char *b = cv_str(r, "relatedSpdxElement"), *d = NULL;
        if (t != NULL && a != NULL && b != NULL && strcmp(t, "DESCRIBES") == 0 &&
            strcmp(a, "SPDXRef-DOCUMENT") == 0) {
            d = b;
        } else if (t != NULL && a != NULL && b != NULL && strcmp(t, "DESCRIBED_BY") == 0 &&
                   strcmp(b, "SPDXRef-DOCUMENT") == 0) {
            d = a;
        }
        many |= d != NULL && one != NULL && strcmp(d, one) != 0;
        one = one != NULL ? one : d;
    }
    json_array_foreach(json_object_get(s->c->in, "documentDescribes"), i, v)
    {
        const char *d = json_string_value(v);
        many |= d != NULL && one != NULL && strcmp(d, one) != 0;
        one = one != NULL ? one : d;
    }
    if (many) {
        cv_note(s->c, "SPDX DESCRIBES of several elements (CycloneDX describes one component)");
    }
    long x = many ? -1 : find(s, one);
    return x >= 0 && !s->el[x].file ? x : -1;
}

static json_t *dependencies(struct s2c *s)
{
    json_t *a = json_array();
    for (size_t k = 0; k <= s->n; k++) {
        /* the root first, then the document's order */
        long i = k == 0 ? s->root : (long)k - 1;
        json_t *set, *on, *v;
        const char *ref;
        if (i < 0 || (k > 0 && i == s->root) ||
            (set = json_object_get(s->deps, s->el[i].ref)) == NULL) {
            continue;
        }
        on = json_array();
        json_object_foreach(set, ref, v)
        {
            cv_push(s->c, on, json_string(ref));
        }
        cv_push(s->c, a, json_pack("{s:s, s:o}", "ref", s->el[i].ref, "dependsOn", on));
    }
    return a;
}

static json_t *place(struct s2c *s)
{
    json_t *top = json_array();
    for (size_t i = 0; i < s->n; i++) {
        json_t *into = top;
        if ((long)i == s->root) {
            continue;
        }
        if (s->el[i].parent >= 0) {
            json_t *p = s->el[s->el[i].parent].comp;
            into = json_object_get(p, "components");
            if (into == NULL) {
                into = json_array();
                cv_set(s->c, p, "components", into);
            }
        }
        if (into != NULL) {
            cv_push(s->c, into, json_incref(s->el[i].comp));
        }
    }
    return top;
}

int cv_to_cyclonedx(struct cv *c, struct vouch_error *err)
{
    const json_t *pkgs = json_object_get(c->in, "packages"),
                 *files = json_object_get(c->in, "files");
    struct s2c s = {.c = c, .root = -1};
    const json_t *v;
    size_t i;
    int rc = 0;
    s.el = calloc(json_array_size(pkgs) + json_array_size(files) + 1, sizeof(*s.el));
    s.ix = json_object();
    s.deps = json_object();
    if (s.el == NULL || s.ix == NULL || s.deps == NULL) {
        rc = VOUCH_ENOMEM;
    }
    json_array_foreach(pkgs, i, v)
    {
        rc = rc ? rc : add_el(&s, v, 0);
    }
    json_array_foreach(files, i, v)
    {
        rc = rc ? rc : add_el(&s, v, 1);
    }
    rc = rc ? rc : choose_refs(&s);
    if (rc == 0) {
        s.root = described_root(&s);
        relationships(&s);
        for (i = 0; i < s.n; i++) {
            s.el[i].comp = s.el[i].file ? cv_cdx_file(c, s.el[i].j, s.el[i].ref)
                                        : cv_cdx_package(c, s.el[i].j, s.el[i].ref);
            c->oom |= s.el[i].comp == NULL;
        }
    }
    if (rc == 0 && !c->oom) {
        json_t *root = s.root >= 0 ? s.el[s.root].comp : NULL;
        const char *dn = cv_str(c->in, "name");
        if (dn != NULL && (root == NULL || !json_equal(json_object_get(root, "name"),
                                                       json_object_get(c->in, "name")))) {
            cv_note(c, "SPDX document name");
        }
        cv_note_unknown(c, c->in, doc_fields, "SPDX document");
        c->out = cv_cdx_document(c, root, place(&s), dependencies(&s));
        rc = c->out != NULL ? 0 : VOUCH_ENOMEM;
    }
    for (i = 0; s.el != NULL && i < s.n; i++) {
        json_decref(s.el[i].comp);
    }
    free(s.el);
    json_decref(s.ix);
    json_decref(s.deps);
    return rc != 0 ? vouch_enomem(err) : 0;
}
