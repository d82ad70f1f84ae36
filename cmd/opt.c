/* The option-table parser and help printer (opt.h). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "opt.h"
#include "out.h"
#include "suggest.h"

#define HELP_COLUMN 30

static int spec_end(const struct opt_spec *o)
{
    return o->name == NULL && o->short_name == 0;
}

const struct opt_spec *opt_find_long(const struct opt_group *groups, const char *name, size_t len)
{
    for (const struct opt_group *g = groups; g->specs != NULL; g++) {
        for (const struct opt_spec *o = g->specs; !spec_end(o); o++) {
            if (o->name != NULL && strlen(o->name) == len && strncmp(o->name, name, len) == 0) {
                return o;
            }
        }
    }
    return NULL;
}

static const struct opt_spec *find_short(const struct opt_group *groups, char c)
{
    for (const struct opt_group *g = groups; g->specs != NULL; g++) {
        for (const struct opt_spec *o = g->specs; !spec_end(o); o++) {
            if (o->short_name == c) {
                return o;
            }
        }
    }
    return NULL;
}

int opt_on(const char *value)
{
    return value == NULL || strcmp(value, "false") != 0;
}

static int unknown(const char *cmd, const struct opt_group *groups, const char *arg, size_t len)
{
    char word[80];
    struct suggest s;
    const char *best;
    size_t n = len < sizeof(word) - 1 ? len : sizeof(word) - 1;
    memcpy(word, arg, n);
    word[n] = '\0';
    suggest_init(&s, word + (n > 2 && word[1] == '-' ? 2 : 1));
    for (const struct opt_group *g = groups; g->specs != NULL; g++) {
        for (const struct opt_spec *o = g->specs; !spec_end(o); o++) {
            if (o->name != NULL && !(o->flags & OPT_HIDDEN)) {
                suggest_try(&s, o->name);
            }
        }
    }
    best = n > 2 && word[1] == '-' ? suggest_best(&s) : NULL;
    if (best != NULL) {
        return out_usage(cmd, "unknown option '%s'; did you mean '--%s'?", word, best);
    }
    return out_usage(cmd, "unknown option '%s'", word);
}

/* A flag's value after '=': true or false only. */
static int flag_value(const char **v, const char *cmd, const char *arg, const char *given)
{
    if (given == NULL) {
        *v = "true";
        return EXIT_OK;
    }
    if (strcmp(given, "true") == 0 || strcmp(given, "1") == 0) {
        *v = "true";
    } else if (strcmp(given, "false") == 0 || strcmp(given, "0") == 0) {
        *v = "false";
    } else {
        return out_usage(cmd, "option '%s' takes no value (or =true, =false)", arg);
    }
    return EXIT_OK;
}

/* argv[*i] is an option ("--name[=V]" or "-s[V]"): find its spec and value. */
static int one_option(const struct opt_spec **spec, const char **value, const char *cmd,
                      const struct opt_group *groups, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *given = NULL;
    const struct opt_spec *o;
    if (a[1] == '-') {
        const char *eq = strchr(a, '=');
        size_t len = eq != NULL ? (size_t)(eq - a) : strlen(a);
        o = opt_find_long(groups, a + 2, len - 2);
        if (o == NULL) {
            return unknown(cmd, groups, a, len);
        }
        given = eq != NULL ? eq + 1 : NULL;
    } else {
        o = find_short(groups, a[1]);
        if (o == NULL || (o->arg == NULL && a[2] != '\0')) {
            return unknown(cmd, groups, a, strlen(a));
        }
        given = a[2] == '=' ? a + 3 : a[2] != '\0' ? a + 2 : NULL;
    }
    *spec = o;
    if (o->arg == NULL) {
        return flag_value(value, cmd, a, given);
    }
    if (given == NULL && *i + 1 >= argc) {
        return out_usage(cmd, "option '%s' needs a value (%s)", a, o->arg);
    }
    *value = given != NULL ? given : argv[++*i];
    return EXIT_OK;
}

int opt_parse(const char *cmd, const struct opt_group *groups, int argc, char **argv,
              opt_take_fn take, void *ctx, const char **operands, int max, int *n)
{
    int only_operands = 0, rc = EXIT_OK;
    *n = 0;
    for (int i = 1; rc == EXIT_OK && i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        const struct opt_spec *o = NULL;
        if (!only_operands && strcmp(a, "--") == 0) {
            only_operands = 1;
        } else if (only_operands || a[0] != '-' || a[1] == '\0') {
            if (*n >= max) {
                return out_usage(cmd, "unexpected argument '%s'", a);
            }
            operands[(*n)++] = a;
        } else {
            rc = one_option(&o, &v, cmd, groups, argc, argv, &i);
            rc = rc ? rc : take(ctx, o, v);
        }
    }
    /* testing knob (tests/cli/test_doc_examples.sh): stop once the line parsed, before the
     * command does anything */
    if (rc == EXIT_OK && getenv("VOUCH_PARSE_ONLY") != NULL && getenv("VOUCH_PARSE_ONLY")[0]) {
        exit(EXIT_OK);
    }
    return rc;
}

void opt_format(char *buf, size_t n, const struct opt_spec *o)
{
    snprintf(buf, n, "%s%c%s%s%s%s%s", o->short_name ? "-" : "",
             o->short_name ? o->short_name : ' ', o->short_name && o->name ? ", " : "",
             o->name ? "--" : "", o->name ? o->name : "", o->arg ? " " : "", o->arg ? o->arg : "");
    if (!o->short_name) {
        memmove(buf, buf + 1, strlen(buf));
    }
}

static void print_row(FILE *fp, const struct opt_spec *o)
{
    char left[128];
    const char *h = o->help;
    int w;
    opt_format(left, sizeof(left), o);
    w = fprintf(fp, "  %s", left);
    if (w + 2 > HELP_COLUMN) {
        fputc('\n', fp);
        w = 0;
    }
    fprintf(fp, "%*s", HELP_COLUMN - w, "");
    for (;;) {
        size_t len = strcspn(h, "\n");
        fprintf(fp, "%.*s%s\n", (int)len, h,
                (o->flags & OPT_REPEAT) && h[len] == '\0' ? " (repeatable)" : "");
        if (h[len] == '\0') {
            break;
        }
        h += len + 1;
        fprintf(fp, "%*s", HELP_COLUMN, "");
    }
}

void opt_print_help(FILE *fp, const struct opt_group *groups)
{
    for (const struct opt_group *g = groups; g->specs != NULL; g++) {
        fprintf(fp, "\n%s:\n", g->title != NULL ? g->title : "options");
        for (const struct opt_spec *o = g->specs; !spec_end(o); o++) {
            if (!(o->flags & OPT_HIDDEN)) {
                print_row(fp, o);
            }
        }
        if (g->note != NULL) {
            fputs(g->note, fp);
        }
    }
}
