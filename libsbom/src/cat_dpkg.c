/* dpkg: /var/lib/dpkg/status and distroless /var/lib/dpkg/status.d/<name>; files owned
 * from info/<name>[:arch].list (or status.d/<name>.md5sums); licenses from
 * /usr/share/doc/<name>/copyright; Depends/Pre-Depends become dependency edges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_internal.h"

#define DB_CAP ((size_t)64 << 20)
#define SMALL_CAP ((size_t)16 << 20)

static const struct want_rule rules[] = {
    {"var/lib/dpkg/status", DB_CAP},
    {"var/lib/dpkg/status.d/*", SMALL_CAP},
    {"var/lib/dpkg/info/*.list", SMALL_CAP},
    {"usr/share/doc/*/copyright", 1 << 20},
    {NULL, 0},
};

/* Files in status.d that are not package paragraphs (syft/distroless siblings). */
static const char *const skip_suffixes[] = {".md5sums", ".preinst",   ".postinst",  ".prerm",
                                            ".postrm",  ".conffiles", ".list",      ".triggers",
                                            ".shlibs",  ".symbols",   ".templates", ".config"};

struct dpkg_ctx {
    struct sbom_doc *doc;
    const struct sbom_root *r;
    const char *file; /* status.d file name, or NULL for status */
    struct vouch_error *err;
};

static int set_line(char **dst, const struct ctl_para *p, const char *field,
                    struct vouch_error *err)
{
    size_t vlen, n;
    const char *v = ctl_get(p, field, &vlen);
    if (v == NULL) {
        return 0;
    }
    v = ctl_line(v, vlen, &n);
    return n > 0 ? util_set(dst, v, n, err) : 0;
}

/* "a (>= 1), b | c, d:any" -> names a, b, d (first alternative of each group). */
static int add_names(struct strv *out, const struct ctl_para *p, const char *field,
                     struct vouch_error *err)
{
    size_t vlen;
    const char *v = ctl_get(p, field, &vlen), *end;
    if (v == NULL) {
        return 0;
    }
    end = v + vlen;
    while (v < end) {
        const char *s = v, *comma = memchr(v, ',', (size_t)(end - v));
        const char *ge = comma != NULL ? comma : end;
        size_t n = 0;
        while (s < ge && (*s == ' ' || *s == '\n' || *s == '\t')) {
            s++;
        }
        while (s + n < ge && strchr(" \t\n(|:[<", s[n]) == NULL) {
            n++;
        }
        if (n > 0 && strv_push(out, s, n, err) != 0) {
            return VOUCH_ENOMEM;
        }
        v = ge + 1;
    }
    return 0;
}

static int installed(const struct ctl_para *p)
{
    size_t vlen, n;
    const char *v = ctl_get(p, "Status", &vlen);
    if (v == NULL) {
        return 1; /* distroless status.d has no Status field */
    }
    v = ctl_line(v, vlen, &n);
    return n >= 10 && memcmp(v + n - 10, " installed", 10) == 0;
}

static int fill(struct sbom_pkg *k, const struct ctl_para *p, struct vouch_error *err)
{
    size_t n;
    const char *colon;
    int rc = set_line(&k->version, p, "Version", err);
    rc = rc ? rc : set_line(&k->arch, p, "Architecture", err);
    rc = rc ? rc : set_line(&k->supplier, p, "Maintainer", err);
    rc = rc ? rc : set_line(&k->source, p, "Source", err);
    rc = rc ? rc : add_names(&k->depends, p, "Pre-Depends", err);
    rc = rc ? rc : add_names(&k->depends, p, "Depends", err);
    rc = rc ? rc : add_names(&k->provides, p, "Provides", err);
    if (rc == 0 && k->source != NULL) { /* "Source: name (version)" */
        char *sp = strchr(k->source, ' ');
        if (sp != NULL) {
            char *close = strchr(sp, ')');
            if (sp[1] == '(' && close != NULL) {
                rc = util_set(&k->source_version, sp + 2, (size_t)(close - sp - 2), err);
            }
            *sp = '\0';
        }
    }
    if (rc == 0 && k->version != NULL && (colon = strchr(k->version, ':')) != NULL) {
        n = (size_t)(colon - k->version);
        rc = util_set(&k->epoch, k->version, n, err);
    }
    return rc;
}

static int on_para(const struct ctl_para *p, void *vctx)
{
    struct dpkg_ctx *c = vctx;
    struct sbom_pkg *k;
    size_t n;
    const char *name = NULL;
    int rc;
    if (set_line((char **)&name, p, "Package", c->err) != 0) {
        return VOUCH_ENOMEM;
    }
    if (name == NULL || !installed(p)) {
        if (name == NULL && p->n > 0 && ctl_get(p, "Package", &n) == NULL) {
            doc_warn(c->doc, "dpkg: paragraph without Package in '%s' skipped",
                     c->file ? c->file : "status");
        }
        free((char *)name);
        return 0;
    }
    if ((rc = doc_pkg_add(&k, c->doc, SBOM_PKG_DEB, c->err)) != 0) {
        free((char *)name);
        return rc;
    }
    k->name = (char *)name;
    return fill(k, p, c->err);
}

static int parse_db(struct dpkg_ctx *c, const char *path, const char *file)
{
    const unsigned char *d;
    size_t len;
    int rc = cat_read(&d, &len, c->doc, c->r, path);
    if (rc != 0) {
        return rc == VOUCH_ENOMEM ? rc : 0;
    }
    c->file = file;
    return ctl_parse((const char *)d, len, on_para, c);
}

