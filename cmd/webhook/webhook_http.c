/* HTTPS front of the webhook on libmicrohttpd (TLS through its GnuTLS backend): routes,
 * bounded request bodies, health, readiness and metrics, and the plain-HTTP admin
 * listener. MHD parses HTTP; the query string the apiserver appends (`?timeout=10s`) never
 * reaches the route. Each connection has its own thread (a review waiting on a registry
 * blocks nobody else), connections are capped in total and per client address, and an
 * idle connection (handshake, headers or body stalled) is closed after WH_CONN_TIMEOUT_S. */
#define _DEFAULT_SOURCE /* usleep */
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef VOUCH_HAVE_MHD
#include <microhttpd.h>

#include "vouch/buf.h"
#include "webhook.h"

struct wh_req {
    struct vouch_buf body;
    int answered; /* a 413 was queued before the body was read */
};

static const char too_large_json[] = "{\"error\":\"request body too large\"}";

static enum MHD_Result send_body(struct MHD_Connection *c, unsigned code, const char *type,
                                 char *body, size_t len)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    if (body == NULL) {
        body = strdup("{\"error\":\"out of memory\"}");
        code = MHD_HTTP_INTERNAL_SERVER_ERROR;
        len = body != NULL ? strlen(body) : 0;
        type = "application/json";
    }
    r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_str(struct MHD_Connection *c, unsigned code, const char *type,
                                const char *text)
{
    char *b = strdup(text);
    return send_body(c, code, type, b, b != NULL ? strlen(b) : 0);
}

static enum MHD_Result route_get(struct wh_server *s, struct MHD_Connection *c, const char *url)
{
    if (strcmp(url, "/healthz") == 0) {
        return send_str(c, MHD_HTTP_OK, "text/plain", "ok\n");
    }
    if (strcmp(url, "/readyz") == 0) {
        int down = atomic_load(&s->shutting_down);
        return send_str(c, down ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_OK, "text/plain",
                        down ? "shutting down\n" : "ok\n");
    }
    if (strcmp(url, "/metrics") == 0) {
        size_t len = 0;
        char *m = wh_metrics_render(s, &len);
        return send_body(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", m, len);
    }
    return send_str(c, MHD_HTTP_NOT_FOUND, "application/json", "{\"error\":\"not found\"}");
}

static int is_mutate_path(const char *url)
{
    return strcmp(url, "/mutate") == 0;
}

static enum MHD_Result route_post(struct wh_server *s, struct MHD_Connection *c, const char *url,
                                  struct wh_req *rq)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    char *resp = NULL;
    size_t len = 0;
    unsigned code;
    if (ct == NULL || strncmp(ct, "application/json", 16) != 0) {
        atomic_fetch_add(&s->m.requests_rejected, 1);
        return send_str(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "application/json",
                        "{\"error\":\"Content-Type must be application/json\"}");
    }
    code = (unsigned)wh_review(s, (const char *)rq->body.data, rq->body.len, is_mutate_path(url),
                               &resp, &len);
    return send_body(c, code, "application/json", resp, len);
}

static int is_review_path(const char *url)
{
    return strcmp(url, "/validate") == 0 || strcmp(url, "/") == 0 || is_mutate_path(url);
}

/* 413 before the body is read, when the Content-Length says it is too large. MHD closes
 * the connection after this answer. */
static enum MHD_Result refuse_large(struct wh_server *s, struct MHD_Connection *c,
                                    struct wh_req *rq)
{
    rq->answered = 1;
    atomic_fetch_add(&s->m.requests_rejected, 1);
    return send_str(c, MHD_HTTP_CONTENT_TOO_LARGE, "application/json", too_large_json);
}

static enum MHD_Result on_upload(struct wh_server *s, struct MHD_Connection *c, struct wh_req *rq,
                                 const char *data, size_t *size)
{
    if (rq->answered) {
        *size = 0; /* MHD discards the rest and closes */
        return MHD_YES;
    }
    if (vouch_buf_append(&rq->body, data, *size, NULL) != 0) {
        /* a chunked body past the limit: libmicrohttpd 0.9 cannot queue an answer in mid-body,
         * so the connection is cut at once rather than read to its end */
        (void)c;
        atomic_fetch_add(&s->m.requests_rejected, 1);
        return MHD_NO;
    }
    *size = 0;
    return MHD_YES;
}

