/* rpm's Berkeley DB `Packages` (rpm < 4.16): a hash database whose values are RPM header
 * blobs kept in overflow pages. Only what rpm writes is read: the meta page (page size,
 * last page), hash pages' H_OFFPAGE values, and their overflow chains. Every page number,
 * offset and chain length is bounds-checked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cat_internal.h"

#define BDB_HASH_MAGIC 0x061561u
#define PAGE_HDR 26 /* lsn 8, pgno 4, prev 4, next 4, entries 2, hf_offset 2, level 1, type 1 */
#define P_HASH_UNSORTED 2
#define P_HASH 13
#define H_OFFPAGE 3
#define VALUE_MAX ((size_t)64 << 20)

struct bdb {
    const unsigned char *d;
    size_t len;
    uint32_t pagesize;
    uint32_t last;
    int be; /* big-endian database */
};

static uint32_t u32(const struct bdb *b, const unsigned char *p)
{
    return b->be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                 : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t u16(const struct bdb *b, const unsigned char *p)
{
    return b->be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static const unsigned char *page(const struct bdb *b, uint32_t n)
{
    uint64_t off = (uint64_t)n * b->pagesize;
    return n <= b->last && off + b->pagesize <= b->len ? b->d + off : NULL;
}

static int bdb_open(struct bdb *b, const unsigned char *d, size_t len)
{
    memset(b, 0, sizeof(*b));
    b->d = d;
    b->len = len;
    if (len < 512) {
        return -1;
    }
    if (u32(b, d + 12) != BDB_HASH_MAGIC) {
        b->be = 1;
        if (u32(b, d + 12) != BDB_HASH_MAGIC) {
            return -1;
        }
    }
    b->pagesize = u32(b, d + 20);
    b->last = u32(b, d + 32);
    if (b->pagesize < 512 || b->pagesize > 65536 || (b->pagesize & (b->pagesize - 1)) != 0) {
        return -1;
    }
    return 0;
}

/* Concatenate the overflow chain starting at pgno into a malloc'd buffer. */
static int overflow(unsigned char **out, size_t *out_len, const struct bdb *b, uint32_t pgno)
{
    unsigned char *v = NULL;
    size_t n = 0;
    for (uint32_t hops = 0; pgno != 0; hops++) {
        const unsigned char *p = page(b, pgno);
        uint32_t next;
        size_t take;
        unsigned char *nv;
        if (p == NULL || hops > b->last) { /* out of the file, or a cycle */
            free(v);
            return -1;
        }
        next = u32(b, p + 16);
        take = next == 0 ? u16(b, p + 22) : b->pagesize - PAGE_HDR;
        if (take > b->pagesize - PAGE_HDR || n + take > VALUE_MAX ||
            (nv = realloc(v, n + take + 1)) == NULL) {
            free(v);
            return -1;
        }
        v = nv;
        memcpy(v + n, p + PAGE_HDR, take);
        n += take;
        pgno = next;
    }
    *out = v;
    *out_len = n;
    return v != NULL ? 0 : -1;
}

static int hash_page(struct sbom_doc *doc, const struct bdb *b, const unsigned char *p,
                     const char *path, struct vouch_error *err)
{
    uint16_t entries = u16(b, p + 20);
    int rc = 0;
    if ((size_t)PAGE_HDR + 2u * entries > b->pagesize) {
        doc_warn(doc, "rpm: '%s': bad hash page, skipped", path);
        return 0;
    }
    for (uint16_t i = 1; rc == 0 && i < entries; i += 2) { /* odd slots are values */
        uint16_t off = u16(b, p + PAGE_HDR + 2 * i);
        unsigned char *v;
        size_t n;
        if ((size_t)off + 12 > b->pagesize || p[off] != H_OFFPAGE) {
            continue;
        }
        if (overflow(&v, &n, b, u32(b, p + off + 4)) != 0) {
            doc_warn(doc, "rpm: '%s': bad overflow chain, entry skipped", path);
            continue;
        }
        rc = rpm_add_blob(doc, v, n, path, err);
        free(v);
    }
    return rc;
}

int rpm_read_bdb(struct sbom_doc *doc, const unsigned char *d, size_t len, const char *path,
                 struct vouch_error *err)
{
    struct bdb b;
    int rc = 0;
    if (bdb_open(&b, d, len) != 0) {
        doc_warn(doc, "rpm: '%s': not a Berkeley DB hash database, skipped", path);
        return 0;
    }
    for (uint32_t n = 1; rc == 0 && n <= b.last; n++) {
        const unsigned char *p = page(&b, n);
        if (p == NULL) {
            doc_warn(doc, "rpm: '%s': truncated database", path);
            break;
        }
        if (p[25] == P_HASH || p[25] == P_HASH_UNSORTED) {
            rc = hash_page(doc, &b, p, path, err);
        }
    }
    return rc;
}
