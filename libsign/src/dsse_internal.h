/* DSSE internals shared with the sigstore bundle reader and writer. */
#ifndef SIGN_DSSE_INTERNAL_H
#define SIGN_DSSE_INTERNAL_H

#include <jansson.h>

#include "sign/dsse.h"
#include "vouch/buf.h"

/** One signature: keyid ("" when absent) and raw signature bytes. */
struct dsse_sig {
    char *keyid;
    unsigned char *sig;
    size_t sig_len;
};

struct sign_dsse {
    char *payload_type;
    unsigned char *payload; /* decoded; NUL-terminated, the NUL not counted */
    size_t payload_len;
    struct dsse_sig *sigs;
    size_t nsigs;
};

/** Parse an envelope from an already-decoded JSON object (e.g. a bundle's dsseEnvelope). */
int dsse_from_json(struct sign_dsse **out, const json_t *obj, struct vouch_error *err);

/**
 * Append env as a sigstore bundle dsseEnvelope (protobuf-JSON field order, as cosign v3):
 * {"payload":"…","payloadType":"…","signatures":[{"sig":"…"}]} with "keyid" only when
 * non-empty.
 */
int dsse_write_proto(struct vouch_buf *b, const struct sign_dsse *env, struct vouch_error *err);

#endif
