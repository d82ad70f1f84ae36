/* cargo-auditable: binaries built with `cargo auditable` carry their dependency tree in
 * an ELF section `.dep-v0`: zlib-compressed JSON {"packages":[{name, version, source,
 * kind, dependencies: [indexes], root}]}. Inflated with zlib, bounded; build-time
 * dependencies (kind "build") are not part of the binary and are left out. */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "cat_internal.h"
#include "elf_internal.h"
#include "vouch/mem.h"

#define JSON_CAP ((size_t)8 << 20) /* inflated .dep-v0 */
#define MAX_PKGS 100000

/* Inflate src into a malloc'd NUL-terminated buffer of at most cap bytes: 0, 1 when
 * larger than cap, -1 when corrupt. */
static int inflate_all(unsigned char **out, size_t *olen, const unsigned char *src, size_t n,
                       size_t cap)
{
    z_stream z;
    size_t sz = 4096;
    unsigned char *buf = malloc(sz + 1);
    int zr = Z_OK;
    memset(&z, 0, sizeof(z));
    if (buf == NULL || inflateInit(&z) != Z_OK) {
        free(buf);
        return -2;
    }
    z.next_in = (unsigned char *)src;
    z.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    while (zr != Z_STREAM_END) {
        if (z.total_out == sz) {
            unsigned char *nb;
            if (sz >= cap || (nb = realloc(buf, (sz *= 2) + 1)) == NULL) {
                inflateEnd(&z);
                free(buf);
                return sz >= cap ? 1 : -2;
            }
            buf = nb;
        }
        z.next_out = buf + z.total_out;
        z.avail_out = (uInt)(sz - z.total_out);
        zr = inflate(&z, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END) {
            inflateEnd(&z);
            free(buf);
            return -1;
        }
    }
    *olen = z.total_out;
    buf[*olen] = '\0';
    inflateEnd(&z);
    *out = buf;
    return 0;
}

static int runtime(const json_t *p)
{
    const char *kind = cat_json_str(p, "kind");
    return kind == NULL || strcmp(kind, "runtime") == 0;
}

/* Packages of the JSON and their edges (indexes into the same array). */
static int add_packages(struct sbom_doc *doc, const char *path, const json_t *pkgs,
                        struct vouch_error *err)
{
    size_t n = json_array_size(pkgs), first = doc->npkgs, skipped = 0;
    size_t *at = calloc(n ? n : 1, sizeof(*at)); /* index + 1 in doc, 0: not added */
    int rc = 0;
    if (at == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; rc == 0 && i < n && i < MAX_PKGS; i++) {
        const json_t *p = json_array_get(pkgs, i);
        const char *name = cat_json_str(p, "name"), *ver = cat_json_str(p, "version");
        struct sbom_pkg *k;
        if (name == NULL || ver == NULL) {
            skipped++;
            continue;
        }
        if (!runtime(p)) {
            continue;
        }
        rc = cat_lang_pkg(&k, doc, SBOM_PKG_CARGO, name, (size_t)-1, ver, (size_t)-1, path, err);
        at[i] = doc->npkgs;
    }
    for (size_t i = 0; rc == 0 && i < n && i < MAX_PKGS; i++) {
        const json_t *deps = json_object_get(json_array_get(pkgs, i), "dependencies"), *v;
        size_t k;
        if (at[i] == 0) {
            continue;
        }
        json_array_foreach(deps, k, v)
        {
            json_int_t j = json_integer_value(v);
            if (json_is_integer(v) && j >= 0 && (size_t)j < n && at[j] != 0) {
                const struct sbom_pkg *d = doc->pkgs[at[j] - 1];
                if ((rc = cat_dep(doc->pkgs[at[i] - 1], d->name, d->version, err)) != 0) {
                    break;
                }
            }
        }
    }
    free(at);
    if (rc == 0 && (skipped > 0 || n > MAX_PKGS)) {
        doc_warn(doc, "cargo: '%s': %zu entries of .dep-v0 without name or version skipped", path,
                 skipped + (n > MAX_PKGS ? n - MAX_PKGS : 0));
    }
    (void)first;
    return rc;
}

int rust_audit_parse(struct sbom_doc *doc, const char *path, const unsigned char *d, size_t len,
                     struct vouch_error *err)
{
    const unsigned char *sec;
    size_t slen, jlen;
    unsigned char *json = NULL;
    json_t *j;
    int rc = elf_section(&sec, &slen, d, len, ".dep-v0");
    if (rc == 1) {
        return 0; /* not built with cargo auditable */
    }
    if (rc != 0) {
        doc_warn(doc, "cargo: '%s': malformed ELF section headers, skipped", path);
        return 0;
    }
    if ((rc = inflate_all(&json, &jlen, sec, slen, JSON_CAP)) != 0) {
        if (rc == -2) {
            return vouch_enomem(err);
        }
        doc_warn(doc, "cargo: '%s': .dep-v0 %s, skipped", path,
                 rc == 1 ? "inflates to more than 8 MiB" : "is not zlib data");
        return 0;
    }
    j = cat_json(doc, "cargo", path, json, jlen);
    free(json);
    if (j == NULL) {
        return 0;
    }
    if (!json_is_array(json_object_get(j, "packages"))) {
        doc_warn(doc, "cargo: '%s': .dep-v0 has no packages array, skipped", path);
        json_decref(j);
        return 0;
    }
    rc = add_packages(doc, path, json_object_get(j, "packages"), err);
    json_decref(j);
    return rc;
}
