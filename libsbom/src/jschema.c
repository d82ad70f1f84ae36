/* JSON Schema validation (draft-07; prefixItems/$defs/dependentRequired of 2019-09 and
 * 2020-12) for the SBOM schemas. A probe mode (no problem list) answers "valid?" for
 * anyOf/oneOf/not/if/contains and stops at the first failure. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jschema_internal.h"
#include "vouch/mem.h"

#define JS_MAX_DEPTH 512 /* schema applications on one path (instance nesting) */
#define JS_PTR_MAX 512

struct js_run {
    struct js_set *set;
    struct js_problems *out; /* NULL: probe */
    struct vouch_error *err;
    int fatal;
    int depth;
    char ptr[JS_PTR_MAX];
    size_t plen;
};

/* invalid: record (outside probes) and return 0 */
__attribute__((format(printf, 2, 3))) static int fail(struct js_run *r, const char *fmt, ...)
{
    char buf[400];
    va_list ap;
    if (r->out != NULL) {
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        if (js_problem_add(r->out, r->plen ? r->ptr : "", "%s", buf) != 0 && !r->fatal) {
            r->fatal = vouch_enomem(r->err);
        }
    }
    return 0;
}

/* the schema itself is unusable (reported once): "<what> '<subject>'" */
static int schema_error(struct js_run *r, const char *what, const char *subject)
{
    if (!r->fatal) {
        r->fatal = vouch_error_set(r->err, VOUCH_EPARSE, "schema: %s '%.100s'", what, subject);
    }
    return 0;
}

/* ---- JSON pointer of the instance: push a segment, pop by restoring the length */

static size_t ptr_push(struct js_run *r, const char *seg)
{
    size_t old = r->plen;
    if (r->plen + 1 < JS_PTR_MAX) {
        r->ptr[r->plen++] = '/';
    }
    for (const char *c = seg; *c != '\0' && r->plen + 2 < JS_PTR_MAX; c++) {
        if (*c == '~' || *c == '/') {
            r->ptr[r->plen++] = '~';
            r->ptr[r->plen++] = *c == '~' ? '0' : '1';
        } else {
            r->ptr[r->plen++] = *c;
        }
    }
    r->ptr[r->plen] = '\0';
    return old;
}

static size_t ptr_push_index(struct js_run *r, size_t i)
{
    char b[24];
    snprintf(b, sizeof(b), "%zu", i);
    return ptr_push(r, b);
}

static void ptr_pop(struct js_run *r, size_t old)
{
    r->plen = old;
    r->ptr[old] = '\0';
}

/* ---- regexes (ECMA-262 patterns through PCRE2, unanchored as the spec says) */

static pcre2_code *regex_of(struct js_run *r, const void *id, const char *pat)
{
    struct js_set *s = r->set;
    int ecode;
    PCRE2_SIZE eoff;
    pcre2_code *re;
    for (size_t i = 0; i < s->nrx; i++) {
        if (s->rx[i].id == id) {
            return (pcre2_code *)s->rx[i].re;
        }
    }
    re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_DOLLAR_ENDONLY,
                       &ecode, &eoff, NULL);
    if (re == NULL) {
        schema_error(r, "pattern does not compile:", pat);
        return NULL;
    }
    if (s->nrx == s->caprx) {
        size_t cap = s->caprx ? s->caprx * 2 : 32;
        struct js_regex *v = realloc(s->rx, cap * sizeof(*v));
        if (v == NULL) {
            pcre2_code_free(re);
            r->fatal = vouch_enomem(r->err);
            return NULL;
        }
        s->rx = v;
        s->caprx = cap;
    }
    s->rx[s->nrx++] = (struct js_regex){id, re};
    return re;
}

static int regex_match(struct js_run *r, const void *id, const char *pat, const char *s, size_t n)
{
    pcre2_code *re = regex_of(r, id, pat);
    if (re == NULL) {
        return 1; /* the schema error is reported once; do not pile up problems */
    }
    if (r->set->md == NULL && (r->set->md = pcre2_match_data_create(4, NULL)) == NULL) {
        return 1;
    }
    return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, (pcre2_match_data *)r->set->md, NULL) >= 0;
}

/* ---- keywords */

static int v_node(struct js_run *r, const json_t *doc, const json_t *sch, const json_t *inst);

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    default:
        return "null";
    }
}

/* an integral double (no libm: the libraries link nothing they do not need) */
static int whole(double x)
{
    return x > -9e18 && x < 9e18 && (double)(long long)x == x;
}

