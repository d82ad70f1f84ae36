/* Public keys of the seed vectors (testvectors/dsse-spec, sigstore-js, sslib), so that seeds
 * reach the success paths of the verifiers. */
#ifndef VOUCH_FUZZ_KEYS_H
#define VOUCH_FUZZ_KEYS_H

#include "fuzz.h"
#include "sign/key.h"

static const char *const fuzz_key_pems[] = {
    /* testvectors/dsse-spec/spec-key.pub */
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZ805D3eqNZywjCI19lInBJOp7YMr\n"
    "CrzAH3CVTAOQ0jgMeCvVTiaRJaRPRDOv8UMs6U4SvKc6pnrIDOoSYI3fdA==\n"
    "-----END PUBLIC KEY-----\n",
    /* testvectors/sigstore-js/key.pub */
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEmkW8XmDrcrv0ms2fuAl/9uZI7QTl\n"
    "kR4QfCAzwnCcUCFZoUgZE3WyilBlbYKO2Wq+z+NDQNP/3V8oS4/4HDCh9A==\n"
    "-----END PUBLIC KEY-----\n",
    /* testvectors/sslib/sslib-key.pub */
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPRXtd5SJ9dtEMSe5JZbRZYyrH0S+\n"
    "9HtdwpfKBrWpRnS56z5gTHxi2j09yjUMPL9LKMYn6LeEPGMMPrGgPUc7hg==\n"
    "-----END PUBLIC KEY-----\n",
};

#define FUZZ_NKEYS (sizeof(fuzz_key_pems) / sizeof(fuzz_key_pems[0]))

/** The keys above, loaded once (kept for the process lifetime). */
static inline const struct sign_key *const *fuzz_keys(void)
{
    static const struct sign_key *keys[FUZZ_NKEYS];
    static int loaded;
    if (!loaded) {
        for (size_t i = 0; i < FUZZ_NKEYS; i++) {
            struct sign_key *k = NULL;
            const char *pem = fuzz_key_pems[i];
            if (sign_key_load_public(&k, (const unsigned char *)pem, strlen(pem), "seed", NULL) !=
                0) {
                abort();
            }
            keys[i] = k;
        }
        loaded = 1;
    }
    return keys;
}

#endif
