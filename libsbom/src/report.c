/* sbom_report_html: the SBOM report page. Summary tables and the license chart (inline SVG)
 * are rendered here, HTML-escaped; the package table is filtered and the dependency tree
 * drawn by the page's one script (report_assets.c), allowed by its hash alone. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "report_internal.h"
#include "vouch/encoding.h"
#include "vouch/mem.h"

#define CHART_BARS 15

struct rw {
    struct vouch_buf *b;
    struct vouch_error *err;
    int rc;
};

static void put(struct rw *w, const char *s)
{
    if (w->rc == 0) {
        w->rc = vouch_buf_puts(w->b, s, w->err);
    }
}

static void putf(struct rw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct rw *w, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    put(w, buf);
}

/* s HTML-escaped (text and attribute values alike), at most max characters (0: all),
 * control characters as '?', ASCII lowercased when lower is set */
static void esc_n(struct rw *w, const char *s, size_t max, int lower)
{
    char buf[256];
    size_t n = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)(s != NULL ? s : ""); *p != '\0'; p++) {
        const char *rep = NULL;
        char one[2] = {(char)*p, '\0'};
        if ((*p & 0xc0) != 0x80 && max > 0 && ++chars > max) {
            rep = "\xe2\x80\xa6";
            p += strlen((const char *)p) - 1;
        } else if (*p == '&') {
            rep = "&amp;";
        } else if (*p == '<') {
            rep = "&lt;";
        } else if (*p == '>') {
            rep = "&gt;";
        } else if (*p == '"') {
            rep = "&quot;";
        } else if (*p == '\'') {
            rep = "&#39;";
        } else if (*p < 0x20 || *p == 0x7f) {
            rep = "?";
        } else {
            one[0] = lower && *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : (char)*p;
            rep = one;
        }
        if (n + strlen(rep) + 1 > sizeof(buf)) {
            buf[n] = '\0';
            put(w, buf);
            n = 0;
        }
        memcpy(buf + n, rep, strlen(rep));
        n += strlen(rep);
    }
    buf[n] = '\0';
    put(w, buf);
}

static void esc(struct rw *w, const char *s)
{
    esc_n(w, s, 0, 0);
}

static const char *nz(const char *s, const char *dflt)
{
    return s != NULL && s[0] != '\0' ? s : dflt;
}

/* ---- counting */

struct tally {
    const char *k;
    size_t n;
};

static int tally_cmp(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    if (x->n != y->n) {
        return x->n < y->n ? 1 : -1;
    }
    return strcmp(x->k, y->k);
}

/* counts of a field (0 ecosystem, 1 layer, 2 license) over the items, most first; the keys
 * are borrowed from *keys (a JSON object the caller frees) */
static struct tally *tally(const struct sbom_inventory *inv, int field, json_t **keys, size_t *n)
{
    struct tally *t;
    const char *k;
    json_t *v;
    *keys = json_object();
    *n = 0;
    for (size_t i = 0; *keys != NULL && i < sbom_inventory_count(inv); i++) {
        const struct sbom_item *it = sbom_inventory_at(inv, i);
        const char *s = field == 0 ? it->ecosystem : field == 1 ? it->layer : it->license;
        s = nz(s, "(none)");
        json_object_set_new(*keys, s,
                            json_integer(json_integer_value(json_object_get(*keys, s)) + 1));
    }
    t = calloc(json_object_size(*keys) + 1, sizeof(*t));
    json_object_foreach(*keys, k, v)
    {
        if (t != NULL) {
            t[(*n)++] = (struct tally){k, (size_t)json_integer_value(v)};
        }
    }
    if (t != NULL) {
        qsort(t, *n, sizeof(*t), tally_cmp);
    }
    return t;
}

static void count_table(struct rw *w, const struct sbom_inventory *inv, int field, const char *id,
                        const char *head)
{
    json_t *keys;
    size_t n;
    struct tally *t = tally(inv, field, &keys, &n);
    if (t == NULL) {
        w->rc = w->rc ? w->rc : vouch_enomem(w->err);
        json_decref(keys);
        return;
    }
    putf(w, "<table id=\"%s\"><thead><tr><th>%s</th><th>packages</th></tr></thead><tbody>\n", id,
         head);
    for (size_t i = 0; i < n; i++) {
        put(w, "<tr data-key=\"");
        esc(w, t[i].k);
        put(w, "\"><td>");
        esc(w, t[i].k);
        putf(w, "</td><td class=\"n\">%zu</td></tr>\n", t[i].n);
    }
    put(w, "</tbody></table>\n");
    free(t);
    json_decref(keys);
}

