/* SBOMs from any tool read into sbom_item rows: SPDX 2.x packages with DEPENDS_ON /
 * DEPENDENCY_OF relationships, CycloneDX components (nested too) with dependencies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cat_internal.h"
#include "fmt_internal.h"
#include "sbom/inventory.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define INV_MAX_ITEMS 2000000
#define INV_MAX_DEPTH 64

struct sbom_inventory {
    const char *format;
    json_t *root;  /* owns the strings items point to */
    json_t *owned; /* strings composed here */
    struct sbom_item *it;
    size_t n, cap;
    size_t **deps; /* per item, owned */
};

static const char *own(struct sbom_inventory *inv, const char *s)
{
    json_t *j = json_string(s);
    if (j == NULL || json_array_append_new(inv->owned, j) != 0) {
        return NULL;
    }
    return json_string_value(j);
}

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s != NULL && s[0] != '\0' ? s : NULL;
}

/* "pkg:npm/x@1" -> "npm" (owned) */
static const char *ecosystem_of(struct sbom_inventory *inv, const char *purl)
{
    char buf[64];
    size_t n;
    if (purl == NULL || strncmp(purl, "pkg:", 4) != 0) {
        return NULL;
    }
    n = strcspn(purl + 4, "/");
    if (n == 0 || n >= sizeof(buf) || purl[4 + n] != '/') {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char c = purl[4 + i];
        buf[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    buf[n] = '\0';
    return own(inv, buf);
}

static struct sbom_item *item_new(struct sbom_inventory *inv, struct vouch_error *err)
{
    if (inv->n >= INV_MAX_ITEMS) {
        vouch_error_set(err, VOUCH_EINVAL, "more than %d packages", INV_MAX_ITEMS);
        return NULL;
    }
    if (inv->n == inv->cap) {
        size_t cap = inv->cap ? inv->cap * 2 : 64;
        struct sbom_item *v = realloc(inv->it, cap * sizeof(*v));
        size_t **d = realloc(inv->deps, cap * sizeof(*d));
        if (v != NULL) {
            inv->it = v;
        }
        if (d != NULL) {
            inv->deps = d;
        }
        if (v == NULL || d == NULL) {
            vouch_enomem(err);
            return NULL;
        }
        inv->cap = cap;
    }
    memset(&inv->it[inv->n], 0, sizeof(inv->it[0]));
    inv->deps[inv->n] = NULL;
    return &inv->it[inv->n++];
}

/* ---- refs -> index, for the dependency edges */

struct refidx {
    const char *ref;
    size_t i;
};

static int refidx_cmp(const void *a, const void *b)
{
    return strcmp(((const struct refidx *)a)->ref, ((const struct refidx *)b)->ref);
}

static int refidx_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static long find_ref(const struct refidx *ix, size_t n, const char *ref)
{
    struct refidx key = {ref, 0}, *hit;
    if (ref == NULL || n == 0) {
        return -1;
    }
    hit = bsearch(&key, ix, n, sizeof(*ix), refidx_cmp);
    return hit != NULL ? (long)hit->i : -1;
}

static int add_dep(struct sbom_inventory *inv, size_t from, size_t to)
{
    struct sbom_item *it = &inv->it[from];
    size_t *d;
    for (size_t k = 0; k < it->ndeps; k++) {
        if (inv->deps[from][k] == to) {
            return 0;
        }
    }
    d = realloc(inv->deps[from], (it->ndeps + 1) * sizeof(*d));
    if (d == NULL) {
        return VOUCH_ENOMEM;
    }
    d[it->ndeps++] = to;
    inv->deps[from] = d;
    it->deps = d;
    return 0;
}

/* edges[] of (from ref, to ref) pairs resolved through the items' refs */
static int link(struct sbom_inventory *inv, const char *const *edges, size_t nedges,
                struct vouch_error *err)
{
    struct refidx *ix = calloc(inv->n + 1, sizeof(*ix));
    size_t n = 0;
    int rc = 0;
    if (ix == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < inv->n; i++) {
        if (inv->it[i].ref != NULL) {
            ix[n++] = (struct refidx){inv->it[i].ref, i};
        }
    }
    qsort(ix, n, sizeof(*ix), refidx_cmp);
    for (size_t e = 0; e < nedges && rc == 0; e++) {
        long a = find_ref(ix, n, edges[2 * e]), b = find_ref(ix, n, edges[2 * e + 1]);
        if (a >= 0 && b >= 0 && a != b) {
            rc = add_dep(inv, (size_t)a, (size_t)b);
        }
    }
    free(ix);
    return rc != 0 ? vouch_enomem(err) : 0;
}

static const char *checksum(const json_t *list, const char *alg_key, const char *val_key,
                            const char *want1, const char *want2)
{
    const json_t *c;
    size_t i;
    json_array_foreach(list, i, c)
    {
        const char *alg = str(c, alg_key);
        if (alg != NULL && (strcmp(alg, want1) == 0 || strcmp(alg, want2) == 0)) {
            return str(c, val_key);
        }
    }
    return NULL;
}

/* ---- SPDX 2.x */

/* The packages the document DESCRIBES (sorted SPDXIDs, borrowed). */
static const char **spdx_described(const json_t *root, size_t *n)
{
    const json_t *rels = json_object_get(root, "relationships"), *r;
    const char **v = calloc(json_array_size(rels) + 1, sizeof(*v));
    size_t i;
    *n = 0;
    json_array_foreach(rels, i, r)
    {
        const char *t = str(r, "relationshipType"), *a = str(r, "spdxElementId");
        const char *b = str(r, "relatedSpdxElement");
        if (v != NULL && t != NULL && a != NULL && b != NULL && strcmp(t, "DESCRIBES") == 0 &&
            strcmp(a, "SPDXRef-DOCUMENT") == 0) {
            v[(*n)++] = b;
        }
    }
    if (v != NULL && *n > 1) {
        qsort(v, *n, sizeof(*v), refidx_cmp_str);
    }
    return v;
}

/* A described package is the scanned source itself (CycloneDX's metadata.component), not a
 * package of it, when it has no purl or is the one package described among others. */
static int spdx_is_subject(const char *const *described, size_t nd, const json_t *p, size_t npkgs)
{
    const char *id = str(p, "SPDXID");
    const json_t *x;
    size_t j;
    if (id == NULL || nd == 0 ||
        bsearch(&id, described, nd, sizeof(*described), refidx_cmp_str) == NULL) {
        return 0;
    }
    if (nd == 1 && npkgs > 1) {
        return 1;
    }
    json_array_foreach(json_object_get(p, "externalRefs"), j, x)
    {
        const char *t = str(x, "referenceType");
        if (t != NULL && strcmp(t, "purl") == 0) {
            return 0;
        }
    }
    return 1;
}

static int read_spdx(struct sbom_inventory *inv, struct vouch_error *err)
{
    const json_t *p, *x, *r;
    const char **edges = NULL, **described;
    size_t i, j, ne = 0, nd = 0;
    int rc = 0;
    described = spdx_described(inv->root, &nd);
    if (described == NULL) {
        return vouch_enomem(err);
    }
    json_array_foreach(json_object_get(inv->root, "packages"), i, p)
    {
        struct sbom_item *it;
        const char *lic = str(p, "licenseDeclared");
        const char *purpose = str(p, "primaryPackagePurpose");
        /* the operating system is not a package (as CycloneDX's operating-system component) */
        if (spdx_is_subject(described, nd, p,
                            json_array_size(json_object_get(inv->root, "packages"))) ||
            (purpose != NULL && strcmp(purpose, "OPERATING_SYSTEM") == 0)) {
            continue;
        }
        it = item_new(inv, err);
        if (it == NULL) {
            free(described);
            return err != NULL ? err->code : VOUCH_ENOMEM;
        }
        if (lic == NULL || strcmp(lic, "NOASSERTION") == 0 || strcmp(lic, "NONE") == 0) {
            const char *c = str(p, "licenseConcluded");
            lic = c != NULL && strcmp(c, "NOASSERTION") != 0 && strcmp(c, "NONE") != 0 ? c : NULL;
        }
        it->ref = str(p, "SPDXID");
        it->name = str(p, "name");
        it->version = str(p, "versionInfo");
        it->license = lic;
        json_array_foreach(json_object_get(p, "externalRefs"), j, x)
        {
            const char *t = str(x, "referenceType");
            if (it->purl == NULL && t != NULL && strcmp(t, "purl") == 0) {
                it->purl = str(x, "referenceLocator");
            }
        }
        it->ecosystem = ecosystem_of(inv, it->purl);
        it->sha256 = checksum(json_object_get(p, "checksums"), "algorithm", "checksumValue",
                              "SHA256", "SHA-256");
        it->sha1 = checksum(json_object_get(p, "checksums"), "algorithm", "checksumValue", "SHA1",
                            "SHA-1");
    }
    free(described);
    edges = calloc(2 * json_array_size(json_object_get(inv->root, "relationships")) + 2,
                   sizeof(*edges));
    if (edges == NULL) {
        return vouch_enomem(err);
    }
    json_array_foreach(json_object_get(inv->root, "relationships"), i, r)
    {
        const char *t = str(r, "relationshipType"), *a = str(r, "spdxElementId");
        const char *b = str(r, "relatedSpdxElement");
        if (t != NULL && strcmp(t, "DEPENDS_ON") == 0) {
            edges[2 * ne] = a;
            edges[2 * ne++ + 1] = b;
        } else if (t != NULL && strcmp(t, "DEPENDENCY_OF") == 0) {
            edges[2 * ne] = b;
            edges[2 * ne++ + 1] = a;
        }
    }
    rc = link(inv, edges, ne, err);
    free(edges);
    return rc;
}

/* ---- CycloneDX */

/* One license entry as an SPDX expression: an expression or id as given; a name mapped the
 * way vouch's SPDX writer maps it (Debian short names to SPDX, else LicenseRef-<name>), so
 * the same package reads the same from either format. */
static int cdx_license_one(char *out, size_t n, const json_t *l)
{
    const json_t *lic = json_object_get(l, "license");
    const char *s = str(l, "expression"), *name = str(lic, "name");
    char san[256];
    if (s == NULL) {
        s = str(lic, "id");
    }
    if (s != NULL) {
        return snprintf(out, n, "%s", s) > 0;
    }
    if (name == NULL) {
        return 0;
    }
    if (lic_spdx_expr(out, n, name)) {
        return 1;
    }
    fmt_sanitize(san, sizeof(san), name);
    return snprintf(out, n, "LicenseRef-%s", san) > 0;
}

/* CycloneDX 1.6 acknowledgement: "concluded" licenses count only when none is declared (as
 * SPDX's licenseConcluded is read only without a licenseDeclared) */
static int cdx_concluded(const json_t *l)
{
    const char *a = str(l, "acknowledgement");
    a = a != NULL ? a : str(json_object_get(l, "license"), "acknowledgement");
    return a != NULL && strcmp(a, "concluded") == 0;
}

static const char *cdx_license(struct sbom_inventory *inv, const json_t *lics)
{
    char buf[4096], one[1024];
    size_t n = 0, declared = 0;
    const json_t *l;
    size_t i;
    int multi;
    json_array_foreach(lics, i, l)
    {
        declared += !cdx_concluded(l);
    }
    multi = (declared > 0 ? declared : json_array_size(lics)) > 1;
    buf[0] = '\0';
    json_array_foreach(lics, i, l)
    {
        int paren, m;
        if ((declared > 0 && cdx_concluded(l)) || !cdx_license_one(one, sizeof(one), l)) {
            continue;
        }
        paren = multi && strchr(one, ' ') != NULL;
        m = snprintf(buf + n, sizeof(buf) - n, "%s%s%s%s", n > 0 ? " AND " : "", paren ? "(" : "",
                     one, paren ? ")" : "");
        if (m < 0 || (size_t)m >= sizeof(buf) - n) {
            break;
        }
        n += (size_t)m;
    }
    return n > 0 ? own(inv, buf) : NULL;
}

static const char *cdx_layer(const json_t *props)
{
    const json_t *pr;
    size_t i;
    json_array_foreach(props, i, pr)
    {
        const char *k = str(pr, "name");
        if (k != NULL &&
            (strcmp(k, "vouch:layer") == 0 || strcmp(k, "syft:location:0:layerID") == 0)) {
            return str(pr, "value");
        }
    }
    return NULL;
}

static int cdx_walk(struct sbom_inventory *inv, const json_t *list, int depth,
                    struct vouch_error *err)
{
    const json_t *c;
    size_t i;
    int rc = 0;
    if (depth > INV_MAX_DEPTH) {
        return vouch_error_set(err, VOUCH_EPARSE, "components nest deeper than %d levels",
                               INV_MAX_DEPTH);
    }
    json_array_foreach(list, i, c)
    {
        const char *type = str(c, "type");
        struct sbom_item *it;
        /* files and the operating system are not packages (SPDX lists them apart) */
        if (type != NULL && (strcmp(type, "file") == 0 || strcmp(type, "operating-system") == 0)) {
            continue;
        }
        it = item_new(inv, err);
        if (it == NULL) {
            return err != NULL ? err->code : VOUCH_ENOMEM;
        }
        it->ref = str(c, "bom-ref");
        it->name = str(c, "name");
        it->version = str(c, "version");
        it->purl = str(c, "purl");
        it->ecosystem = ecosystem_of(inv, it->purl);
        it->license = cdx_license(inv, json_object_get(c, "licenses"));
        it->layer = cdx_layer(json_object_get(c, "properties"));
        it->sha256 = checksum(json_object_get(c, "hashes"), "alg", "content", "SHA-256", "SHA256");
        it->sha1 = checksum(json_object_get(c, "hashes"), "alg", "content", "SHA-1", "SHA1");
        rc = cdx_walk(inv, json_object_get(c, "components"), depth + 1, err);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int read_cdx(struct sbom_inventory *inv, struct vouch_error *err)
{
    const json_t *d, *on;
    const char **edges;
    size_t i, j, ne = 0, total = 0;
    int rc = cdx_walk(inv, json_object_get(inv->root, "components"), 0, err);
    if (rc != 0) {
        return rc;
    }
    json_array_foreach(json_object_get(inv->root, "dependencies"), i, d)
    {
        total += json_array_size(json_object_get(d, "dependsOn"));
    }
    edges = calloc(2 * total + 2, sizeof(*edges));
    if (edges == NULL) {
        return vouch_enomem(err);
    }
    json_array_foreach(json_object_get(inv->root, "dependencies"), i, d)
    {
        json_array_foreach(json_object_get(d, "dependsOn"), j, on)
        {
            edges[2 * ne] = str(d, "ref");
            edges[2 * ne++ + 1] = json_string_value(on);
        }
    }
    rc = link(inv, edges, ne, err);
    free(edges);
    return rc;
}

int sbom_inventory_read(struct sbom_inventory **out, const char *data, size_t len, const char *name,
                        struct vouch_error *err)
{
    struct sbom_inventory *inv = calloc(1, sizeof(*inv));
    json_error_t jerr;
    int rc;
    *out = NULL;
    if (inv == NULL || (inv->owned = json_array()) == NULL) {
        free(inv);
        return vouch_enomem(err);
    }
    inv->root = vouch_json_load(data, len, 0, &jerr);
    if (inv->root == NULL) {
        rc =
            vouch_error_set(err, VOUCH_EPARSE, "invalid JSON at line %d: %s", jerr.line, jerr.text);
    } else if (str(inv->root, "spdxVersion") != NULL) {
        inv->format = "spdx";
        rc = read_spdx(inv, err);
    } else if (str(inv->root, "bomFormat") != NULL &&
               strcmp(str(inv->root, "bomFormat"), "CycloneDX") == 0) {
        inv->format = "cyclonedx";
        rc = read_cdx(inv, err);
    } else {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "not an SPDX or CycloneDX JSON document");
    }
    if (rc != 0) {
        vouch_error_prefix(err, "'%s': ", name);
        sbom_inventory_free(inv);
        return rc;
    }
    *out = inv;
    return 0;
}

void sbom_inventory_free(struct sbom_inventory *inv)
{
    if (inv == NULL) {
        return;
    }
    for (size_t i = 0; i < inv->n; i++) {
        free(inv->deps[i]);
    }
    free(inv->deps);
    free(inv->it);
    json_decref(inv->owned);
    json_decref(inv->root);
    free(inv);
}

const char *sbom_inventory_format(const struct sbom_inventory *inv)
{
    return inv->format;
}

size_t sbom_inventory_count(const struct sbom_inventory *inv)
{
    return inv->n;
}

const struct sbom_item *sbom_inventory_at(const struct sbom_inventory *inv, size_t i)
{
    return i < inv->n ? &inv->it[i] : NULL;
}

int sbom_item_key(char **out, const struct sbom_item *it, struct vouch_error *err)
{
    char buf[2048];
    if (it->purl != NULL) {
        size_t n = strcspn(it->purl, "@?#");
        snprintf(buf, sizeof(buf), "%.*s", (int)(n < 2000 ? n : 2000), it->purl);
    } else {
        snprintf(buf, sizeof(buf), "%s%s%s", it->ecosystem != NULL ? it->ecosystem : "",
                 it->ecosystem != NULL ? "/" : "", it->name != NULL ? it->name : "");
    }
    *out = strdup(buf);
    return *out != NULL ? 0 : vouch_enomem(err);
}
