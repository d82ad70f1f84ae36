/* cosign encrypted private keys (and unencrypted PEM keys) through sign_key_load_private with
 * the password "hello" of cosign's keys_test vectors. Input starting with '{' is the
 * decoded JSON body and is wrapped in the SIGSTORE PEM armor first, so mutations reach the
 * scrypt/secretbox fields directly. Only N in {32768, 65536, 131072} may reach scrypt. */
#include "fuzz.h"
#include "sign/key.h"
#include "vouch/encoding.h"

#define PASSWORD "hello"

static void load(const unsigned char *pem, size_t len)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_key *key = NULL;
    char *pub = NULL;
    size_t pub_len = 0;
    (void)sign_key_needs_password(pem, len);
    int rc = sign_key_load_private(&key, pem, len, PASSWORD, sizeof(PASSWORD) - 1, "fuzz", &err);
    fuzz_check_error(rc, &err);
    if (rc == 0) {
        (void)sign_key_type_name(sign_key_type_of(key));
        if (sign_key_write_public_pem(&pub, &pub_len, key, &err) == 0) {
            free(pub);
        }
    }
    sign_key_free(key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char head[] = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
    static const char tail[] = "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
    char *b64 = NULL;
    if (size == 0 || data[0] != '{') {
        load(data, size);
        return 0;
    }
    if (vouch_base64_encode(&b64, data, size, NULL) == 0) {
        size_t n = strlen(b64), len = sizeof(head) - 1 + n + sizeof(tail) - 1;
        char *pem = malloc(len);
        if (pem != NULL) {
            memcpy(pem, head, sizeof(head) - 1);
            memcpy(pem + sizeof(head) - 1, b64, n);
            memcpy(pem + sizeof(head) - 1 + n, tail, sizeof(tail) - 1);
            load((const unsigned char *)pem, len);
            free(pem);
        }
        free(b64);
    }
    return 0;
}
