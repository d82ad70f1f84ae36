/* Reads YAML and JSON policy text into a tree of nodes with line and column. */
#include "policy_node.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#ifdef VOUCH_HAVE_YAML
#include <yaml.h>
#endif

#define PNODE_MAX_DEPTH 32

void pnode_free(struct pnode *n)
{
    if (n == NULL) {
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys != NULL) {
            pnode_free(n->keys[i]);
        }
        pnode_free(n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n->str);
    free(n);
}

const char *pnode_type_name(const struct pnode *n)
{
    static const char *names[] = {"a mapping", "a list", "a scalar"};
    return names[n->type];
}

static struct pnode *pnode_new(enum pnode_type t, int line, int col)
{
    struct pnode *n = calloc(1, sizeof(*n));
    if (n != NULL) {
        n->type = t;
        n->line = line;
        n->col = col;
    }
    return n;
}

static int pnode_push(struct pnode *parent, struct pnode *key, struct pnode *item)
{
    struct pnode **items = realloc(parent->items, (parent->n + 1) * sizeof(*items));
    if (items == NULL) {
        return VOUCH_ENOMEM;
    }
    parent->items = items;
    if (parent->type == PNODE_MAP) {
        struct pnode **keys = realloc(parent->keys, (parent->n + 1) * sizeof(*keys));
        if (keys == NULL) {
            return VOUCH_ENOMEM;
        }
        parent->keys = keys;
        parent->keys[parent->n] = key;
    }
    parent->items[parent->n++] = item;
    return 0;
}

#ifdef VOUCH_HAVE_YAML
struct ybuild {
    yaml_parser_t parser;
    const char *name;
    struct vouch_error *err;
};

static int yerr(struct ybuild *b, const yaml_mark_t *m, const char *what)
{
    return vouch_error_set(b->err, VOUCH_EPARSE, "%s:%zu:%zu: %s", b->name, m->line + 1,
                           m->column + 1, what);
}

static int ynext(struct ybuild *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev)) {
        const char *p = b->parser.problem != NULL ? b->parser.problem : "invalid YAML";
        return yerr(b, &b->parser.problem_mark, p);
    }
    return 0;
}

static int ybuild_node(struct ybuild *b, yaml_event_t *ev, struct pnode **out, int depth);

static int ybuild_children(struct ybuild *b, struct pnode *n, int depth)
{
    for (;;) {
        yaml_event_t ev;
        struct pnode *key = NULL, *val = NULL;
        int rc = ynext(b, &ev);
        if (rc != 0) {
            return rc;
        }
        if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        if (n->type == PNODE_MAP) {
            rc = ybuild_node(b, &ev, &key, depth + 1);
            if (rc == 0 && key->type != PNODE_SCALAR) {
                rc = vouch_error_set(b->err, VOUCH_EPARSE, "%s:%d:%d: keys must be strings",
                                     b->name, key->line, key->col);
            }
            for (size_t i = 0; rc == 0 && i < n->n; i++) {
                if (strcmp(n->keys[i]->str, key->str) == 0) {
                    rc = vouch_error_set(b->err, VOUCH_EPARSE, "%s:%d:%d: duplicate key '%s'",
                                         b->name, key->line, key->col, key->str);
                }
            }
            if (rc == 0 && (rc = ynext(b, &ev)) == 0) {
                rc = ybuild_node(b, &ev, &val, depth + 1);
            }
        } else {
            rc = ybuild_node(b, &ev, &val, depth + 1);
        }
        if (rc == 0 && pnode_push(n, key, val) != 0) {
            rc = vouch_enomem(b->err);
        }
        if (rc != 0) {
            pnode_free(key);
            pnode_free(val);
            return rc;
        }
    }
}

/* Takes ownership of ev. */
static int ybuild_node(struct ybuild *b, yaml_event_t *ev, struct pnode **out, int depth)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1, rc = 0;
    struct pnode *n = NULL;
    *out = NULL;
    if (depth > PNODE_MAX_DEPTH) {
        rc = yerr(b, &ev->start_mark, "nesting too deep");
    } else if (ev->type == YAML_ALIAS_EVENT ||
               (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.anchor != NULL) ||
               (ev->type == YAML_MAPPING_START_EVENT && ev->data.mapping_start.anchor != NULL) ||
               (ev->type == YAML_SEQUENCE_START_EVENT && ev->data.sequence_start.anchor != NULL)) {
        rc = yerr(b, &ev->start_mark, "anchors and aliases are not supported");
    } else if (ev->type == YAML_SCALAR_EVENT) {
        const yaml_char_t *v = ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        if (ev->data.scalar.tag != NULL) {
            rc = yerr(b, &ev->start_mark, "YAML tags are not supported");
        } else if (memchr(v, 0, len) != NULL) {
            rc = yerr(b, &ev->start_mark, "NUL byte in a string");
        } else if ((n = pnode_new(PNODE_SCALAR, line, col)) == NULL ||
                   (n->str = strndup((const char *)v, len)) == NULL) {
            rc = vouch_enomem(b->err);
        } else {
            n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        }
    } else if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
        n = pnode_new(ev->type == YAML_MAPPING_START_EVENT ? PNODE_MAP : PNODE_SEQ, line, col);
        rc = n == NULL ? vouch_enomem(b->err) : ybuild_children(b, n, depth);
    } else {
        rc = yerr(b, &ev->start_mark, "unexpected YAML event");
    }
    yaml_event_delete(ev);
    if (rc != 0) {
        pnode_free(n);
        return rc;
    }
    *out = n;
    return 0;
}

