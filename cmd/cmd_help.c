/* vouch help: the overview, each command's help, and the same text as man pages
 * (`vouch help --man [COMMAND [SUBCOMMAND]]`, hidden, run by the build to make
 * share/man/man1). One text, two renderings: the usage string and the option tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "out.h"
#include "suggest.h"

const char cmd_help_usage[] = "usage: vouch help [COMMAND [SUBCOMMAND]]\n"
                              "\n"
                              "Without COMMAND, list the commands; with it, show its "
                              "help.\n";

const char cmd_intro[] =
    "vouch signs and verifies artefacts and container images (cosign-compatible),\n"
    "generates SBOMs and SLSA provenance, and gates deployments.\n";

const char cmd_exit_codes[] =
    "Exit codes: 0 ok, 1 verification failed or denied, 2 usage or input error,\n"
    "3 I/O, network or internal error.\n";

enum { O_MAN = 1 };
static const struct opt_spec help_specs[] = {
    {"man", 0, NULL, "print the page as a man page (roff)", OPT_HIDDEN, O_MAN, NULL},
    {0},
};
const struct opt_group cmd_help_opts[] = {{NULL, help_specs, NULL}, {0}};

void cmd_print_overview(FILE *fp)
{
    fprintf(fp, "usage: vouch COMMAND [OPTIONS] [ARGS]\n\n%s\ncommands:\n", cmd_intro);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        fprintf(fp, "  %-20s %s\n", c->name, c->summary);
    }
    fprintf(fp, "\nRun 'vouch help COMMAND' or 'vouch COMMAND --help' for details.\n%s",
            cmd_exit_codes);
}

void cmd_print_help(FILE *fp, const struct cmd *c)
{
    fputs(c->usage, fp);
    if (c->opts != NULL) {
        opt_print_help(fp, c->opts);
    }
}

/* A UTF-8 sequence as roff's \[uXXXX] (troff reads ASCII); returns the bytes taken. */
static size_t roff_utf8(FILE *fp, const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    unsigned long cp = c & (0x3f >> (len - 1));
    if (len > n) {
        fputc('?', fp);
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        cp = (cp << 6) | ((unsigned char)s[i] & 0x3f);
    }
    fprintf(fp, "\\[u%04lX]", cp);
    return len;
}

/* --- roff: one line of text, escaped; a leading '.' or '\'' would be a request */
static void roff_text(FILE *fp, const char *s, size_t n, int bold_dashes)
{
    if (n > 0 && (s[0] == '.' || s[0] == '\'')) {
        fputs("\\&", fp);
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            fputs("\\e", fp);
        } else if (s[i] == '-' && bold_dashes) {
            fputs("\\-", fp);
        } else if ((unsigned char)s[i] >= 0xc0 && i + 1 < n) {
            i += roff_utf8(fp, s + i, n - i) - 1;
        } else {
            fputc(s[i], fp);
        }
    }
}

static size_t trimmed_len(const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ') {
        n--;
    }
    return n;
}

/* "usage: " lines and their indented continuations make the synopsis */
static int synopsis_line(const char *l, int in_usage)
{
    return strncmp(l, "usage: ", 7) == 0 || (in_usage && l[0] == ' ');
}

static void man_synopsis(FILE *fp, const char *usage)
{
    int in_usage = 0;
    fputs(".SH SYNOPSIS\n.nf\n", fp);
    for (const char *l = usage; *l != '\0';) {
        size_t n = strcspn(l, "\n");
        in_usage = synopsis_line(l, in_usage);
        if (in_usage) {
            const char *t = strncmp(l, "usage: ", 7) == 0 ? l + 7 : l;
            roff_text(fp, t, trimmed_len(t, n - (size_t)(t - l)), 1);
            fputc('\n', fp);
        }
        l += n + (l[n] == '\n');
    }
    fputs(".fi\n", fp);
}

/* Text as paragraphs (.PP between them) in fill mode, indented lines verbatim; with
 * skip_usage, without the synopsis lines. */