static int is_admin_path(const char *url)
{
    return !strcmp(url, "/healthz") || !strcmp(url, "/readyz") || !strcmp(url, "/metrics");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **req_cls)
{
    struct wh_server *s = cls;
    struct wh_req *rq = *req_cls;
    (void)version;
    if (rq == NULL) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if ((rq = calloc(1, sizeof(*rq))) == NULL) {
            return MHD_NO;
        }
        vouch_buf_init(&rq->body, s->cfg.max_body);
        *req_cls = rq;
        atomic_fetch_add(&s->in_flight, 1);
        if (cl != NULL && strtoull(cl, NULL, 10) > s->cfg.max_body) {
            return refuse_large(s, c, rq);
        }
        return MHD_YES;
    }
    if (*upload_size > 0) {
        return on_upload(s, c, rq, upload_data, upload_size);
    }
    if (rq->answered) {
        return MHD_YES;
    }
    if (strcmp(method, "GET") == 0 && !is_review_path(url)) {
        return route_get(s, c, url);
    }
    if (strcmp(method, "POST") == 0 && is_review_path(url)) {
        return route_post(s, c, url, rq);
    }
    if (is_review_path(url) || is_admin_path(url)) {
        return send_str(c, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json",
                        "{\"error\":\"method not allowed\"}");
    }
    return send_str(c, MHD_HTTP_NOT_FOUND, "application/json", "{\"error\":\"not found\"}");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct wh_server *s = cls;
    struct wh_req *rq = *req_cls;
    (void)c;
    (void)toe;
    if (rq != NULL) {
        vouch_buf_release(&rq->body);
        free(rq);
        *req_cls = NULL;
        atomic_fetch_sub(&s->in_flight, 1);
    }
}

/* libmicrohttpd's messages; a flood of refused connections is logged sparingly (the first
 * WH_LOG_BURST, then every WH_LOG_EVERY-th), so an attack cannot fill the log */
#define WH_LOG_BURST 10u
#define WH_LOG_EVERY 1000u
__attribute__((format(printf, 2, 0))) static void on_log(void *cls, const char *fmt, va_list ap)
{
    static atomic_uint refused;
    (void)cls;
    if (strstr(fmt, "connection limit") != NULL) {
        unsigned n = atomic_fetch_add(&refused, 1) + 1;
        if (n > WH_LOG_BURST && n % WH_LOG_EVERY != 0) {
            return;
        }
        fprintf(stderr, "vouch: webhook: connection refused at the connection limit (%u so far)\n",
                n);
        return;
    }
    fputs("vouch: webhook: ", stderr);
    vfprintf(stderr, fmt, ap);
}

static int resolve(struct sockaddr_storage *ss, const char *listen, struct vouch_error *err)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    size_t hl = colon != NULL ? (size_t)(colon - listen) : 0;
    if (colon == NULL || hl == 0 || hl >= sizeof(host)) {
        return vouch_error_set(err, VOUCH_EINVAL, "bad listen address '%s' (want HOST:PORT)",
                               listen);
    }
    if (listen[0] == '[' && listen[hl - 1] == ']') {
        memcpy(host, listen + 1, hl - 2);
        host[hl - 2] = '\0';
    } else {
        memcpy(host, listen, hl);
        host[hl] = '\0';
    }
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || ai == NULL) {
        if (ai != NULL) {
            freeaddrinfo(ai);
        }
        return vouch_error_set(err, VOUCH_EINVAL,
                               "bad listen address '%s' (want a numeric HOST:PORT)", listen);
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    return 0;
}

int wh_http_start(struct MHD_Daemon **out, struct wh_server *s, const char *cert_pem,
                  const char *key_pem, unsigned *port, struct vouch_error *err)
{
    struct sockaddr_storage ss = {0};
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_POLL | MHD_USE_TLS | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    int rc = resolve(&ss, s->cfg.listen, err);
    if (rc != 0) {
        return rc;
    }
    if (ss.ss_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
    }
    *out = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_log,
                            NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_CONNECTION_TIMEOUT, WH_CONN_TIMEOUT_S,
                            MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_conns,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->cfg.max_conns_per_client,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_HTTPS_MEM_KEY,
                            key_pem, MHD_OPTION_HTTPS_MEM_CERT, cert_pem, MHD_OPTION_END);
    if (*out == NULL) {
        return vouch_error_set(err, VOUCH_EIO,
                               "cannot start the HTTPS server on '%s' (address in use, or bad "
                               "certificate/key)",
                               s->cfg.listen);
    }
    info = MHD_get_daemon_info(*out, MHD_DAEMON_INFO_BIND_PORT);
    *port = info != NULL ? info->port : 0;
    return 0;
}

