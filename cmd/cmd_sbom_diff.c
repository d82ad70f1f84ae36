/* vouch sbom diff A B and vouch sbom query FILE: packages of SBOMs from any tool (SPDX or
 * CycloneDX, libsbom sbom/inventory.h) compared by identity (purl without version) or
 * filtered, as text or JSON. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "opt.h"
#include "out.h"
#include "sbom/inventory.h"
#include "sbom_tools.h"
#include "vouch/io.h"

#define INV_INPUT_MAX ((size_t)512 << 20)

const char cmd_sbom_diff_usage[] =
    "usage: vouch sbom diff A B [--output text|json]\n"
    "\n"
    "Compare the packages of two SBOMs (SPDX or CycloneDX JSON, from any tool, the two may\n"
    "differ in format), keyed by purl without version (else ecosystem and name): packages\n"
    "added (+), removed (-) and changed (~: version, license, layer). Exit: 0 the same\n"
    "packages, 1 they differ, 2 a file that cannot be read.\n";

const char cmd_sbom_query_usage[] =
    "usage: vouch sbom query FILE [--ecosystem TYPE] [--license GLOB] [--name GLOB]\n"
    "                       [--output text|json]\n"
    "\n"
    "List the packages of an SBOM (SPDX or CycloneDX JSON) that match every filter given:\n"
    "the purl type (npm, pypi, deb, ...), a glob over the license expression, a glob over the\n"
    "name. Exit: 0 (also when nothing matches), 2 a file that cannot be read.\n";

enum { O_OUT = 1, O_ECO, O_LIC, O_NAME };

static const struct opt_spec diff_specs[] = {
    {"output", 'o', "FORMAT", "text (default) or json", 0, O_OUT, "text|json"},
    {0},
};
static const struct opt_spec query_specs[] = {
    {"ecosystem", 0, "TYPE", "purl type: npm, pypi, golang, maven, deb, apk, rpm, ...", 0, O_ECO,
     NULL},
    {"license", 0, "GLOB", "glob over the license expression ('GPL-*')", 0, O_LIC, NULL},
    {"name", 0, "GLOB", "glob over the package name", 0, O_NAME, NULL},
    {"output", 'o', "FORMAT", "text (default) or json", 0, O_OUT, "text|json"},
    {0},
};
const struct opt_group cmd_sbom_diff_opts[] = {{NULL, diff_specs, NULL}, {0}};
const struct opt_group cmd_sbom_query_opts[] = {{NULL, query_specs, NULL}, {0}};

struct inv_args {
    int json;
    const char *eco, *lic, *name;
};

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    struct inv_args *a = ctx;
    switch (o->id) {
    case O_OUT:
        if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
            return out_usage("sbom", "unknown output format '%s' (text, json)", v);
        }
        a->json = strcmp(v, "json") == 0;
        return EXIT_OK;
    case O_ECO:
        a->eco = v;
        return EXIT_OK;
    case O_LIC:
        a->lic = v;
        return EXIT_OK;
    default:
        a->name = v;
        return EXIT_OK;
    }
}

static int load(struct sbom_inventory **out, const char *path)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char *text = NULL;
    size_t len = 0;
    int rc = vouch_file_read(&text, &len, path, INV_INPUT_MAX, &err);
    rc = rc ? rc : sbom_inventory_read(out, (const char *)text, len, path, &err);
    free(text);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}

/* ---- diff */

struct keyed {
    char *key;
    const struct sbom_item *it;
};

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c != 0) {
        return c;
    }
    return strcmp(x->it->version != NULL ? x->it->version : "",
                  y->it->version != NULL ? y->it->version : "");
}

static struct keyed *keyed_list(const struct sbom_inventory *inv, size_t *n)
{
    size_t m = sbom_inventory_count(inv);
    struct keyed *k = calloc(m + 1, sizeof(*k));
    *n = 0;
    for (size_t i = 0; k != NULL && i < m; i++) {
        const struct sbom_item *it = sbom_inventory_at(inv, i);
        if (it->name == NULL && it->purl == NULL) {
            continue;
        }
        if (sbom_item_key(&k[*n].key, it, NULL) != 0) {
            break;
        }
        k[(*n)++].it = it;
    }
    if (k != NULL) {
        qsort(k, *n, sizeof(*k), keyed_cmp);
    }
    return k;
}

static void keyed_free(struct keyed *k, size_t n)
{
    for (size_t i = 0; k != NULL && i < n; i++) {
        free(k[i].key);
    }
    free(k);
}

static int same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static const char *nz(const char *s)
{
    return s != NULL ? s : "";
}

static void emit(json_t *out, char kind, const struct keyed *a, const struct keyed *b)
{
    const struct keyed *k = a != NULL ? a : b;
    if (out != NULL) {
        json_t *row = json_pack("{s:s, s:s}", "change",
                                kind == '+'   ? "added"
                                : kind == '-' ? "removed"
                                              : "changed",
                                "key", k->key);
        if (a != NULL) {
            json_object_set_new(row, "before",
                                json_pack("{s:s?, s:s?, s:s?, s:s?}", "version", a->it->version,
                                          "license", a->it->license, "layer", a->it->layer, "purl",
                                          a->it->purl));
        }
        if (b != NULL) {
            json_object_set_new(row, "after",
                                json_pack("{s:s?, s:s?, s:s?, s:s?}", "version", b->it->version,
                                          "license", b->it->license, "layer", b->it->layer, "purl",
                                          b->it->purl));
        }
        json_array_append_new(out, row);
        return;
    }
    if (kind != '~') {
        printf("%c %s %s\n", kind, k->key, nz(k->it->version));
        return;
    }
    printf("~ %s", k->key);
    if (!same(a->it->version, b->it->version)) {
        printf(" version %s -> %s", nz(a->it->version), nz(b->it->version));
    }
    if (!same(a->it->license, b->it->license)) {
        printf(" license %s -> %s", a->it->license ? a->it->license : "(none)",
               b->it->license ? b->it->license : "(none)");
    }
    if (!same(a->it->layer, b->it->layer)) {
        printf(" layer %s -> %s", a->it->layer ? a->it->layer : "(none)",
               b->it->layer ? b->it->layer : "(none)");
    }
    putchar('\n');
}

