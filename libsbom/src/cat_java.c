/* Java archives (.jar, .war, .ear, .jpi, .hpi) read as zips with libarchive: every
 * pom.properties is a package (shaded jars hold several), nested archives are read
 * recursively within bounds, MANIFEST.MF is the fallback when there is no pom.properties.
 * Names come from the metadata only, never from file names; the archive's SHA-1 goes to
 * its own artifact. Nothing holds a whole archive in memory: the source spills top-level
 * archives to its temporary file (read back with seeks), a nested archive is read as a
 * stream of its outer entry's data, hashed as it passes. */
#include <errno.h>
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

#define JAR_CAP (((size_t)1 << 30) | SBOM_WANT_SPILL) /* a top-level archive, on disk */
#define META_CAP ((size_t)1 << 20)                    /* pom.properties, MANIFEST.MF */
#define NESTED_MAX ((uint64_t)256 << 20)              /* one nested archive, on disk */
#define BUDGET ((uint64_t)1 << 30)                    /* bytes inflated per top-level archive */
#define CHUNK 65536                                   /* bytes handed to libarchive at once */
#define MAX_DEPTH 4                                   /* archives inside archives */
#define MAX_ENTRIES 200000                            /* entries looked at per top-level archive */

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

/* Where an archive's bytes come from, both seekable so libarchive reads the central
 * directory and seeks past entries (no inflating to skip): a spilled file of the root, or
 * a nested archive copied to an unlinked temporary file (its SHA-1 taken on the way). */
struct src {
    struct jar_ctx *c;
    const struct sbom_blob *blob; /* top level, spilled */
    const unsigned char *mem;     /* top level, kept in memory by another row's rule */
    FILE *fp;                     /* nested */
    uint64_t len, pos;
    char sha1[41]; /* nested: computed while copying */
    unsigned char buf[CHUNK];
};

static int src_pread(struct src *s, uint64_t off, size_t n, struct vouch_error *err)
{
    if (s->mem != NULL) {
        memcpy(s->buf, s->mem + off, n);
        return 0;
    }
    if (s->blob != NULL) {
        return sbom_blob_read(s->blob, off, s->buf, n, err);
    }
    if (fseeko(s->fp, (off_t)off, SEEK_SET) != 0 || fread(s->buf, 1, n, s->fp) != n) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot read a temporary file");
    }
    return 0;
}

static la_ssize_t src_read(struct archive *a, void *vs, const void **out)
{
    struct src *s = vs;
    struct vouch_error e = VOUCH_ERROR_INIT;
    size_t n = s->len - s->pos < CHUNK ? (size_t)(s->len - s->pos) : CHUNK;
    *out = s->buf;
    if (n > 0 && src_pread(s, s->pos, n, &e) != 0) {
        archive_set_error(a, EIO, "%s", e.msg);
        return -1;
    }
    s->pos += n;
    return (la_ssize_t)n;
}

static la_int64_t src_seek(struct archive *a, void *vs, la_int64_t off, int whence)
{
    struct src *s = vs;
    la_int64_t base = whence == SEEK_SET   ? 0
                      : whence == SEEK_CUR ? (la_int64_t)s->pos
                                           : (la_int64_t)s->len;
    (void)a;
    if (off < -base || base + off > (la_int64_t)s->len) {
        return ARCHIVE_FATAL;
    }
    s->pos = (uint64_t)(base + off);
    return (la_int64_t)s->pos;
}

static la_int64_t src_skip(struct archive *a, void *vs, la_int64_t n)
{
    struct src *s = vs;
    uint64_t left = s->len - s->pos;
    (void)a;
    n = n < 0 ? 0 : (uint64_t)n > left ? (la_int64_t)left : n;
    s->pos += (uint64_t)n;
    return n;
}

/* The archive's SHA-1 in hex: a nested one's was taken while copying; a spilled file is
 * read once more from its start. */
static int src_sha1(char out[41], struct src *s)
{
    unsigned char md[20];
    EVP_MD_CTX *h;
    int ok;
    if (s->blob == NULL && s->mem == NULL) {
        memcpy(out, s->sha1, sizeof(s->sha1));
        return 0;
    }
    if ((h = EVP_MD_CTX_new()) == NULL) {
        return vouch_enomem(s->c->err);
    }
    ok = EVP_DigestInit_ex(h, EVP_sha1(), NULL);
    for (uint64_t off = 0; ok && off < s->len;) {
        size_t n = s->len - off < CHUNK ? (size_t)(s->len - off) : CHUNK;
        struct vouch_error e = VOUCH_ERROR_INIT;
        if (src_pread(s, off, n, &e) != 0) {
            EVP_MD_CTX_free(h);
            return vouch_error_set(s->c->err, e.code, "%s", e.msg);
        }
        ok = EVP_DigestUpdate(h, s->buf, n);
        off += n;
    }
    ok = ok && EVP_DigestFinal_ex(h, md, NULL);
    EVP_MD_CTX_free(h);
    if (!ok) {
        return vouch_error_ssl(s->c->err, VOUCH_EINTERNAL, "SHA-1 failed");
    }
    vouch_hex_encode(out, md, sizeof(md));
    return 0;
}

/* Copy the current entry of a to s's temporary file (SHA-1 on the way): 0, 1 over the
 * budget (warned), -1 corrupt (warned), or an error. */
