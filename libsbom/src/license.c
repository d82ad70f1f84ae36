/* License strings to SPDX: exact ids (case-insensitive), Debian short names (GPL-2+,
 * Expat, ...), and simple expressions of those joined by AND/OR/WITH. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cat_internal.h"
#include "license_internal.h"

/* Debian copyright-format short names that are not SPDX ids. */
static const struct {
    const char *from, *to;
} aliases[] = {
    {"GPL-1", "GPL-1.0-only"},
    {"GPL-1+", "GPL-1.0-or-later"},
    {"GPL-2", "GPL-2.0-only"},
    {"GPL-2+", "GPL-2.0-or-later"},
    {"GPL-3", "GPL-3.0-only"},
    {"GPL-3+", "GPL-3.0-or-later"},
    {"LGPL-2", "LGPL-2.0-only"},
    {"LGPL-2+", "LGPL-2.0-or-later"},
    {"LGPL-2.1", "LGPL-2.1-only"},
    {"LGPL-2.1+", "LGPL-2.1-or-later"},
    {"LGPL-3", "LGPL-3.0-only"},
    {"LGPL-3+", "LGPL-3.0-or-later"},
    {"AGPL-3", "AGPL-3.0-only"},
    {"AGPL-3+", "AGPL-3.0-or-later"},
    {"GFDL-1.2", "GFDL-1.2-only"},
    {"GFDL-1.2+", "GFDL-1.2-or-later"},
    {"GFDL-1.3", "GFDL-1.3-only"},
    {"GFDL-1.3+", "GFDL-1.3-or-later"},
    {"GPL-2.0", "GPL-2.0-only"},
    {"GPL-2.0+", "GPL-2.0-or-later"},
    {"GPL-3.0", "GPL-3.0-only"},
    {"GPL-3.0+", "GPL-3.0-or-later"},
    {"LGPL-2.0", "LGPL-2.0-only"},
    {"LGPL-2.0+", "LGPL-2.0-or-later"},
    {"LGPL-2.1+", "LGPL-2.1-or-later"},
    {"LGPL-3.0", "LGPL-3.0-only"},
    {"LGPL-3.0+", "LGPL-3.0-or-later"},
    {"Expat", "MIT"},
    {"Apache-2", "Apache-2.0"},
    {"MPL-2", "MPL-2.0"},
    {"Artistic", "Artistic-1.0"},
    {"BSD-3-clause", "BSD-3-Clause"},
    {"BSD-2-clause", "BSD-2-Clause"},
    {"PSF-2", "PSF-2.0"},
    {"zlib", "Zlib"},
    {"public-domain", NULL},
};

int lic_id_lookup(char *out, size_t outsz, const char *s, size_t n)
{
    for (size_t l = 0; spdx_id_lines[l] != NULL; l++) {
        const char *p = spdx_id_lines[l] + 1;
        while (*p != '\0') {
            const char *bar = strchr(p, '|');
            size_t len = (size_t)(bar - p);
            if (len == n && strncasecmp(p, s, n) == 0 && len < outsz) {
                memcpy(out, p, len);
                out[len] = '\0';
                return 1;
            }
            p = bar + 1;
        }
    }
    return 0;
}

/* One token: an operator, an alias, or an id; appended to out. */
static int map_token(char *out, size_t outsz, size_t *pos, const char *s, size_t n)
{
    static const char *const ops[] = {"AND", "OR", "WITH"};
    char id[128];
    const char *w = NULL;
    for (size_t i = 0; i < 3; i++) {
        if (n == strlen(ops[i]) && strncasecmp(s, ops[i], n) == 0) {
            w = ops[i];
        }
    }
    for (size_t i = 0; w == NULL && i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        if (strlen(aliases[i].from) == n && strncasecmp(aliases[i].from, s, n) == 0) {
            if (aliases[i].to == NULL) {
                return 0;
            }
            w = aliases[i].to;
        }
    }
    if (w == NULL && lic_id_lookup(id, sizeof(id), s, n)) {
        w = id;
    }
    if (w == NULL) {
        return 0;
    }
    int m = snprintf(out + *pos, outsz - *pos, "%s", w);
    if (m < 0 || (size_t)m >= outsz - *pos) {
        return 0;
    }
    *pos += (size_t)m;
    return 1;
}

int lic_spdx_expr(char *out, size_t outsz, const char *raw)
{
    size_t pos = 0, i = 0, n = strlen(raw);
    if (outsz == 0) {
        return 0;
    }
    out[0] = '\0';
    while (i < n) {
        size_t s;
        if (isspace((unsigned char)raw[i])) {
            if (pos > 0 && out[pos - 1] != ' ' && out[pos - 1] != '(' && pos + 1 < outsz) {
                out[pos++] = ' ';
            }
            i++;
            continue;
        }
        if (raw[i] == '(' || raw[i] == ')') {
            if (raw[i] == ')' && pos > 0 && out[pos - 1] == ' ') {
                pos--;
            }
            if (pos + 1 >= outsz) {
                return 0;
            }
            out[pos++] = raw[i++];
            continue;
        }
        for (s = i; i < n && !isspace((unsigned char)raw[i]) && raw[i] != '(' && raw[i] != ')';) {
            i++;
        }
        if (!map_token(out, outsz, &pos, raw + s, i - s)) {
            return 0;
        }
    }
    while (pos > 0 && out[pos - 1] == ' ') {
        pos--;
    }
    out[pos] = '\0';
    return pos > 0;
}
