/* Transparency-log entries: parsing, the Rekor v1 signed entry timestamp over the canonical
 * entry, the RFC 9162 inclusion proof and the checkpoint (a signed note) for its root. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "sigstore_internal.h"
#include "vouch/buf.h"
#include "vouch/encoding.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

/* protobuf-JSON int64: a decimal string (or a number); *out >= 0 */
static int jint(int64_t *out, const json_t *o, const char *key, int required,
                struct vouch_error *err)
{
    const json_t *v = json_object_get(o, key);
    char *end = NULL;
    long long n;
    *out = 0;
    if (v == NULL) {
        return required ? vouch_error_set(err, VOUCH_EPARSE, "malformed tlog entry: no '%s'", key)
                        : 0;
    }
    if (json_is_integer(v)) {
        n = json_integer_value(v);
    } else if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < 21) {
        errno = 0;
        n = strtoll(json_string_value(v), &end, 10);
        if (errno != 0 || *end != '\0') {
            return vouch_error_set(err, VOUCH_EPARSE, "malformed tlog entry: '%s' is no integer",
                                   key);
        }
    } else {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed tlog entry: '%s' is no integer", key);
    }
    if (n < 0) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed tlog entry: negative '%s'", key);
    }
    *out = (int64_t)n;
    return 0;
}

static int fixed_b64(unsigned char *out, const json_t *o, const char *key, const char *what,
                     struct vouch_error *err)
{
    unsigned char *raw = NULL;
    size_t n = 0;
    int rc = sign_jread_b64(&raw, &n, o, key, what, err);
    if (rc == 0 && n != SS_HASH) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed %s: '%s' has %zu bytes", what, key, n);
    }
    if (rc == 0) {
        memcpy(out, raw, SS_HASH);
    }
    free(raw);
    return rc;
}

static int parse_proof(struct ss_entry *e, const json_t *p, struct vouch_error *err)
{
    const json_t *hashes = json_object_get(p, "hashes");
    const json_t *cp = json_object_get(p, "checkpoint");
    const char *env = NULL;
    size_t i;
    const json_t *h;
    int rc = jint(&e->proof_index, p, "logIndex", 1, err);
    rc = rc != 0 ? rc : jint(&e->tree_size, p, "treeSize", 1, err);
    rc = rc != 0 ? rc : fixed_b64(e->root, p, "rootHash", "inclusion proof", err);
    if (rc == 0 && hashes != NULL && !json_is_array(hashes)) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed inclusion proof: 'hashes'");
    }
    if (rc == 0 && json_array_size(hashes) > 0) {
        e->hashes = calloc(json_array_size(hashes), SS_HASH);
        rc = e->hashes == NULL ? vouch_enomem(err) : 0;
    }
    json_array_foreach(hashes, i, h)
    {
        unsigned char *raw = NULL;
        size_t n = 0;
        if (rc != 0) {
            break;
        }
        if (!json_is_string(h) ||
            vouch_base64_decode(&raw, &n, json_string_value(h), json_string_length(h), NULL) != 0 ||
            n != SS_HASH) {
            rc = vouch_error_set(err, VOUCH_EPARSE, "malformed inclusion proof hash %zu", i);
        } else {
            memcpy(e->hashes[e->nhashes++], raw, SS_HASH);
        }
        free(raw);
    }
    if (rc == 0 && json_is_object(cp)) {
        rc = sign_jread_str(&env, cp, "envelope", "checkpoint", err);
        if (rc == 0 && (e->checkpoint = strdup(env)) == NULL) {
            rc = vouch_enomem(err);
        }
    }
    e->has_proof = rc == 0;
    return rc;
}

static int parse_kind(struct ss_entry *e, const json_t *o, struct vouch_error *err)
{
    const json_t *kv = json_object_get(o, "kindVersion");
    const char *kind = NULL;
    const char *version = NULL;
    int rc = json_is_object(kv)
                 ? 0
                 : vouch_error_set(err, VOUCH_EPARSE, "malformed tlog entry: no 'kindVersion'");
    rc = rc != 0 ? rc : sign_jread_str(&kind, kv, "kind", "tlog entry kindVersion", err);
    rc = rc != 0 ? rc : sign_jread_str(&version, kv, "version", "tlog entry kindVersion", err);
    if (rc == 0) {
        snprintf(e->kind, sizeof(e->kind), "%s", kind);
        snprintf(e->version, sizeof(e->version), "%s", version);
    }
    return rc;
}