static int yaml_tree(struct pnode **out, const char *text, size_t len, const char *name,
                     struct vouch_error *err)
{
    struct ybuild b = {.name = name, .err = err};
    yaml_event_t ev;
    int rc;
    yaml_parser_initialize(&b.parser);
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);
    /* stream start, document start */
    for (int i = 0; i < 2; i++) {
        if ((rc = ynext(&b, &ev)) != 0) {
            goto done;
        }
        if (ev.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            rc = vouch_error_set(err, VOUCH_EPARSE, "%s:1:1: empty policy", name);
            goto done;
        }
        yaml_event_delete(&ev);
    }
    if ((rc = ynext(&b, &ev)) != 0 || (rc = ybuild_node(&b, &ev, out, 0)) != 0) {
        goto done;
    }
    if ((rc = ynext(&b, &ev)) == 0) { /* document end */
        yaml_event_delete(&ev);
        if ((rc = ynext(&b, &ev)) == 0 && ev.type != YAML_STREAM_END_EVENT) {
            rc = yerr(&b, &ev.start_mark, "more than one document");
        }
        yaml_event_delete(&ev);
    }
done:
    if (rc != 0) {
        pnode_free(*out);
        *out = NULL;
    }
    yaml_parser_delete(&b.parser);
    return rc;
}
#else
static int json_tree_node(struct pnode **out, json_t *j, int depth)
{
    struct pnode *n;
    const char *k;
    json_t *v;
    size_t i;
    if (depth > PNODE_MAX_DEPTH) {
        return VOUCH_EPARSE;
    }
    n = pnode_new(json_is_object(j)  ? PNODE_MAP
                  : json_is_array(j) ? PNODE_SEQ
                                     : PNODE_SCALAR,
                  0, 0);
    if (n == NULL) {
        return VOUCH_ENOMEM;
    }
    *out = n;
    if (n->type == PNODE_SCALAR) {
        n->quoted = json_is_string(j);
        n->str = n->quoted ? strdup(json_string_value(j)) : json_dumps(j, JSON_ENCODE_ANY);
        return n->str == NULL ? VOUCH_ENOMEM : 0;
    }
    json_object_foreach(j, k, v)
    {
        struct pnode *kn = pnode_new(PNODE_SCALAR, 0, 0), *vn = NULL;
        if (kn == NULL || (kn->str = strdup(k)) == NULL || json_tree_node(&vn, v, depth + 1) ||
            pnode_push(n, kn, vn)) {
            pnode_free(kn);
            pnode_free(vn);
            return VOUCH_ENOMEM;
        }
    }
    json_array_foreach(j, i, v)
    {
        struct pnode *vn = NULL;
        if (json_tree_node(&vn, v, depth + 1) || pnode_push(n, NULL, vn)) {
            pnode_free(vn);
            return VOUCH_ENOMEM;
        }
    }
    return 0;
}
#endif

static int json_strict(json_t **out, const char *text, size_t len, const char *name,
                       struct vouch_error *err)
{
    json_error_t jerr;
    *out = vouch_json_load(text, len, 0, &jerr);
    if (*out == NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s:%d:%d: %s", name, jerr.line, jerr.column,
                               jerr.text);
    }
    return 0;
}

int pnode_parse(struct pnode **out, const char *text, size_t len, const char *name,
                struct vouch_error *err)
{
    size_t nl = strlen(name);
    int is_json = nl >= 5 && strcmp(name + nl - 5, ".json") == 0;
    json_t *j = NULL;
    int rc = 0;
    *out = NULL;
    if (memchr(text, 0, len) != NULL) {
        return vouch_error_set(err, VOUCH_EPARSE, "%s: NUL byte in policy", name);
    }
    if (is_json && (rc = json_strict(&j, text, len, name, err)) != 0) {
        return rc;
    }
#ifdef VOUCH_HAVE_YAML
    rc = yaml_tree(out, text, len, name, err);
#else
    if (!is_json) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "%s: YAML support not built in", name);
    } else if (json_tree_node(out, j, 0) != 0) {
        pnode_free(*out);
        *out = NULL;
        rc = vouch_error_set(err, VOUCH_ENOMEM, "%s: cannot build policy tree", name);
    }
#endif
    json_decref(j);
    return rc;
}
