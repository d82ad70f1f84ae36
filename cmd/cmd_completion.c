/* vouch completion bash|zsh|fish: completion scripts generated from the command table, the
 * subcommand tables and each command's option tables (the same rows `vouch help` prints).
 * A command's subcommand words also come from its synopsis ("usage: vouch webhook serve"). */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "out.h"

const char cmd_completion_usage[] =
    "usage: vouch completion bash|zsh|fish\n"
    "\n"
    "Print a completion script for the shell: commands, subcommands, every option and the\n"
    "values of options with a fixed set (files and directories where a path is taken).\n"
    "  bash: eval \"$(vouch completion bash)\" in ~/.bashrc, or save it as\n"
    "        /usr/share/bash-completion/completions/vouch\n"
    "  zsh:  save it as _vouch in a directory on $fpath (before compinit)\n"
    "  fish: vouch completion fish > ~/.config/fish/completions/vouch.fish\n"
    "cmake --install installs all three.\n";

static const struct opt_spec no_specs[] = {{0}};
const struct opt_group cmd_completion_opts[] = {{NULL, no_specs, NULL}, {0}};

#define MAX_WORDS 16

/* One completion context: a command, or a command's subcommand ("sbom validate"). */
struct ctx {
    const char *name; /* "verify", "sbom" */
    const char *sub;  /* "validate", or NULL */
    const struct cmd *c;
    char words[MAX_WORDS][32]; /* the subcommand words offered as its first operand */
    int nwords;
};

static int spec_end(const struct opt_spec *o)
{
    return o->name == NULL && o->short_name == 0;
}

static void add_word(struct ctx *x, const char *w, size_t n)
{
    if (n == 0 || n >= sizeof(x->words[0]) || x->nwords >= MAX_WORDS) {
        return;
    }
    for (int i = 0; i < x->nwords; i++) {
        if (strlen(x->words[i]) == n && strncmp(x->words[i], w, n) == 0) {
            return;
        }
    }
    memcpy(x->words[x->nwords], w, n);
    x->words[x->nwords++][n] = '\0';
}

/* "vouch NAME word" or "vouch NAME a|b|c" or "vouch NAME [word]" in a synopsis line */
static void synopsis_words(struct ctx *x, const char *usage)
{
    size_t nl = strlen(x->name);
    for (const char *l = usage; *l != '\0';) {
        size_t n = strcspn(l, "\n");
        const char *v = strstr(l, "vouch ");
        if (v != NULL && v < l + n && strncmp(v + 6, x->name, nl) == 0 && v[6 + nl] == ' ') {
            const char *w = v + 7 + nl;
            w += *w == '[';
            while (*w >= 'a' && *w <= 'z') {
                size_t k = strspn(w, "abcdefghijklmnopqrstuvwxyz-");
                add_word(x, w, k);
                w += k;
                w += *w == '|';
            }
        }
        l += n + (l[n] == '\n');
    }
}

static void ctx_init(struct ctx *x, const struct cmd *c, const struct cmd *sub)
{
    memset(x, 0, sizeof(*x));
    x->name = c->name;
    x->sub = sub ? sub->name : NULL;
    x->c = sub ? sub : c;
    if (sub != NULL) {
        return;
    }
    synopsis_words(x, c->usage);
    for (const struct cmd *s = cmd_subcommands(c->name); s != NULL && s->name != NULL; s++) {
        add_word(x, s->name, strlen(s->name));
    }
}

/* Walks the visible options of a context's groups. */
struct opt_iter {
    const struct opt_group *g;
    const struct opt_spec *o;
};

static const struct opt_spec *opt_next(struct opt_iter *it)
{
    while (it->g != NULL && it->g->specs != NULL) {
        it->o = it->o == NULL ? it->g->specs : it->o + 1;
        if (spec_end(it->o)) {
            it->g++;
            it->o = NULL;
        } else if (!(it->o->flags & OPT_HIDDEN)) {
            return it->o;
        }
    }
    return NULL;
}

/* s up to the first '\n', with the characters in bad each preceded by esc */
static void put_escaped(FILE *fp, const char *s, const char *bad, const char *esc)
{
    for (; *s != '\0' && *s != '\n'; s++) {
        if (strchr(bad, *s) != NULL) {
            fputs(esc, fp);
        }
        fputc(*s, fp);
    }
}

