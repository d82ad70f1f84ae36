/* HTTP for the registry client over libcurl: one transport attempt on one reused handle
 * (keep-alive), bounded bodies, captured headers, TLS verification on (CA file option).
 * Retries, auth and the scheme fallback are the session's (registry_session.c). */
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "ref_internal.h"
#include "registry_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

struct sink {
    CURL *curl;
    const struct reg_req *req;
    struct reg_resp *resp;
    unsigned long long spooled;
    unsigned long long dropped;
    int too_large;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void reg_deadline_start(struct reg *r)
{
    long d = r->opts->deadline == 0 ? SIGN_OCI_DEADLINE_DEFAULT : r->opts->deadline;
    r->deadline_ms = d > 0 ? now_ms() + (long long)d * 1000 : 0;
}

long long reg_deadline_left(const struct reg *r)
{
    return r->deadline_ms == 0 ? LLONG_MAX : r->deadline_ms - now_ms();
}

static long deadline_seconds(const struct reg *r)
{
    return r->opts->deadline == 0 ? SIGN_OCI_DEADLINE_DEFAULT : r->opts->deadline;
}

void reg_resp_release(struct reg_resp *r)
{
    vouch_buf_release(&r->errbody);
}

static void header_keep(char *dst, size_t size, const char *v, size_t n)
{
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ')) {
        n--;
    }
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    if (n >= size) {
        n = size - 1; /* bounded: longer values are cut, never overflow */
    }
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    struct reg_resp *r = s->resp;
    size_t n = size * nmemb;
    static const struct {
        const char *name;
        size_t off;
        size_t size;
    } keep[] = {
        {"www-authenticate", offsetof(struct reg_resp, www_auth), sizeof(r->www_auth)},
        {"docker-content-digest", offsetof(struct reg_resp, digest), sizeof(r->digest)},
        {"content-type", offsetof(struct reg_resp, content_type), sizeof(r->content_type)},
        {"location", offsetof(struct reg_resp, location), sizeof(r->location)},
        {"link", offsetof(struct reg_resp, link), sizeof(r->link)},
        {"retry-after", offsetof(struct reg_resp, retry_after), sizeof(r->retry_after)},
    };
    if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) { /* a new response (redirect): forget */
        for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
            ((char *)r + keep[i].off)[0] = '\0';
        }
        return n;
    }
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        size_t kn = strlen(keep[i].name);
        if (n > kn && p[kn] == ':' && strncasecmp(p, keep[i].name, kn) == 0) {
            header_keep((char *)r + keep[i].off, keep[i].size, p + kn + 1, n - kn - 1);
        }
    }
    return n;
}

/* 2xx bodies go to the request's sink (capped buffer or hashed spool file); any other
 * body is kept, capped, to quote the registry's error message. */
static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    size_t n = size * nmemb;
    long status = 0;
    curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300 && s->req->spool != NULL) {
        s->spooled += n;
        if (s->spooled > REG_BLOB_MAX ||
            (s->req->spool_sized && s->spooled > (unsigned long long)s->req->spool_max) ||
            fwrite(p, 1, n, s->req->spool) != n ||
            oci_hash_update(s->req->spool_hash, p, n, NULL) != 0) {
            s->too_large = 1;
            return 0;
        }
        return n;
    }
    if (status >= 200 && status < 300 && s->req->out != NULL) {
        if (vouch_buf_append(s->req->out, p, n, NULL) != 0) {
            s->too_large = 1;
            return 0;
        }
        return n;
    }
    /* other bodies: keep the start (for the error message), drop the rest, up to a bound */
    s->dropped += n;
    if (s->dropped > REG_DROP_MAX) {
        s->too_large = 1;
        return 0;
    }
    if (s->resp->errbody.len < s->resp->errbody.max) {
        size_t room = s->resp->errbody.max - s->resp->errbody.len;
        vouch_buf_append(&s->resp->errbody, p, n < room ? n : room, NULL);
    }
    return n;
}

static int is_abs(const char *url)
{
    return strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0;
}

