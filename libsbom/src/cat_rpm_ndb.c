/* rpm's NDB `Packages.db` (SUSE): a 32-byte header ("RpmP"), slot pages of 16-byte slots
 * ("Slot", package index, offset and length in 16-byte blocks) and blobs ("BlbS" header
 * then the RPM header blob). Little-endian; every offset is bounds-checked. */
#include <stdint.h>
#include <string.h>

#include "cat_internal.h"

#define NDB_PAGE 4096u
#define NDB_BLOCK 16u
#define NDB_HDR 32u

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int blob(struct sbom_doc *doc, const unsigned char *d, size_t len, const unsigned char *slot,
                const char *path, struct vouch_error *err)
{
    uint64_t off = (uint64_t)le32(slot + 8) * NDB_BLOCK, blen;
    if (off + 16 > len || memcmp(d + off, "BlbS", 4) != 0 || le32(d + off + 4) != le32(slot + 4)) {
        doc_warn(doc, "rpm: '%s': bad blob for package %u, skipped", path, le32(slot + 4));
        return 0;
    }
    blen = le32(d + off + 12);
    if (off + 16 + blen > len) {
        doc_warn(doc, "rpm: '%s': truncated blob for package %u, skipped", path, le32(slot + 4));
        return 0;
    }
    return rpm_add_blob(doc, d + off + 16, (size_t)blen, path, err);
}

int rpm_read_ndb(struct sbom_doc *doc, const unsigned char *d, size_t len, const char *path,
                 struct vouch_error *err)
{
    uint64_t slots_end;
    int rc = 0;
    if (len < NDB_HDR || memcmp(d, "RpmP", 4) != 0 || le32(d + 4) != 0) {
        doc_warn(doc, "rpm: '%s': not an NDB package database, skipped", path);
        return 0;
    }
    slots_end = (uint64_t)le32(d + 12) * NDB_PAGE;
    if (slots_end > len) {
        doc_warn(doc, "rpm: '%s': truncated slot pages", path);
        slots_end = len;
    }
    for (uint64_t s = NDB_HDR; rc == 0 && s + 16 <= slots_end; s += 16) {
        const unsigned char *slot = d + s;
        if (memcmp(slot, "Slot", 4) != 0) {
            doc_warn(doc, "rpm: '%s': bad slot at offset %llu, stopped", path,
                     (unsigned long long)s);
            break;
        }
        if (le32(slot + 4) != 0) {
            rc = blob(doc, d, len, slot, path, err);
        }
    }
    return rc;
}