/* --- bash: plain compgen, no bash-completion helpers needed */
static void bash_ctx(FILE *fp, const struct ctx *x)
{
    int any = 0;
    fprintf(fp, "    '%s%s%s')\n        opts='", x->name, x->sub ? " " : "", x->sub ? x->sub : "");
    struct opt_iter it1 = {x->c->opts, NULL};
    for (const struct opt_spec *o; (o = opt_next(&it1)) != NULL;) {
        fprintf(fp, "%s%s%s", any++ ? " " : "", o->name ? "--" : "-", o->name ? o->name : "");
        if (o->name == NULL) {
            fputc(o->short_name, fp);
        } else if (o->short_name) {
            fprintf(fp, " -%c", o->short_name);
        }
    }
    fputs("'\n        words='", fp);
    for (int i = 0; i < x->nwords; i++) {
        fprintf(fp, "%s%s", i ? " " : "", x->words[i]);
    }
    fputs("'\n        case $prev in\n", fp);
    struct opt_iter it2 = {x->c->opts, NULL};
    for (const struct opt_spec *o; (o = opt_next(&it2)) != NULL;) {
        const char *h = o->complete;
        if (o->arg == NULL) {
            continue;
        }
        if (o->name) {
            fprintf(fp, "        --%s%s", o->name, o->short_name ? "|" : "");
        } else {
            fputs("        ", fp);
        }
        if (o->short_name) {
            fprintf(fp, "-%c", o->short_name);
        }
        if (h == NULL) {
            fputs(") return 0 ;;\n", fp);
        } else if (strcmp(h, "file") == 0 || strcmp(h, "dir") == 0) {
            fprintf(fp, ") COMPREPLY=($(compgen -%c -- \"$cur\")); return 0 ;;\n",
                    h[0] == 'd' ? 'd' : 'f');
        } else {
            fputs(") COMPREPLY=($(compgen -W '", fp);
            for (; *h != '\0'; h++) {
                fputc(*h == '|' ? ' ' : *h, fp);
            }
            fputs("' -- \"$cur\")); return 0 ;;\n", fp);
        }
    }
    fputs("        esac ;;\n", fp);
}

static void bash_script(FILE *fp)
{
    fputs("# bash completion for vouch (generated by `vouch completion bash`)\n"
          "_vouch() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    local key opts='' words='' first=2\n"
          "    COMPREPLY=()\n"
          "    if [ \"$COMP_CWORD\" -le 1 ]; then\n"
          "        COMPREPLY=($(compgen -W '",
          fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        fprintf(fp, "%s%s", c == cmd_table ? "" : " ", c->name);
    }
    fputs("' -- \"$cur\"))\n        return 0\n    fi\n"
          "    key=${COMP_WORDS[1]}\n",
          fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        const struct cmd *subs = cmd_subcommands(c->name);
        if (subs == NULL) {
            continue;
        }
        fprintf(fp,
                "    if [ \"$key\" = %s ] && [ \"$COMP_CWORD\" -gt 2 ]; then\n"
                "        case ${COMP_WORDS[2]} in\n        ",
                c->name);
        for (const struct cmd *s = subs; s->name != NULL; s++) {
            fprintf(fp, "%s%s", s == subs ? "" : "|", s->name);
        }
        fputs(") key=\"$key ${COMP_WORDS[2]}\"; first=3 ;;\n        esac\n    fi\n", fp);
    }
    fputs("    case $key in\n", fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        struct ctx x;
        ctx_init(&x, c, NULL);
        if (strcmp(c->name, "help") == 0) {
            for (const struct cmd *d = cmd_table; d->name != NULL; d++) {
                add_word(&x, d->name, strlen(d->name));
            }
        }
        bash_ctx(fp, &x);
        for (const struct cmd *s = cmd_subcommands(c->name); s != NULL && s->name != NULL; s++) {
            ctx_init(&x, c, s);
            bash_ctx(fp, &x);
        }
    }
    fputs("    *) return 0 ;;\n    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    elif [ -n \"$words\" ] && [ \"$COMP_CWORD\" -eq \"$first\" ]; then\n"
          "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "    else\n"
          "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "    fi\n"
          "}\n"
          "complete -F _vouch vouch\n",
          fp);
}