static int copy_nested(struct src *s, struct archive *a, const char *loc)
{
    unsigned char md[20];
    EVP_MD_CTX *h = EVP_MD_CTX_new();
    la_ssize_t got;
    int rc = h != NULL && EVP_DigestInit_ex(h, EVP_sha1(), NULL) ? 0 : vouch_enomem(s->c->err);
    if (rc == 0 && (s->fp = tmpfile()) == NULL) {
        rc = vouch_error_sys(s->c->err, VOUCH_EIO, errno, "cannot create a temporary file");
    }
    while (rc == 0 && (got = archive_read_data(a, s->buf, CHUNK)) != 0) {
        if (got < 0) {
            doc_warn(s->c->doc, "java: '%s': %s", loc, archive_error_string(a));
            rc = -1;
        } else if ((s->c->inflated += (uint64_t)got) > BUDGET) {
            bound_warn(s->c, loc, "more than 1 GiB inflated");
            rc = 1;
        } else if (s->len + (uint64_t)got > NESTED_MAX) {
            bound_warn(s->c, loc, "nested archive too large");
            rc = 1;
        } else if (!EVP_DigestUpdate(h, s->buf, (size_t)got) ||
                   fwrite(s->buf, 1, (size_t)got, s->fp) != (size_t)got) {
            rc = vouch_error_sys(s->c->err, VOUCH_EIO, errno, "cannot write a temporary file");
        }
        s->len += rc == 0 ? (uint64_t)got : 0;
    }
    if (rc == 0 && (fflush(s->fp) != 0 || !EVP_DigestFinal_ex(h, md, NULL))) {
        rc = vouch_error_sys(s->c->err, VOUCH_EIO, errno, "cannot write a temporary file");
    }
    if (rc == 0) {
        vouch_hex_encode(s->sha1, md, sizeof(md));
    }
    EVP_MD_CTX_free(h);
    return rc;
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

static int scan(struct jar_ctx *c, struct src *s, const char *loc, int depth);

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
    size_t sn = strlen(loc) + strlen(name) + 2;
    char *sub = malloc(sn);
    struct src *s = calloc(1, sizeof(*s));
    rc = sub != NULL && s != NULL ? 0 : vouch_enomem(c->err);
    if (rc == 0 && archive_entry_size_is_set(e) && archive_entry_size(e) > (la_int64_t)NESTED_MAX) {
        bound_warn(c, loc, "nested archive too large"); /* declared: not even copied */
        rc = 1;
    }
    if (rc == 0) {
        s->c = c;
        snprintf(sub, sn, "%s:%s", loc, name);
        rc = copy_nested(s, a, loc);
    }
    if (rc == 0) {
        rc = scan(c, s, sub, depth + 1);
    }
    if (s != NULL && s->fp != NULL) {
        fclose(s->fp);
    }
    free(s);
    free(sub);
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

/* Packages of one archive at loc (depth 0: a file of the root) read from s. */
static int scan(struct jar_ctx *c, struct src *s, const char *loc, int depth)
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
    archive_read_set_read_callback(a, src_read);
    archive_read_set_callback_data(a, s);
    archive_read_set_seek_callback(a, src_seek);
    archive_read_set_skip_callback(a, src_skip);
    if (archive_read_open1(a) != ARCHIVE_OK) {
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
            bound_warn(c, loc, "more than 1 GiB inflated");
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
    if (own != NULL && rc == 0) {
        char lic[512];
        rc = src_sha1(sha1, s);
        rc = rc ? rc : util_set(&own->sha1, sha1, (size_t)-1, c->err);
        if (rc == 0 && manifest != NULL &&
            java_manifest_get(lic, sizeof(lic), manifest, mlen, "Bundle-License") == 0) {
            rc = strv_add_unique(&own->licenses, lic, (size_t)-1, c->err);
        }
    }
    free(manifest);
    return rc;
}

static int on_file(const char *path, const struct sbom_blob *b, uint64_t len, void *vctx)
{
    struct jar_ctx *c = vctx;
    struct src *s = calloc(1, sizeof(*s));
    int rc = s != NULL ? 0 : vouch_enomem(c->err);
    c->top = path;
    c->inflated = 0;
    c->entries = 0;
    c->warned = 0;
    if (rc == 0) {
        s->c = c;
        s->blob = b;
        s->len = len;
        rc = scan(c, s, path, 0);
    }
    free(s);
    return rc;
}

/* An archive another row kept in memory first (the binary folders of go and rust). */
static int on_kept(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct jar_ctx *c = vctx;
    struct src *s = calloc(1, sizeof(*s));
    int rc = s != NULL ? 0 : vouch_enomem(c->err);
    c->top = path;
    c->inflated = 0;
    c->entries = 0;
    c->warned = 0;
    if (rc == 0) {
        s->c = c;
        s->mem = d;
        s->len = len;
        rc = scan(c, s, path, 0);
    }
    free(s);
    return rc;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct jar_ctx c = {doc, err, NULL, 0, 0, 0};
    int rc = cat_each_spilled(r, rules, sizeof(rules) / sizeof(rules[0]) - 1, on_file, &c);
    return rc ? rc : cat_each(r, rules, sizeof(rules) / sizeof(rules[0]) - 1, on_kept, &c);
}

const struct cataloger cat_java = {"java", rules, run};
