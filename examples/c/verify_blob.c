/* examples/c/verify_blob.c: verify a cosign sign-blob signature with libvouch-sign.
 *
 *   cc verify_blob.c $(pkg-config --cflags --libs vouch-sign) -o verify_blob
 *   ./verify_blob cosign.pub FILE FILE.sig     # FILE.sig: base64, as cosign sign-blob writes
 *
 * Prints "Verified OK" and exits 0, or prints why and exits 1 (rejected) or 2 (bad input).
 * Uses only the public headers. */
#include <stdio.h>
#include <stdlib.h>

#include <sign/blob.h>
#include <sign/key.h>
#include <vouch/encoding.h>
#include <vouch/error.h>
#include <vouch/io.h>

int main(int argc, char **argv)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    unsigned char *pem = NULL, *b64 = NULL, *sig = NULL;
    size_t pem_len = 0, b64_len = 0, sig_len = 0;
    int rc;
    if (argc != 4) {
        fprintf(stderr, "usage: %s KEY.pub FILE SIGNATURE\n", argv[0]);
        return 2;
    }
    rc = vouch_file_read(&pem, &pem_len, argv[1], 64 << 10, &err);
    if (rc == 0) {
        rc = sign_key_load_public(&key, pem, pem_len, argv[1], &err);
    }
    if (rc == 0) {
        rc = vouch_file_read(&b64, &b64_len, argv[3], 64 << 10, &err);
    }
    if (rc == 0) {
        rc = vouch_base64_decode(&sig, &sig_len, (const char *)b64, b64_len, &err);
    }
    if (rc == 0) {
        rc = sign_blob_verify(NULL, key, argv[2], NULL, sig, sig_len, &err);
    }
    if (rc == 0) {
        printf("Verified OK\n");
    } else {
        fprintf(stderr, "verify_blob: %s\n", err.msg[0] != '\0' ? err.msg : vouch_code_str(rc));
    }
    free(sig);
    free(b64);
    free(pem);
    sign_key_free(key);
    return rc == 0 ? 0 : rc == VOUCH_EVERIFY ? 1 : 2;
}
