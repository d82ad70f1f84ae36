/* ECR lifecycle preview: describe-images output read, the policy applied as ECR applies it
 * ("Lifecycle policy evaluation rules" in the ECR user guide), then cosign's companions
 * (sha256-<hex>.sig/.att/.sbom) matched to their subjects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lifecycle_internal.h"
#include "vouch/time.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define LC_MAX_IMAGES 1000000

struct slsa_lc_plan {
    json_t *root; /* the describe-images document: owns every string */
    struct slsa_lc_entry *e;
    const char **tags; /* backing store of every entry's tag list */
    size_t n;
    char (*subjects)[72]; /* "sha256:<hex>" per companion */
};

int lc_pattern_match(const char *pat, const char *tag)
{
    const char *star = NULL, *resume = NULL;
    while (*tag != '\0') {
        if (*pat == '*') {
            star = pat++;
            resume = tag;
        } else if (*pat == *tag) {
            pat++;
            tag++;
        } else if (star != NULL) {
            pat = star + 1;
            tag = ++resume;
        } else {
            return 0;
        }
    }
    while (*pat == '*') {
        pat++;
    }
    return *pat == '\0';
}

/* ISO 8601 as AWS CLI v2 prints it (2024-03-01T10:15:02.123000+00:00, or Z), or epoch
 * seconds as AWS CLI v1 and the API do. */
static int parse_time(const json_t *v, int64_t *out)
{
    if (json_is_number(v)) {
        *out = (int64_t)json_number_value(v);
        return 0;
    }
    return json_is_string(v) ? vouch_time_parse_rfc3339(out, json_string_value(v)) : -1;
}

/* sha256-<64 hex>.sig|.att|.sbom */
static enum slsa_lc_role companion(const char *tag, char subject[72])
{
    static const struct {
        const char *suffix;
        enum slsa_lc_role role;
    } rows[] = {{".sig", SLSA_LC_SIG}, {".att", SLSA_LC_ATT}, {".sbom", SLSA_LC_SBOM}};
    if (strncmp(tag, "sha256-", 7) != 0 || strspn(tag + 7, "0123456789abcdef") != 64) {
        return SLSA_LC_IMAGE;
    }
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (strcmp(tag + 71, rows[i].suffix) == 0) {
            snprintf(subject, 72, "sha256:%.64s", tag + 7);
            return rows[i].role;
        }
    }
    return SLSA_LC_IMAGE;
}

static int read_entry(struct slsa_lc_plan *pl, size_t i, const json_t *img, size_t *used,
                      struct vouch_error *err)
{
    struct slsa_lc_entry *e = &pl->e[i];
    const json_t *tags = json_object_get(img, "imageTags"), *t;
    size_t j;
    e->digest = json_string_value(json_object_get(img, "imageDigest"));
    if (e->digest == NULL || parse_time(json_object_get(img, "imagePushedAt"), &e->pushed) != 0) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "imageDetails[%zu] has no imageDigest or a bad imagePushedAt", i);
    }
    if (tags != NULL && !json_is_array(tags)) {
        return vouch_error_set(err, VOUCH_EPARSE, "imageDetails[%zu].imageTags is not a list", i);
    }
    e->tags = pl->tags + *used;
    json_array_foreach(tags, j, t)
    {
        if (!json_is_string(t)) {
            return vouch_error_set(err, VOUCH_EPARSE, "imageDetails[%zu] has a non-string tag", i);
        }
        pl->tags[(*used)++] = json_string_value(t);
        if (e->role == SLSA_LC_IMAGE) {
            e->role = companion(json_string_value(t), pl->subjects[i]);
            e->subject = e->role != SLSA_LC_IMAGE ? pl->subjects[i] : NULL;
        }
    }
    e->n_tags = json_array_size(tags);
    return 0;
}

static int read_images(struct slsa_lc_plan *pl, struct vouch_error *err)
{
    const json_t *list = json_object_get(pl->root, "imageDetails"), *img;
    size_t i, ntags = 0, used = 0;
    int rc = 0;
    if (!json_is_array(list) || json_array_size(list) > LC_MAX_IMAGES) {
        return vouch_error_set(err, VOUCH_EPARSE, "'imageDetails' is not a list of images");
    }
    if (json_object_get(pl->root, "nextToken") != NULL) {
        return vouch_error_set(err, VOUCH_EPARSE,
                               "one page of a paginated answer (nextToken): list every image");
    }
    json_array_foreach(list, i, img)
    {
        ntags += json_array_size(json_object_get(img, "imageTags"));
    }
    pl->n = json_array_size(list);
    pl->e = calloc(pl->n + 1, sizeof(*pl->e));
    pl->tags = calloc(ntags + 1, sizeof(*pl->tags));
    pl->subjects = calloc(pl->n + 1, sizeof(*pl->subjects));
    if (pl->e == NULL || pl->tags == NULL || pl->subjects == NULL) {
        return vouch_enomem(err);
    }
    json_array_foreach(list, i, img)
    {
        rc = rc ? rc : read_entry(pl, i, img, &used, err);
    }
    return rc;
}