int ss_entry_parse(struct ss_entry *e, const json_t *o, const struct sign_trustroot *tr,
                   struct vouch_error *err)
{
    const json_t *id = json_object_get(o, "logId");
    const json_t *promise = json_object_get(o, "inclusionPromise");
    const json_t *proof = json_object_get(o, "inclusionProof");
    unsigned char *raw = NULL;
    size_t n = 0;
    int rc;
    memset(e, 0, sizeof(*e));
    rc = json_is_object(o) && json_is_object(id)
             ? 0
             : vouch_error_set(err, VOUCH_EPARSE, "malformed tlog entry: no 'logId'");
    rc = rc != 0 ? rc : jint(&e->log_index, o, "logIndex", 1, err);
    rc = rc != 0 ? rc : jint(&e->integrated_time, o, "integratedTime", 0, err);
    rc = rc != 0 ? rc : parse_kind(e, o, err);
    rc = rc != 0
             ? rc
             : sign_jread_b64(&e->body, &e->body_len, o, "canonicalizedBody", "tlog entry", err);
    rc = rc != 0 ? rc : sign_jread_b64(&raw, &n, id, "keyId", "tlog entry logId", err);
    if (rc == 0 && (e->log = sign_trustroot_log_by_id(tr, 0, raw, n)) == NULL) {
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "tlog entry %lld is from a log the trusted root does not list",
                             (long long)e->log_index);
    }
    free(raw);
    if (rc == 0 && json_is_object(promise)) {
        rc = sign_jread_b64(&e->set, &e->set_len, promise, "signedEntryTimestamp",
                            "inclusion promise", err);
        e->has_set = rc == 0;
    }
    if (rc == 0 && json_is_object(proof)) {
        rc = parse_proof(e, proof, err);
    }
    return rc;
}

void ss_entry_release(struct ss_entry *e)
{
    free(e->body);
    free(e->set);
    free(e->hashes);
    free(e->checkpoint);
    memset(e, 0, sizeof(*e));
}

int ss_entry_verify_set(const struct ss_entry *e, struct vouch_error *err)
{
    struct vouch_buf b;
    char *body = NULL;
    char *hex = malloc(2 * e->log->log_id_len + 1);
    int rc = hex == NULL ? vouch_enomem(err) : 0;
    vouch_buf_init(&b, 0);
    rc = rc != 0 ? rc : vouch_base64_encode(&body, e->body, e->body_len, err);
    if (rc == 0) {
        vouch_hex_encode(hex, e->log->log_id, e->log->log_id_len);
        /* RFC 8785 canonical JSON: sorted keys, no spaces */
        rc = vouch_buf_printf(&b, err,
                              "{\"body\":\"%s\",\"integratedTime\":%lld,\"logID\":\"%s\","
                              "\"logIndex\":%lld}",
                              body, (long long)e->integrated_time, hex, (long long)e->log_index);
    }
    if (rc == 0 &&
        sign_key_verify_msg(e->log->key, e->log->hash, (const unsigned char *)vouch_buf_cstr(&b),
                            b.len, e->set, e->set_len, NULL) != 0) {
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "tlog entry %lld: signed entry timestamp does not verify with the "
                             "log's key",
                             (long long)e->log_index);
    }
    vouch_buf_release(&b);
    free(body);
    free(hex);
    return rc;
}

static void node_hash(unsigned char *out, const unsigned char *l, const unsigned char *r)
{
    unsigned char in[1 + 2 * SS_HASH];
    in[0] = 0x01;
    memcpy(in + 1, l, SS_HASH);
    memcpy(in + 1 + SS_HASH, r, SS_HASH);
    SHA256(in, sizeof(in), out);
}

