/* DSSE signing and k-of-n verification over PAE(payloadType, payload). */
#include <stdlib.h>
#include <string.h>

#include "dsse_internal.h"
#include "vouch/mem.h"

static int dup_bytes(unsigned char **out, const unsigned char *p, size_t n, struct vouch_error *err)
{
    *out = malloc(n + 1);
    if (*out == NULL) {
        return vouch_enomem(err);
    }
    if (n > 0) {
        memcpy(*out, p, n);
    }
    (*out)[n] = '\0';
    return 0;
}

static int env_new(struct sign_dsse **out, const char *payload_type, const unsigned char *payload,
                   size_t payload_len, size_t nsigs, struct vouch_error *err)
{
    struct sign_dsse *env = calloc(1, sizeof(*env));
    int rc = 0;
    *out = NULL;
    if (env == NULL) {
        return vouch_enomem(err);
    }
    env->payload_type = strdup(payload_type);
    env->sigs = calloc(nsigs, sizeof(*env->sigs));
    if (env->payload_type == NULL || env->sigs == NULL) {
        rc = vouch_enomem(err);
    }
    if (rc == 0) {
        rc = dup_bytes(&env->payload, payload, payload_len, err);
        env->payload_len = payload_len;
    }
    if (rc != 0) {
        sign_dsse_free(env);
        return rc;
    }
    *out = env;
    return 0;
}

int sign_dsse_sign(struct sign_dsse **out, const char *payload_type, const unsigned char *payload,
                   size_t payload_len, const struct sign_key *const *keys, size_t nkeys,
                   struct vouch_error *err)
{
    struct sign_dsse *env = NULL;
    unsigned char *pae = NULL;
    size_t pae_len = 0;
    int rc;
    *out = NULL;
    if (nkeys == 0 || nkeys > SIGN_DSSE_MAX_SIGS) {
        return vouch_error_set(err, VOUCH_EINVAL, "dsse: need 1 to %d signing keys",
                               SIGN_DSSE_MAX_SIGS);
    }
    rc = env_new(&env, payload_type, payload, payload_len, nkeys, err);
    if (rc == 0) {
        rc = sign_dsse_pae(&pae, &pae_len, payload_type, payload, payload_len, err);
    }
    for (size_t i = 0; rc == 0 && i < nkeys; i++) {
        struct dsse_sig *s = &env->sigs[i];
        rc = sign_key_sign_msg(&s->sig, &s->sig_len, keys[i], sign_key_default_hash(keys[i]), pae,
                               pae_len, err);
        env->nsigs = i + 1;
        if (rc == 0 && (s->keyid = strdup("")) == NULL) {
            rc = vouch_enomem(err);
        }
    }
    free(pae);
    if (rc != 0) {
        sign_dsse_free(env);
        return rc;
    }
    *out = env;
    return 0;
}

/* 1 when some signature of env verifies over pae with key. */
static int key_matches(const struct sign_dsse *env, const struct sign_key *key,
                       const unsigned char *pae, size_t pae_len)
{
    for (size_t i = 0; i < env->nsigs; i++) {
        const struct dsse_sig *s = &env->sigs[i];
        if (sign_key_verify_msg(key, sign_key_default_hash(key), pae, pae_len, s->sig, s->sig_len,
                                NULL) == 0) {
            return 1;
        }
    }
    return 0;
}

/* 1 when keys[k] is the same public key as one of keys[0..k): DSSE counts unique keys. */
static int seen_before(const struct sign_key *const *keys, size_t k)
{
    unsigned char *a = NULL;
    size_t an = 0;
    int seen = 0;
    if (sign_key_public_der(&a, &an, keys[k], NULL) != 0) {
        return 0;
    }
    for (size_t j = 0; j < k && !seen; j++) {
        unsigned char *b = NULL;
        size_t bn = 0;
        if (sign_key_public_der(&b, &bn, keys[j], NULL) == 0) {
            seen = bn == an && memcmp(a, b, an) == 0;
        }
        free(b);
    }
    free(a);
    return seen;
}

int sign_dsse_verify(unsigned char **payload, size_t *payload_len, const struct sign_dsse *env,
                     const struct sign_key *const *keys, size_t nkeys, size_t threshold,
                     struct vouch_error *err)
{
    unsigned char *pae = NULL;
    size_t pae_len = 0;
    size_t good = 0;
    int rc;
    if (payload != NULL) {
        *payload = NULL;
        *payload_len = 0;
    }
    threshold = threshold == 0 ? 1 : threshold;
    if (env->nsigs == 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "dsse envelope has no signatures");
    }
    if (nkeys < threshold) {
        return vouch_error_set(err, VOUCH_EINVAL, "dsse: threshold %zu exceeds the %zu keys given",
                               threshold, nkeys);
    }
    if (sign_dsse_pae(&pae, &pae_len, env->payload_type, env->payload, env->payload_len, err) !=
        0) {
        return VOUCH_ENOMEM;
    }
    /* Count distinct keys, not signatures: one key signing twice, or given twice, must not
     * reach the threshold (protocol.md, multi-signature verification). */
    for (size_t k = 0; k < nkeys; k++) {
        if (!seen_before(keys, k)) {
            good += (size_t)key_matches(env, keys[k], pae, pae_len);
        }
    }
    free(pae);
    if (good < threshold) {
        return vouch_error_set(err, VOUCH_EVERIFY,
                               "dsse signature verification failed: %zu of %zu required keys "
                               "verified",
                               good, threshold);
    }
    rc = 0; /* every check passed */
    if (payload != NULL) {
        rc = dup_bytes(payload, env->payload, env->payload_len, err);
        *payload_len = rc == 0 ? env->payload_len : 0;
    }
    return rc;
}
