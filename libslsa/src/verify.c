/* Attestation verification: DSSE signature, payload type, statement, predicate type and
 * subject (slsa spec/verifying-artifacts.md steps 1-3), then the provenance checks in
 * verify_provenance.c. Fail closed: rc starts as VOUCH_EVERIFY. */
#include <stdlib.h>
#include <string.h>

#include "slsa/verify.h"
#include "statement_internal.h"
#include "verify_internal.h"

int slsa_statement_check(const struct slsa_statement *st, const struct slsa_expect *exp,
                         struct vouch_error *err)
{
    int rc = VOUCH_EVERIFY;
    if (exp->predicate_type == NULL || exp->subject == NULL) {
        return vouch_error_set(err, VOUCH_EINVAL, "no predicate type or subject to check");
    }
    if (strcmp(st->predicate_type, exp->predicate_type) != 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "predicateType '%.100s' is not '%.100s'",
                               st->predicate_type, exp->predicate_type);
    }
    rc = slsa_statement_match_digest(st, exp->subject->alg, exp->subject->hex, err);
    if (rc != 0) {
        return rc;
    }
    return verify_provenance(st, exp, err);
}

static int check_envelope(unsigned char **payload, size_t *len, const struct sign_dsse *env,
                          const struct sign_key *key, struct vouch_error *err)
{
    const struct sign_key *keys[1] = {key};
    const char *type;
    int rc;
    if (sign_dsse_sig_count(env) == 0) {
        return vouch_error_set(err, VOUCH_EVERIFY, "envelope has no signatures");
    }
    rc = sign_dsse_verify(payload, len, env, keys, 1, 1, err);
    if (rc != 0) {
        return rc;
    }
    /* cosign and slsa-verifier accept only the generic in-toto type; the spec says not to
     * trust the media type as the predicate type anyway. */
    type = sign_dsse_payload_type(env);
    if (strcmp(type, SLSA_PAYLOAD_TYPE) != 0) {
        free(*payload);
        *payload = NULL;
        return vouch_error_set(err, VOUCH_EVERIFY, "payloadType '%.100s' is not '%s'", type,
                               SLSA_PAYLOAD_TYPE);
    }
    return 0;
}

int slsa_attestation_verify(struct slsa_statement **out, const struct sign_dsse *env,
                            const struct sign_key *key, const struct slsa_expect *exp,
                            struct vouch_error *err)
{
    struct slsa_statement *st = NULL;
    unsigned char *payload = NULL;
    size_t len = 0;
    int rc = VOUCH_EVERIFY;
    if (out != NULL) {
        *out = NULL;
    }
    rc = check_envelope(&payload, &len, env, key, err);
    if (rc != 0) {
        goto done;
    }
    rc = slsa_statement_parse(&st, payload, len, err);
    if (rc != 0) {
        vouch_error_prefix(err, "signed statement: ");
        rc = VOUCH_EVERIFY;
        goto done;
    }
    rc = slsa_statement_check(st, exp, err);
    if (rc == 0 && out != NULL) {
        *out = st;
        st = NULL;
    }
done:
    slsa_statement_free(st);
    free(payload);
    return rc;
}