static struct curl_slist *req_headers(const struct reg_req *req, const char *auth)
{
    struct curl_slist *h = curl_slist_append(NULL, "Expect:");
    char line[1024];
    if (req->accept != NULL) {
        snprintf(line, sizeof(line), "Accept: %s", req->accept);
        h = curl_slist_append(h, line);
    }
    if (req->content_type != NULL) {
        snprintf(line, sizeof(line), "Content-Type: %s", req->content_type);
        h = curl_slist_append(h, line);
    }
    if (req->content_range != NULL) {
        snprintf(line, sizeof(line), "Content-Range: %s", req->content_range);
        h = curl_slist_append(h, line);
    }
    if (auth != NULL) {
        h = curl_slist_append(h, auth);
    }
    return h;
}

/* The request's own timeout, cut to what is left of the deadline (0 = none). */
static long request_timeout_ms(const struct reg *r)
{
    long long left = reg_deadline_left(r);
    long long own = r->opts->timeout > 0 ? (long long)r->opts->timeout * 1000 : LLONG_MAX;
    long long ms = left < own ? left : own;
    if (ms == LLONG_MAX) {
        return 0L;
    }
    if (ms > LONG_MAX) {
        return LONG_MAX;
    }
    return ms < 1 ? 1L : (long)ms;
}

static void set_options(CURL *c, struct reg *r, const char *url, const struct reg_req *req,
                        struct sink *s, struct curl_slist *hdrs)
{
    const struct sign_oci_opts *o = r->opts;
    int insecure = o->allow_insecure;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vouch/" VOUCH_VERSION);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
                     insecure || r->loopback ? "http,https" : "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION,
                     strcmp(req->method, "GET") == 0 && !req->no_redirect ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout > 0 ? o->connect_timeout : 30L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, request_timeout_ms(r));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L); /* stalled for 60 s: give up */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, insecure ? 0L : 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, insecure ? 0L : 2L);
    if (o->ca_file != NULL) {
        curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
    } else if (r->ca_lazy && r->scheme_open) {
        curl_easy_setopt(c, CURLOPT_CAINFO, NULL); /* CA directory only: looked up lazily */
    }
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    if (strcmp(req->method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (strcmp(req->method, "GET") != 0) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body != NULL ? req->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    }
}

static void headers_free(struct curl_slist *h)
{
    for (struct curl_slist *p = h; p != NULL; p = p->next) {
        if (strncasecmp(p->data, "Authorization:", 14) == 0) {
            OPENSSL_cleanse(p->data, strlen(p->data)); /* credentials never linger */
        }
    }
    curl_slist_free_all(h);
}

static void resp_reset(struct reg_resp *resp)
{
    vouch_buf_release(&resp->errbody);
    memset(resp, 0, sizeof(*resp));
    vouch_buf_init(&resp->errbody, REG_ERROR_BODY_MAX);
}

/* The URL for a request log: no userinfo, no query or fragment (signed blob URLs carry
 * credentials there). */
static void log_url(char *dst, size_t size, const char *url)
{
    const char *host = strstr(url, "://");
    const char *at, *end;
    size_t pre = host != NULL ? (size_t)(host + 3 - url) : 0, n;
    host = url + pre;
    end = host + strcspn(host, "/?#");
    at = memchr(host, '@', (size_t)(end - host));
    n = pre < size ? pre : size - 1;
    memcpy(dst, url, n);
    snprintf(dst + n, size - n, "%.*s", (int)strcspn(at != NULL ? at + 1 : host, "?#"),
             at != NULL ? at + 1 : host);
}

static void http_log(const struct reg *r, const struct reg_req *req, const char *url, long status,
                     long long start, int cc, const char *errbuf)
{
    struct sign_oci_http_event ev;
    char u[2048];
    if (r->opts->http_log == NULL) {
        return;
    }
    log_url(u, sizeof(u), url);
    ev.method = req->method;
    ev.url = u;
    ev.status = status;
    ev.ms = now_ms() - start;
    ev.error = cc == CURLE_OK ? NULL : errbuf[0] ? errbuf : curl_easy_strerror((CURLcode)cc);
    r->opts->http_log(r->opts->http_log_ctx, &ev);
}

/* A TLS failure says so in words a caller can add its own advice to. */
static int tls_failure(int cc)
{
    return cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE;
}