/* the license breakdown as a horizontal bar chart */
static void license_chart(struct rw *w, const struct sbom_inventory *inv)
{
    json_t *keys;
    size_t n, bars, other = 0, max, h;
    struct tally *t = tally(inv, 2, &keys, &n);
    if (t == NULL) {
        w->rc = w->rc ? w->rc : vouch_enomem(w->err);
        json_decref(keys);
        return;
    }
    bars = n > CHART_BARS ? CHART_BARS : n;
    for (size_t i = bars; i < n; i++) {
        other += t[i].n;
    }
    max = n > 0 ? t[0].n : 1;
    max = other > max ? other : max;
    h = 22 * (bars + (other > 0)) + 4;
    putf(w,
         "<svg id=\"license-chart\" width=\"700\" height=\"%zu\" viewBox=\"0 0 700 %zu\" "
         "role=\"img\" aria-label=\"packages by license\">\n",
         h, h);
    for (size_t i = 0; i < bars + (other > 0); i++) {
        size_t y = 22 * i + 2, c = i < bars ? t[i].n : other;
        size_t wd = 1 + c * 380 / max;
        put(w, "<g class=\"bar\"><title>");
        if (i < bars) {
            esc(w, t[i].k);
        } else {
            putf(w, "%zu other licenses", n - bars);
        }
        putf(w, ": %zu</title><text x=\"270\" y=\"%zu\" text-anchor=\"end\">", c, y + 14);
        if (i < bars) {
            esc_n(w, t[i].k, 38, 0);
        } else {
            putf(w, "%zu other licenses", n - bars);
        }
        putf(w,
             "</text><rect x=\"280\" y=\"%zu\" width=\"%zu\" height=\"18\" fill=\"%s\"/>"
             "<text x=\"%zu\" y=\"%zu\">%zu</text></g>\n",
             y, wd, i < bars ? "#3b6fd6" : "#9aa5b1", 286 + wd, y + 14, c);
    }
    put(w, "</svg>\n");
    free(t);
    json_decref(keys);
}

/* ---- the package table, the dependency data, the findings */

static void severity_badge(struct rw *w, int rank, size_t count)
{
    if (count == 0) {
        put(w, "<td class=\"n\">0</td>");
        return;
    }
    putf(w, "<td class=\"n\"><span class=\"sev sev-%s\">%zu</span></td>", report_sev_name(rank),
         count);
}

static void package_table(struct rw *w, const struct sbom_inventory *inv,
                          const struct report_rows *r, int vulns)
{
    put(w, "<table id=\"pkgs\"><thead><tr><th>name</th><th>version</th><th>ecosystem</th>"
           "<th>license</th><th>layer</th>");
    put(w, vulns ? "<th>vulns</th>" : "");
    put(w, "<th>purl</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < r->n; k++) {
        size_t i = r->order[k];
        const struct sbom_item *it = sbom_inventory_at(inv, i);
        const char *f[] = {it->name, it->version, it->ecosystem, it->license, it->layer, it->purl};
        put(w, "<tr data-eco=\"");
        esc(w, nz(it->ecosystem, "(none)"));
        put(w, "\" data-text=\"");
        for (size_t j = 0; j < sizeof(f) / sizeof(f[0]); j++) {
            esc_n(w, f[j] != NULL ? f[j] : "", 0, 1);
            put(w, " ");
        }
        put(w, "\">");
        for (size_t j = 0; j < sizeof(f) / sizeof(f[0]); j++) {
            if (j == 5 && vulns) {
                severity_badge(w, r->vmax[i], r->vcount[i]);
            }
            put(w, j == 5 ? "<td class=\"purl\">" : "<td>");
            esc(w, f[j]);
            put(w, "</td>");
        }
        put(w, "</tr>\n");
    }
    put(w, "</tbody></table>\n");
}

