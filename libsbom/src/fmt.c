/* The format table and writer helpers: time, UUIDs (v5 over a content digest for
 * reproducible output, SPDX 2.3 §6.5.2), ids and JSON building. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "fmt_internal.h"
#include "vouch/encoding.h"

static const struct {
    const char *name;
    int (*write)(struct vouch_buf *out, struct fmt_ctx *c, struct vouch_error *err);
} formats[] = {
    {"spdx-json", fmt_spdx},
    {"cyclonedx-json", fmt_cyclonedx},
    {"table", fmt_table},
};

#define NFMT (sizeof(formats) / sizeof(formats[0]))

static int fmt_ctx_init(struct fmt_ctx *c, const struct sbom_doc *doc,
                        const struct sbom_write_opts *o, struct vouch_error *err);

int sbom_format_parse(enum sbom_format *out, const char *name, struct vouch_error *err)
{
    for (size_t i = 0; i < NFMT; i++) {
        if (strcmp(formats[i].name, name) == 0) {
            *out = (enum sbom_format)i;
            return 0;
        }
    }
    return vouch_error_set(err, VOUCH_EINVAL,
                           "unknown output format '%s' (spdx-json, cyclonedx-json, table)", name);
}

const char *sbom_format_name(enum sbom_format f)
{
    return (unsigned)f < NFMT ? formats[f].name : "unknown";
}

static int fmt_begin(struct fmt_ctx *c, const struct sbom_doc *doc, enum sbom_format f,
                     const struct sbom_write_opts *o, struct vouch_error *err)
{
    if ((unsigned)f >= NFMT) {
        return vouch_error_set(err, VOUCH_EINVAL, "unknown output format");
    }
    return fmt_ctx_init(c, doc, o, err);
}

int sbom_doc_write(struct vouch_buf *out, const struct sbom_doc *doc, enum sbom_format f,
                   const struct sbom_write_opts *o, struct vouch_error *err)
{
    struct fmt_ctx c;
    int rc = fmt_begin(&c, doc, f, o, err);
    return rc ? rc : formats[f].write(out, &c, err);
}

int sbom_doc_write_to(const struct sbom_doc *doc, enum sbom_format f,
                      const struct sbom_write_opts *o, sbom_sink_fn sink, void *ctx,
                      struct vouch_error *err)
{
    struct vouch_buf out;
    struct fmt_ctx c;
    int rc = fmt_begin(&c, doc, f, o, err);
    if (rc != 0) {
        return rc;
    }
    c.sink = sink;
    c.sink_ctx = ctx;
    /* one element at a time plus the chunk: the cap only stops a runaway element */
    vouch_buf_init(&out, (size_t)256 << 20);
    rc = formats[f].write(&out, &c, err);
    rc = rc ? rc : fmt_flush(&out, &c, 1, err);
    vouch_buf_release(&out);
    return rc;
}

static void sha256_hex(char out[65], const void *p, size_t n)
{
    unsigned char md[32];
    EVP_Digest(p, n, md, NULL, EVP_sha256(), NULL);
    vouch_hex_encode(out, md, 32);
}

void fmt_short_hash(char out[17], const char *s)
{
    char hex[65];
    sha256_hex(hex, s, strlen(s));
    memcpy(out, hex, 16);
    out[16] = '\0';
}

static int digest_files(EVP_MD_CTX *md, const struct sbom_doc *doc, struct vouch_error *err)
{
    struct sbom_file_iter *it = NULL;
    const struct sbom_file *f = NULL;
    int rc = sbom_file_iter_new(&it, doc, err);
    while (rc == 0 && (rc = sbom_file_iter_next(&f, it, err)) == 0 && f != NULL) {
        if (!EVP_DigestUpdate(md, f->path, strlen(f->path) + 1) ||
            !EVP_DigestUpdate(md, f->sha256, 32)) {
            rc = vouch_error_ssl(err, VOUCH_EINTERNAL, "digest failed");
        }
    }
    sbom_file_iter_free(it);
    return rc;
}

/* SHA-256 over the canonical listing of the document: source, packages, files. */
static int content_digest(char out[65], const struct sbom_doc *doc, struct vouch_error *err)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char d[32];
    int rc = 0;
    int ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    ok = ok && EVP_DigestUpdate(md, doc->kind, strlen(doc->kind) + 1);
    ok = ok && EVP_DigestUpdate(md, doc->name, strlen(doc->name) + 1);
    for (size_t i = 0; ok && i < doc->npkgs; i++) {
        const char *p = doc->pkgs[i]->purl ? doc->pkgs[i]->purl : "";
        ok = EVP_DigestUpdate(md, p, strlen(p) + 1);
    }
    if (ok && (rc = digest_files(md, doc, err)) == 0) {
        ok = EVP_DigestFinal_ex(md, d, NULL);
    }
    EVP_MD_CTX_free(md);
    if (rc != 0) {
        return rc;
    }
    if (!ok) {
        return vouch_error_ssl(err, VOUCH_EINTERNAL, "digest failed");
    }
    vouch_hex_encode(out, d, 32);
    return 0;
}

static void uuid_format(char out[40], unsigned char b[16], int version)
{
    char hex[33];
    b[6] = (unsigned char)((b[6] & 0x0f) | (version << 4));
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    vouch_hex_encode(hex, b, 16);
    snprintf(out, 40, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static int make_uuid(char out[40], const struct sbom_doc *doc, int deterministic,
                     struct vouch_error *err)
{
    /* RFC 4122 URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8 */
    static const unsigned char ns[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    unsigned char buf[16 + 96], md[20];
    char hex[65];
    int rc;
    if (!deterministic) {
        if (RAND_bytes(md, 16) != 1) {
            return vouch_error_ssl(err, VOUCH_EINTERNAL, "no random bytes");
        }
        uuid_format(out, md, 4);
        return 0;
    }
    if ((rc = content_digest(hex, doc, err)) != 0) {
        return rc;
    }
    memcpy(buf, ns, 16);
    int n = snprintf((char *)buf + 16, 96, "https://vouch.dev/sbom/%s", hex);
    EVP_Digest(buf, 16 + (size_t)n, md, NULL, EVP_sha1(), NULL);
    uuid_format(out, md, 5);
    return 0;
}

static int fmt_ctx_init(struct fmt_ctx *c, const struct sbom_doc *doc,
                        const struct sbom_write_opts *o, struct vouch_error *err)
{
    struct tm tm;
    time_t t = (time_t)o->created;
    memset(c, 0, sizeof(*c));
    c->doc = doc;
    c->o = o;
    c->tool_version = o->tool_version ? o->tool_version : vouch_version();
    if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 1970) {
        return vouch_error_set(err, VOUCH_EINVAL, "creation time out of range");
    }
    strftime(c->created, sizeof(c->created), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return make_uuid(c->uuid, doc, o->deterministic, err);
}