static void man_paragraphs(FILE *fp, const char *text, int skip_usage)
{
    int in_usage = 0, started = 0, pending_pp = 0, literal = 0;
    for (const char *l = text; *l != '\0';) {
        size_t n = strcspn(l, "\n"), len = trimmed_len(l, n);
        in_usage = skip_usage && synopsis_line(l, in_usage);
        if (!in_usage && len == 0) {
            pending_pp = started;
        } else if (!in_usage) {
            int lit = l[0] == ' ';
            if (literal && (!lit || pending_pp)) {
                fputs(".fi\n", fp);
                literal = 0;
            }
            if (pending_pp) {
                fputs(".PP\n", fp);
                pending_pp = 0;
            }
            if (lit && !literal) {
                fputs(".nf\n", fp);
                literal = 1;
            }
            roff_text(fp, l, len, 1);
            fputc('\n', fp);
            started = 1;
        }
        l += n + (l[n] == '\n');
    }
    if (literal) {
        fputs(".fi\n", fp);
    }
}

static void man_description_text(FILE *fp, const char *text)
{
    man_paragraphs(fp, text, 0);
}

static int group_has_rows(const struct opt_group *g)
{
    for (const struct opt_spec *o = g->specs; o->name != NULL || o->short_name != 0; o++) {
        if (!(o->flags & OPT_HIDDEN)) {
            return 1;
        }
    }
    return 0;
}

static void man_option(FILE *fp, const struct opt_spec *o)
{
    const char *h = o->help;
    fputs(".TP\n", fp);
    if (o->short_name) {
        fprintf(fp, "\\fB\\-%c\\fR%s", o->short_name, o->name ? ", " : "");
    }
    if (o->name) {
        fputs("\\fB\\-\\-", fp);
        roff_text(fp, o->name, strlen(o->name), 1);
        fputs("\\fR", fp);
    }
    if (o->arg) {
        fputs(" \\fI", fp);
        roff_text(fp, o->arg, strlen(o->arg), 1);
        fputs("\\fR", fp);
    }
    fputc('\n', fp);
    for (;;) {
        size_t len = strcspn(h, "\n");
        roff_text(fp, h, len, 1);
        fputs((o->flags & OPT_REPEAT) && h[len] == '\0' ? " (repeatable)\n" : "\n", fp);
        if (h[len] == '\0') {
            break;
        }
        h += len + 1;
    }
}

static void man_title(FILE *fp, const char *name)
{
    char date[16] = "";
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde != NULL && sde[0] != '\0' ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm) != NULL) {
        strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    }
    fputs(".TH \"", fp);
    for (const char *p = name; *p != '\0'; p++) {
        fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p == ' ' ? '-' : *p, fp);
    }
    fprintf(fp, "\" 1 %s \"vouch %s\" \"vouch manual\"\n", date, VOUCH_VERSION);
}

static void man_options(FILE *fp, const struct opt_group *groups)
{
    for (const struct opt_group *g = groups; g != NULL && g->specs != NULL; g++) {
        if (!group_has_rows(g)) {
            continue;
        }
        fputs(".SH \"", fp);
        for (const char *p = g->title != NULL ? g->title : "options"; *p != '\0'; p++) {
            fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, fp);
        }
        fputs("\"\n", fp);
        for (const struct opt_spec *o = g->specs; o->name != NULL || o->short_name != 0; o++) {
            if (!(o->flags & OPT_HIDDEN)) {
                man_option(fp, o);
            }
        }
        if (g->note != NULL) {
            fputs(".PP\n", fp);
            man_description_text(fp, g->note);
        }
    }
}