int wh_http_stop(struct MHD_Daemon *d, struct wh_server *s)
{
    MHD_socket fd = MHD_quiesce_daemon(d);
    if (fd != MHD_INVALID_SOCKET) {
        close(fd);
    }
    for (unsigned i = 0; i < WH_DRAIN_MS / 10 && atomic_load(&s->in_flight) > 0; i++) {
        usleep(10000);
    }
    if (atomic_load(&s->in_flight) > 0) {
        return -1; /* stopping would wait for them: leave it to the exit */
    }
    MHD_stop_daemon(d);
    return 0;
}

/* --- the admin listener: plain HTTP, meant for loopback or a port only operators reach */

static enum MHD_Result on_admin(void *cls, struct MHD_Connection *c, const char *url,
                                const char *method, const char *version, const char *upload_data,
                                size_t *upload_size, void **req_cls)
{
    struct wh_server *s = cls;
    char body[64];
    (void)version;
    (void)upload_data;
    if (*req_cls == NULL) {
        *req_cls = s; /* headers seen; answer once the (ignored) body is in */
        return MHD_YES;
    }
    if (*upload_size > 0) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/cache/flush") != 0) {
        return send_str(c, MHD_HTTP_NOT_FOUND, "application/json", "{\"error\":\"not found\"}");
    }
    if (strcmp(method, "POST") != 0) {
        return send_str(c, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json",
                        "{\"error\":\"method not allowed\"}");
    }
    snprintf(body, sizeof(body), "{\"flushed\":%zu}\n", wh_cache_flush(s->cache));
    fprintf(stderr, "vouch: webhook: cache flushed on request: %s", body);
    return send_str(c, MHD_HTTP_OK, "application/json", body);
}

int wh_admin_start(struct MHD_Daemon **out, struct wh_server *s, unsigned *port,
                   struct vouch_error *err)
{
    struct sockaddr_storage ss = {0};
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
    int rc = resolve(&ss, s->cfg.admin_listen, err);
    if (rc != 0) {
        return rc;
    }
    if (ss.ss_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
    }
    *out = MHD_start_daemon(flags, 0, NULL, NULL, on_admin, s, MHD_OPTION_EXTERNAL_LOGGER, on_log,
                            NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_CONNECTION_TIMEOUT, WH_CONN_TIMEOUT_S,
                            MHD_OPTION_CONNECTION_LIMIT, 16u, MHD_OPTION_END);
    if (*out == NULL) {
        return vouch_error_set(err, VOUCH_EIO, "cannot start the admin listener on '%s'",
                               s->cfg.admin_listen);
    }
    info = MHD_get_daemon_info(*out, MHD_DAEMON_INFO_BIND_PORT);
    *port = info != NULL ? info->port : 0;
    return 0;
}

void wh_admin_stop(struct MHD_Daemon *d)
{
    MHD_stop_daemon(d);
}
#else /* built without libmicrohttpd */

#include "webhook.h"

int wh_http_start(struct MHD_Daemon **out, struct wh_server *s, const char *cert_pem,
                  const char *key_pem, unsigned *port, struct vouch_error *err)
{
    (void)s;
    (void)cert_pem;
    (void)key_pem;
    (void)port;
    *out = NULL;
    return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                           "vouch was built without libmicrohttpd: the webhook is not available");
}

int wh_http_stop(struct MHD_Daemon *d, struct wh_server *s)
{
    (void)d;
    (void)s;
    return 0;
}

int wh_admin_start(struct MHD_Daemon **out, struct wh_server *s, unsigned *port,
                   struct vouch_error *err)
{
    (void)s;
    (void)port;
    *out = NULL;
    return vouch_error_set(err, VOUCH_EUNSUPPORTED,
                           "vouch was built without libmicrohttpd: the webhook is not available");
}

void wh_admin_stop(struct MHD_Daemon *d)
{
    (void)d;
}
#endif
