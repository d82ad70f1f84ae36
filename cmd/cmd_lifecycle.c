/* vouch lifecycle preview: what an ECR lifecycle policy would expire in a repository, and
 * what that does to cosign's signatures, attestations and SBOMs (libslsa lifecycle.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cmd.h"
#include "out.h"
#include "slsa/lifecycle.h"
#include "vouch/io.h"
#include "vouch/time.h"

#define LC_MAX_INPUT (256u << 20)

const char cmd_lifecycle_usage[] =
    "usage: vouch lifecycle preview --policy LIFECYCLE.json --images IMAGES.json\n"
    "                               [--at TIME] [--output text|json] [--fix OUT.json]\n"
    "\n"
    "Evaluate an Amazon ECR lifecycle policy on a repository's images as ECR does, and show\n"
    "what it expires, which cosign signatures/attestations/SBOMs (sha256-<hex>.sig/.att/.sbom)\n"
    "it orphans, and which kept images it leaves without them (a deploy gate then denies\n"
    "them).\n"
    "\n"
    "Exit: 0 no kept image loses a companion, 1 one does, 2 bad input.\n";

enum { O_POLICY = 1, O_IMAGES, O_AT, O_OUTPUT, O_FIX };

static const struct opt_spec lifecycle_specs[] = {
    {"policy", 0, "FILE",
     "the lifecycle policy (aws ecr get-lifecycle-policy --query\n"
     "lifecyclePolicyText --output text)",
     0, O_POLICY, "file"},
    {"images", 0, "FILE", "aws ecr describe-images --repository-name REPO output (all pages)", 0,
     O_IMAGES, "file"},
    {"at", 0, "TIME",
     "evaluate as of TIME (YYYY-MM-DDThh:mm:ssZ or epoch seconds);\n"
     "default now",
     0, O_AT, NULL},
    {"output", 0, "FORMAT", "text (default) or json: the plan as JSON", 0, O_OUTPUT, "text|json"},
    {"fix", 0, "OUT.json",
     "write an equivalent policy whose first rule keeps every companion\n"
     "tag (remove orphans it leaves with 'vouch clean --orphans')",
     0, O_FIX, "file"},
    {0},
};

const struct opt_group cmd_lifecycle_opts[] = {{NULL, lifecycle_specs, NULL}, {0}};

struct lc_opts {
    const char *policy, *images, *at, *fix;
    int json;
};

static int parse_at(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s != '\0' && *end == '\0' && v >= 0) {
        *out = v;
        return 0;
    }
    return vouch_time_parse_rfc3339(out, s);
}

static int take(void *ctx, const struct opt_spec *spec, const char *v)
{
    struct lc_opts *o = ctx;
    const char **slot[] = {
        [O_POLICY] = &o->policy, [O_IMAGES] = &o->images, [O_AT] = &o->at, [O_FIX] = &o->fix};
    if (spec->id == O_OUTPUT) {
        if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
            return out_usage("lifecycle", "unknown output format '%s'", v);
        }
        o->json = strcmp(v, "json") == 0;
        return EXIT_OK;
    }
    if (v[0] == '\0') {
        return out_usage("lifecycle", "'--%s' needs a value", spec->name);
    }
    *slot[spec->id] = v;
    return EXIT_OK;
}

/* SUBCOMMAND (only "preview") and the options, in any order. */
static int parse_args(struct lc_opts *o, int argc, char **argv)
{
    const char *sub = NULL;
    int n = 0;
    int rc = opt_parse("lifecycle", cmd_lifecycle_opts, argc, argv, take, o, &sub, 1, &n);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (sub == NULL) {
        return out_usage("lifecycle", "a subcommand is required (preview)");
    }
    if (strcmp(sub, "preview") != 0) {
        return out_usage("lifecycle", "unknown subcommand '%s'", sub);
    }
    if (o->policy == NULL || o->images == NULL) {
        return out_usage("lifecycle", "--policy and --images are required");
    }
    return EXIT_OK;
}

