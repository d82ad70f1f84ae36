/* TUF root metadata: keys by type and scheme (a table: a new key type is a row), the four
 * top-level roles and their thresholds, and counting a role's valid signatures (spec
 * §5.3.4: a threshold of distinct keys). */
#include <stdlib.h>
#include <string.h>

#include "tuf_internal.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

/* SubjectPublicKeyInfo prefix of a raw Ed25519 key (RFC 8410: id-Ed25519, BIT STRING). */
static const unsigned char ed25519_spki_prefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                      0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

static int load_pem(struct sign_key **out, const char *pub, const char *keyid,
                    struct vouch_error *err)
{
    return sign_key_load_public(out, (const unsigned char *)pub, strlen(pub), keyid, err);
}

static int load_ed25519_hex(struct sign_key **out, const char *pub, const char *keyid,
                            struct vouch_error *err)
{
    unsigned char der[sizeof(ed25519_spki_prefix) + 32];
    memcpy(der, ed25519_spki_prefix, sizeof(ed25519_spki_prefix));
    if (vouch_hex_decode(der + sizeof(ed25519_spki_prefix), 32, pub, strlen(pub), err) != 0) {
        return VOUCH_EPARSE;
    }
    return sign_key_load_public_der(out, der, sizeof(der), keyid, err);
}

/* keytype, scheme, loader, the key type it must yield. Sigstore's repository uses ecdsa
 * P-256 (keytype "ecdsa", older roots "ecdsa-sha2-nistp256"); ed25519 is TUF's default. */
static const struct key_row {
    const char *keytype;
    const char *scheme;
    int (*load)(struct sign_key **out, const char *pub, const char *keyid, struct vouch_error *err);
    enum sign_key_type type;
    enum sign_hash hash;
} key_rows[] = {
    {"ecdsa", "ecdsa-sha2-nistp256", load_pem, SIGN_KEY_ECDSA_P256, SIGN_HASH_SHA256},
    {"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", load_pem, SIGN_KEY_ECDSA_P256, SIGN_HASH_SHA256},
    {"ecdsa", "ecdsa-sha2-nistp384", load_pem, SIGN_KEY_ECDSA_P384, SIGN_HASH_SHA384},
    {"ed25519", "ed25519", load_ed25519_hex, SIGN_KEY_ED25519, SIGN_HASH_SHA512},
};

static const struct key_row *key_row_find(const char *keytype, const char *scheme)
{
    for (size_t i = 0; i < sizeof(key_rows) / sizeof(key_rows[0]); i++) {
        if (strcmp(key_rows[i].keytype, keytype) == 0 && strcmp(key_rows[i].scheme, scheme) == 0) {
            return &key_rows[i];
        }
    }
    return NULL;
}

/* One key: kept when its type is supported and it loads; else skipped (it signs nothing). */
static void add_key(struct tuf_root *r, const char *keyid, const json_t *k)
{
    const char *kt = json_string_value(json_object_get(k, "keytype"));
    const char *sc = json_string_value(json_object_get(k, "scheme"));
    const char *pub = json_string_value(json_object_get(json_object_get(k, "keyval"), "public"));
    const struct key_row *row = kt != NULL && sc != NULL ? key_row_find(kt, sc) : NULL;
    struct sign_key *key = NULL;
    if (row == NULL || pub == NULL || row->load(&key, pub, keyid, NULL) != 0) {
        return;
    }
    if (sign_key_type_of(key) != row->type) {
        sign_key_free(key);
        return;
    }
    r->keys[r->nkeys].keyid = keyid;
    r->keys[r->nkeys].hash = row->hash;
    r->keys[r->nkeys].pub = pub;
    r->keys[r->nkeys].key = key;
    r->nkeys++;
}

static int parse_roles(struct tuf_root *r, struct vouch_error *err)
{
    const json_t *roles = json_object_get(r->md.sig, "roles");
    for (int i = 0; i < TUF_ROLE_COUNT; i++) {
        const json_t *role = json_object_get(roles, tuf_role_name((enum tuf_role_id)i));
        const json_t *ids = json_object_get(role, "keyids");
        const json_t *th = json_object_get(role, "threshold");
        if (!json_is_array(ids) || !json_is_integer(th) || json_integer_value(th) < 1) {
            return vouch_error_set(err, VOUCH_EPARSE,
                                   "%s: role '%s' needs keyids and a threshold >= 1", r->md.name,
                                   tuf_role_name((enum tuf_role_id)i));
        }
        for (size_t j = 0; j < json_array_size(ids); j++) {
            if (!json_is_string(json_array_get(ids, j))) {
                return vouch_error_set(err, VOUCH_EPARSE, "%s: a keyid of '%s' is not a string",
                                       r->md.name, tuf_role_name((enum tuf_role_id)i));
            }
        }
        r->roles[i].keyids = ids;
        r->roles[i].threshold = (long long)json_integer_value(th);
    }
    return 0;
}

