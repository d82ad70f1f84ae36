/* A table for people: NAME VERSION TYPE, like syft's default output. */
#include <string.h>

#include "fmt_internal.h"

/* A field safe for a terminal: control bytes (escape sequences) become '?'. */
static const char *safe(char *out, size_t outsz, const char *s)
{
    size_t i = 0;
    for (; s != NULL && s[i] != '\0' && i + 1 < outsz; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[i] = '\0';
    return out;
}

int fmt_table(struct vouch_buf *out, struct fmt_ctx *c, struct vouch_error *err)
{
    const struct sbom_doc *doc = c->doc;
    int wn = 4, wv = 7, rc;
    for (size_t i = 0; i < doc->npkgs; i++) {
        int n = (int)strlen(doc->pkgs[i]->name ? doc->pkgs[i]->name : "");
        int v = (int)strlen(doc->pkgs[i]->version ? doc->pkgs[i]->version : "");
        wn = n > wn && n < 80 ? n : wn;
        wv = v > wv && v < 80 ? v : wv;
    }
    if (doc->npkgs == 0) {
        return vouch_buf_puts(out, "No packages discovered\n", err);
    }
    rc = vouch_buf_printf(out, err, "%-*s  %-*s  %s\n", wn, "NAME", wv, "VERSION", "TYPE");
    for (size_t i = 0; rc == 0 && i < doc->npkgs; i++) {
        const struct sbom_pkg *p = doc->pkgs[i];
        char name[256], ver[256];
        rc = vouch_buf_printf(out, err, "%-*s  %-*s  %s\n", wn, safe(name, sizeof(name), p->name),
                              wv, safe(ver, sizeof(ver), p->version), sbom_pkg_type_name(p->type));
        rc = rc ? rc : fmt_flush(out, c, 0, err);
    }
    return rc;
}
