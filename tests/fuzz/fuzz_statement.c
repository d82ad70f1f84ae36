/* in-toto statements: slsa_statement_parse, the accessors, and the compact and indented
 * writers, whose output must parse back with the same types and subjects. */
#include "fuzz.h"
#include "slsa/statement.h"

static void reparse(const struct slsa_statement *st, int flags)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_statement *again = NULL;
    char *json = NULL;
    size_t len = 0;
    if (slsa_statement_write(&json, &len, st, flags, &err) != 0) {
        return;
    }
    if (slsa_statement_parse(&again, (const unsigned char *)json, len, &err) != 0 ||
        strcmp(slsa_statement_predicate_type(again), slsa_statement_predicate_type(st)) != 0 ||
        slsa_statement_subject_count(again) != slsa_statement_subject_count(st)) {
        fprintf(stderr, "fuzz: written statement does not parse back: %s\n", err.msg);
        abort();
    }
    slsa_statement_free(again);
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_statement *st = NULL;
    char *pred = NULL;
    size_t len = 0;
    int rc = slsa_statement_parse(&st, data, size, &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        return 0;
    }
    (void)slsa_statement_type(st);
    for (size_t i = 0; i < slsa_statement_subject_count(st); i++) {
        (void)slsa_statement_subject_name(st, i);
        const char *hex = slsa_statement_subject_digest(st, i, "sha256");
        if (hex != NULL) {
            rc = slsa_statement_match_digest(st, "sha256", hex, &err);
            fuzz_check_error(rc, &err);
        }
    }
    if (slsa_statement_predicate_json(&pred, &len, st, &err) == 0) {
        free(pred);
    }
    reparse(st, SLSA_JSON_COMPACT);
    reparse(st, SLSA_JSON_INDENT);
    slsa_statement_free(st);
    return 0;
}
