/* Shared plumbing for the attestation commands (provenance, attest-blob,
 * verify-attestation): file subjects, DSSE signing into an envelope line or a sigstore bundle, and
 * output. */
#ifndef VOUCH_CMD_ATTEST_UTIL_H
#define VOUCH_CMD_ATTEST_UTIL_H

#include <stddef.h>

#include "sign/dsse.h"
#include "sign/key.h"
#include "slsa/statement.h"
#include "vouch/error.h"

#define ATTEST_MAX_LIST 64

/** The cosign predicate type names, for completion of --type. */
#define ATTEST_TYPE_NAMES                                                                          \
    "custom|slsaprovenance|slsaprovenance02|slsaprovenance1|spdx|spdxjson|cyclonedx|vuln|"         \
    "openvex|link"

/** The --key, --predicate and --type rows (opt.h) of attest and attest-blob, with their ids. */
#define ATTEST_ROWS_KEY_PREDICATE_TYPE(key_id, pred_id, type_id)                                   \
    {"key", 0, "KEY", "the cosign private key", 0, key_id, "file"},                                \
        {"predicate", 0, "FILE", "the predicate (JSON; text for custom)", 0, pred_id, "file"},     \
    {                                                                                              \
        "type", 0, "TYPE", "the predicate type (default custom)", 0, type_id, ATTEST_TYPE_NAMES    \
    }

/**
 * A statement without subjects for cosign's --type name or URI type, whose predicate is the
 * JSON object in the file at pred_path, or for "custom" {"Data": its text, "Timestamp":
 * now}. A predicate file that is not JSON is VOUCH_EPARSE naming the file.
 */
int attest_statement_new(struct slsa_statement **out, const char *type, const char *pred_path,
                         struct vouch_error *err);

/** Add path as a subject named by its basename with its sha256 (and sha512 when
 *  with_sha512), each streamed over the file. */
int attest_add_file_subject(struct slsa_statement *st, const char *path, int with_sha512,
                            struct vouch_error *err);

/** The lowercase hex sha256 of the file at path (hex: 65 bytes). */
int attest_file_sha256(char *hex, const char *path, struct vouch_error *err);

/** Write data and a newline to path atomically, or to stdout when path is NULL or "-". */
int attest_emit(const char *path, const char *data, size_t len, struct vouch_error *err);

/** cosign verify-attestation's output: env as one JSON line on stdout (raw[0..len), the
 *  bytes as stored, when they hold no newline; else env serialized as cosign writes it). */
int attest_print_envelope(const struct sign_dsse *env, const unsigned char *raw, size_t len,
                          struct vouch_error *err);

#endif
