/* TUF metadata documents: the signed envelope, _type, spec_version, version and expiry
 * (spec §4), the meta entries timestamp and snapshot give, and hash/length checks. */
#define _DEFAULT_SOURCE /* timegm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "vouch/jread.h"
#include "sign/digest.h"
#include "sign/pkix.h"
#include "tuf_internal.h"
#include "vouch/encoding.h"

const char *tuf_role_name(enum tuf_role_id role)
{
    static const char *const names[TUF_ROLE_COUNT] = {"root", "timestamp", "snapshot", "targets"};
    return role < TUF_ROLE_COUNT ? names[role] : "?";
}

/* TUF's one time format, "YYYY-MM-DDTHH:MM:SSZ" (no fraction, no offset): checked for
 * shape here, parsed by libsign's RFC 3339 reader. */
int tuf_time_parse(long long *out, const char *s)
{
    int64_t t = 0;
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof(shape) - 1) {
        return VOUCH_EPARSE;
    }
    for (size_t i = 0; shape[i] != '\0'; i++) {
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) {
            return VOUCH_EPARSE;
        }
    }
    if (sign_pkix_parse_time(&t, s, NULL) != 0) {
        return VOUCH_EPARSE;
    }
    *out = (long long)t;
    return 0;
}

static int int_member(long long *out, const json_t *obj, const char *key, const char *name,
                      struct vouch_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v)) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s: '%s' is missing or not an integer", name,
                               key);
    }
    *out = (long long)json_integer_value(v);
    return 0;
}

/* spec_version "1.x[.y]": a client for 1.0 reads any 1.x (spec §5.3.4 / python-tuf). */
static int check_spec_version(const json_t *sig, const char *name, struct vouch_error *err)
{
    const char *v = json_string_value(json_object_get(sig, "spec_version"));
    if (v == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s: 'spec_version' is missing", name);
    }
    if (strncmp(v, "1.", 2) != 0 || v[2] < '0' || v[2] > '9') {
        char q[64];
        sign_jread_quote(q, sizeof(q), v);
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "%s: unsupported spec_version '%s'", name,
                               q);
    }
    return 0;
}

static int parse_signed(struct tuf_md *md, enum tuf_role_id role, struct vouch_error *err)
{
    const char *type = json_string_value(json_object_get(md->sig, "_type"));
    const char *exp = json_string_value(json_object_get(md->sig, "expires"));
    int rc;
    if (type == NULL || strcmp(type, tuf_role_name(role)) != 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s: _type is not '%s'", md->name,
                               tuf_role_name(role));
    }
    rc = check_spec_version(md->sig, md->name, err);
    rc = rc ? rc : int_member(&md->version, md->sig, "version", md->name, err);
    if (rc == 0 && md->version < 1) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "%s: version %lld is not positive", md->name,
                             md->version);
    }
    if (rc == 0 && (exp == NULL || tuf_time_parse(&md->expires, exp) != 0)) {
        rc = vouch_error_set(err, VOUCH_EPARSE,
                             "%s: 'expires' is missing or not YYYY-MM-DDTHH:MM:SSZ", md->name);
    }
    return rc;
}

int tuf_md_parse(struct tuf_md *out, const unsigned char *data, size_t len, enum tuf_role_id role,
                 const char *name, struct vouch_error *err)
{
    int rc;
    memset(out, 0, sizeof(*out));
    snprintf(out->name, sizeof(out->name), "%s", name);
    vouch_buf_init(&out->cjson, 0);
    rc = sign_jread_load(&out->doc, data, len, name, err);
    if (rc == 0) {
        out->sig = json_object_get(out->doc, "signed");
        if (!json_is_object(out->sig) || !json_is_array(json_object_get(out->doc, "signatures"))) {
            rc = vouch_error_set(err, VOUCH_EPARSE, "%s: not TUF metadata (signed, signatures)",
                                 name);
        }
    }
    rc = rc ? rc : parse_signed(out, role, err);
    rc = rc ? rc : tuf_cjson(&out->cjson, out->sig, err);
    if (rc != 0) {
        tuf_md_release(out);
    }
    return rc;
}