static int type_is(const json_t *v, const char *t)
{
    if (strcmp(t, "number") == 0) {
        return json_is_number(v);
    }
    if (strcmp(t, "integer") == 0) {
        return json_is_integer(v) || (json_is_real(v) && whole(json_real_value(v)));
    }
    return strcmp(type_name(v), t) == 0;
}

static int v_type(struct js_run *r, const json_t *t, const json_t *inst)
{
    const json_t *e;
    size_t i;
    if (json_is_string(t)) {
        return type_is(inst, json_string_value(t))
                   ? 1
                   : fail(r, "is %s, not %s", type_name(inst), json_string_value(t));
    }
    json_array_foreach(t, i, e)
    {
        if (json_is_string(e) && type_is(inst, json_string_value(e))) {
            return 1;
        }
    }
    return fail(r, "is %s, not one of the allowed types", type_name(inst));
}

static int v_enum(struct js_run *r, const json_t *en, const json_t *inst)
{
    const struct js_enum *fast =
        json_is_string(inst) && json_array_size(en) > 8 ? js_enum_strings(r->set, en) : NULL;
    const json_t *e;
    size_t i;
    if (fast != NULL) {
        const char *key = json_string_value(inst);
        /* a string with a NUL inside never equals a listed one: compare lengths too */
        if (strlen(key) == json_string_length(inst) &&
            bsearch(&key, fast->v, fast->n, sizeof(*fast->v), js_cmp_cstr) != NULL) {
            return 1;
        }
    } else {
        json_array_foreach(en, i, e)
        {
            if (json_equal(e, inst)) {
                return 1;
            }
        }
    }
    if (json_is_string(inst)) {
        return fail(r, "'%.80s' is not one of the allowed values", json_string_value(inst));
    }
    return fail(r, "is not one of the allowed values");
}

static size_t utf8_len(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        k += ((unsigned char)s[i] & 0xc0) != 0x80;
    }
    return k;
}

static int v_string(struct js_run *r, const json_t *sch, const json_t *inst)
{
    const char *s = json_string_value(inst);
    size_t n = json_string_length(inst), len = utf8_len(s, n);
    const json_t *k;
    int ok = 1;
    if ((k = json_object_get(sch, "minLength")) != NULL &&
        (json_int_t)len < json_integer_value(k)) {
        ok = fail(r, "is shorter than %lld characters", (long long)json_integer_value(k));
    }
    if ((k = json_object_get(sch, "maxLength")) != NULL &&
        (json_int_t)len > json_integer_value(k)) {
        ok = fail(r, "is longer than %lld characters", (long long)json_integer_value(k));
    }
    if ((k = json_object_get(sch, "pattern")) != NULL && json_is_string(k) &&
        !regex_match(r, k, json_string_value(k), s, n)) {
        ok = fail(r, "'%.80s' does not match the pattern '%.80s'", s, json_string_value(k));
    }
    if ((k = json_object_get(sch, "format")) != NULL && json_is_string(k) &&
        !js_format_ok(json_string_value(k), s)) {
        ok = fail(r, "'%.80s' is not a valid %s", s, json_string_value(k));
    }
    return ok;
}

static int v_number(struct js_run *r, const json_t *sch, const json_t *inst)
{
    double x = json_number_value(inst);
    const json_t *k;
    int ok = 1;
    if ((k = json_object_get(sch, "minimum")) != NULL && x < json_number_value(k)) {
        ok = fail(r, "is less than %g", json_number_value(k));
    }
    if ((k = json_object_get(sch, "maximum")) != NULL && x > json_number_value(k)) {
        ok = fail(r, "is greater than %g", json_number_value(k));
    }
    if ((k = json_object_get(sch, "exclusiveMinimum")) != NULL && json_is_number(k) &&
        x <= json_number_value(k)) {
        ok = fail(r, "is not greater than %g", json_number_value(k));
    }
    if ((k = json_object_get(sch, "exclusiveMaximum")) != NULL && json_is_number(k) &&
        x >= json_number_value(k)) {
        ok = fail(r, "is not less than %g", json_number_value(k));
    }
    if ((k = json_object_get(sch, "multipleOf")) != NULL && json_number_value(k) > 0) {
        double q = x / json_number_value(k);
        double frac = q - (double)(long long)q;
        if (q > 9e18 || q < -9e18 || (frac > 1e-9 && frac < 1 - 1e-9) ||
            (frac < -1e-9 && frac > -1 + 1e-9)) {
            ok = fail(r, "is not a multiple of %g", json_number_value(k));
        }
    }
    return ok;
}