/* per row, the rows it depends on: integers only, nothing to escape */
static void deps_data(struct rw *w, const struct sbom_inventory *inv, const struct report_rows *r)
{
    put(w, "<script type=\"application/json\" id=\"deps\">[");
    for (size_t k = 0; k < r->n; k++) {
        const struct sbom_item *it = sbom_inventory_at(inv, r->order[k]);
        put(w, k > 0 ? ",[" : "[");
        for (size_t d = 0; d < it->ndeps; d++) {
            putf(w, "%s%zu", d > 0 ? "," : "", r->pos[it->deps[d]]);
        }
        put(w, "]");
    }
    put(w, "]</script>\n");
}

static const struct sbom_report_opts *vsort_opts;

static int finding_cmp(const void *a, const void *b)
{
    const struct sbom_report_vuln *x = &vsort_opts->vulns[*(const size_t *)a];
    const struct sbom_report_vuln *y = &vsort_opts->vulns[*(const size_t *)b];
    int rx = report_sev_rank(x->severity), ry = report_sev_rank(y->severity), c;
    if (rx != ry) {
        return rx < ry ? 1 : -1;
    }
    c = strcmp(nz(x->id, ""), nz(y->id, ""));
    return c != 0 ? c : (*(const size_t *)a < *(const size_t *)b ? -1 : 1);
}

static void findings(struct rw *w, const struct sbom_inventory *inv, const struct report_rows *r,
                     const struct sbom_report_opts *o)
{
    size_t *idx = calloc(o->nvulns + 1, sizeof(*idx)), by[8] = {0};
    if (idx == NULL) {
        w->rc = w->rc ? w->rc : vouch_enomem(w->err);
        return;
    }
    for (size_t f = 0; f < o->nvulns; f++) {
        idx[f] = f;
        by[report_sev_rank(o->vulns[f].severity)]++;
    }
    vsort_opts = o; /* qsort has no context argument in C17 */
    qsort(idx, o->nvulns, sizeof(*idx), finding_cmp);
    vsort_opts = NULL;
    put(w, "<section id=\"vulns\"><h2>Vulnerabilities</h2>\n<p id=\"vuln-summary\">");
    putf(w, "<span id=\"nvulns\">%zu</span> findings in ", o->nvulns);
    esc(w, o->vuln_source);
    putf(w, ", <span id=\"njoined\">%zu</span> joined to packages of the SBOM by purl.</p>\n",
         r->joined);
    put(w, "<table id=\"by-severity\"><thead><tr><th>severity</th><th>findings</th></tr></thead>"
           "<tbody>\n");
    for (int k = 7; k >= 1; k--) {
        if (by[k] > 0) {
            putf(w,
                 "<tr data-key=\"%s\"><td><span class=\"sev sev-%s\">%s</span></td>"
                 "<td class=\"n\">%zu</td></tr>\n",
                 report_sev_name(k), report_sev_name(k), report_sev_name(k), by[k]);
        }
    }
    put(w, "</tbody></table>\n<table id=\"findings\"><thead><tr><th>id</th><th>severity</th>"
           "<th>package</th><th>version</th><th>fixed in</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < o->nvulns; k++) {
        const struct sbom_report_vuln *v = &o->vulns[idx[k]];
        long p = r->fpkg[idx[k]];
        const struct sbom_item *it = p >= 0 ? sbom_inventory_at(inv, (size_t)p) : NULL;
        int rank = report_sev_rank(v->severity);
        put(w, p >= 0 ? "<tr class=\"joined\"><td>" : "<tr class=\"unjoined\"><td>");
        esc(w, v->id);
        putf(w, "</td><td><span class=\"sev sev-%s\">%s</span></td><td>", report_sev_name(rank),
             report_sev_name(rank));
        esc(w, it != NULL ? it->name : v->name);
        put(w,
            it == NULL ? " <span class=\"muted\">(not in the SBOM)</span></td><td>" : "</td><td>");
        esc(w, it != NULL ? it->version : v->version);
        put(w, "</td><td>");
        esc(w, v->fixed);
        put(w, "</td></tr>\n");
    }
    put(w, "</tbody></table></section>\n");
    free(idx);
}

