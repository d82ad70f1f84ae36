/* Java archive metadata: pom.properties (Java properties) and the main section of
 * META-INF/MANIFEST.MF (72-byte lines continued by a leading space). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cat_java.h"

/* Trim spaces, tabs and CRs at both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && strchr(" \t\r\f", **s) != NULL) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && strchr(" \t\r\f", (*s)[*n - 1]) != NULL) {
        (*n)--;
    }
}

static void put(char *out, size_t outsz, const char *v, size_t n)
{
    if (n >= outsz) {
        n = outsz - 1;
    }
    memcpy(out, v, n);
    out[n] = '\0';
}

int java_pom_props(struct java_coord *c, const char *d, size_t len)
{
    size_t i = 0;
    memset(c, 0, sizeof(*c));
    while (i < len) {
        const char *s = d + i, *nl = memchr(s, '\n', len - i), *sep;
        size_t n = nl != NULL ? (size_t)(nl - s) : len - i, kn, vn;
        i += n + 1;
        trim(&s, &n);
        if (n == 0 || *s == '#' || *s == '!') {
            continue;
        }
        sep = s;
        while (sep < s + n && *sep != '=' && *sep != ':') {
            sep++;
        }
        if (sep == s + n) {
            continue;
        }
        const char *k = s, *v = sep + 1;
        kn = (size_t)(sep - s);
        vn = n - kn - 1;
        trim(&k, &kn);
        trim(&v, &vn);
        if (kn == 7 && memcmp(k, "groupId", 7) == 0) {
            put(c->group, sizeof(c->group), v, vn);
        } else if (kn == 10 && memcmp(k, "artifactId", 10) == 0) {
            put(c->artifact, sizeof(c->artifact), v, vn);
        } else if (kn == 7 && memcmp(k, "version", 7) == 0) {
            put(c->version, sizeof(c->version), v, vn);
        }
    }
    return c->group[0] != '\0' && c->artifact[0] != '\0' && c->version[0] != '\0' ? 0 : -1;
}

int java_manifest_get(char *out, size_t outsz, const char *d, size_t len, const char *key)
{
    size_t i = 0, klen = strlen(key), o = 0;
    int in = 0;
    out[0] = '\0';
    while (i < len) {
        const char *s = d + i, *nl = memchr(s, '\n', len - i);
        size_t n = nl != NULL ? (size_t)(nl - s) : len - i;
        i += n + 1;
        if (n > 0 && s[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            break; /* end of the main section */
        }
        if (s[0] == ' ') {
            if (in) { /* continuation of the value being read */
                size_t c = n - 1 < outsz - 1 - o ? n - 1 : outsz - 1 - o;
                memcpy(out + o, s + 1, c);
                o += c;
                out[o] = '\0';
            }
            continue;
        }
        if (in) {
            break;
        }
        if (n > klen + 1 && strncasecmp(s, key, klen) == 0 && s[klen] == ':') {
            const char *v = s + klen + 1;
            size_t vn = n - klen - 1;
            while (vn > 0 && *v == ' ') {
                v++;
                vn--;
            }
            o = vn < outsz - 1 ? vn : outsz - 1;
            memcpy(out, v, o);
            out[o] = '\0';
            in = 1;
        }
    }
    {
        const char *v = out;
        size_t n = strlen(out);
        trim(&v, &n);
        memmove(out, v, n);
        out[n] = '\0';
    }
    return out[0] != '\0' ? 0 : -1;
}

/* OSGi names carry parameters: "org.foo.bar;singleton:=true" -> "org.foo.bar". */
static void strip_params(char *s)
{
    char *semi = strchr(s, ';');
    if (semi != NULL) {
        *semi = '\0';
    }
}

int java_manifest_coord(struct java_coord *c, const char *d, size_t len)
{
    char id[sizeof(c->group)] = "";
    static const char *const vkeys[] = {"Implementation-Version", "Bundle-Version",
                                        "Specification-Version"};
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < 3 && c->version[0] == '\0'; i++) {
        java_manifest_get(c->version, sizeof(c->version), d, len, vkeys[i]);
    }
    if (java_manifest_get(id, sizeof(id), d, len, "Bundle-SymbolicName") != 0) {
        java_manifest_get(id, sizeof(id), d, len, "Automatic-Module-Name");
    }
    strip_params(id);
    java_manifest_get(c->group, sizeof(c->group), d, len, "Implementation-Vendor-Id");
    if (id[0] != '\0') { /* "org.springframework.core": group org.springframework, core */
        char *dot = strrchr(id, '.');
        snprintf(c->artifact, sizeof(c->artifact), "%s", dot != NULL ? dot + 1 : id);
        if (c->group[0] == '\0' && dot != NULL) {
            *dot = '\0';
            snprintf(c->group, sizeof(c->group), "%s", id);
        }
    }
    return c->group[0] != '\0' && c->artifact[0] != '\0' && c->version[0] != '\0' &&
                   strchr(c->artifact, ' ') == NULL
               ? 0
               : -1;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (n = n != NULL ? n->children : NULL; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0) {
            return n;
        }
    }
    return NULL;
}

int java_pom_licenses(struct strv *out, const char *folder, size_t flen, const char *d, size_t len,
                      struct vouch_error *err)
{
    xmlDoc *doc;
    const xmlNode *lics;
    int rc = 0;
    if (len > INT32_MAX) {
        return 0;
    }
    doc = xmlReadMemory(d, (int)len, "pom.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL) {
        return 0;
    }
    lics = xmlDocGetRootElement(doc);
    lics = lics != NULL && strcmp((const char *)lics->name, "project") == 0
               ? child(lics, "licenses")
               : NULL;
    for (const xmlNode *l = lics != NULL ? lics->children : NULL; rc == 0 && l != NULL;
         l = l->next) {
        const xmlNode *name =
            l->type == XML_ELEMENT_NODE && strcmp((const char *)l->name, "license") == 0
                ? child(l, "name")
                : NULL;
        xmlChar *v = name != NULL ? xmlNodeGetContent(name) : NULL;
        if (v != NULL) {
            char buf[600];
            int n = snprintf(buf, sizeof(buf), "%.*s\x1f%s", (int)flen, folder, (const char *)v);
            if (n > 0 && (size_t)n < sizeof(buf) && buf[n - 1] != '\x1f') {
                rc = strv_add_unique(out, buf, (size_t)n, err);
            }
            xmlFree(v);
        }
    }
    xmlFreeDoc(doc);
    return rc;
}
