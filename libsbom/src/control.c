/* deb822 paragraph parser (dpkg status, status.d, DEP-5 copyright): bounded by the
 * buffer length, never by NUL terminators, so hostile files cannot overrun it. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "cat_internal.h"

static size_t line_end(const char *d, size_t len, size_t i)
{
    const char *nl = memchr(d + i, '\n', len - i);
    return nl != NULL ? (size_t)(nl - d) : len;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isspace((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

static void add_field(struct ctl_para *p, const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    struct ctl_field *f;
    if (colon == NULL || colon == s || p->n >= CTL_MAX_FIELDS) {
        p->bad_lines += colon == NULL || colon == s;
        return;
    }
    f = &p->f[p->n++];
    f->name = s;
    f->name_len = (size_t)(colon - s);
    f->val = colon + 1;
    f->val_len = n - f->name_len - 1;
}

int ctl_parse(const char *data, size_t len, ctl_para_fn fn, void *ctx)
{
    struct ctl_para p;
    size_t i = 0;
    memset(&p, 0, sizeof(p));
    while (i <= len) {
        size_t e = i < len ? line_end(data, len, i) : len;
        const char *s = data + i;
        size_t n = e - i;
        if (i == len || blank(s, n)) {
            if (p.n > 0 || p.bad_lines > 0) {
                int rc = fn(&p, ctx);
                if (rc != 0) {
                    return rc;
                }
            }
            memset(&p, 0, sizeof(p));
        } else if ((s[0] == ' ' || s[0] == '\t') && p.n > 0) {
            struct ctl_field *f = &p.f[p.n - 1];
            f->val_len = (size_t)(s + n - f->val); /* extend over the continuation */
        } else {
            add_field(&p, s, n);
        }
        if (i == len) {
            break;
        }
        i = e < len ? e + 1 : len;
    }
    return 0;
}

const char *ctl_get(const struct ctl_para *p, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < p->n; i++) {
        if (p->f[i].name_len == nl && strncasecmp(p->f[i].name, name, nl) == 0) {
            *len = p->f[i].val_len;
            return p->f[i].val;
        }
    }
    return NULL;
}

const char *ctl_line(const char *val, size_t vlen, size_t *len)
{
    const char *nl = memchr(val, '\n', vlen);
    size_t n = nl != NULL ? (size_t)(nl - val) : vlen;
    while (n > 0 && isspace((unsigned char)*val)) {
        val++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)val[n - 1])) {
        n--;
    }
    *len = n;
    return val;
}