/* Every prefix (pattern) is matched by at least one tag ("only the images with all
 * specified tags are selected"). */
static int selects(const struct lc_rule *r, const struct slsa_lc_entry *e)
{
    if (r->status == LC_ANY) {
        return 1;
    }
    if (r->status == LC_UNTAGGED || e->n_tags == 0) {
        return r->status == LC_UNTAGGED && e->n_tags == 0;
    }
    for (size_t k = 0; k < r->n_prefixes + r->n_patterns; k++) {
        int hit = 0;
        for (size_t t = 0; t < e->n_tags && !hit; t++) {
            hit = k < r->n_prefixes
                      ? strncmp(e->tags[t], r->prefixes[k], strlen(r->prefixes[k])) == 0
                      : lc_pattern_match(r->patterns[k - r->n_prefixes], e->tags[t]);
        }
        if (!hit) {
            return 0;
        }
    }
    return 1;
}

/* newest first; ties by digest so the result does not depend on qsort */
static int by_pushed_desc(const void *a, const void *b)
{
    const struct slsa_lc_entry *x = *(struct slsa_lc_entry *const *)a;
    const struct slsa_lc_entry *y = *(struct slsa_lc_entry *const *)b;
    if (x->pushed != y->pushed) {
        return x->pushed < y->pushed ? 1 : -1;
    }
    return strcmp(x->digest, y->digest);
}

static void apply_rule(struct slsa_lc_plan *pl, const struct lc_rule *r, unsigned char *matched,
                       struct slsa_lc_entry **order, int64_t now)
{
    size_t kept = 0;
    for (size_t k = 0; k < pl->n; k++) {
        struct slsa_lc_entry *e = order[k];
        size_t i = (size_t)(e - pl->e);
        int expire;
        if (!selects(r, e)) {
            continue;
        }
        if (r->count == LC_COUNT_MORE_THAN) {
            expire = ++kept > (size_t)r->number;
        } else {
            expire = e->pushed < now - r->number * 86400;
        }
        if (expire && !matched[i] && !e->expired) {
            e->expired = 1;
            e->rule = r->priority;
        }
        matched[i] = 1;
    }
}

static void link_companions(struct slsa_lc_plan *pl)
{
    for (size_t i = 0; i < pl->n; i++) {
        struct slsa_lc_entry *c = &pl->e[i];
        const struct slsa_lc_entry *s = NULL;
        if (c->role == SLSA_LC_IMAGE) {
            continue;
        }
        for (size_t j = 0; j < pl->n && s == NULL; j++) {
            s = strcmp(pl->e[j].digest, c->subject) == 0 ? &pl->e[j] : NULL;
        }
        c->orphaned = s == NULL || s->expired;
        c->breaks = s != NULL && !s->expired && c->expired;
    }
}

int slsa_lifecycle_preview(struct slsa_lc_plan **out, const struct slsa_lifecycle *p,
                           const char *images, size_t len, const char *name, int64_t now,
                           struct vouch_error *err)
{
    struct slsa_lc_plan *pl = calloc(1, sizeof(*pl));
    unsigned char *matched = NULL;
    struct slsa_lc_entry **order = NULL;
    json_error_t jerr;
    int rc;
    *out = NULL;
    if (pl == NULL) {
        return vouch_enomem(err);
    }
    pl->root = vouch_json_load(images, len, 0, &jerr);
    rc = pl->root == NULL ? vouch_error_set(err, VOUCH_EPARSE, "invalid JSON at line %d: %s",
                                            jerr.line, jerr.text)
                          : read_images(pl, err);
    if (rc == 0) {
        matched = calloc(pl->n + 1, 1);
        order = calloc(pl->n + 1, sizeof(*order));
        rc = matched == NULL || order == NULL ? vouch_enomem(err) : 0;
    }
    if (rc == 0) {
        for (size_t i = 0; i < pl->n; i++) {
            order[i] = &pl->e[i];
        }
        qsort(order, pl->n, sizeof(*order), by_pushed_desc);
        for (size_t k = 0; k < p->n; k++) {
            apply_rule(pl, &p->r[k], matched, order, now);
        }
        link_companions(pl);
    }
    free(matched);
    free(order);
    if (rc != 0) {
        vouch_error_prefix(err, "'%s': ", name);
        slsa_lc_plan_free(pl);
        return rc;
    }
    *out = pl;
    return 0;
}

void slsa_lc_plan_free(struct slsa_lc_plan *pl)
{
    if (pl == NULL) {
        return;
    }
    json_decref(pl->root);
    free(pl->e);
    free(pl->tags);
    free(pl->subjects);
    free(pl);
}

size_t slsa_lc_plan_count(const struct slsa_lc_plan *pl)
{
    return pl->n;
}

const struct slsa_lc_entry *slsa_lc_plan_at(const struct slsa_lc_plan *pl, size_t i)
{
    return i < pl->n ? &pl->e[i] : NULL;
}

const char *slsa_lc_role_name(enum slsa_lc_role role)
{
    static const char *names[] = {"image", "signature", "attestation", "sbom"};
    return (unsigned)role <= SLSA_LC_SBOM ? names[role] : "image";
}