static int v_items(struct js_run *r, const json_t *doc, const json_t *sch, const json_t *inst)
{
    const json_t *items = json_object_get(sch, "items"),
                 *prefix = json_object_get(sch, "prefixItems");
    const json_t *extra = json_object_get(sch, "additionalItems"), *e;
    size_t i, from = 0;
    int ok = 1;
    if (json_is_array(items)) { /* draft-07 tuple form */
        prefix = items;
        items = extra;
    }
    json_array_foreach(inst, i, e)
    {
        const json_t *s = json_is_array(prefix) && i < json_array_size(prefix)
                              ? json_array_get(prefix, i)
                              : items;
        size_t old;
        if (s == NULL) {
            continue;
        }
        old = ptr_push_index(r, i);
        ok &= v_node(r, doc, s, e);
        ptr_pop(r, old);
        if (!ok && r->out == NULL) {
            return 0;
        }
        from = i + 1;
    }
    (void)from;
    return ok;
}

static int v_array(struct js_run *r, const json_t *doc, const json_t *sch, const json_t *inst)
{
    const json_t *k, *e;
    size_t n = json_array_size(inst), i;
    int ok = v_items(r, doc, sch, inst);
    if ((k = json_object_get(sch, "minItems")) != NULL && (json_int_t)n < json_integer_value(k)) {
        ok = fail(r, "has fewer than %lld items", (long long)json_integer_value(k));
    }
    if ((k = json_object_get(sch, "maxItems")) != NULL && (json_int_t)n > json_integer_value(k)) {
        ok = fail(r, "has more than %lld items", (long long)json_integer_value(k));
    }
    if (json_is_true(json_object_get(sch, "uniqueItems"))) {
        size_t a = 0, b = 0;
        int dup = js_first_duplicate(inst, &a, &b);
        if (dup < 0 && !r->fatal) {
            r->fatal = vouch_enomem(r->err);
        }
        ok = dup > 0 ? fail(r, "items %zu and %zu are equal (uniqueItems)", a, b) : ok;
    }
    if ((k = json_object_get(sch, "contains")) != NULL) {
        struct js_problems *save = r->out;
        int any = 0;
        r->out = NULL;
        json_array_foreach(inst, i, e)
        {
            any = any || v_node(r, doc, k, e);
        }
        r->out = save;
        ok = any ? ok : fail(r, "has no item that matches 'contains'");
    }
    return ok;
}

static int v_prop(struct js_run *r, const json_t *doc, const json_t *sch, const char *key,
                  const json_t *val)
{
    const json_t *props = json_object_get(sch, "properties");
    json_t *pats = json_object_get(sch, "patternProperties");
    const json_t *add = json_object_get(sch, "additionalProperties"), *ps;
    json_t *pat;
    const char *pk;
    size_t old = ptr_push(r, key);
    int ok = 1, matched = 0;
    if ((ps = json_object_get(props, key)) != NULL) {
        matched = 1;
        ok &= v_node(r, doc, ps, val);
    }
    json_object_foreach(pats, pk, pat)
    {
        if (regex_match(r, pk, pk, key, strlen(key))) {
            matched = 1;
            ok &= v_node(r, doc, pat, val);
        }
    }
    if (!matched && add != NULL) {
        if (json_is_false(add)) {
            ok = fail(r, "is not an allowed property");
        } else {
            ok &= v_node(r, doc, add, val);
        }
    }
    ptr_pop(r, old);
    return ok;
}

static int v_object(struct js_run *r, const json_t *doc, const json_t *sch, const json_t *inst)
{
    const json_t *req = json_object_get(sch, "required"), *k, *e, *deps;
    const char *key;
    json_t *val;
    size_t i;
    int ok = 1;
    json_array_foreach(req, i, e)
    {
        if (json_is_string(e) && json_object_get(inst, json_string_value(e)) == NULL) {
            ok = fail(r, "required property '%s' is missing", json_string_value(e));
            if (r->out == NULL) {
                return 0;
            }
        }
    }
    if ((k = json_object_get(sch, "minProperties")) != NULL &&
        (json_int_t)json_object_size(inst) < json_integer_value(k)) {
        ok = fail(r, "has fewer than %lld properties", (long long)json_integer_value(k));
    }
    if ((k = json_object_get(sch, "maxProperties")) != NULL &&
        (json_int_t)json_object_size(inst) > json_integer_value(k)) {
        ok = fail(r, "has more than %lld properties", (long long)json_integer_value(k));
    }
    deps = json_object_get(sch, "dependentRequired");
    if (deps == NULL) {
        deps = json_object_get(sch, "dependencies");
    }
    json_object_foreach((json_t *)inst, key, val)
    {
        const json_t *pn = json_object_get(sch, "propertyNames"), *d = json_object_get(deps, key);
        if (r->out == NULL && !ok) {
            return 0;
        }
        ok &= v_prop(r, doc, sch, key, val);
        if (pn != NULL) {
            json_t *name = json_string(key);
            size_t old = ptr_push(r, key);
            ok &= name == NULL || v_node(r, doc, pn, name);
            ptr_pop(r, old);
            json_decref(name);
        }
        json_array_foreach(d, i, e)
        {
            if (json_is_string(e) && json_object_get(inst, json_string_value(e)) == NULL) {
                ok = fail(r, "property '%s' requires '%s'", key, json_string_value(e));
            }
        }
        if (json_is_object(d)) {
            ok &= v_node(r, doc, d, inst);
        }
    }
    return ok;
}

