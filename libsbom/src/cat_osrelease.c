/* os-release (/etc/os-release, then /usr/lib/os-release): the distro for purl namespaces
 * and distro qualifiers. */
#include <ctype.h>
#include <string.h>

#include "cat_internal.h"

static const struct want_rule rules[] = {
    {"etc/os-release", 1 << 16},
    {"usr/lib/os-release", 1 << 16},
    {NULL, 0},
};

/* Unquote a value in place into dst (shell-like: "..." or '...'). */
static int set_value(char **dst, const char *v, size_t n, struct vouch_error *err)
{
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        v++;
        n -= 2;
    }
    return util_set(dst, v, n, err);
}

static int parse(struct sbom_doc *doc, const char *d, size_t len, struct vouch_error *err)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"ID", offsetof(struct sbom_doc, distro_id)},
        {"VERSION_ID", offsetof(struct sbom_doc, distro_version)},
        {"PRETTY_NAME", offsetof(struct sbom_doc, distro_name)},
        {"ID_LIKE", offsetof(struct sbom_doc, distro_like)},
    };
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(d + i, '\n', len - i);
        size_t e = nl != NULL ? (size_t)(nl - d) : len;
        const char *eq = memchr(d + i, '=', e - i);
        for (size_t k = 0; eq != NULL && k < sizeof(keys) / sizeof(keys[0]); k++) {
            size_t kl = strlen(keys[k].key);
            if ((size_t)(eq - (d + i)) == kl && memcmp(d + i, keys[k].key, kl) == 0) {
                size_t vn = e - (size_t)(eq + 1 - d);
                while (vn > 0 && isspace((unsigned char)eq[vn])) {
                    vn--;
                }
                if (set_value((char **)((char *)doc + keys[k].off), eq + 1, vn, err) != 0) {
                    return VOUCH_ENOMEM;
                }
            }
        }
        i = e + 1;
    }
    return 0;
}

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    static const char *const paths[] = {"etc/os-release", "usr/lib/os-release"};
    for (size_t i = 0; i < 2; i++) {
        const unsigned char *d;
        size_t len;
        int rc = cat_read(&d, &len, doc, r, paths[i]);
        if (rc == 0) {
            return parse(doc, (const char *)d, len, err);
        }
    }
    return 0;
}

const struct cataloger cat_osrelease = {"os-release", rules, run};
