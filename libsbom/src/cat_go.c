/* Go: module build info embedded in binaries (ELF, Mach-O, PE) by Go >= 1.18, the
 * "\xff Go buildinf:" blob in the .go.buildinfo section (runtime/debug and
 * debug/buildinfo in Go's sources): main module, every dependency with version and sum,
 * "=>" replacements (the replacement is what was built), and the toolchain as
 * pkg:golang/stdlib. go.mod "require" lines for dir: sources (cat_go_mod.c). */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <string.h>

#include "cat_go_internal.h"

#define BIN_CAP ((size_t)128 << 20)

/* Where images put Go programs (as the Rust row's binaries: not every usr/bin file) */
static const struct want_rule rules[] = {
    {"usr/local/bin/*", BIN_CAP},
    {"usr/local/sbin/*", BIN_CAP},
    {"usr/local/go/bin/*", BIN_CAP},
    {"root/go/bin/*", BIN_CAP},
    {"home/*/go/bin/*", BIN_CAP},
    {"go/bin/*", BIN_CAP},
    {"app/*", BIN_CAP},
    {"app/bin/*", BIN_CAP},
    {"opt/*/bin/*", BIN_CAP},
    {"ko-app/*", BIN_CAP},
    {"**/go.mod", (size_t)16 << 20},
    {"**/go.sum", (size_t)16 << 20},
    {NULL, 0},
};

static const char magic[] = "\xff Go buildinf:";
#define MAGIC_LEN 14
#define HDR_LEN 32
#define FLAG_INLINE 0x2

static int is_binary(const unsigned char *d, size_t len)
{
    static const unsigned char elf[] = {0x7f, 'E', 'L', 'F'}, mo64[] = {0xcf, 0xfa, 0xed, 0xfe},
                               mo32[] = {0xce, 0xfa, 0xed, 0xfe};
    return len >= 64 && (memcmp(d, elf, 4) == 0 || memcmp(d, mo64, 4) == 0 ||
                         memcmp(d, mo32, 4) == 0 || (d[0] == 'M' && d[1] == 'Z'));
}

/* Go's uvarint at d[*off..len): 0 and *v, or -1 when it runs past the end or overflows. */
static int uvarint(uint64_t *v, const unsigned char *d, size_t len, size_t *off)
{
    *v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*off >= len) {
            return -1;
        }
        unsigned char b = d[(*off)++];
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            return 0;
        }
    }
    return -1;
}

/* The length-prefixed string at *off, bounds-checked against the file. */
static int inline_str(const char **s, size_t *n, const unsigned char *d, size_t len, size_t *off)
{
    uint64_t v;
    if (uvarint(&v, d, len, off) != 0 || v > len - *off) {
        return -1;
    }
    *s = (const char *)d + *off;
    *n = (size_t)v;
    *off += (size_t)v;
    return 0;
}

/* The build info blob: 16-byte aligned (the linker aligns the section). 1 if none. */
static int find_blob(const char **ver, size_t *vn, const char **mod, size_t *mn,
                     const unsigned char *d, size_t len)
{
    size_t at = 0;
    for (;;) {
        const unsigned char *hit = memmem(d + at, len - at, magic, MAGIC_LEN);
        if (hit == NULL) {
            return 1;
        }
        at = (size_t)(hit - d);
        if (at % 16 == 0 && len - at >= HDR_LEN) {
            break;
        }
        at++;
    }
    if (!(d[at + 15] & FLAG_INLINE)) {
        return -2; /* Go < 1.18: pointers into the data segment */
    }
    size_t off = at + HDR_LEN;
    if (inline_str(ver, vn, d, len, &off) != 0 || inline_str(mod, mn, d, len, &off) != 0) {
        return -1;
    }
    return 0;
}

static int on_file(const char *path, const unsigned char *d, size_t len, void *vctx)
{
    struct go_ctx *c = vctx;
    const char *ver, *mod;
    size_t vn, mn, n = strlen(path);
    int rc;
    if (n >= 6 && strcmp(path + n - 6, "go.mod") == 0 && (n == 6 || path[n - 7] == '/')) {
        return cat_declared(c->doc) ? go_mod_read(c, path, (const char *)d, len) : 0;
    }
    if (!is_binary(d, len)) {
        return 0;
    }
    rc = find_blob(&ver, &vn, &mod, &mn, d, len);
    if (rc == 1) {
        return 0; /* not a Go binary, or built without module support */
    }
    if (rc == -2) {
        doc_warn(c->doc, "go: '%s': build info of Go before 1.18 not read", path);
        return 0;
    }
    if (rc != 0) {
        doc_warn(c->doc, "go: '%s': build info runs past the end of the file, skipped", path);
        return 0;
    }
    /* modinfo is wrapped in 16-byte sentinels (cmd/go/internal/modload) */
    if (mn >= 33 && mod[mn - 17] == '\n') {
        mod += 16;
        mn -= 32;
    }
    return go_modinfo(c, path, ver, vn, mod, mn);
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    struct go_ctx c = {doc, r, err};
    return cat_each(r, rules, sizeof(rules) / sizeof(rules[0]) - 1, on_file, &c);
}

const struct cataloger cat_go = {"go", rules, run};