void tuf_md_release(struct tuf_md *md)
{
    json_decref(md->doc);
    vouch_buf_release(&md->cjson);
    memset(md, 0, sizeof(*md));
}

int tuf_md_expired(const struct tuf_md *md, long long now)
{
    return md->expires <= now;
}

int tuf_md_check_expiry(const struct tuf_md *md, long long now, struct vouch_error *err)
{
    char when[32];
    time_t t = (time_t)md->expires;
    struct tm tm;
    if (!tuf_md_expired(md, now)) {
        return 0;
    }
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return vouch_error_set(err, VOUCH_EVERIFY, "%s (version %lld) expired on %s", md->name,
                           md->version, when);
}

int tuf_meta_ref_get(struct tuf_meta_ref *out, const struct tuf_md *md, const char *file,
                     struct vouch_error *err)
{
    const json_t *e = json_object_get(json_object_get(md->sig, "meta"), file);
    const json_t *len;
    int rc;
    memset(out, 0, sizeof(*out));
    out->length = -1;
    if (!json_is_object(e)) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s: no meta entry for '%s'", md->name, file);
    }
    rc = int_member(&out->version, e, "version", md->name, err);
    len = json_object_get(e, "length");
    if (rc == 0 && len != NULL) {
        rc = int_member(&out->length, e, "length", md->name, err);
    }
    out->hashes = json_object_get(e, "hashes");
    if (rc == 0 && out->hashes != NULL && !json_is_object(out->hashes)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "%s: hashes of '%s' is not an object", md->name,
                             file);
    }
    if (rc == 0 && (out->version < 1 || (len != NULL && out->length < 0))) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "%s: bad version or length for '%s'", md->name,
                             file);
    }
    return rc;
}

static int check_one_hash(int *known, const unsigned char *data, size_t len, const char *alg,
                          const json_t *want, const char *what, struct vouch_error *err)
{
    unsigned char d[SIGN_DIGEST_MAX];
    char hex[2 * SIGN_DIGEST_MAX + 1];
    size_t dlen = 0;
    enum sign_hash h;
    const char *w = json_string_value(want);
    if (strcmp(alg, "sha256") == 0) {
        h = SIGN_HASH_SHA256;
    } else if (strcmp(alg, "sha512") == 0) {
        h = SIGN_HASH_SHA512;
    } else {
        return 0; /* other algorithms: not checked, and not counted as checked */
    }
    if (w == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s: %s hash is not a string", what, alg);
    }
    if (sign_digest_buf(d, &dlen, h, data, len, err) != 0) {
        return VOUCH_EINTERNAL;
    }
    vouch_hex_encode(hex, d, dlen);
    if (strlen(w) != 2 * dlen || CRYPTO_memcmp(hex, w, 2 * dlen) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "%s: %s hash mismatch", what, alg);
    }
    *known = 1;
    return 0;
}

int tuf_check_hashes(const unsigned char *data, size_t len, long long want_len,
                     const json_t *hashes, int require, const char *what, struct vouch_error *err)
{
    const char *alg;
    json_t *v;
    int known = 0, rc = 0;
    if (want_len >= 0 && (unsigned long long)want_len != (unsigned long long)len) {
        return vouch_error_set(err, VOUCH_EVERIFY, "%s: length %zu, expected %lld", what, len,
                               want_len);
    }
    if (hashes == NULL && !require) {
        return 0;
    }
    json_object_foreach((json_t *)hashes, alg, v)
    {
        rc = check_one_hash(&known, data, len, alg, v, what, err);
        if (rc != 0) {
            return rc;
        }
    }
    if (!known) {
        return vouch_error_set(err, VOUCH_EUNSUPPORTED, "%s: no sha256 or sha512 hash to check",
                               what);
    }
    return 0;
}
