/* Decisions as JSON and text. */
#include <string.h>

#include "decision.h"

static json_t *reason_json(const struct slsa_reason *r)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:b, s:s}", "rule", r->rule, "requirement", r->requirement,
                  "mode", slsa_mode_name(r->mode), "passed", r->passed, "message", r->message);
    if (o != NULL && r->signer != NULL) {
        /* keyless: who signed what passed */
        json_object_set_new(o, "signer",
                            json_pack("{s:s, s:s, s:I, s:I}", "identity", r->signer, "issuer",
                                      r->issuer, "logIndex", (json_int_t)r->log_index,
                                      "integratedTime", (json_int_t)r->signed_time));
    }
    return o;
}

json_t *decision_json(const struct slsa_decision *d, const char *input)
{
    json_t *reasons = json_array();
    json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:o}", "image", d->image != NULL ? d->image : "",
                          "input", input, "allowed", d->allowed, "error", d->error, "digest",
                          d->digest != NULL ? json_string(d->digest) : json_null());
    if (o == NULL || reasons == NULL) {
        json_decref(o);
        json_decref(reasons);
        return NULL;
    }
    for (size_t i = 0; i < d->n_reasons; i++) {
        json_array_append_new(reasons, reason_json(&d->reasons[i]));
    }
    json_object_set_new(o, "reasons", reasons);
    return o;
}

static const char *reason_tag(const struct slsa_reason *r)
{
    if (r->passed) {
        return "pass";
    }
    return r->mode == SLSA_MODE_ENFORCE ? "FAIL" : r->mode == SLSA_MODE_WARN ? "warn" : "audit";
}

void decision_print(FILE *fp, const struct slsa_decision *d)
{
    fprintf(fp, "%s %s\n", d->allowed ? "ALLOW" : "DENY", d->image != NULL ? d->image : "?");
    for (size_t i = 0; i < d->n_reasons; i++) {
        const struct slsa_reason *r = &d->reasons[i];
        fprintf(fp, "  %-5s %s/%s: %s\n", reason_tag(r), r->rule, r->requirement, r->message);
    }
}

size_t decision_failures(char *buf, size_t n, const struct slsa_decision *d, enum slsa_mode mode)
{
    size_t used = 0, count = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < d->n_reasons; i++) {
        const struct slsa_reason *r = &d->reasons[i];
        int w;
        if (r->passed || r->mode != mode) {
            continue;
        }
        w = snprintf(buf + used, n - used, "%s%s/%s: %s", count > 0 ? "; " : "", r->rule,
                     r->requirement, r->message);
        count++;
        if (w < 0 || (size_t)w >= n - used) {
            break;
        }
        used += (size_t)w;
    }
    return count;
}
