/* Java archives (.jar, .war, .ear, .jpi, .hpi) read as zips with libarchive: every
 * pom.properties is a package (shaded jars hold several), nested archives are read
 * recursively within bounds, MANIFEST.MF is the fallback when there is no pom.properties.
 * Names come from the metadata only, never from file names; the archive's SHA-1 goes to
 * its own artifact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "cat_internal.h"
#include "cat_java.h"
#include "vouch/encoding.h"
#include "vouch/mem.h"

#define JAR_CAP ((size_t)64 << 20)    /* a top-level archive kept by the source */
#define NESTED_CAP ((size_t)32 << 20) /* one nested archive read into memory */
#define META_CAP ((size_t)1 << 20)    /* pom.properties, MANIFEST.MF */
#define BUDGET ((uint64_t)256 << 20)  /* bytes inflated per top-level archive */
#define MAX_DEPTH 4                   /* archives inside archives */
#define MAX_ENTRIES 200000            /* entries looked at per top-level archive */

static const struct want_rule rules[] = {
    {"**/*.jar", JAR_CAP}, {"**/*.war", JAR_CAP}, {"**/*.ear", JAR_CAP},
    {"**/*.jpi", JAR_CAP}, {"**/*.hpi", JAR_CAP}, {NULL, 0},
};

/* Indexes (into the document) of the packages an archive's own pom.properties gave. */
struct direct {
    size_t *v;
    size_t n, cap;
    struct strv dirs;    /* dirs.v[i]: the folder of package v[i]'s pom.properties */
    struct strv pom_lic; /* "FOLDER\x1fLICENSE" from the pom.xml files of the archive */
};

struct jar_ctx {
    struct sbom_doc *doc;
    struct vouch_error *err;
    const char *top;   /* the file in the root */
    uint64_t inflated; /* against BUDGET */
    uint64_t entries;  /* against MAX_ENTRIES */
    int warned;        /* one warning per top-level archive about its bounds */
};

static int is_archive_name(const char *name)
{
    for (const struct want_rule *w = rules; w->glob != NULL; w++) {
        if (cat_glob(w->glob, name)) {
            return 1;
        }
    }
    return 0;
}

static void bound_warn(struct jar_ctx *c, const char *loc, const char *what)
{
    if (!c->warned) {
        doc_warn(c->doc, "java: '%s': %s, rest of the archive not read", loc, what);
        c->warned = 1;
    }
}

/* Read the current entry into a malloc'd buffer of at most cap bytes: 0, 1 when over the
 * cap or the budget (not read), negative on a corrupt entry (warning recorded). */
static int read_entry(unsigned char **out, size_t *len, struct archive *a, struct jar_ctx *c,
                      const char *loc, size_t cap)
{
    size_t n = 0, sz = 8192;
    unsigned char *d = malloc(sz + 1);
    if (d == NULL) {
        return vouch_enomem(c->err);
    }
    for (;;) {
        la_ssize_t got;
        if (n == sz) {
            unsigned char *nd;
            if (sz >= cap) {
                free(d);
                return 1;
            }
            sz = sz * 2 < cap ? sz * 2 : cap;
            if ((nd = realloc(d, sz + 1)) == NULL) {
                free(d);
                return vouch_enomem(c->err);
            }
            d = nd;
        }
        got = archive_read_data(a, d + n, sz - n);
        if (got < 0) {
            doc_warn(c->doc, "java: '%s': %s", loc, archive_error_string(a));
            free(d);
            return -1;
        }
        if (got == 0) {
            break;
        }
        n += (size_t)got;
        c->inflated += (uint64_t)got;
        if (c->inflated > BUDGET) {
            free(d);
            return 1;
        }
    }
    d[n] = '\0';
    *out = d;
    *len = n;
    return 0;
}

static int sha1_hex(char out[41], const unsigned char *d, size_t len, struct vouch_error *err)
{
    unsigned char md[20];
    if (!EVP_Digest(d, len, md, NULL, EVP_sha1(), NULL)) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "SHA-1 failed");
    }
    vouch_hex_encode(out, md, sizeof(md));
    return 0;
}

