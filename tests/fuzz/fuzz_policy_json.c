/* Admission policies written in JSON (jansson) through slsa_policy_parse and eval. */
#include "fuzz_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_policy(data, size, "fuzz.json");
    return 0;
}
