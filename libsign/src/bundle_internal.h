/* Sigstore bundle internals shared by the reader (bundle.c), the verifier (bundle_verify.c)
 * and the writer (bundle_write.c). */
#ifndef SIGN_BUNDLE_INTERNAL_H
#define SIGN_BUNDLE_INTERNAL_H

#include <jansson.h>

#include "sign/bundle.h"

struct sign_bundle {
    int legacy;       /* cosign's old {"base64Signature",…} bundle */
    char *media_type; /* NULL when legacy */
    enum sign_bundle_kind kind;
    enum sign_bundle_material material;
    char *hint;          /* publicKey.hint or NULL */
    unsigned char *cert; /* leaf certificate DER, or (legacy) the decoded "cert" PEM */
    size_t cert_len;
    unsigned char *sig; /* messageSignature.signature / base64Signature */
    size_t sig_len;
    int has_digest;
    struct sign_blob_digest digest;
    struct sign_dsse *dsse;
    json_t *vm;    /* verificationMaterial (a reference), NULL when legacy */
    size_t nchain; /* certificates in x509CertificateChain (0 when a single certificate) */
};

/** protobuf HashAlgorithm name for alg ("SHA2_256"…), or NULL. */
const char *bundle_hash_name(enum sign_hash alg);

#endif