/* The page of command c (sub: its parent, or NULL). */
static void man_command(FILE *fp, const struct cmd *parent, const struct cmd *c)
{
    char name[96];
    const struct cmd *subs = cmd_subcommands(c->name);
    snprintf(name, sizeof(name), "vouch-%s%s%s", parent ? parent->name : "", parent ? "-" : "",
             c->name);
    man_title(fp, name);
    fputs(".SH NAME\n", fp);
    roff_text(fp, name, strlen(name), 1);
    fputs(" \\- ", fp);
    roff_text(fp, c->summary, strlen(c->summary), 1);
    fputc('\n', fp);
    man_synopsis(fp, c->usage);
    fputs(".SH DESCRIPTION\n", fp);
    man_paragraphs(fp, c->usage, 1);
    man_options(fp, c->opts);
    fprintf(fp, ".SH \"EXIT STATUS\"\n");
    man_description_text(fp, cmd_exit_codes);
    fputs(".SH \"SEE ALSO\"\n\\fBvouch\\fR(1)", fp);
    for (const struct cmd *s = subs; s != NULL && s->name != NULL; s++) {
        fprintf(fp, ",\n\\fBvouch\\-%s\\-%s\\fR(1)", c->name, s->name);
    }
    fputc('\n', fp);
}

static void man_overview(FILE *fp)
{
    man_title(fp, "vouch");
    fputs(".SH NAME\nvouch \\- sign, verify and attest artefacts and container images\n"
          ".SH SYNOPSIS\n\\fBvouch\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n"
          ".SH DESCRIPTION\n",
          fp);
    man_description_text(fp, cmd_intro);
    fputs(".SH COMMANDS\n", fp);
    for (const struct cmd *c = cmd_table; c->name != NULL; c++) {
        fputs(".TP\n\\fBvouch\\-", fp);
        roff_text(fp, c->name, strlen(c->name), 1);
        fputs("\\fR(1)\n", fp);
        roff_text(fp, c->summary, strlen(c->summary), 1);
        fputc('\n', fp);
    }
    fputs(".PP\nEach command's page lists its options; `vouch help COMMAND` prints the same text.\n"
          ".SH \"EXIT STATUS\"\n",
          fp);
    man_description_text(fp, cmd_exit_codes);
}

static int unknown_command(const char *name, const struct cmd *table)
{
    struct suggest s;
    const char *best;
    suggest_init(&s, name);
    for (const struct cmd *c = table; c->name != NULL; c++) {
        suggest_try(&s, c->name);
    }
    best = suggest_best(&s);
    if (best != NULL) {
        out_msg("unknown command '%s'; did you mean '%s'?", name, best);
    } else {
        out_msg("unknown command '%s'", name);
    }
    return EXIT_USAGE;
}

int cmd_unknown(const char *name)
{
    return unknown_command(name, cmd_table);
}

static int take(void *ctx, const struct opt_spec *o, const char *v)
{
    int *man = ctx;
    (void)o;
    *man = opt_on(v);
    return EXIT_OK;
}

int cmd_help(int argc, char **argv)
{
    const char *name[2] = {NULL, NULL};
    int n = 0, man = 0;
    int rc = opt_parse("help", cmd_help_opts, argc, argv, take, &man, name, 2, &n);
    const struct cmd *c, *parent = NULL;
    if (rc != EXIT_OK) {
        return rc;
    }
    if (n == 0) {
        if (man) {
            man_overview(stdout);
        } else {
            cmd_print_overview(stdout);
        }
        return EXIT_OK;
    }
    c = cmd_find(name[0]);
    if (c == NULL) {
        return cmd_unknown(name[0]);
    }
    if (n == 2) {
        const struct cmd *subs = cmd_subcommands(c->name), *s = subs;
        while (s != NULL && s->name != NULL && strcmp(s->name, name[1]) != 0) {
            s++;
        }
        if (s == NULL || s->name == NULL) {
            return subs ? unknown_command(name[1], subs)
                        : out_usage("help", "'%s' has no subcommand '%s'", name[0], name[1]);
        }
        parent = c;
        c = s;
    }
    if (man) {
        man_command(stdout, parent, c);
    } else {
        cmd_print_help(stdout, c);
    }
    return EXIT_OK;
}
