/* HTTP for the registry client over libcurl: one reused handle (keep-alive), bounded
 * bodies, captured headers, TLS verification on (CA file option), retries with backoff on
 * 429/5xx and dropped connections, and the 401 -> auth -> retry loop. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "ref_internal.h"
#include "registry_internal.h"

struct sink {
    CURL *curl;
    const struct reg_req *req;
    struct reg_resp *resp;
    unsigned long long spooled;
    unsigned long long dropped;
    int too_large;
};

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
        if (s->spooled > REG_BLOB_MAX || fwrite(p, 1, n, s->req->spool) != n ||
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
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, strcmp(req->method, "GET") == 0 ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout > 0 ? o->connect_timeout : 30L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout > 0 ? o->timeout : 0L);
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

int reg_http_once(struct reg *r, const struct reg_req *req, const char *auth, struct reg_resp *resp,
                  int *curl_code, struct vouch_error *err)
{
    CURL *c = r->curl;
    struct sink s = {c, req, resp, 0, 0, 0};
    char *url = is_abs(req->url) ? strdup(req->url) : ref_strf("%s%s", r->base, req->url);
    struct curl_slist *h = req_headers(req, auth);
    char errbuf[CURL_ERROR_SIZE] = "";
    CURLcode cc;
    int rc = 0;
    resp_reset(resp);
    if (url == NULL || h == NULL) {
        free(url);
        headers_free(h);
        return vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
    }
    curl_easy_reset(c); /* keeps the connection cache: keep-alive across requests */
    set_options(c, r, url, req, &s, h);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    cc = curl_easy_perform(c);
    *curl_code = (int)cc;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    if (s.too_large) {
        rc = vouch_error_set(err, VOUCH_EINVAL, "answer of registry '%s' to %s is too large",
                             r->host, req->method);
    } else if (cc == CURLE_PARTIAL_FILE) {
        rc = vouch_error_set(err, VOUCH_ENETWORK, "truncated answer from registry '%s': %s",
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
    r->base = ref_strf("https://%s", r->host);
    /* loopback / allow_insecure: the first real request (no /v2/ ping) finds out whether the
     * registry speaks TLS; plain http only when https failed for a reason other than the
     * certificate */
    r->scheme_open = r->loopback || r->opts->allow_insecure;
    return r->base != NULL ? 0 : vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
}

/* After a transport failure of the first request: 1 when it is worth sending it again over
 * another scheme or CA setting (base / ca_lazy updated), else 0. */
static int scheme_fallback(struct reg *r, int cc)
{
    int cert = cc == CURLE_PEER_FAILED_VERIFICATION;
    char *base;
    if (!r->scheme_open) {
        return 0;
    }
    if (r->ca_lazy && (cert || cc == CURLE_SSL_CACERT_BADFILE)) {
        /* the CA directory alone did not do: again with libcurl's whole default CA set */
        r->ca_lazy = 0;
        return 1;
    }
    r->scheme_open = 0;
    if (cert || (base = ref_strf("http://%s", r->host)) == NULL) {
        return 0; /* never plain http after a certificate failure */
    }
    free(r->base);
    r->base = base;
    return 1;
}

static int retryable(int cc)
{
    return cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR || cc == CURLE_GOT_NOTHING ||
           cc == CURLE_PARTIAL_FILE || cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_HTTP2_STREAM;
}

static void backoff(int attempt, const char *retry_after)
{
    long ms = 200L << (attempt < 4 ? attempt : 4);
    long ra = 0;
    struct timespec ts;
    for (const char *p = retry_after; *p >= '0' && *p <= '9' && ra < 100; p++) {
        ra = ra * 10 + (*p - '0');
    }
    if (ra > 0) {
        ms = (ra > 10 ? 10 : ra) * 1000L; /* honour Retry-After, bounded */
    }
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static int spool_reset(const struct reg_req *req, struct vouch_error *err)
{
    if (req->out != NULL) {
        vouch_buf_reset(req->out);
    }
    if (req->spool == NULL) {
        return 0;
    }
    rewind(req->spool);
    if (ftruncate(fileno(req->spool), 0) != 0) {
        return vouch_error_sys(err, VOUCH_EIO, errno, "cannot reset temporary file");
    }
    return oci_hash_reset(req->spool_hash, err);
}

int reg_do(struct reg *r, const struct reg_req *req, struct reg_resp *resp, struct vouch_error *err)
{
    int max = r->opts->retries == 0 ? 3 : r->opts->retries < 0 ? 0 : r->opts->retries;
    int authed = 0, cc = 0, rc = reg_base_init(r, err);
    struct vouch_error first = VOUCH_ERROR_INIT;
    for (int attempt = 0; rc == 0; attempt++) {
        struct vouch_error e2 = VOUCH_ERROR_INIT;
        char *auth = reg_auth_header(r, req->scope);
        rc = spool_reset(req, err);
        rc = rc != 0 ? rc : reg_http_once(r, req, auth, resp, &cc, &e2);
        if (auth != NULL) {
            OPENSSL_cleanse(auth, strlen(auth));
            free(auth);
        }
        if (rc == VOUCH_ENETWORK && first.code == 0 && scheme_fallback(r, cc)) {
            first = e2; /* quoted if the other scheme fails too */
            rc = 0;
            attempt--;
            continue;
        }
        if (rc == 0 || first.code != 0) {
            r->scheme_open = 0; /* an answer, or the second try, settles the scheme */
        }
        if (rc != 0 && e2.code != 0 && first.code != 0 && !r->scheme_open) {
            e2 = first;
        }
        if (rc != 0 && e2.code != 0 && retryable(cc) && attempt < max && !req->no_retry) {
            backoff(attempt, "");
            rc = 0;
            continue;
        }
        if (rc != 0) {
            return vouch_error_set(err, rc, "%s", e2.msg);
        }
        if (resp->status == 401 && !authed) {
            struct reg_challenge ch;
            authed = 1;
            attempt--;
            rc = reg_challenge_parse(&ch, resp->www_auth) != 0
                     ? vouch_error_set(err, VOUCH_EAUTH,
                                       "registry '%s' asks for an unsupported authentication",
                                       r->host)
                     : reg_auth_answer(r, &ch, req->scope, err);
            continue;
        }
        if (resp->status == 401 || resp->status == 403) {
            return reg_auth_refused(r, resp, req->scope, err);
        }
        if ((resp->status == 429 || resp->status >= 500) && attempt < max && !req->no_retry) {
            backoff(attempt, resp->retry_after);
            continue;
        }
        return 0;
    }
    return rc;
}

int reg_status_error(const struct reg *r, const struct reg_resp *resp, const char *what,
                     struct vouch_error *err)
{
    json_t *root = json_loadb((const char *)resp->errbody.data, resp->errbody.len, 0, NULL);
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