static int skip_name(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof(skip_suffixes) / sizeof(skip_suffixes[0]); i++) {
        size_t s = strlen(skip_suffixes[i]);
        if (n > s && strcmp(name + n - s, skip_suffixes[i]) == 0) {
            return 1;
        }
    }
    return name[0] == '.';
}

static int on_statusd(const char *name, enum sbom_ftype t, void *vctx)
{
    struct dpkg_ctx *c = vctx;
    char path[CAT_PATH_MAX];
    if (skip_name(name) || t == SBOM_FT_DIR) {
        return 0;
    }
    snprintf(path, sizeof(path), "var/lib/dpkg/status.d/%s", name);
    return parse_db(c, path, name);
}

/* Add the paths listed in a .list or .md5sums file, except directories of the root. */
static int add_listed(struct dpkg_ctx *c, struct sbom_pkg *k, const char *path, int md5)
{
    const unsigned char *d;
    size_t len, i = 0;
    int rc = cat_read(&d, &len, c->doc, c->r, path);
    if (rc != 0) {
        return rc == VOUCH_ENOMEM ? rc : 1;
    }
    while (i < len) {
        const char *s = (const char *)d + i, *nl = memchr(s, '\n', len - i);
        size_t n = nl != NULL ? (size_t)(nl - s) : len - i;
        char p[CAT_PATH_MAX];
        struct sbom_stat st;
        i += n + 1;
        if (md5 && n > 34) { /* "<32 hex>  path" */
            s += 34;
            n -= 34;
        }
        while (n > 0 && *s == '/') {
            s++;
            n--;
        }
        if (n == 0 || n >= sizeof(p)) {
            continue;
        }
        memcpy(p, s, n);
        p[n] = '\0';
        /* .list names directories too: drop those the root has as directories */
        if (n == 1 && p[0] == '.') {
            continue;
        }
        if (sbom_root_lstat(&st, c->r, p, NULL) == 0) {
            if (st.type == SBOM_FT_DIR) {
                continue;
            }
            /* merged /usr: "bin/bash" is "usr/bin/bash" in the root's inventory */
            sbom_root_canonical(p, sizeof(p), c->r, p, NULL);
            n = strlen(p);
        }
        if (strv_push(&k->files, p, n, c->err) != 0) {
            return VOUCH_ENOMEM;
        }
    }
    return 0;
}

static int pkg_files(struct dpkg_ctx *c, struct sbom_pkg *k)
{
    char path[CAT_PATH_MAX];
    int rc;
    snprintf(path, sizeof(path), "var/lib/dpkg/info/%s:%s.list", k->name, k->arch ? k->arch : "");
    if ((rc = add_listed(c, k, path, 0)) <= 0) {
        return rc;
    }
    snprintf(path, sizeof(path), "var/lib/dpkg/info/%s.list", k->name);
    if ((rc = add_listed(c, k, path, 0)) <= 0) {
        return rc;
    }
    snprintf(path, sizeof(path), "var/lib/dpkg/status.d/%s.md5sums", k->name);
    rc = add_listed(c, k, path, 1);
    return rc < 0 ? rc : 0;
}

/* DEP-5 "License:" lines; else references to /usr/share/common-licenses/<X>. */
static int pkg_licenses(struct dpkg_ctx *c, struct sbom_pkg *k)
{
    static const char ref[] = "/usr/share/common-licenses/";
    const unsigned char *d;
    char path[CAT_PATH_MAX];
    size_t len, i = 0;
    snprintf(path, sizeof(path), "usr/share/doc/%s/copyright", k->name);
    if (cat_read(&d, &len, c->doc, c->r, path) != 0) {
        return 0;
    }
    while (i < len) {
        const char *s = (const char *)d + i, *nl = memchr(s, '\n', len - i);
        size_t n = nl != NULL ? (size_t)(nl - s) : len - i, vn;
        i += n + 1;
        if (n > 8 && strncmp(s, "License:", 8) == 0) {
            const char *v = ctl_line(s + 8, n - 8, &vn);
            if (vn > 0 && strv_add_unique(&k->licenses, v, vn, c->err) != 0) {
                return VOUCH_ENOMEM;
            }
        }
    }
    for (i = 0; k->licenses.n == 0 && i + sizeof(ref) < len; i++) {
        size_t n = 0;
        const char *s = (const char *)d + i + sizeof(ref) - 1;
        if (memcmp(d + i, ref, sizeof(ref) - 1) != 0) {
            continue;
        }
        while (i + sizeof(ref) - 1 + n < len && strchr(" \t\n,;)\"'", s[n]) == NULL) {
            n++;
        }
        while (n > 0 && s[n - 1] == '.') {
            n--;
        }
        if (n > 0 && strv_add_unique(&k->licenses, s, n, c->err) != 0) {
            return VOUCH_ENOMEM;
        }
    }
    return 0;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct dpkg_ctx c = {doc, r, NULL, err};
    size_t first = doc->npkgs;
    struct sbom_stat st;
    int rc = parse_db(&c, "var/lib/dpkg/status", NULL);
    if (rc == 0 && sbom_root_stat(&st, r, "var/lib/dpkg/status.d", NULL) == 0 &&
        st.type == SBOM_FT_DIR) {
        rc = sbom_root_readdir(r, "var/lib/dpkg/status.d", on_statusd, &c, err);
    }
    for (size_t i = first; rc == 0 && i < doc->npkgs; i++) {
        rc = pkg_files(&c, doc->pkgs[i]);
        rc = rc ? rc : pkg_licenses(&c, doc->pkgs[i]);
    }
    return rc;
}

const struct cataloger cat_dpkg = {"dpkg", rules, run};