/* probe: does inst validate against s? (no problems recorded) */
static int probe(struct js_run *r, const json_t *doc, const json_t *s, const json_t *inst)
{
    struct js_problems *save = r->out;
    int ok;
    r->out = NULL;
    ok = v_node(r, doc, s, inst);
    r->out = save;
    return ok;
}

static int v_combinators(struct js_run *r, const json_t *doc, const json_t *sch, const json_t *inst)
{
    const json_t *k, *e;
    size_t i, hits = 0;
    int ok = 1;
    json_array_foreach(json_object_get(sch, "allOf"), i, e)
    {
        ok &= v_node(r, doc, e, inst);
    }
    if ((k = json_object_get(sch, "anyOf")) != NULL) {
        int any = 0;
        json_array_foreach(k, i, e)
        {
            if ((any = probe(r, doc, e, inst)) != 0) {
                break;
            }
        }
        ok = any ? ok : fail(r, "matches none of the anyOf alternatives");
    }
    if ((k = json_object_get(sch, "oneOf")) != NULL) {
        json_array_foreach(k, i, e)
        {
            hits += (size_t)probe(r, doc, e, inst);
        }
        ok = hits == 1 ? ok
                       : fail(r, "matches %zu of the oneOf alternatives, not exactly one", hits);
    }
    if ((k = json_object_get(sch, "not")) != NULL && probe(r, doc, k, inst)) {
        ok = fail(r, "matches a schema it must not ('not')");
    }
    if ((k = json_object_get(sch, "if")) != NULL) {
        const json_t *then = json_object_get(sch, probe(r, doc, k, inst) ? "then" : "else");
        ok &= then == NULL || v_node(r, doc, then, inst);
    }
    return ok;
}

static int v_node(struct js_run *r, const json_t *doc, const json_t *sch, const json_t *inst)
{
    const json_t *k;
    int ok = 1;
    if (r->fatal) {
        return 1;
    }
    if (json_is_boolean(sch)) {
        return json_is_true(sch) ? 1 : fail(r, "is not allowed here");
    }
    if (!json_is_object(sch)) {
        return 1;
    }
    if (r->depth >= JS_MAX_DEPTH) {
        return fail(r, "nests deeper than %d schema levels", JS_MAX_DEPTH);
    }
    r->depth++;
    if ((k = json_object_get(sch, "$ref")) != NULL && json_is_string(k)) {
        const json_t *rdoc = doc,
                     *target = js_resolve_ref(r->set, doc, json_string_value(k), &rdoc);
        ok = target == NULL ? schema_error(r, "unresolvable $ref", json_string_value(k))
                            : v_node(r, rdoc, target, inst);
    }
    if ((k = json_object_get(sch, "type")) != NULL && !v_type(r, k, inst)) {
        r->depth--;
        return 0; /* the other keywords would only repeat the type problem */
    }
    if ((k = json_object_get(sch, "enum")) != NULL) {
        ok &= v_enum(r, k, inst);
    }
    if ((k = json_object_get(sch, "const")) != NULL && !json_equal(k, inst)) {
        ok = fail(r, "is not the required constant value");
    }
    if (json_is_string(inst)) {
        ok &= v_string(r, sch, inst);
    } else if (json_is_number(inst)) {
        ok &= v_number(r, sch, inst);
    } else if (json_is_array(inst)) {
        ok &= v_array(r, doc, sch, inst);
    } else if (json_is_object(inst)) {
        ok &= v_object(r, doc, sch, inst);
    }
    if (ok || r->out != NULL) {
        ok &= v_combinators(r, doc, sch, inst);
    }
    r->depth--;
    return ok;
}

int js_validate(struct js_problems *out, const struct js_set *s, const char *root_name,
                const json_t *instance, struct vouch_error *err)
{
    struct js_run r = {.set = (struct js_set *)s, .out = out, .err = err};
    const json_t *root = js_set_get(s, root_name);
    if (root == NULL) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "schema '%s' is not installed", root_name);
    }
    v_node(&r, root, root, instance);
    return r.fatal;
}
