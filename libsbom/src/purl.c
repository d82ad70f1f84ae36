/* Package URLs per the purl spec: pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS with
 * qualifiers sorted by key and values percent-encoded (deb/apk: namespace is the distro
 * id; rpm: version-release with the epoch as a qualifier). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "vouch/buf.h"
#include "vouch/mem.h"

/* Percent-encode everything but unreserved characters and ':' (kept, as in the spec's
 * pkg:deb/debian/attr@1:2.4.47-2%2Bb1 example). */
static int put_enc(struct vouch_buf *b, const char *s, struct vouch_error *err)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        int rc;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr(".-_~:", c) != NULL) {
            rc = vouch_buf_append(b, s, 1, err);
        } else {
            rc = vouch_buf_printf(b, err, "%%%02X", c);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static void lower(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            *s = (char)(*s - 'A' + 'a');
        }
    }
}

static const char *default_ns(enum sbom_pkg_type t)
{
    static const char *const ns[] = {"debian", "alpine", "redhat"};
    return ns[t];
}

struct qual {
    const char *key;
    const char *val;
};

static int put_quals(struct vouch_buf *b, const struct qual *q, size_t n, struct vouch_error *err)
{
    int first = 1, rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) { /* q is given in key order */
        if (q[i].val == NULL || q[i].val[0] == '\0') {
            continue;
        }
        rc = vouch_buf_printf(b, err, "%c%s=", first ? '?' : '&', q[i].key);
        rc = rc ? rc : put_enc(b, q[i].val, err);
        first = 0;
    }
    return rc;
}

int purl_make(char **out, const struct sbom_doc *doc, const struct sbom_pkg *p,
              struct vouch_error *err)
{
    struct vouch_buf b;
    char ns[64], distro[128] = "", name[256];
    const char *ver = p->version ? p->version : "";
    int rc;
    snprintf(ns, sizeof(ns), "%s", doc->distro_id ? doc->distro_id : default_ns(p->type));
    lower(ns);
    if (doc->distro_id != NULL && doc->distro_version != NULL) {
        snprintf(distro, sizeof(distro), "%s-%s", doc->distro_id, doc->distro_version);
    }
    snprintf(name, sizeof(name), "%s", p->name ? p->name : "");
    if (p->type != SBOM_PKG_RPM) {
        lower(name);
    } else if (p->epoch != NULL && strchr(ver, ':') != NULL) {
        ver = strchr(ver, ':') + 1; /* rpm: epoch is a qualifier, not in the version */
    }
    struct qual q[] = {
        {"arch", p->arch},
        {"distro", distro},
        {"epoch", p->type == SBOM_PKG_RPM ? p->epoch : NULL},
        {"upstream", p->source != NULL && p->name != NULL && strcmp(p->source, p->name) != 0
                         ? p->source
                         : NULL},
    };
    vouch_buf_init(&b, 1 << 16);
    rc = vouch_buf_printf(&b, err, "pkg:%s/", sbom_pkg_type_name(p->type));
    rc = rc ? rc : put_enc(&b, ns, err);
    rc = rc ? rc : vouch_buf_puts(&b, "/", err);
    rc = rc ? rc : put_enc(&b, name, err);
    if (rc == 0 && ver[0] != '\0') {
        rc = vouch_buf_puts(&b, "@", err);
        rc = rc ? rc : put_enc(&b, ver, err);
    }
    rc = rc ? rc : put_quals(&b, q, sizeof(q) / sizeof(q[0]), err);
    if (rc != 0) {
        vouch_buf_release(&b);
        return rc;
    }
    *out = (char *)vouch_buf_steal(&b, NULL);
    return *out != NULL ? 0 : vouch_enomem(err);
}
