/* OpenVEX documents: which statements apply to a finding, and the effective status
 * (later statements supersede earlier ones, as the OpenVEX spec orders them). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "slsa/vuln.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

struct slsa_vex {
    json_t *root;
    const json_t *statements;
    char *name;
};

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const char *vex_vuln_name(const json_t *st)
{
    const json_t *v = json_object_get(st, "vulnerability");
    return json_is_string(v) ? json_string_value(v) : jstr(v, "name");
}

static int status_known(const char *s)
{
    static const char *ok[] = {"not_affected", "affected", "fixed", "under_investigation"};
    for (size_t i = 0; s != NULL && i < 4; i++) {
        if (strcmp(s, ok[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static int vex_check(const json_t *root, struct vouch_error *err)
{
    const char *ctx = jstr(root, "@context");
    const json_t *st;
    size_t i;
    if (ctx == NULL || strncmp(ctx, "https://openvex.dev/ns", 22) != 0) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "not an OpenVEX document");
    }
    if (!json_is_array(json_object_get(root, "statements"))) {
        return vouch_error_set(err, VOUCH_EPARSE, "OpenVEX document has no statements list");
    }
    json_array_foreach(json_object_get(root, "statements"), i, st)
    {
        if (vex_vuln_name(st) == NULL || !status_known(jstr(st, "status"))) {
            return vouch_error_set(err, VOUCH_EPARSE,
                                   "OpenVEX statement %zu lacks a vulnerability or valid status",
                                   i);
        }
    }
    return 0;
}

int slsa_vex_parse(struct slsa_vex **out, const char *data, size_t len, const char *name,
                   struct vouch_error *err)
{
    json_error_t jerr;
    struct slsa_vex *v = calloc(1, sizeof(*v));
    int rc = 0;
    *out = NULL;
    if (v == NULL || (v->name = strdup(name)) == NULL) {
        free(v);
        return vouch_enomem(err);
    }
    v->root = vouch_json_load(data, len, 0, &jerr);
    if (v->root == NULL) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "'%s': invalid JSON at line %d: %s", name,
                             jerr.line, jerr.text);
    } else if ((rc = vex_check(v->root, err)) != 0) {
        vouch_error_prefix(err, "'%s': ", name);
    }
    if (rc != 0) {
        slsa_vex_free(v);
        return rc;
    }
    v->statements = json_object_get(v->root, "statements");
    *out = v;
    return 0;
}

void slsa_vex_free(struct slsa_vex *v)
{
    if (v != NULL) {
        json_decref(v->root);
        free(v->name);
        free(v);
    }
}

size_t slsa_vex_count(const struct slsa_vex *v)
{
    return json_array_size(v->statements);
}

static const char *product_id(const json_t *p)
{
    const char *id = jstr(p, "@id");
    return id != NULL ? id : jstr(json_object_get(p, "identifiers"), "purl");
}

/* Length of "pkg:type/ns/name" (up to '@', '?' or '#'). */
static size_t purl_base_len(const char *p)
{
    return strcspn(p, "@?#");
}

static int purl_match(const char *a, const char *b)
{
    size_t na, nb;
    const char *va, *vb;
    if (a == NULL || b == NULL || strncmp(a, "pkg:", 4) != 0) {
        return 0;
    }
    na = purl_base_len(a);
    nb = purl_base_len(b);
    if (na != nb || strncmp(a, b, na) != 0) {
        return 0;
    }
    if (a[na] != '@' || b[nb] != '@') {
        return 1; /* one side names no version: the package as a whole */
    }
    va = a + na + 1;
    vb = b + nb + 1;
    na = strcspn(va, "?#");
    return na == strcspn(vb, "?#") && strncmp(va, vb, na) == 0;
}

/* pkg:oci/NAME[@sha256%3AHEX] names the image itself. */
static int image_match(const char *id, const char *repo, const char *digest)
{
    size_t n = purl_base_len(id);
    const char *name = id + 8, *last;
    if (id[n] == '@') {
        const char *ver = id + n + 1;
        size_t vn = strcspn(ver, "?#");
        if (digest == NULL || strncmp(ver, "sha256%3A", 9) != 0 || vn != 9 + 64) {
            return 0;
        }
        return strncmp(digest, "sha256:", 7) == 0 && strncmp(ver + 9, digest + 7, 64) == 0;
    }
    if (repo == NULL) {
        return 0;
    }
    last = strrchr(repo, '/');
    last = last != NULL ? last + 1 : repo;
    return strlen(last) == n - 8 && strncmp(last, name, n - 8) == 0;
}

static int product_applies(const json_t *p, const char *purl, const char *repo, const char *digest)
{
    const char *id = product_id(p);
    const json_t *subs = json_object_get(p, "subcomponents"), *s;
    size_t i;
    if (id == NULL) {
        return 0;
    }
    if (strncmp(id, "pkg:oci/", 8) == 0) {
        if (!image_match(id, repo, digest)) {
            return 0;
        }
        if (json_array_size(subs) == 0) {
            return 1;
        }
        json_array_foreach(subs, i, s)
        {
            if (purl_match(product_id(s), purl)) {
                return 1;
            }
        }
        return 0;
    }
    return purl_match(id, purl);
}

const char *slsa_vex_status(const struct slsa_vex *v, const char *vuln, const char *purl,
                            const char *repo, const char *digest, const char **justification)
{
    const json_t *st, *p;
    const char *status = NULL;
    size_t i, j;
    json_array_foreach(v->statements, i, st)
    {
        if (strcmp(vex_vuln_name(st), vuln) != 0) {
            continue;
        }
        json_array_foreach(json_object_get(st, "products"), j, p)
        {
            if (product_applies(p, purl, repo, digest)) {
                status = jstr(st, "status");
                if (justification != NULL) {
                    *justification = jstr(st, "justification");
                }
                break;
            }
        }
    }
    return status;
}
