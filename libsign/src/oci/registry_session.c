/* The registry session: one request sent until it has an answer, as an explicit state
 * machine over registry_auth.c (challenges, tokens) and registry_http.c (one transport
 * attempt). Each send after the first is a replay, for one of three reasons: the first
 * request settles the scheme (https, else plain http on loopback / allow_insecure), a 401
 * challenge is answered once, and transient failures (dropped connections, 429, 5xx) are
 * retried with backoff. Replays are bounded by REG_REPLAY_MAX whatever happens
 * (libgit2's transports/http.c model), and nothing is sent or waited for past the source's
 * deadline (opts->deadline). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "ref_internal.h"
#include "registry_internal.h"
#include "vouch/mem.h"

/* Transient failures retried at most, whatever opts->retries says. */
#define REG_RETRIES_MAX 10
/* Sends of one request after the first at most: one scheme fallback, one answered
 * challenge, the retries. Reaching it is a bug; the bound holds anyway. */
#define REG_REPLAY_MAX (REG_RETRIES_MAX + 2)

/* What the session does next. */
enum reg_step {
    REG_STEP_SEND,   /* the first send */
    REG_STEP_SCHEME, /* the first transport failure: replay over the other scheme / CA set */
    REG_STEP_AUTH,   /* a 401: answer the challenge, replay with the new credentials */
    REG_STEP_RETRY,  /* a transient failure: back off, replay */
    REG_STEP_DONE,   /* an answer: its status is the caller's to judge; or an error in rc */
};

struct reg_session {
    struct reg *r;
    const struct reg_req *req;
    struct reg_resp *resp;
    int retries;                 /* transient failures retried so far */
    int retries_max;             /* opts->retries, bounded by REG_RETRIES_MAX */
    int retry_after;             /* the retry answers a status: honour its Retry-After */
    int authed;                  /* the one 401 challenge was answered */
    int replays;                 /* sends after the first */
    int cc;                      /* curl code of the last send */
    struct vouch_error sent;     /* transport error of the last send */
    struct vouch_error fallback; /* transport error over the first scheme, once replayed */
};

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
    if (cert || (base = vouch_strf("http://%s", r->host)) == NULL) {
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

/* Wait before a retry: 200 ms doubling, or Retry-After (at most 10 s); never past the
 * deadline (the retry then fails at once). */
static void backoff(const struct reg *r, int attempt, const char *retry_after)
{
    long long left = reg_deadline_left(r);
    long ms = 200L << (attempt < 4 ? attempt : 4);
    long ra = 0;
    struct timespec ts;
    for (const char *p = retry_after; *p >= '0' && *p <= '9' && ra < 100; p++) {
        ra = ra * 10 + (*p - '0');
    }
    if (ra > 0) {
        ms = (ra > 10 ? 10 : ra) * 1000L; /* honour Retry-After, bounded */
    }
    if (left < ms) {
        ms = left > 0 ? (long)left : 0;
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

/* One send with the credentials held for the request's scope. */
static int session_send(struct reg_session *s, struct vouch_error *err)
{
    char *auth = reg_auth_header(s->r, s->req->scope);
    int rc = spool_reset(s->req, err);
    vouch_error_clear(&s->sent);
    rc = rc != 0 ? rc : reg_http_once(s->r, s->req, auth, s->resp, &s->cc, &s->sent);
    if (auth != NULL) {
        OPENSSL_cleanse(auth, strlen(auth));
        free(auth);
    }
    return rc;
}

/* The next step after a send that failed in transport (or in resetting its sink). */
static enum reg_step judge_failure(struct reg_session *s, int *rc, struct vouch_error *err)
{
    struct reg *r = s->r;
    int transport = s->sent.code != 0;
    if (*rc == VOUCH_ENETWORK && s->fallback.code == 0 && reg_deadline_left(r) > 0 &&
        scheme_fallback(r, s->cc)) {
        s->fallback = s->sent; /* quoted if the other scheme fails too */
        *rc = 0;
        return REG_STEP_SCHEME;
    }
    if (s->fallback.code != 0) {
        r->scheme_open = 0; /* the second try settles the scheme */
        if (transport && reg_deadline_left(r) > 0) {
            s->sent = s->fallback;
        }
    }
    if (transport && retryable(s->cc) && s->retries < s->retries_max && !s->req->no_retry &&
        reg_deadline_left(r) > 0) {
        s->retry_after = 0;
        *rc = 0;
        return REG_STEP_RETRY;
    }
    if (transport) {
        *rc = vouch_error_set(err, *rc, "%s", s->sent.msg);
    }
    return REG_STEP_DONE;
}

/* The next step after a send that got an answer. */
static enum reg_step judge_answer(struct reg_session *s, int *rc, struct vouch_error *err)
{
    long status = s->resp->status;
    s->r->scheme_open = 0; /* an answer settles the scheme */
    if (status == 401 && !s->authed) {
        return REG_STEP_AUTH;
    }
    if (status == 401 || status == 403) {
        *rc = reg_auth_refused(s->r, s->resp, s->req->scope, err);
        return REG_STEP_DONE;
    }
    if ((status == 429 || status >= 500) && s->retries < s->retries_max && !s->req->no_retry &&
        reg_deadline_left(s->r) > 0) {
        s->retry_after = 1;
        return REG_STEP_RETRY;
    }
    return REG_STEP_DONE;
}

/* Answer the 401 challenge once: a token for the request's scope, or Basic. */
static int session_auth(struct reg_session *s, struct vouch_error *err)
{
    struct reg_challenge ch;
    s->authed = 1;
    if (reg_challenge_parse(&ch, s->resp->www_auth) != 0) {
        return vouch_error_set(err, VOUCH_EAUTH,
                               "registry '%s' asks for an unsupported authentication", s->r->host);
    }
    return reg_auth_answer(s->r, &ch, s->req->scope, err);
}

/* Do what step asks before the next send. */
static int session_prepare(struct reg_session *s, enum reg_step step, struct vouch_error *err)
{
    if (step != REG_STEP_SEND && ++s->replays > REG_REPLAY_MAX) {
        return vouch_error_set(err, VOUCH_ENETWORK, "registry '%s': request sent %d times",
                               s->r->host, s->replays);
    }
    if (step == REG_STEP_AUTH) {
        return session_auth(s, err);
    }
    if (step == REG_STEP_RETRY) {
        backoff(s->r, s->retries++, s->retry_after ? s->resp->retry_after : "");
    }
    return 0;
}

int reg_do(struct reg *r, const struct reg_req *req, struct reg_resp *resp, struct vouch_error *err)
{
    struct reg_session s = {.r = r, .req = req, .resp = resp};
    int rc = reg_base_init(r, err);
    enum reg_step step = REG_STEP_SEND;
    s.retries_max = r->opts->retries < 0 ? 0 : r->opts->retries;
    s.retries_max = r->opts->retries == 0 ? 3 : s.retries_max;
    s.retries_max = s.retries_max < REG_RETRIES_MAX ? s.retries_max : REG_RETRIES_MAX;
    while (rc == 0 && step != REG_STEP_DONE) {
        rc = session_prepare(&s, step, err);
        if (rc == 0) {
            rc = session_send(&s, err);
            step = rc == 0 ? judge_answer(&s, &rc, err) : judge_failure(&s, &rc, err);
        }
    }
    return rc;
}