/* both lists sorted by key: a merge; a key present once on each side is one package, so a
 * version change is "changed"; several versions under one key are matched by version */
static size_t diff_lists(const struct keyed *a, size_t na, const struct keyed *b, size_t nb,
                         json_t *out)
{
    size_t i = 0, j = 0, changes = 0;
    while (i < na || j < nb) {
        int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i].key, b[j].key);
        if (c == 0) {
            size_t ea = i, eb = j;
            while (ea < na && strcmp(a[ea].key, a[i].key) == 0) {
                ea++;
            }
            while (eb < nb && strcmp(b[eb].key, b[j].key) == 0) {
                eb++;
            }
            if (ea - i == 1 && eb - j == 1) {
                if (!same(a[i].it->version, b[j].it->version) ||
                    !same(a[i].it->license, b[j].it->license) ||
                    !same(a[i].it->layer, b[j].it->layer)) {
                    emit(out, '~', &a[i], &b[j]);
                    changes++;
                }
                i = ea;
                j = eb;
                continue;
            }
            c = keyed_cmp(&a[i], &b[j]);
            if (c == 0) {
                i++;
                j++;
                continue;
            }
        }
        emit(out, c < 0 ? '-' : '+', c < 0 ? &a[i] : NULL, c < 0 ? NULL : &b[j]);
        changes++;
        if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    return changes;
}

int cmd_sbom_diff(int argc, char **argv)
{
    struct inv_args a = {0};
    struct sbom_inventory *ia = NULL, *ib = NULL;
    const char *files[2];
    struct keyed *ka = NULL, *kb = NULL;
    size_t na = 0, nb = 0, changes;
    json_t *js = NULL;
    int n = 0;
    int rc = opt_parse("sbom diff", cmd_sbom_diff_opts, argc, argv, take, &a, files, 2, &n);
    if (rc == EXIT_OK && n != 2) {
        rc = out_usage("sbom diff", "two SBOM files are required");
    }
    rc = rc ? rc : load(&ia, files[0]);
    rc = rc ? rc : load(&ib, files[1]);
    if (rc == EXIT_OK) {
        ka = keyed_list(ia, &na);
        kb = keyed_list(ib, &nb);
        js = a.json ? json_array() : NULL;
        if (ka == NULL || kb == NULL || (a.json && js == NULL)) {
            out_msg("out of memory");
            rc = EXIT_IO;
        }
    }
    if (rc == EXIT_OK) {
        changes = diff_lists(ka, na, kb, nb, js);
        if (js != NULL) {
            char *s = json_dumps(js, JSON_INDENT(2));
            if (s != NULL) {
                puts(s);
            }
            free(s);
        }
        rc = changes > 0 ? EXIT_REJECTED : EXIT_OK;
    }
    json_decref(js);
    keyed_free(ka, na);
    keyed_free(kb, nb);
    sbom_inventory_free(ia);
    sbom_inventory_free(ib);
    return rc;
}

/* ---- query */

static int matches(const struct inv_args *a, const struct sbom_item *it)
{
    if (a->eco != NULL && (it->ecosystem == NULL || strcmp(it->ecosystem, a->eco) != 0)) {
        return 0;
    }
    if (a->lic != NULL && (it->license == NULL || fnmatch(a->lic, it->license, 0) != 0)) {
        return 0;
    }
    return a->name == NULL || (it->name != NULL && fnmatch(a->name, it->name, 0) == 0);
}

int cmd_sbom_query(int argc, char **argv)
{
    struct inv_args a = {0};
    struct sbom_inventory *inv = NULL;
    const char *file;
    json_t *js = NULL;
    int n = 0;
    int rc = opt_parse("sbom query", cmd_sbom_query_opts, argc, argv, take, &a, &file, 1, &n);
    if (rc == EXIT_OK && n != 1) {
        rc = out_usage("sbom query", "one SBOM file is required");
    }
    rc = rc ? rc : load(&inv, file);
    if (rc != EXIT_OK) {
        return rc;
    }
    js = a.json ? json_array() : NULL;
    if (!a.json) {
        printf("%-40s %-20s %-10s %-24s %s\n", "NAME", "VERSION", "ECOSYSTEM", "LICENSE", "PURL");
    }
    for (size_t i = 0; i < sbom_inventory_count(inv); i++) {
        const struct sbom_item *it = sbom_inventory_at(inv, i);
        if (!matches(&a, it)) {
            continue;
        }
        if (js != NULL) {
            json_array_append_new(js, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "name",
                                                it->name, "version", it->version, "ecosystem",
                                                it->ecosystem, "license", it->license, "purl",
                                                it->purl, "layer", it->layer));
        } else {
            printf("%-40s %-20s %-10s %-24s %s\n", nz(it->name), nz(it->version), nz(it->ecosystem),
                   nz(it->license), nz(it->purl));
        }
    }
    if (js != NULL) {
        char *s = json_dumps(js, JSON_INDENT(2));
        if (s != NULL) {
            puts(s);
        }
        free(s);
        json_decref(js);
    }
    sbom_inventory_free(inv);
    return EXIT_OK;
}