static int add_coord(struct sbom_pkg **out, struct jar_ctx *c, const struct java_coord *jc,
                     const char *loc)
{
    int rc = cat_lang_pkg(out, c->doc, SBOM_PKG_MAVEN, jc->artifact, (size_t)-1, jc->version,
                          (size_t)-1, loc, c->err);
    return rc ? rc : util_set(&(*out)->ns, jc->group, (size_t)-1, c->err);
}

/* The archive's own artifact among its pom.properties: the only one, or the one whose
 * "artifactId-version" ends the archive's file stem (shaded jars embed their inputs'). */
static struct sbom_pkg *own_artifact(struct sbom_doc *doc, const struct direct *dir,
                                     const char *loc)
{
    const char *base = strrchr(loc, '/'), *colon = strrchr(loc, ':');
    char stem[512], want[512];
    size_t n;
    if (dir->n == 1) {
        return doc->pkgs[dir->v[0]];
    }
    base = colon != NULL && (base == NULL || colon > base) ? colon + 1 : base ? base + 1 : loc;
    snprintf(stem, sizeof(stem), "%s", base);
    if (strrchr(stem, '.') != NULL) {
        *strrchr(stem, '.') = '\0';
    }
    for (size_t i = 0; i < dir->n; i++) {
        struct sbom_pkg *p = doc->pkgs[dir->v[i]];
        snprintf(want, sizeof(want), "%s-%s", p->name, p->version ? p->version : "");
        n = strlen(want);
        if (strlen(stem) >= n && strcmp(stem + strlen(stem) - n, want) == 0) {
            return p;
        }
    }
    return NULL;
}

static int scan(struct jar_ctx *c, const unsigned char *d, size_t len, const char *loc, int depth);

/* Handle one entry of an archive being scanned. */
static int on_entry(struct jar_ctx *c, struct archive *a, struct archive_entry *e, const char *loc,
                    int depth, struct direct *dir, char **manifest, size_t *mlen)
{
    const char *name = archive_entry_pathname(e), *base;
    unsigned char *d = NULL;
    size_t n = 0;
    int rc;
    if (name == NULL || archive_entry_filetype(e) != AE_IFREG) {
        return 0;
    }
    base = strrchr(name, '/');
    base = base != NULL ? base + 1 : name;
    if (strcmp(base, "pom.properties") == 0) {
        struct java_coord jc;
        struct sbom_pkg *p;
        if ((rc = read_entry(&d, &n, a, c, loc, META_CAP)) != 0) {
            return rc;
        }
        rc = java_pom_props(&jc, (const char *)d, n) == 0 ? add_coord(&p, c, &jc, loc) : 1;
        free(d);
        if (rc == 0 && vouch_grow(&dir->v, dir->n, &dir->cap, sizeof(*dir->v), 8, c->err) != 0) {
            return VOUCH_ENOMEM;
        }
        if (rc == 0) {
            dir->v[dir->n++] = c->doc->npkgs - 1;
            rc = strv_push(&dir->dirs, name, (size_t)(base - name), c->err);
        }
        return rc < 0 ? rc : 0;
    }
    if (strcmp(base, "pom.xml") == 0) {
        if ((rc = read_entry(&d, &n, a, c, loc, META_CAP)) != 0) {
            return rc;
        }
        rc = java_pom_licenses(&dir->pom_lic, name, (size_t)(base - name), (const char *)d, n,
                               c->err);
        free(d);
        return rc;
    }
    if (strcmp(name, "META-INF/MANIFEST.MF") == 0 && *manifest == NULL) {
        rc = read_entry(&d, &n, a, c, loc, META_CAP);
        *manifest = (char *)d;
        *mlen = n;
        return rc;
    }
    if (!is_archive_name(name)) {
        return 0;
    }
    if (depth + 1 >= MAX_DEPTH) {
        bound_warn(c, loc, "archives nested too deep");
        return 1;
    }
    if ((rc = read_entry(&d, &n, a, c, loc, NESTED_CAP)) == 0) {
        size_t sn = strlen(loc) + strlen(name) + 2;
        char *sub = malloc(sn);
        if (sub == NULL) {
            free(d);
            return vouch_enomem(c->err);
        }
        snprintf(sub, sn, "%s:%s", loc, name);
        rc = scan(c, d, n, sub, depth + 1);
        free(sub);
    } else if (rc == 1) {
        bound_warn(c, loc, "nested archive too large");
    }
    free(d);
    return rc;
}

