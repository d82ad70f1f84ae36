/* in-toto Statement v1: building, writing, reading fields and matching subject digests
 * (in-toto/attestation spec/v1/statement.md, digest_set.md). */
#include <stdlib.h>
#include <string.h>

#include "statement_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

/* DigestSet algorithms with a fixed hex length (digest_set.md). gitCommit is SHA-1 or
 * SHA-256 object ids, so 40 or 64 (len2). */
static const struct {
    const char *alg;
    size_t len;
    size_t len2;
} digest_lengths[] = {
    {"sha256", 64, 0},     {"sha224", 56, 0},     {"sha384", 96, 0},    {"sha512", 128, 0},
    {"sha512_224", 56, 0}, {"sha512_256", 64, 0}, {"sha3_224", 56, 0},  {"sha3_256", 64, 0},
    {"sha3_384", 96, 0},   {"sha3_512", 128, 0},  {"sha1", 40, 0},      {"md5", 32, 0},
    {"gitCommit", 40, 64}, {"gitTree", 40, 64},   {"ripemd160", 40, 0},
};

static int is_lower_hex(const char *s)
{
    for (; *s != '\0'; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

int statement_check_digest(const char *alg, const char *hex, struct vouch_error *err)
{
    size_t n = strlen(hex);
    if (alg[0] == '\0' || n == 0) {
        return vouch_error_set(err, VOUCH_EINVAL, "empty digest algorithm or value");
    }
    for (size_t i = 0; i < sizeof(digest_lengths) / sizeof(digest_lengths[0]); i++) {
        if (strcmp(digest_lengths[i].alg, alg) != 0) {
            continue;
        }
        if ((n != digest_lengths[i].len && n != digest_lengths[i].len2) || !is_lower_hex(hex)) {
            return vouch_error_set(err, VOUCH_EINVAL, "%s digest is not %zu lowercase hex digits",
                                   alg, digest_lengths[i].len);
        }
        return 0;
    }
    return 0;
}

int slsa_json_dump(char **out, size_t *out_len, const json_t *v, int flags, struct vouch_error *err)
{
    size_t jflags = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;
    jflags |= (flags & SLSA_JSON_INDENT) ? JSON_INDENT(2) : JSON_COMPACT;
    *out = json_dumps(v, jflags);
    if (*out == NULL) {
        return vouch_error_set(err, VOUCH_ENOMEM, "cannot serialise json");
    }
    if (out_len != NULL) {
        *out_len = strlen(*out);
    }
    return 0;
}

int statement_alloc(struct slsa_statement **out, const char *type, const char *predicate_type,
                    struct vouch_error *err)
{
    struct slsa_statement *st = calloc(1, sizeof(*st));
    *out = NULL;
    if (st == NULL) {
        return vouch_enomem(err);
    }
    st->type = strdup(type);
    st->predicate_type = strdup(predicate_type);
    st->subjects = json_array();
    if (st->type == NULL || st->predicate_type == NULL || st->subjects == NULL) {
        slsa_statement_free(st);
        return vouch_enomem(err);
    }
    *out = st;
    return 0;
}

int slsa_statement_new(struct slsa_statement **out, const char *predicate_type,
                       struct vouch_error *err)
{
    if (!slsa_is_absolute_uri(predicate_type)) {
        *out = NULL;
        return vouch_error_set(err, VOUCH_EINVAL, "predicate type '%.100s' is not a URI",
                               predicate_type);
    }
    return statement_alloc(out, SLSA_STATEMENT_V1, predicate_type, err);
}

static int digest_set_new(json_t **out, const struct slsa_digest *digests, size_t n,
                          struct vouch_error *err)
{
    int rc = VOUCH_ENOMEM;
    json_t *set = json_object();
    if (set == NULL) {
        return vouch_enomem(err);
    }
    if (n == 0 || n > SLSA_MAX_DIGESTS) {
        rc =
            vouch_error_set(err, VOUCH_EINVAL, "a subject needs 1 to %d digests", SLSA_MAX_DIGESTS);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        rc = statement_check_digest(digests[i].alg, digests[i].hex, err);
        if (rc == 0 && json_object_set_new(set, digests[i].alg, json_string(digests[i].hex))) {
            rc = vouch_error_set(err, VOUCH_EINVAL, "bad digest '%s'", digests[i].alg);
        }
        if (rc != 0) {
            goto done;
        }
    }
    *out = set;
    set = NULL;
done:
    json_decref(set);
    return rc;
}

int slsa_statement_add_subject(struct slsa_statement *st, const char *name,
                               const struct slsa_digest *digests, size_t n, struct vouch_error *err)
{
    json_t *subj = NULL, *set = NULL;
    int rc;
    if (json_array_size(st->subjects) >= SLSA_MAX_SUBJECTS) {
        return vouch_error_set(err, VOUCH_EINVAL, "more than %d subjects", SLSA_MAX_SUBJECTS);
    }
    rc = digest_set_new(&set, digests, n, err);
    if (rc != 0) {
        return rc;
    }
    subj = json_object();
    if (subj == NULL || (name != NULL && json_object_set_new(subj, "name", json_string(name))) ||
        json_object_set(subj, "digest", set) || json_array_append(st->subjects, subj)) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "bad subject name (not UTF-8?)");
    }
    json_decref(subj);
    json_decref(set);
    return rc;
}