/* 'sha256-BASE64' of an inline asset, for the Content-Security-Policy */
static int csp_hash(char **out, const char *text, struct vouch_error *err)
{
    unsigned char md[32];
    unsigned int n = 0;
    char *b64 = NULL;
    int rc;
    if (EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL) != 1) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "cannot hash the report's script");
    }
    rc = vouch_base64_encode(&b64, md, n, err);
    if (rc == 0) {
        *out = vouch_strf("'sha256-%s'", b64);
        rc = *out != NULL ? 0 : vouch_enomem(err);
    }
    free(b64);
    return rc;
}

static void head(struct rw *w, const struct sbom_inventory *inv, const struct sbom_report_opts *o)
{
    char *js = NULL, *css = NULL;
    if (w->rc == 0) {
        w->rc = csp_hash(&js, report_js, w->err);
    }
    if (w->rc == 0) {
        w->rc = csp_hash(&css, report_css, w->err);
    }
    if (w->rc != 0) {
        return;
    }
    put(w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "base-uri 'none'; form-action 'none'; img-src data:; script-src ");
    put(w, js);
    put(w, "; style-src ");
    put(w, css);
    put(w, "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<meta name=\"viewport\" content=\"width=device-width\">\n<title>SBOM report: ");
    esc(w, o->title);
    put(w, "</title>\n<style>");
    put(w, report_css);
    put(w, "</style></head>\n<body>\n<h1>SBOM report</h1>\n<p class=\"muted\"><span id=\"file\">");
    esc(w, o->title);
    putf(w, "</span> &middot; %s &middot; <span id=\"total\">%zu</span> packages</p>\n",
         sbom_inventory_format(inv), sbom_inventory_count(inv));
    free(js);
    free(css);
}

int sbom_report_html(struct vouch_buf *out, const struct sbom_inventory *inv,
                     const struct sbom_report_opts *o, struct vouch_error *err)
{
    struct rw w = {out, err, 0};
    struct report_rows r;
    int vulns = o->vuln_source != NULL;
    if (report_rows(&r, inv, o) != 0) {
        report_rows_release(&r);
        return vouch_enomem(err);
    }
    head(&w, inv, o);
    put(&w, "<section id=\"summary\" class=\"grid\">\n<div><h2>By ecosystem</h2>\n");
    count_table(&w, inv, 0, "by-ecosystem", "ecosystem");
    put(&w, "</div><div><h2>By layer</h2>\n");
    count_table(&w, inv, 1, "by-layer", "layer");
    put(&w, "</div></section>\n<section id=\"licenses\"><h2>Licenses</h2>\n");
    license_chart(&w, inv);
    put(&w, "</section>\n<section id=\"packages\"><h2>Packages</h2>\n<p>"
            "<input id=\"q\" type=\"search\" placeholder=\"filter: name, version, license, purl\" "
            "aria-label=\"filter\"><select id=\"eco\" aria-label=\"ecosystem\">"
            "<option value=\"\">every ecosystem</option>");
    json_t *keys;
    size_t n;
    struct tally *t = tally(inv, 0, &keys, &n);
    for (size_t i = 0; t != NULL && i < n; i++) {
        put(&w, "<option>");
        esc(&w, t[i].k);
        put(&w, "</option>");
    }
    free(t);
    json_decref(keys);
    putf(&w,
         "</select><span id=\"shown\">%zu</span> of %zu shown; click a package for its "
         "dependencies.</p>\n",
         r.n, r.n);
    package_table(&w, inv, &r, vulns);
    put(&w, "</section>\n<section id=\"graph\"><h2>Dependencies of <span id=\"sel\">(select a "
            "package)</span></h2>\n<p><span id=\"ndeps\">0</span> dependencies listed; required "
            "by: <span id=\"rdeps\">-</span></p>\n<ul id=\"tree\"></ul></section>\n");
    if (vulns) {
        findings(&w, inv, &r, o);
    }
    deps_data(&w, inv, &r);
    put(&w, "<script>");
    put(&w, report_js);
    put(&w, "</script>\n</body></html>\n");
    report_rows_release(&r);
    return w.rc;
}
