/* Sigstore bundles (dev.sigstore.bundle.v1.Bundle as protobuf-JSON, media types v0.1-v0.3)
 * and cosign's older blob bundle {"base64Signature","cert","rekorBundle"}: read, verify
 * offline with a given key, and write v0.3 for key-based signatures. Transparency-log
 * entries and timestamps are parsed tolerantly and ignored (no online checks). */
#ifndef SIGN_BUNDLE_H
#define SIGN_BUNDLE_H

#include <stddef.h>

#include "sign/blob.h"
#include "sign/dsse.h"
#include "sign/key.h"
#include "vouch/error.h"

/** The media type vouch writes. */
#define SIGN_BUNDLE_MEDIA_TYPE "application/vnd.dev.sigstore.bundle.v0.3+json"
/** Largest bundle JSON sign_bundle_parse accepts (bytes). */
#define SIGN_BUNDLE_MAX_BYTES ((size_t)64 << 20)

/** What a bundle signs. */
enum sign_bundle_kind {
    SIGN_BUNDLE_MESSAGE = 0, /* messageSignature over an artifact (or cosign's old bundle) */
    SIGN_BUNDLE_DSSE,        /* dsseEnvelope */
};

/** Which verification material a bundle carries. */
enum sign_bundle_material {
    SIGN_BUNDLE_MAT_NONE = 0,
    SIGN_BUNDLE_MAT_PUBLIC_KEY,  /* publicKey {hint} (v0.3), or a key PEM in an old bundle */
    SIGN_BUNDLE_MAT_CERTIFICATE, /* certificate, x509CertificateChain, or an old bundle cert */
};

/** A parsed bundle (opaque). */
struct sign_bundle;

/**
 * Parse a sigstore bundle (media type application/vnd.dev.sigstore.bundle.v0.3+json or
 * application/vnd.dev.sigstore.bundle+json;version=0.1|0.2|0.3) or cosign's old blob bundle
 * (an object with "base64Signature" and no "mediaType"). At most SIGN_BUNDLE_MAX_BYTES.
 * Malformed JSON or base64, missing members, both or neither of messageSignature and
 * dsseEnvelope: VOUCH_EPARSE. Unknown media type or digest algorithm: VOUCH_EUNSUPPORTED.
 */
int sign_bundle_parse(struct sign_bundle **out, const unsigned char *json, size_t len,
                      struct vouch_error *err);

/** Kind of signed content. */
enum sign_bundle_kind sign_bundle_kind_of(const struct sign_bundle *b);
/** 1 for cosign's old {"base64Signature",…} bundle, 0 for a sigstore bundle. */
int sign_bundle_is_legacy(const struct sign_bundle *b);
/** Borrowed media type, NULL for an old cosign bundle. */
const char *sign_bundle_media_type(const struct sign_bundle *b);
/** Material kind. */
enum sign_bundle_material sign_bundle_material_of(const struct sign_bundle *b);
/** Borrowed publicKey.hint (unauthenticated), NULL when absent. */
const char *sign_bundle_key_hint(const struct sign_bundle *b);
/** Borrowed raw message signature bytes; NULL for a DSSE bundle. */
const unsigned char *sign_bundle_signature(const struct sign_bundle *b, size_t *len);
/** The messageDigest into *out: 0, or VOUCH_ENOTFOUND when the bundle has none. */
int sign_bundle_message_digest(struct sign_blob_digest *out, const struct sign_bundle *b);
/** Borrowed DSSE envelope; NULL for a message-signature bundle. */
const struct sign_dsse *sign_bundle_dsse(const struct sign_bundle *b);

/**
 * The public key embedded in the bundle: the leaf certificate's key, or the key PEM of an old
 * cosign bundle. It is NOT trusted by itself (no chain or identity checks here): the caller
 * decides. VOUCH_ENOTFOUND when the bundle carries only a hint or nothing.
 */
int sign_bundle_embedded_key(struct sign_key **out, const struct sign_bundle *b,
                             struct vouch_error *err);

/**
 * Verify a message-signature bundle over the file at path with key: the file's digest must
 * equal messageDigest (when present) and the signature must verify. 0 or VOUCH_EVERIFY with
 * the reason; a DSSE bundle is VOUCH_EUNSUPPORTED. digest (may be NULL) receives the file's
 * digest.
 */
int sign_bundle_verify_blob(struct sign_blob_digest *digest, const struct sign_bundle *b,
                            const struct sign_key *key, const char *path, struct vouch_error *err);

/**
 * Verify a DSSE bundle's envelope with key (see sign_dsse_verify); on success *payload (if
 * payload is not NULL) gets a malloc'd copy of the verified payload. A message-signature
 * bundle is VOUCH_EUNSUPPORTED.
 */
int sign_bundle_verify_dsse(unsigned char **payload, size_t *payload_len,
                            const struct sign_bundle *b, const struct sign_key *key,
                            struct vouch_error *err);

/**
 * Write a v0.3 message-signature bundle, compact, fields in this order:
 * {"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":
 * {"publicKey":{"hint":"<b64 sha256 SPKI DER>"}},"messageSignature":{"messageDigest":
 * {"algorithm":"SHA2_256","digest":"<b64>"},"signature":"<b64>"}}. key gives the hint.
 * *out is malloc'd, NUL-terminated, no trailing newline.
 */
int sign_bundle_write_message(char **out, size_t *out_len, const struct sign_key *key,
                              const struct sign_blob_digest *digest, const unsigned char *sig,
                              size_t sig_len, struct vouch_error *err);

/**
 * Write a v0.3 DSSE bundle: as above with "dsseEnvelope":{"payload":"<b64>","payloadType":
 * "…","signatures":[{"sig":"<b64>"}]} (protobuf-JSON order; "keyid" only when non-empty).
 */
int sign_bundle_write_dsse(char **out, size_t *out_len, const struct sign_key *key,
                           const struct sign_dsse *env, struct vouch_error *err);

/** The payload type of in-toto statements in DSSE. */
#define SIGN_INTOTO_PAYLOAD_TYPE "application/vnd.in-toto+json"

/**
 * Sign the in-toto statement (len bytes of JSON) with key into a compact DSSE envelope
 * (sign_dsse_write) when as_bundle is 0, or a v0.3 bundle holding that envelope
 * (sign_bundle_write_dsse) when it is 1. *out is malloc'd.
 */
int sign_bundle_sign_statement(char **out, size_t *out_len, const char *statement, size_t len,
                               const struct sign_key *key, int as_bundle, struct vouch_error *err);

/** Free a bundle; accepts NULL. */
void sign_bundle_free(struct sign_bundle *b);

#endif
