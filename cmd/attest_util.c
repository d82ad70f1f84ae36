/* Shared plumbing for the attestation commands: subjects, signing, output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "attest_util.h"
#include "cmd.h"
#include "out.h"
#include "sign/digest.h"
#include "sign/dsse.h"
#include "vouch/encoding.h"
#include "vouch/io.h"

#define PREDICATE_MAX ((size_t)32 << 20)

/* cosign's custom predicate: {"Data": file text, "Timestamp": RFC 3339 UTC now}. */
static int custom_predicate(char **out, const unsigned char *data, size_t len,
                            struct vouch_error *err)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    json_t *o;
    if (gmtime_r(&t, &tm) == NULL || strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "cannot format the current time");
    }
    o = json_pack("{s:s%,s:s}", "Data", (const char *)data, len, "Timestamp", now);
    if (o == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "predicate file is not UTF-8 text");
    }
    *out = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    return *out != NULL ? 0 : vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
}

int attest_statement_new(struct slsa_statement **out, const char *type, const char *pred_path,
                         struct vouch_error *err)
{
    unsigned char *data = NULL;
    char *custom = NULL;
    size_t n = 0;
    const char *uri = NULL;
    int rc = slsa_predicate_type_from_name(&uri, type, err);
    *out = NULL;
    rc = rc ? rc : vouch_file_read(&data, &n, pred_path, PREDICATE_MAX, err);
    if (rc == 0 && strcmp(uri, SLSA_PREDICATE_CUSTOM) == 0) {
        rc = custom_predicate(&custom, data, n, err);
    }
    rc = rc ? rc : slsa_statement_new(out, uri, err);
    rc = rc ? rc
            : slsa_statement_set_predicate(*out, custom != NULL ? custom : (const char *)data,
                                           custom != NULL ? strlen(custom) : n, err);
    if (rc == VOUCH_EPARSE) {
        vouch_error_prefix(err, "'%s': ", pred_path);
    }
    if (rc != 0) {
        slsa_statement_free(*out);
        *out = NULL;
    }
    free(data);
    free(custom);
    return rc;
}

static int file_hex(char *hex, enum sign_hash alg, const char *path, struct vouch_error *err)
{
    unsigned char d[SIGN_DIGEST_MAX];
    size_t n = 0;
    int rc = sign_digest_file(d, &n, alg, path, err);
    if (rc == 0) {
        vouch_hex_encode(hex, d, n);
    }
    return rc;
}

int attest_file_sha256(char *hex, const char *path, struct vouch_error *err)
{
    return file_hex(hex, SIGN_HASH_SHA256, path, err);
}

int attest_add_file_subject(struct slsa_statement *st, const char *path, int with_sha512,
                            struct vouch_error *err)
{
    char h256[2 * SIGN_DIGEST_MAX + 1], h512[2 * SIGN_DIGEST_MAX + 1];
    const char *slash = strrchr(path, '/');
    struct slsa_digest d[2] = {{"sha256", h256}, {"sha512", h512}};
    int rc = file_hex(h256, SIGN_HASH_SHA256, path, err);
    if (rc == 0 && with_sha512) {
        rc = file_hex(h512, SIGN_HASH_SHA512, path, err);
    }
    if (rc == 0) {
        rc = slsa_statement_add_subject(st, slash != NULL ? slash + 1 : path, d,
                                        with_sha512 ? 2 : 1, err);
    }
    return rc;
}

int attest_emit(const char *path, const char *data, size_t len, struct vouch_error *err)
{
    struct vouch_outfile of;
    int rc;
    if (path == NULL || strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fputc('\n', stdout) == EOF ||
            fflush(stdout) != 0) {
            return vouch_error_set(err, VOUCH_EIO, "cannot write to standard output");
        }
        return 0;
    }
    memset(&of, 0, sizeof(of));
    rc = vouch_outfile_open(&of, path, 0644, 0, err);
    if (rc != 0) {
        return rc;
    }
    if (fwrite(data, 1, len, of.fp) != len || fputc('\n', of.fp) == EOF) {
        vouch_outfile_abort(&of);
        return vouch_error_set(err, VOUCH_EIO, "cannot write '%s'", path);
    }
    return vouch_outfile_commit(&of, err);
}

/* cosign verify-attestation's output: each verified envelope as one JSON line on stdout
 * (the layer's bytes as stored; a bundle's envelope serialized as cosign writes it). */
int attest_print_envelope(const struct sign_dsse *env, const unsigned char *raw, size_t len,
                          struct vouch_error *err)
{
    char *json = NULL;
    size_t n = 0;
    int rc = 0;
    while (raw != NULL && len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\r')) {
        len--;
    }
    if (raw == NULL || memchr(raw, '\n', len) != NULL) {
        rc = sign_dsse_write(&json, &n, env, err);
        raw = (const unsigned char *)json;
        len = n;
    }
    rc = rc ? rc : attest_emit(NULL, (const char *)raw, len, err);
    free(json);
    return rc;
}
