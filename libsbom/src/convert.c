/* sbom_convert: detect the input's format, hand it to the writer of the other format (or
 * relabel an older version of the same one), keep the notes of what could not be held. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "convert_internal.h"
#include "fmt_internal.h"
#include "license_internal.h"
#include "sbom/purl.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define CV_INPUT_MAX ((size_t)1 << 30)

struct sbom_conversion {
    char *data;
    size_t len;
    json_t *notes; /* [[text, count], ...] */
};

void cv_note(struct cv *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    json_t *n;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    n = json_object_get(c->notes, buf);
    if (n != NULL) {
        json_integer_set(n, json_integer_value(n) + 1);
    } else if (json_object_set_new(c->notes, buf, json_integer(1)) != 0) {
        c->oom = 1;
    }
}

void cv_set(struct cv *c, json_t *obj, const char *key, json_t *v)
{
    if (v == NULL || json_object_set_new(obj, key, v) != 0) {
        c->oom = 1;
    }
}

void cv_push(struct cv *c, json_t *arr, json_t *v)
{
    if (v == NULL || json_array_append_new(arr, v) != 0) {
        c->oom = 1;
    }
}

json_t *cv_jstr(const char *s)
{
    return fmt_str(s);
}

const char *cv_str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s != NULL && s[0] != '\0' ? s : NULL;
}

int cv_unset(const char *s)
{
    return s == NULL || s[0] == '\0' || strcmp(s, "NOASSERTION") == 0 || strcmp(s, "NONE") == 0;
}

void cv_note_unknown(struct cv *c, const json_t *o, const char *const *known, const char *what)
{
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        size_t i = 0;
        while (known[i] != NULL && strcmp(known[i], k) != 0) {
            i++;
        }
        if (known[i] == NULL) {
            cv_note(c, "%s field '%.64s'", what, k);
        }
    }
}

int cv_purl_ok(const char *s)
{
    struct sbom_purl *p = NULL;
    int rc = s != NULL ? sbom_purl_parse(&p, s, 0, NULL) : -1;
    sbom_purl_free(p);
    return rc == 0;
}

/* SPDX 2.3 checksum algorithms and CycloneDX 1.6 hash-alg; a NULL side has no peer */
static const struct {
    const char *spdx, *cdx;
} hash_rows[] = {
    {"MD5", "MD5"},
    {"SHA1", "SHA-1"},
    {"SHA256", "SHA-256"},
    {"SHA384", "SHA-384"},
    {"SHA512", "SHA-512"},
    {"SHA3-256", "SHA3-256"},
    {"SHA3-384", "SHA3-384"},
    {"SHA3-512", "SHA3-512"},
    {"BLAKE2b-256", "BLAKE2b-256"},
    {"BLAKE2b-384", "BLAKE2b-384"},
    {"BLAKE2b-512", "BLAKE2b-512"},
    {"BLAKE3", "BLAKE3"},
};

const char *cv_hash_to_cdx(const char *spdx)
{
    for (size_t i = 0; spdx != NULL && i < sizeof(hash_rows) / sizeof(hash_rows[0]); i++) {
        if (strcmp(hash_rows[i].spdx, spdx) == 0) {
            return hash_rows[i].cdx;
        }
    }
    return NULL;
}

const char *cv_hash_to_spdx(const char *cdx)
{
    for (size_t i = 0; cdx != NULL && i < sizeof(hash_rows) / sizeof(hash_rows[0]); i++) {
        if (strcmp(hash_rows[i].cdx, cdx) == 0) {
            return hash_rows[i].spdx;
        }
    }
    return NULL;
}

int cv_hash_value_ok(const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n != 32 && n != 40 && n != 64 && n != 96 && n != 128) {
        return 0;
    }
    return strspn(s, "0123456789abcdefABCDEF") == n;
}

int cv_iri_ok(const char *s)
{
    size_t n;
    if (s == NULL || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        return 0;
    }
    n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    if (s[n] != ':' || s[n + 1] == '\0') {
        return 0;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == '"' || *p == '\\' ||
            *p == '{' || *p == '}' || *p == '|' || *p == '^' || *p == '`') {
            return 0;
        }
    }
    return 1;
}