/* Licenses of the pom.xml next to each package's pom.properties. */
static int pom_licenses(struct jar_ctx *c, const struct direct *dir)
{
    for (size_t i = 0; i < dir->n; i++) {
        size_t dl = strlen(dir->dirs.v[i]);
        for (size_t k = 0; k < dir->pom_lic.n; k++) {
            const char *e = dir->pom_lic.v[k];
            if (strncmp(e, dir->dirs.v[i], dl) == 0 && e[dl] == '\x1f' &&
                strv_add_unique(&c->doc->pkgs[dir->v[i]]->licenses, e + dl + 1, (size_t)-1,
                                c->err) != 0) {
                return VOUCH_ENOMEM;
            }
        }
    }
    return 0;
}

/* Packages of one archive at loc (depth 0: a file of the root). */
static int scan(struct jar_ctx *c, const unsigned char *d, size_t len, const char *loc, int depth)
{
    struct archive *a = archive_read_new();
    struct archive_entry *e;
    struct direct dir = {0};
    size_t mlen = 0;
    char *manifest = NULL, sha1[41];
    struct sbom_pkg *own;
    int rc = 0, r;
    if (a == NULL) {
        return vouch_enomem(c->err);
    }
    archive_read_support_format_zip(a);
    if (archive_read_open_memory(a, d, len) != ARCHIVE_OK) {
        doc_warn(c->doc, "java: '%s': not a zip archive (%s), skipped", loc,
                 archive_error_string(a));
        archive_read_free(a);
        return 0;
    }
    while (rc == 0 && (r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
        if (r < ARCHIVE_WARN) {
            doc_warn(c->doc, "java: '%s': %s", loc, archive_error_string(a));
            break;
        }
        if (++c->entries > MAX_ENTRIES) {
            bound_warn(c, loc, "too many entries");
            break;
        }
        rc = on_entry(c, a, e, loc, depth, &dir, &manifest, &mlen);
        if (rc == 1 && c->warned) {
            rc = 0; /* a bound was hit: keep what was found, read the next entry */
        } else if (rc == 1 || rc == -1) {
            rc = 0;
        }
        if (c->inflated > BUDGET) {
            bound_warn(c, loc, "more than 256 MiB inflated");
            break;
        }
    }
    archive_read_free(a);
    own = NULL;
    if (rc == 0 && dir.n == 0 && manifest != NULL) {
        struct java_coord jc;
        if (java_manifest_coord(&jc, manifest, mlen) == 0) {
            rc = add_coord(&own, c, &jc, loc);
        }
    } else if (rc == 0 && dir.n > 0) {
        own = own_artifact(c->doc, &dir, loc);
        rc = pom_licenses(c, &dir);
    }
    free(dir.v);
    strv_release(&dir.dirs);
    strv_release(&dir.pom_lic);
    if (own != NULL && (rc = sha1_hex(sha1, d, len, c->err)) == 0) {
        char lic[512];
        rc = util_set(&own->sha1, sha1, (size_t)-1, c->err);
        if (rc == 0 && manifest != NULL &&
            java_manifest_get(lic, sizeof(lic), manifest, mlen, "Bundle-License") == 0) {
            rc = strv_add_unique(&own->licenses, lic, (size_t)-1, c->err);
        }
    }
    free(manifest);
    return rc;
}

static int on_file(const char *path, const unsigned char *data, size_t len, void *vctx)
{
    struct jar_ctx *c = vctx;
    c->top = path;
    c->inflated = 0;
    c->entries = 0;
    c->warned = 0;
    return scan(c, data, len, path, 0);
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct jar_ctx c = {doc, err, NULL, 0, 0, 0};
    return cat_each(r, rules, sizeof(rules) / sizeof(rules[0]) - 1, on_file, &c);
}

const struct cataloger cat_java = {"java", rules, run};
