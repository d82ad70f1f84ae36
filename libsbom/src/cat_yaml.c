/* YAML lockfiles (yarn berry, pnpm) read with libyaml into a jansson tree, so their
 * catalogers walk them like the JSON ones: mappings become objects, sequences arrays and
 * every scalar a string (lockfiles are text: "1.10" stays "1.10"). Aliases are refused (no
 * expansion bombs), nesting and the number of nodes are capped; only the first document is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat_internal.h"

#ifdef VOUCH_HAVE_YAML
#include <yaml.h>

#define YAML_DEPTH 64
#define YAML_NODES ((size_t)4 << 20) /* about 100 bytes each in memory */

struct yframe {
    json_t *c; /* borrowed: owned by its parent (or the root) */
    char *key; /* pending key of a mapping, or NULL */
};

struct ytree {
    struct yframe st[YAML_DEPTH];
    size_t n;
    size_t nodes;
    json_t *root;
    char why[128];
};

/* Place v (a new reference) in the innermost container, or make it the root. */
static int yplace(struct ytree *t, json_t *v, const yaml_event_t *ev)
{
    struct yframe *f = t->n > 0 ? &t->st[t->n - 1] : NULL;
    int bad;
    if (f == NULL) {
        if (t->root == NULL) {
            t->root = v;
            return 0;
        }
        json_decref(v);
        return 0;
    }
    if (json_is_array(f->c)) {
        return json_array_append_new(f->c, v) == 0 ? 0 : -1;
    }
    if (f->key == NULL) {
        if (ev->type != YAML_SCALAR_EVENT) {
            json_decref(v);
            snprintf(t->why, sizeof(t->why), "line %zu: a key that is not a string",
                     ev->start_mark.line + 1);
            return -1;
        }
        json_decref(v);
        f->key = util_strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        return f->key != NULL ? 0 : -1;
    }
    bad = json_object_set_new(f->c, f->key, v);
    free(f->key);
    f->key = NULL;
    return bad == 0 ? 0 : -1;
}

/* One event: 1 at the end of the first document, 0 to go on, -1 on error. */
static int yevent(struct ytree *t, const yaml_event_t *ev)
{
    json_t *v = NULL;
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_END_EVENT:
        return 1;
    case YAML_ALIAS_EVENT:
        snprintf(t->why, sizeof(t->why), "line %zu: aliases are not supported",
                 ev->start_mark.line + 1);
        return -1;
    case YAML_SCALAR_EVENT:
        v = json_stringn((const char *)ev->data.scalar.value, ev->data.scalar.length);
        break;
    case YAML_MAPPING_START_EVENT:
        v = json_object();
        break;
    case YAML_SEQUENCE_START_EVENT:
        v = json_array();
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        free(t->st[t->n - 1].key);
        t->n--;
        return 0;
    default:
        return 0;
    }
    if (v != NULL && ++t->nodes > YAML_NODES) {
        json_decref(v);
        snprintf(t->why, sizeof(t->why), "more than %zu nodes", YAML_NODES);
        return -1;
    }
    if (v == NULL) {
        snprintf(t->why, sizeof(t->why), "line %zu: not UTF-8 or out of memory",
                 ev->start_mark.line + 1);
        return -1;
    }
    if (json_is_object(v) || json_is_array(v)) {
        if (t->n == YAML_DEPTH) {
            json_decref(v);
            snprintf(t->why, sizeof(t->why), "line %zu: nested deeper than %d",
                     ev->start_mark.line + 1, YAML_DEPTH);
            return -1;
        }
        if (yplace(t, v, ev) != 0) {
            return -1;
        }
        t->st[t->n].c = v;
        t->st[t->n++].key = NULL;
        return 0;
    }
    return yplace(t, v, ev) == 0 ? 0 : -1;
}

static json_t *ytree_load(const unsigned char *d, size_t len, char *why, size_t whysz)
{
    yaml_parser_t p;
    struct ytree *t = calloc(1, sizeof(*t));
    json_t *out = NULL;
    int rc = 0;
    if (t == NULL) {
        snprintf(why, whysz, "out of memory");
        return NULL;
    }
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, d, len);
    while (rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            snprintf(t->why, sizeof(t->why), "line %zu: %s", p.problem_mark.line + 1,
                     p.problem != NULL ? p.problem : "invalid YAML");
            rc = -1;
            break;
        }
        rc = yevent(t, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    for (size_t i = 0; i < t->n; i++) {
        free(t->st[i].key);
    }
    if (rc > 0 && json_is_object(t->root)) {
        out = t->root;
    } else {
        if (rc > 0) {
            snprintf(t->why, sizeof(t->why), "not a mapping");
        }
        json_decref(t->root);
    }
    snprintf(why, whysz, "%s", t->why);
    free(t);
    return out;
}

json_t *cat_yaml(struct sbom_doc *doc, const char *cat, const char *path, const unsigned char *data,
                 size_t len)
{
    char why[128] = "";
    json_t *j = ytree_load(data, len, why, sizeof(why));
    if (j == NULL) {
        doc_warn(doc, "%s: '%s': not a YAML lockfile (%s), skipped", cat, path, why);
    }
    return j;
}
#else
json_t *cat_yaml(struct sbom_doc *doc, const char *cat, const char *path, const unsigned char *data,
                 size_t len)
{
    (void)data;
    (void)len;
    doc_warn(doc, "%s: '%s': built without libyaml, skipped", cat, path);
    return NULL;
}
#endif