static void print_text(const struct slsa_lc_plan *pl)
{
    for (size_t i = 0; i < slsa_lc_plan_count(pl); i++) {
        const struct slsa_lc_entry *e = slsa_lc_plan_at(pl, i);
        printf("%-7s %s", e->expired ? "expire" : "keep", e->digest);
        for (size_t t = 0; t < e->n_tags; t++) {
            printf("%s%s", t == 0 ? " " : ",", e->tags[t]);
        }
        if (e->expired) {
            printf(" (rule %d)", e->rule);
        }
        putchar('\n');
        if (e->breaks) {
            printf("  LOST    the %s of kept image %s expires: gates that require it will "
                   "deny the image\n",
                   slsa_lc_role_name(e->role), e->subject);
        } else if (e->orphaned && !e->expired) {
            printf("  orphan  %s of %s, which %s\n", slsa_lc_role_name(e->role), e->subject,
                   "is gone or expires (remove with vouch clean --orphans)");
        }
    }
}

static int print_json(const struct slsa_lc_plan *pl)
{
    json_t *arr = json_array();
    char *s;
    for (size_t i = 0; arr != NULL && i < slsa_lc_plan_count(pl); i++) {
        const struct slsa_lc_entry *e = slsa_lc_plan_at(pl, i);
        json_t *tags = json_array();
        for (size_t t = 0; tags != NULL && t < e->n_tags; t++) {
            json_array_append_new(tags, json_string(e->tags[t]));
        }
        json_array_append_new(
            arr,
            json_pack("{s:s, s:o, s:I, s:s, s:s?, s:b, s:i, s:b, s:b}", "digest", e->digest, "tags",
                      tags != NULL ? tags : json_array(), "pushed", (json_int_t)e->pushed, "role",
                      slsa_lc_role_name(e->role), "subject", e->subject, "expired", e->expired,
                      "rule", e->rule, "orphaned", e->orphaned, "lost", e->breaks));
    }
    s = arr != NULL ? json_dumps(arr, JSON_INDENT(2)) : NULL;
    json_decref(arr);
    if (s == NULL) {
        out_msg("out of memory");
        return EXIT_IO;
    }
    puts(s);
    free(s);
    return EXIT_OK;
}

static int write_fix(const struct slsa_lifecycle *p, const char *path)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    char *text = NULL;
    int rc = slsa_lifecycle_fix(&text, p, &err);
    if (rc == 0) {
        rc = vouch_file_write(path, text, strlen(text), 0644, 0, &err);
    }
    free(text);
    return rc == 0 ? EXIT_OK : out_fail(rc, &err);
}

static int run_preview(const struct lc_opts *o, int64_t now)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct slsa_lifecycle *p = NULL;
    struct slsa_lc_plan *pl = NULL;
    unsigned char *ptext = NULL, *itext = NULL;
    size_t plen = 0, ilen = 0, lost = 0;
    int rc = vouch_file_read(&ptext, &plen, o->policy, LC_MAX_INPUT, &err);
    rc = rc ? rc : slsa_lifecycle_parse(&p, (char *)ptext, plen, o->policy, &err);
    rc = rc ? rc : vouch_file_read(&itext, &ilen, o->images, LC_MAX_INPUT, &err);
    rc = rc ? rc : slsa_lifecycle_preview(&pl, p, (char *)itext, ilen, o->images, now, &err);
    if (rc != 0) {
        rc = out_fail(rc, &err);
    } else {
        for (size_t i = 0; i < slsa_lc_plan_count(pl); i++) {
            lost += slsa_lc_plan_at(pl, i)->breaks != 0;
        }
        rc = o->fix != NULL ? write_fix(p, o->fix) : EXIT_OK;
        if (rc == EXIT_OK) {
            rc = o->json ? print_json(pl) : (print_text(pl), EXIT_OK);
        }
        if (rc == EXIT_OK && lost > 0) {
            out_msg("%zu kept image companion(s) would expire", lost);
            rc = EXIT_REJECTED;
        }
    }
    slsa_lc_plan_free(pl);
    slsa_lifecycle_free(p);
    free(ptext);
    free(itext);
    return rc;
}

int cmd_lifecycle(int argc, char **argv)
{
    struct lc_opts o = {0};
    int64_t now = (int64_t)time(NULL);
    int rc;
    rc = parse_args(&o, argc, argv);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (o.at != NULL && parse_at(o.at, &now) != 0) {
        return out_usage("lifecycle",
                         "bad --at '%s' (RFC 3339, e.g. 2026-01-31T12:00:00Z, or epoch seconds)",
                         o.at);
    }
    return run_preview(&o, now);
}