/* --- zsh: _arguments per context */

/* s up to '\n' inside a single-quoted word: the chars in bad backslashed, ' as '\'' */
static void zsh_quoted(FILE *fp, const char *s, const char *bad)
{
    for (; *s != '\0' && *s != '\n'; s++) {
        if (*s == '\'') {
            fputs("'\\''", fp);
            continue;
        }
        if (strchr(bad, *s) != NULL) {
            fputc('\\', fp);
        }
        fputc(*s, fp);
    }
}
static void zsh_action(FILE *fp, const struct opt_spec *o)
{
    const char *h = o->complete;
    fputc(':', fp);
    zsh_quoted(fp, o->arg, ":");
    if (h == NULL) {
        fputs(": ", fp);
    } else if (strcmp(h, "file") == 0) {
        fputs(":_files", fp);
    } else if (strcmp(h, "dir") == 0) {
        fputs(":_files -/", fp);
    } else {
        fputs(":(", fp);
        for (const char *p = h; *p != '\0'; p++) {
            fputc(*p == '|' ? ' ' : *p, fp);
        }
        fputc(')', fp);
    }
}

static void zsh_ctx(FILE *fp, const struct ctx *x)
{
    fprintf(fp, "    ('%s%s%s')\n        _arguments", x->name, x->sub ? " " : "",
            x->sub ? x->sub : "");
    struct opt_iter it3 = {x->c->opts, NULL};
    for (const struct opt_spec *o; (o = opt_next(&it3)) != NULL;) {
        const char *rep = (o->flags & OPT_REPEAT) ? "*" : "";
        fputs(" \\\n            ", fp);
        if (o->name && o->short_name) {
            fprintf(fp, "'(-%c --%s)'{%s-%c,%s--%s}'", o->short_name, o->name, rep, o->short_name,
                    rep, o->name);
        } else if (o->name) {
            fprintf(fp, "'%s--%s", rep, o->name);
        } else {
            fprintf(fp, "'%s-%c", rep, o->short_name);
        }
        fputc('[', fp);
        zsh_quoted(fp, o->help, "[]\\:");
        fputc(']', fp);
        if (o->arg != NULL) {
            zsh_action(fp, o);
        }
        fputc('\'', fp);
    }
    if (x->nwords > 0) {
        fputs(" \\\n            '1:subcommand:(", fp);
        for (int i = 0; i < x->nwords; i++) {
            fprintf(fp, "%s%s", i ? " " : "", x->words[i]);
        }
        fputs(")'", fp);
    }
    fputs(" \\\n            '*:argument:_files' ;;\n", fp);
}

static void zsh_script(FILE *fp)
{
    fputs("#compdef vouch\n# zsh completion for vouch (generated by `vouch completion zsh`)\n"
          "_vouch() {\n    local -a cmds\n    local key\n    cmds=(\n",
          fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        fprintf(fp, "        '%s:", c->name);
        zsh_quoted(fp, c->summary, "");
        fputs("'\n", fp);
    }
    fputs("    )\n    if (( CURRENT == 2 )); then\n"
          "        _describe -t commands 'vouch command' cmds\n        return\n    fi\n"
          "    key=$words[2]\n    shift words; (( CURRENT-- ))\n",
          fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        const struct cmd *subs = cmd_subcommands(c->name);
        if (subs == NULL) {
            continue;
        }
        fprintf(fp,
                "    if [[ $key == %s ]] && (( CURRENT > 2 )); then\n        case $words[2] in\n"
                "        (",
                c->name);
        for (const struct cmd *s = subs; s->name != NULL; s++) {
            fprintf(fp, "%s%s", s == subs ? "" : "|", s->name);
        }
        fputs(") key=\"$key $words[2]\"; shift words; (( CURRENT-- )) ;;\n"
              "        esac\n    fi\n",
              fp);
    }
    fputs("    case $key in\n", fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        struct ctx x;
        ctx_init(&x, c, NULL);
        if (strcmp(c->name, "help") == 0) {
            fputs("    (help) _describe -t commands 'vouch command' cmds ;;\n", fp);
            continue;
        }
        zsh_ctx(fp, &x);
        for (const struct cmd *s = cmd_subcommands(c->name); s != NULL && s->name != NULL; s++) {
            ctx_init(&x, c, s);
            zsh_ctx(fp, &x);
        }
    }
    fputs("    esac\n}\n_vouch \"$@\"\n", fp);
}