void cv_uuid5(char out[37], const char *text)
{
    /* RFC 4122 URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8 */
    static const unsigned char ns[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    unsigned char md[EVP_MAX_MD_SIZE];
    char hex[41];
    EVP_MD_CTX *x = EVP_MD_CTX_new();
    if (x == NULL || EVP_DigestInit_ex(x, EVP_sha1(), NULL) != 1 ||
        EVP_DigestUpdate(x, ns, sizeof(ns)) != 1 || EVP_DigestUpdate(x, text, strlen(text)) != 1 ||
        EVP_DigestFinal_ex(x, md, NULL) != 1) {
        memset(md, 0, sizeof(md));
    }
    EVP_MD_CTX_free(x);
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
    vouch_hex_encode(hex, md, 16);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

int cv_time(char out[32], int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t < 0 || t > 253402300799LL || gmtime_r(&tt, &tm) == NULL) {
        return -1;
    }
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return 0;
}

int cv_license_id(char *out, size_t n, const char *s)
{
    return s != NULL && strchr(s, ' ') == NULL && lic_id_lookup(out, n, s, strlen(s));
}

/* An older version of the same format: the newer schema accepts what the older one did,
 * so only the version label changes. */
static int relabel(struct cv *c, int spdx)
{
    c->out = json_deep_copy(c->in);
    if (c->out == NULL) {
        return VOUCH_ENOMEM;
    }
    if (spdx) {
        cv_set(c, c->out, "spdxVersion", json_string("SPDX-2.3"));
    } else {
        cv_set(c, c->out, "specVersion", json_string("1.6"));
        if (json_object_get(c->out, "$schema") != NULL) {
            cv_set(c, c->out, "$schema",
                   json_string("http://cyclonedx.org/schema/bom-1.6.schema.json"));
        }
    }
    return 0;
}

static int detect(int *spdx, const json_t *root, struct vouch_error *err)
{
    const char *sv = cv_str(root, "spdxVersion"), *bf = cv_str(root, "bomFormat");
    const char *cv = cv_str(root, "specVersion");
    if (sv != NULL && (strcmp(sv, "SPDX-2.2") == 0 || strcmp(sv, "SPDX-2.3") == 0)) {
        *spdx = 1;
        return 0;
    }
    if (bf != NULL && strcmp(bf, "CycloneDX") == 0 && cv != NULL &&
        (strcmp(cv, "1.4") == 0 || strcmp(cv, "1.5") == 0 || strcmp(cv, "1.6") == 0)) {
        *spdx = 0;
        return 0;
    }
    if (sv != NULL || bf != NULL) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                               "unsupported SBOM version (SPDX 2.2/2.3, CycloneDX 1.4-1.6)");
    }
    return vouch_error_set(err, VOUCH_EUNSUPPORTED, "not an SPDX or CycloneDX JSON document");
}

static void digest_hex(char out[41], const char *data, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data, len, md, &n, EVP_sha1(), NULL) != 1) {
        memset(md, 0, 20);
    }
    vouch_hex_encode(out, md, 20);
}

static int finish(struct sbom_conversion **out, struct cv *c, struct vouch_error *err)
{
    struct sbom_conversion *r = calloc(1, sizeof(*r));
    const char *k;
    json_t *v;
    if (r == NULL || (r->notes = json_array()) == NULL) {
        free(r);
        return vouch_enomem(err);
    }
    r->data = json_dumps(c->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_object_foreach(c->notes, k, v)
    {
        if (json_array_append_new(r->notes, json_pack("[s,I]", k, json_integer_value(v))) != 0) {
            c->oom = 1;
        }
    }
    if (r->data != NULL) {
        char *d = realloc(r->data, strlen(r->data) + 2);
        if (d != NULL) {
            r->len = strlen(d);
            d[r->len++] = '\n';
            d[r->len] = '\0';
        }
        r->data = d != NULL ? d : r->data;
        c->oom |= d == NULL;
    }
    if (r->data == NULL || c->oom) {
        sbom_conversion_free(r);
        return vouch_enomem(err);
    }
    *out = r;
    return 0;
}

int sbom_convert(struct sbom_conversion **out, const char *data, size_t len, const char *name,
                 enum sbom_format to, const struct sbom_convert_opts *o, struct vouch_error *err)
{
    struct cv c = {0};
    json_error_t jerr;
    json_t *root = NULL;
    int spdx = 0, rc = 0;
    *out = NULL;
    if (to != SBOM_FMT_SPDX_JSON && to != SBOM_FMT_CYCLONEDX_JSON) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED,
                             "can convert to spdx-json or cyclonedx-json only");
    } else if (len > CV_INPUT_MAX) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "larger than %zu bytes", CV_INPUT_MAX);
    } else if ((root = vouch_json_load(data, len, 0, &jerr)) == NULL) {
        rc =
            vouch_error_set(err, VOUCH_EPARSE, "invalid JSON at line %d: %s", jerr.line, jerr.text);
    } else if (!json_is_object(root)) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "not an SPDX or CycloneDX JSON document");
    } else {
        rc = detect(&spdx, root, err);
    }
    c.in = root;
    c.o = o;
    c.tool_version = o != NULL && o->tool_version != NULL ? o->tool_version : vouch_version();
    if (rc == 0 && (c.notes = json_object()) == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0) {
        digest_hex(c.digest, data, len);
        if (spdx == (to == SBOM_FMT_SPDX_JSON)) {
            rc = relabel(&c, spdx);
        } else {
            rc = spdx ? cv_to_cyclonedx(&c, err) : cv_to_spdx(&c, err);
        }
        if (rc == VOUCH_ENOMEM || (rc == 0 && c.oom)) {
            rc = vouch_enomem(err);
        }
    }
    rc = rc ? rc : finish(out, &c, err);
    json_decref(c.out);
    json_decref(c.notes);
    json_decref(root);
    if (rc != 0 && name != NULL) {
        vouch_error_prefix(err, "'%s': ", name);
    }
    return rc;
}

void sbom_conversion_free(struct sbom_conversion *c)
{
    if (c == NULL) {
        return;
    }
    free(c->data);
    json_decref(c->notes);
    free(c);
}

const char *sbom_conversion_data(const struct sbom_conversion *c, size_t *len)
{
    *len = c->len;
    return c->data;
}

size_t sbom_conversion_note_count(const struct sbom_conversion *c)
{
    return json_array_size(c->notes);
}

const char *sbom_conversion_note(const struct sbom_conversion *c, size_t i, size_t *count)
{
    const json_t *n = json_array_get(c->notes, i);
    if (n == NULL) {
        return NULL;
    }
    if (count != NULL) {
        *count = (size_t)json_integer_value(json_array_get(n, 1));
    }
    return json_string_value(json_array_get(n, 0));
}