/* RFC 9162 section 2.1.3.2 */
static int proof_root(unsigned char *r, const struct ss_entry *e)
{
    uint64_t fn = (uint64_t)e->proof_index;
    uint64_t sn;
    unsigned char *leaf = malloc(e->body_len + 1);
    if (leaf == NULL || e->proof_index >= e->tree_size) {
        free(leaf);
        return -1;
    }
    leaf[0] = 0x00;
    memcpy(leaf + 1, e->body, e->body_len);
    SHA256(leaf, e->body_len + 1, r);
    free(leaf);
    sn = (uint64_t)e->tree_size - 1;
    for (size_t i = 0; i < e->nhashes; i++) {
        if (sn == 0) {
            return -1;
        }
        if ((fn & 1) != 0 || fn == sn) {
            node_hash(r, e->hashes[i], r);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            node_hash(r, r, e->hashes[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 ? 0 : -1;
}

/* checkpoint body: origin, size, base64 root, optional lines; then a blank line */
static int checkpoint_body(const char *note, size_t *body_len, char *origin, size_t origin_n,
                           uint64_t *size, unsigned char *root)
{
    const char *blank = strstr(note, "\n\n");
    const char *l2 = strchr(note, '\n');
    const char *l3 = l2 != NULL ? strchr(l2 + 1, '\n') : NULL;
    const char *l4 = l3 != NULL ? strchr(l3 + 1, '\n') : NULL;
    unsigned char *raw = NULL;
    size_t n = 0;
    char *end = NULL;
    if (blank == NULL || l4 == NULL || l4 > blank || l2 == note ||
        (size_t)(l2 - note) >= origin_n || l3 == l2 + 1) {
        return -1;
    }
    memcpy(origin, note, (size_t)(l2 - note));
    origin[l2 - note] = '\0';
    errno = 0;
    *size = strtoull(l2 + 1, &end, 10);
    if (errno != 0 || end != l3 || l2[1] < '0' || l2[1] > '9') {
        return -1;
    }
    if (vouch_base64_decode(&raw, &n, l3 + 1, (size_t)(l4 - l3 - 1), NULL) != 0 || n != SS_HASH) {
        free(raw);
        return -1;
    }
    memcpy(root, raw, SS_HASH);
    free(raw);
    *body_len = (size_t)(blank - note) + 1;
    return 0;
}

/* One signature line "— NAME BASE64(keyhint[4] || sig)": 1 when the log signed body. */
static int note_sig_ok(const struct ss_entry *e, const char *line, size_t len, const char *note,
                       size_t body_len)
{
    static const char dash[] = "\xe2\x80\x94 ";
    const char *sp;
    unsigned char *raw = NULL;
    size_t n = 0;
    int ok = 0;
    if (len < sizeof(dash) || memcmp(line, dash, sizeof(dash) - 1) != 0) {
        return 0;
    }
    line += sizeof(dash) - 1;
    len -= sizeof(dash) - 1;
    sp = memchr(line, ' ', len);
    if (sp == NULL ||
        (e->log->origin[0] != '\0' && ((size_t)(sp - line) != strlen(e->log->origin) ||
                                       memcmp(line, e->log->origin, (size_t)(sp - line)) != 0))) {
        return 0;
    }
    if (vouch_base64_decode(&raw, &n, sp + 1, len - (size_t)(sp + 1 - line), NULL) == 0 && n > 4 &&
        e->log->log_id_len >= 4 && memcmp(raw, e->log->log_id, 4) == 0) {
        ok = sign_key_verify_msg(e->log->key, e->log->hash, (const unsigned char *)note, body_len,
                                 raw + 4, n - 4, NULL) == 0;
    }
    free(raw);
    return ok;
}

static int verify_checkpoint(const struct ss_entry *e, struct vouch_error *err)
{
    const char *note = e->checkpoint;
    char origin[256];
    uint64_t size = 0;
    unsigned char root[SS_HASH];
    size_t body_len = 0;
    const char *p;
    long long idx = (long long)e->log_index;
    if (note == NULL) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "tlog entry %lld: inclusion proof has no "
                               "checkpoint",
                               idx);
    }
    if (checkpoint_body(note, &body_len, origin, sizeof(origin), &size, root) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "tlog entry %lld: malformed checkpoint", idx);
    }
    if (size != (uint64_t)e->tree_size || memcmp(root, e->root, SS_HASH) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "tlog entry %lld: checkpoint is for another tree (size or root "
                               "hash differs from the inclusion proof)",
                               idx);
    }
    for (p = note + body_len + 1; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        if (note_sig_ok(e, p, len, note, body_len)) {
            return 0;
        }
        p += len + (nl != NULL);
    }
    return vouch_error_set(err, VOUCH_EVERIFY,
                           "tlog entry %lld: checkpoint carries no valid signature of log '%s'",
                           idx, e->log->origin);
}

int ss_entry_verify_proof(const struct ss_entry *e, struct vouch_error *err)
{
    unsigned char r[SS_HASH];
    if (proof_root(r, e) != 0 || memcmp(r, e->root, SS_HASH) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "tlog entry %lld: inclusion proof does not lead to its root hash",
                               (long long)e->log_index);
    }
    return verify_checkpoint(e, err);
}