int slsa_statement_set_predicate(struct slsa_statement *st, const char *json, size_t len,
                                 struct vouch_error *err)
{
    json_error_t jerr;
    json_t *v = vouch_json_load(json, len, 0, &jerr);
    if (v == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "predicate is not valid json: %s (line %d)",
                               jerr.text, jerr.line);
    }
    if (!json_is_object(v)) {
        json_decref(v);
        return vouch_error_set(err, VOUCH_EPARSE, "predicate is not a json object");
    }
    json_decref(st->predicate);
    st->predicate = v;
    return 0;
}

int slsa_statement_write(char **out, size_t *out_len, const struct slsa_statement *st, int flags,
                         struct vouch_error *err)
{
    int rc;
    json_t *o = json_object();
    *out = NULL;
    if (o == NULL || json_object_set_new(o, "_type", json_string(st->type)) ||
        json_object_set(o, "subject", st->subjects) ||
        json_object_set_new(o, "predicateType", json_string(st->predicate_type)) ||
        (st->predicate != NULL && json_object_set(o, "predicate", st->predicate))) {
        json_decref(o);
        return vouch_error_set(err, VOUCH_ENOMEM, "cannot build statement json");
    }
    rc = slsa_json_dump(out, out_len, o, flags, err);
    json_decref(o);
    return rc;
}

const char *slsa_statement_type(const struct slsa_statement *st)
{
    return st->type;
}

const char *slsa_statement_predicate_type(const struct slsa_statement *st)
{
    return st->predicate_type;
}

size_t slsa_statement_subject_count(const struct slsa_statement *st)
{
    return json_array_size(st->subjects);
}

const char *slsa_statement_subject_name(const struct slsa_statement *st, size_t i)
{
    return json_string_value(json_object_get(json_array_get(st->subjects, i), "name"));
}

const char *slsa_statement_subject_digest(const struct slsa_statement *st, size_t i,
                                          const char *alg)
{
    json_t *set = json_object_get(json_array_get(st->subjects, i), "digest");
    return json_string_value(json_object_get(set, alg));
}

int slsa_statement_match_digest(const struct slsa_statement *st, const char *alg, const char *hex,
                                struct vouch_error *err)
{
    size_t n = slsa_statement_subject_count(st);
    for (size_t i = 0; i < n; i++) {
        const char *have = slsa_statement_subject_digest(st, i, alg);
        if (have != NULL && strcmp(have, hex) == 0) {
            return 0;
        }
    }
    return vouch_error_set(err, VOUCH_EVERIFY, "no subject has digest %s:%s", alg, hex);
}

int slsa_statement_predicate_json(char **out, size_t *out_len, const struct slsa_statement *st,
                                  struct vouch_error *err)
{
    int rc;
    json_t *empty = NULL;
    if (st->predicate != NULL) {
        return slsa_json_dump(out, out_len, st->predicate, SLSA_JSON_COMPACT, err);
    }
    empty = json_object();
    rc = slsa_json_dump(out, out_len, empty, SLSA_JSON_COMPACT, err);
    json_decref(empty);
    return rc;
}

void slsa_statement_free(struct slsa_statement *st)
{
    if (st == NULL) {
        return;
    }
    free(st->type);
    free(st->predicate_type);
    json_decref(st->subjects);
    json_decref(st->predicate);
    free(st);
}
