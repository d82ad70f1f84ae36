/* ELF section lookup: the section header table and its string table, every offset and
 * size checked against the file before use. */
#include <stdint.h>
#include <string.h>

#include "elf_internal.h"

struct elf {
    const unsigned char *d;
    size_t len;
    int is64, be;
};

static uint64_t rd(const struct elf *e, size_t off, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned b = e->be ? i : n - 1 - i;
        v = (v << 8) | e->d[off + b];
    }
    return v;
}

int elf_is(const unsigned char *d, size_t len)
{
    return len >= 16 && memcmp(d, "\177ELF", 4) == 0;
}

/* Offset and size of section i's header fields: name, offset, size. */
static int shdr(const struct elf *e, uint64_t shoff, uint64_t entsz, uint64_t i, uint32_t *name,
                uint64_t *off, uint64_t *size)
{
    uint64_t h = shoff + i * entsz;
    if (h > e->len || e->len - h < entsz) {
        return -1;
    }
    *name = (uint32_t)rd(e, (size_t)h, 4);
    *off = e->is64 ? rd(e, (size_t)h + 24, 8) : rd(e, (size_t)h + 16, 4);
    *size = e->is64 ? rd(e, (size_t)h + 32, 8) : rd(e, (size_t)h + 20, 4);
    return 0;
}

static int inside(const struct elf *e, uint64_t off, uint64_t size)
{
    return off <= e->len && size <= e->len - off;
}

int elf_section(const unsigned char **sec, size_t *slen, const unsigned char *d, size_t len,
                const char *name)
{
    struct elf e = {d, len, 0, 0};
    uint64_t shoff, entsz, shnum, stridx, stroff, strsz, off, size;
    size_t nlen = strlen(name);
    uint32_t nm;
    if (!elf_is(d, len) || (d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2)) {
        return -1;
    }
    e.is64 = d[4] == 2;
    e.be = d[5] == 2;
    if (len < (e.is64 ? 64u : 52u)) {
        return -1;
    }
    shoff = e.is64 ? rd(&e, 40, 8) : rd(&e, 32, 4);
    entsz = rd(&e, e.is64 ? 58 : 46, 2);
    shnum = rd(&e, e.is64 ? 60 : 48, 2);
    stridx = rd(&e, e.is64 ? 62 : 50, 2);
    if (shnum == 0) {
        return 1;
    }
    if (entsz < (e.is64 ? 64u : 40u) || stridx >= shnum || shoff > len ||
        shnum > (len - shoff) / entsz) {
        return -1;
    }
    if (shdr(&e, shoff, entsz, stridx, &nm, &stroff, &strsz) != 0 || !inside(&e, stroff, strsz)) {
        return -1;
    }
    for (uint64_t i = 0; i < shnum; i++) {
        if (shdr(&e, shoff, entsz, i, &nm, &off, &size) != 0) {
            return -1;
        }
        if (nm < strsz && strsz - nm > nlen && memcmp(d + stroff + nm, name, nlen + 1) == 0) {
            if (!inside(&e, off, size)) {
                return -1; /* a section pointing outside the file */
            }
            *sec = d + off;
            *slen = (size_t)size;
            return 0;
        }
    }
    return 1;
}