int reg_http_once(struct reg *r, const struct reg_req *req, const char *auth, struct reg_resp *resp,
                  int *curl_code, struct vouch_error *err)
{
    CURL *c = r->curl;
    struct sink s = {c, req, resp, 0, 0, 0};
    char *url = is_abs(req->url) ? strdup(req->url) : vouch_strf("%s%s", r->base, req->url);
    struct curl_slist *h = req_headers(req, auth);
    char errbuf[CURL_ERROR_SIZE] = "";
    CURLcode cc;
    long long start = now_ms();
    int rc = 0;
    resp_reset(resp);
    *curl_code = CURLE_OK;
    if (reg_deadline_left(r) <= 0) {
        free(url);
        headers_free(h);
        *curl_code = CURLE_OPERATION_TIMEDOUT;
        return vouch_error_set(err, VOUCH_ENETWORK, "registry '%s' did not finish within %ld s",
                               r->host, deadline_seconds(r));
    }
    if (url == NULL || h == NULL) {
        free(url);
        headers_free(h);
        return vouch_enomem(err);
    }
    curl_easy_reset(c); /* keeps the connection cache: keep-alive across requests */
    set_options(c, r, url, req, &s, h);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    cc = curl_easy_perform(c);
    *curl_code = (int)cc;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    http_log(r, req, url, resp->status, start, (int)cc, errbuf);
    if (s.too_large) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "answer of registry '%s' to %s is too large",
                             r->host, req->method);
    } else if (cc == CURLE_OPERATION_TIMEDOUT && reg_deadline_left(r) <= 0) {
        rc = vouch_error_set(err, VOUCH_ENETWORK, "registry '%s' did not finish within %ld s",
                             r->host, deadline_seconds(r));
    } else if (cc == CURLE_PARTIAL_FILE) {
        rc = vouch_error_set(err, VOUCH_ENETWORK, "truncated answer from registry '%s': %s",
                             r->host, errbuf[0] ? errbuf : curl_easy_strerror(cc));
    } else if (tls_failure((int)cc)) {
        rc = vouch_error_set(err, VOUCH_ENETWORK, "cannot reach registry '%s': TLS failed: %s",
                             r->host, errbuf[0] ? errbuf : curl_easy_strerror(cc));
    } else if (cc != CURLE_OK) {
        rc = vouch_error_set(err, VOUCH_ENETWORK, "cannot reach registry '%s': %s", r->host,
                             errbuf[0] ? errbuf : curl_easy_strerror(cc));
    }
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    headers_free(h);
    free(url);
    return rc;
}

int reg_base_init(struct reg *r, struct vouch_error *err)
{
    if (r->base != NULL) {
        return 0;
    }
    r->base = vouch_strf("https://%s", r->host);
    /* loopback / allow_insecure: the first real request (no /v2/ ping) finds out whether the
     * registry speaks TLS; plain http only when https failed for a reason other than the
     * certificate */
    r->scheme_open = r->loopback || r->opts->allow_insecure;
    return r->base != NULL ? 0 : vouch_enomem(err);
}

int reg_same_origin(const struct reg *r, const char *url)
{
    size_t n = r->base != NULL ? strlen(r->base) : 0;
    if (url[0] == '/') {
        return url[1] != '/'; /* "//host/…" names another origin */
    }
    return n > 0 && strncasecmp(url, r->base, n) == 0 &&
           (url[n] == '/' || url[n] == '?' || url[n] == '\0');
}

int reg_status_error(const struct reg *r, const struct reg_resp *resp, const char *what,
                     struct vouch_error *err)
{
    json_t *root = vouch_json_load((const char *)resp->errbody.data, resp->errbody.len, 0, NULL);
    json_t *e0 = json_array_get(json_object_get(root, "errors"), 0);
    const char *msg = json_string_value(json_object_get(e0, "message"));
    char clean[160] = "";
    int code = resp->status == 404                          ? VOUCH_ENOTFOUND
               : resp->status == 400                        ? VOUCH_EINVAL
               : resp->status == 401 || resp->status == 403 ? VOUCH_EAUTH
                                                            : VOUCH_ENETWORK;
    for (size_t i = 0; msg != NULL && msg[i] != '\0' && i + 1 < sizeof(clean); i++) {
        clean[i] = isprint((unsigned char)msg[i]) ? msg[i] : '?'; /* one line, no escapes */
        clean[i + 1] = '\0';
    }
    vouch_error_set(err, code, "%s: registry '%s' answered HTTP %ld%s%s", what, r->host,
                    resp->status, clean[0] ? ": " : "", clean);
    json_decref(root);
    return code;
}