int tuf_root_parse(struct tuf_root *out, const unsigned char *data, size_t len, const char *name,
                   struct vouch_error *err)
{
    const json_t *keys, *k;
    const char *id;
    int rc;
    memset(out, 0, sizeof(*out));
    rc = tuf_md_parse(&out->md, data, len, TUF_ROLE_ROOT, name, err);
    if (rc != 0) {
        return rc;
    }
    keys = json_object_get(out->md.sig, "keys");
    if (!json_is_object(keys)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "%s: 'keys' is not an object", name);
    } else if ((out->keys = calloc(json_object_size(keys) + 1, sizeof(*out->keys))) == NULL) {
        rc = vouch_enomem(err);
    } else {
        json_object_foreach((json_t *)keys, id, k)
        {
            add_key(out, id, k);
        }
        rc = parse_roles(out, err);
    }
    out->consistent_snapshot = json_is_true(json_object_get(out->md.sig, "consistent_snapshot"));
    if (rc != 0) {
        tuf_root_release(out);
    }
    return rc;
}

void tuf_root_release(struct tuf_root *r)
{
    for (size_t i = 0; i < r->nkeys; i++) {
        sign_key_free(r->keys[i].key);
    }
    free(r->keys);
    tuf_md_release(&r->md);
    memset(r, 0, sizeof(*r));
}

static const struct tuf_key *role_key(const struct tuf_root *root, const struct tuf_role *role,
                                      const char *keyid)
{
    int listed = 0;
    for (size_t i = 0; i < json_array_size(role->keyids); i++) {
        if (strcmp(json_string_value(json_array_get(role->keyids, i)), keyid) == 0) {
            listed = 1;
        }
    }
    for (size_t i = 0; listed && i < root->nkeys; i++) {
        if (strcmp(root->keys[i].keyid, keyid) == 0) {
            return &root->keys[i];
        }
    }
    return NULL;
}

static int sig_valid(const struct tuf_key *k, const struct tuf_md *md, const char *hex)
{
    size_t n = strlen(hex) / 2;
    unsigned char *sig;
    int ok = 0;
    if (n == 0 || n > 1024 || (sig = malloc(n)) == NULL) {
        return 0;
    }
    if (vouch_hex_decode(sig, n, hex, strlen(hex), NULL) == 0 &&
        sign_key_verify_msg(k->key, k->hash, md->cjson.data, md->cjson.len, sig, n, NULL) == 0) {
        ok = 1;
    }
    free(sig);
    return ok;
}

/* Has a key with the same public value already been counted (one key, two keyids)? */
static int counted(const struct tuf_key **seen, size_t n, const struct tuf_key *k)
{
    for (size_t i = 0; i < n; i++) {
        if (seen[i] == k || strcmp(seen[i]->pub, k->pub) == 0) {
            return 1;
        }
    }
    return 0;
}

int tuf_verify_role(size_t *valid, const struct tuf_root *root, enum tuf_role_id role,
                    const struct tuf_md *md, struct vouch_error *err)
{
    const struct tuf_role *r = &root->roles[role];
    const json_t *sigs = json_object_get(md->doc, "signatures");
    size_t nsigs = json_array_size(sigs), n = 0;
    const struct tuf_key **seen = calloc(nsigs + 1, sizeof(*seen));
    if (seen == NULL) {
        return vouch_enomem(err);
    }
    for (size_t i = 0; i < nsigs; i++) {
        const json_t *s = json_array_get(sigs, i);
        const char *id = json_string_value(json_object_get(s, "keyid"));
        const char *hex = json_string_value(json_object_get(s, "sig"));
        const struct tuf_key *k = id != NULL && hex != NULL ? role_key(root, r, id) : NULL;
        if (k != NULL && !counted(seen, n, k) && sig_valid(k, md, hex)) {
            seen[n++] = k;
        }
    }
    free(seen);
    if (valid != NULL) {
        *valid = n;
    }
    if ((long long)n < r->threshold) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "%s (version %lld): %zu of %lld required signatures of the %s "
                               "role of root v%lld",
                               md->name, md->version, n, r->threshold, tuf_role_name(role),
                               root->md.version);
    }
    return 0;
}
