/* DSSE v1 envelopes (secure-systems-lab/dsse protocol v1.0.2): pre-authentication encoding,
 * parsing, signing and k-of-n verification. Signatures are made over PAE(type, payload), never
 * over re-serialized JSON. */
#ifndef SIGN_DSSE_H
#define SIGN_DSSE_H

#include <stddef.h>

#include "sign/key.h"
#include "vouch/error.h"

/** Largest envelope JSON sign_dsse_parse accepts (bytes). */
#define SIGN_DSSE_MAX_BYTES ((size_t)64 << 20)
/** Most signatures an envelope may carry. */
#define SIGN_DSSE_MAX_SIGS 256

/** The in-toto payload type. */
#define SIGN_DSSE_INTOTO_TYPE "application/vnd.in-toto+json"

/** A DSSE envelope: payload type, raw payload bytes, signatures (opaque). */
struct sign_dsse;

/**
 * PAE: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal. *out is
 * malloc'd (NUL-terminated, the NUL not counted in *out_len).
 */
int sign_dsse_pae(unsigned char **out, size_t *out_len, const char *payload_type,
                  const unsigned char *payload, size_t payload_len, struct vouch_error *err);

/**
 * Parse envelope JSON (at most SIGN_DSSE_MAX_BYTES): "payloadType" and "payload" strings and a
 * "signatures" array of {"sig", optional "keyid"} are required; base64 may be standard or
 * URL-safe, padded or not; a missing keyid reads as ""; unknown fields are ignored; duplicate
 * keys are rejected. An empty signature list parses (verification then fails). Malformed
 * input is VOUCH_EPARSE.
 */
int sign_dsse_parse(struct sign_dsse **out, const unsigned char *json, size_t len,
                    struct vouch_error *err);

/**
 * Sign payload with each of keys[0..nkeys) (at least one) and return the new envelope.
 * ECDSA/RSA sign hash(PAE) with the key's default hash (SHA-256 for P-256, DER signatures);
 * Ed25519 signs PAE directly. Every keyid is "".
 */
int sign_dsse_sign(struct sign_dsse **out, const char *payload_type, const unsigned char *payload,
                   size_t payload_len, const struct sign_key *const *keys, size_t nkeys,
                   struct vouch_error *err);

/**
 * Serialize env as cosign v2 (go-securesystemslib) does, compact, no trailing newline:
 * {"payloadType":"…","payload":"<b64>","signatures":[{"keyid":"…","sig":"<b64>"}]}
 * with Go's string escaping and standard padded base64. *out is malloc'd, NUL-terminated.
 */
int sign_dsse_write(char **out, size_t *out_len, const struct sign_dsse *env,
                    struct vouch_error *err);

/**
 * Verify env against keys[0..nkeys): returns 0 only when at least threshold distinct keys
 * (threshold 0 means 1) each verify some signature over PAE(payloadType, payload); otherwise
 * VOUCH_EVERIFY with the reason (an envelope without signatures is rejected). keyids are
 * unauthenticated hints and are ignored; a key given twice counts once. On success, when payload
 * is not NULL, *payload gets a malloc'd copy of the exact verified payload bytes (NUL-terminated,
 * not counted).
 */
int sign_dsse_verify(unsigned char **payload, size_t *payload_len, const struct sign_dsse *env,
                     const struct sign_key *const *keys, size_t nkeys, size_t threshold,
                     struct vouch_error *err);

/** Borrowed payload type (NUL-terminated). */
const char *sign_dsse_payload_type(const struct sign_dsse *env);
/** Borrowed raw (decoded) payload bytes; NOT verified unless sign_dsse_verify succeeded. */
const unsigned char *sign_dsse_payload(const struct sign_dsse *env, size_t *len);
/** Number of signatures. */
size_t sign_dsse_sig_count(const struct sign_dsse *env);
/** Borrowed keyid of signature i ("" when absent), or NULL when i is out of range. */
const char *sign_dsse_sig_keyid(const struct sign_dsse *env, size_t i);
/** Borrowed raw signature bytes of signature i, or NULL when i is out of range. */
const unsigned char *sign_dsse_sig(const struct sign_dsse *env, size_t i, size_t *len);

/** Free an envelope; accepts NULL. */
void sign_dsse_free(struct sign_dsse *env);

#endif