/* --- fish: one `complete` line per command, word and option */
static void fish_cond(FILE *fp, const struct ctx *x)
{
    const struct cmd *subs = cmd_subcommands(x->name);
    fprintf(fp, "complete -c vouch -n '__fish_seen_subcommand_from %s", x->name);
    if (x->sub != NULL) {
        fprintf(fp, "; and __fish_seen_subcommand_from %s", x->sub);
    } else if (subs != NULL) {
        fputs("; and not __fish_seen_subcommand_from", fp);
        for (const struct cmd *s = subs; s->name != NULL; s++) {
            fprintf(fp, " %s", s->name);
        }
    }
    fputc('\'', fp);
}

static void fish_ctx(FILE *fp, const struct ctx *x)
{
    for (int i = 0; i < x->nwords; i++) {
        fish_cond(fp, x);
        fprintf(fp, " -a %s\n", x->words[i]);
    }
    struct opt_iter it4 = {x->c->opts, NULL};
    for (const struct opt_spec *o; (o = opt_next(&it4)) != NULL;) {
        const char *h = o->complete;
        fish_cond(fp, x);
        if (o->short_name) {
            fprintf(fp, " -s %c", o->short_name);
        }
        if (o->name) {
            fprintf(fp, " -l %s", o->name);
        }
        if (o->arg != NULL && h != NULL && strcmp(h, "file") == 0) {
            fputs(" -r -F", fp);
        } else if (o->arg != NULL && h != NULL && strcmp(h, "dir") == 0) {
            fputs(" -x -a '(__fish_complete_directories)'", fp);
        } else if (o->arg != NULL && h != NULL) {
            fputs(" -x -a '", fp);
            for (const char *p = h; *p != '\0'; p++) {
                fputc(*p == '|' ? ' ' : *p, fp);
            }
            fputc('\'', fp);
        } else if (o->arg != NULL) {
            fputs(" -x", fp);
        }
        fputs(" -d '", fp);
        put_escaped(fp, o->help, "'\\", "\\");
        fputs("'\n", fp);
    }
}

static void fish_script(FILE *fp)
{
    fputs("# fish completion for vouch (generated by `vouch completion fish`)\n", fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        fprintf(fp, "complete -c vouch -f -n __fish_use_subcommand -a %s -d '", c->name);
        put_escaped(fp, c->summary, "'\\", "\\");
        fputs("'\n", fp);
    }
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        struct ctx x;
        ctx_init(&x, c, NULL);
        if (strcmp(c->name, "help") == 0) {
            for (const struct cmd *d = cmd_table; d->name != NULL; d++) {
                add_word(&x, d->name, strlen(d->name));
            }
        }
        fish_ctx(fp, &x);
        for (const struct cmd *s = cmd_subcommands(c->name); s != NULL && s->name != NULL; s++) {
            ctx_init(&x, c, s);
            fish_ctx(fp, &x);
        }
    }
}

static int no_take(void *ctx, const struct opt_spec *o, const char *v)
{
    (void)ctx;
    (void)o;
    (void)v;
    return EXIT_OK;
}

int cmd_completion(int argc, char **argv)
{
    const char *shell[1] = {NULL};
    int n = 0;
    int rc = opt_parse("completion", cmd_completion_opts, argc, argv, no_take, NULL, shell, 1, &n);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (n == 0) {
        return out_usage("completion", "name the shell: bash, zsh or fish");
    }
    if (strcmp(shell[0], "bash") == 0) {
        bash_script(stdout);
    } else if (strcmp(shell[0], "zsh") == 0) {
        zsh_script(stdout);
    } else if (strcmp(shell[0], "fish") == 0) {
        fish_script(stdout);
    } else {
        return out_usage("completion", "unknown shell '%s' (bash, zsh or fish)", shell[0]);
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
}
