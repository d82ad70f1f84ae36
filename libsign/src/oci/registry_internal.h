/* Private: the Distribution API v2 client (registry*.c): one keep-alive CURL handle per
 * source, bounded responses, retries, and the Basic / Bearer token auth flow. */
#ifndef SIGN_REGISTRY_INTERNAL_H
#define SIGN_REGISTRY_INTERNAL_H

#include <stdio.h>

#include "oci_internal.h"

#define REG_TOKENS_MAX 16
#define REG_ERROR_BODY_MAX ((size_t)64 << 10)
#define REG_TOKEN_BODY_MAX ((size_t)1 << 20)
#define REG_DROP_MAX ((unsigned long long)16 << 20) /* unwanted body bytes read at most */
#define REG_SMALL_BLOB ((size_t)64 << 10)           /* blobs pushed without a HEAD first */
#define REG_BLOB_MAX ((unsigned long long)64 << 30) /* largest blob spooled (64 GiB) */

struct reg_token {
    char *scope;
    char *token; /* secret: wiped on free */
};

/** A registry connection for one repository. */
struct reg {
    void *curl; /* CURL *, reused for keep-alive */
    char *host; /* api host[:port] */
    char *repo;
    char *base;      /* "https://host" or "http://host" once the first request is sent, else NULL */
    int loopback;    /* plain http may be tried: a loopback host, or opts->allow_http */
    int scheme_open; /* the first answer is still to decide https or plain http */
    int ca_lazy;     /* while scheme_open: verify with the CA directory alone (no bundle) */
    char *user;      /* credentials or NULL (secret: wiped on free) */
    char *pass;
    int basic;             /* the registry asked for Basic auth */
    long long deadline_ms; /* CLOCK_MONOTONIC ms by which every request ends, or 0 = none */
    struct reg_token tokens[REG_TOKENS_MAX];
    size_t ntokens;
    const struct sign_oci_opts *opts;
};

/** One request. body is sent as is (requests are retried, so bodies live in memory). */
struct reg_req {
    const char *method; /* GET HEAD PUT POST PATCH DELETE */
    const char *url;    /* absolute, or a path below base ("/v2/...") */
    const char *accept;
    const char *content_type;
    const char *content_range;
    const void *body;
    size_t body_len;
    const char *scope;     /* auth scope, e.g. "repository:a/b:pull" */
    struct vouch_buf *out; /* response body (capped), or NULL: read a bounded error body */
    FILE *spool;           /* or: response body to this file, hashed into spool_hash */
    struct oci_hash *spool_hash;
    int spool_sized; /* more than spool_max bytes to the spool is too large */
    long long spool_max;
    const char *spool_digest; /* algorithm of spool_hash */
    int no_retry;
    int no_redirect; /* answer 3xx to the caller instead of following (manifests) */
};

/** What came back. */
struct reg_resp {
    long status;
    char www_auth[1024];
    char digest[SIGN_REF_DIGEST_MAX]; /* Docker-Content-Digest */
    char content_type[160];
    char location[2048];
    char link[2048];
    char retry_after[32];
    struct vouch_buf errbody; /* body of a non-2xx answer when req->out is NULL */
};

void reg_resp_release(struct reg_resp *r);

/** Send req with auth and retries (registry_session.c); fills resp (status and headers).
 *  Transport failures are VOUCH_ENETWORK, refused credentials VOUCH_EAUTH; any other HTTP
 *  status returns 0. */
int reg_do(struct reg *r, const struct reg_req *req, struct reg_resp *resp,
           struct vouch_error *err);

/** Milliseconds left before r's deadline (at most LLONG_MAX when it has none; <= 0 once it
 *  passed). */
long long reg_deadline_left(const struct reg *r);

/** Start r's deadline clock from opts->deadline (registry_http.c). */
void reg_deadline_start(struct reg *r);

/** One transport attempt, no auth logic (registry_http.c). auth is a full header or NULL.
 *  Returns 0 with resp->status set, or a negative code; *curl_code gets the curl result. */
int reg_http_once(struct reg *r, const struct reg_req *req, const char *auth, struct reg_resp *resp,
                  int *curl_code, struct vouch_error *err);

/** Set r->base to https (loopback or allow_insecure: plain http is tried when the first
 *  request fails over https for another reason than the certificate; no /v2/ ping). */
int reg_base_init(struct reg *r, struct vouch_error *err);

/** 1 when url (a Location) stays on r's origin: a path below it, or an absolute URL whose
 *  scheme://host[:port] is r's base; 0 for any other origin. */
int reg_same_origin(const struct reg *r, const char *url);

/** Error for an unexpected status: names what and the registry's errors[0].message. */
int reg_status_error(const struct reg *r, const struct reg_resp *resp, const char *what,
                     struct vouch_error *err);

/* registry_auth.c */
/** Parsed WWW-Authenticate challenge. */
struct reg_challenge {
    char scheme[16]; /* "bearer" or "basic" (lowercased) */
    char realm[1024];
    char service[256];
    char scope[512];
    char error[32]; /* "insufficient_scope", "invalid_token", ... */
};
/** Parse a WWW-Authenticate value (RFC 7235 auth-params, quoted or token values). */
int reg_challenge_parse(struct reg_challenge *out, const char *header);
/** The error for a 401/403 that answering the challenge did not cure: authentication
 *  needed, credentials refused, or (insufficient_scope) the action not granted. */
int reg_auth_refused(const struct reg *r, const struct reg_resp *resp, const char *scope,
                     struct vouch_error *err);
/** Answer a 401 challenge: fetch a token for scope, or switch to Basic. */
int reg_auth_answer(struct reg *r, const struct reg_challenge *c, const char *scope,
                    struct vouch_error *err);
/** The auth scope "repository:<repo>:pull" or ":pull,push" (malloc'd). */
char *reg_scope(const struct reg *r, int push);
/** The Authorization header to send for scope (malloc'd; wipe+free), or NULL. */
char *reg_auth_header(const struct reg *r, const char *scope);
/** The user name meaning "the secret is an identity token" (docker's convention): it is
 *  sent as an OAuth2 refresh token to the token service, never as Basic auth. */
#define REG_IDENTITY_USER "<token>"
/** Credentials for host from a docker config.json file (credHelpers, credsStore, auths):
 *  *user and *pass malloc'd, or both NULL for anonymous. */
int reg_docker_config_creds(char **user, char **pass, const char *path, long helper_timeout,
                            const char *host, struct vouch_error *err);
/* registry_credhelper.c */
/** Run `docker-credential-<name> get` with server on stdin (timeout in seconds, 0 = 30):
 *  *user and *secret malloc'd, or both NULL when the helper holds nothing for server.
 *  Missing helper VOUCH_ENOTFOUND, a failing one VOUCH_EAUTH, bad output VOUCH_EPARSE, a
 *  timeout VOUCH_EIO, each naming the helper. */
int reg_credhelper_get(char **user, char **secret, const char *name, const char *server,
                       long timeout, struct vouch_error *err);
/** Wipe and free secrets held by r. */
void reg_auth_release(struct reg *r);

/* registry_blob.c */
int reg_blob_open(struct oci_reader *out, struct sign_oci_source *src, const char *digest,
                  long long size, struct vouch_error *err);
int reg_blob_read(unsigned char **out, size_t *out_len, struct sign_oci_source *src,
                  const char *digest, size_t max, struct vouch_error *err);
int reg_blob_put(struct sign_oci_source *src, const char *digest, const void *data, size_t len,
                 struct vouch_error *err);
int reg_blob_put_stream(struct sign_oci_source *src, const char *digest, struct sign_oci_blob *in,
                        struct vouch_error *err);
int reg_blob_mount(int *done, struct sign_oci_source *dst, struct sign_oci_source *from,
                   const char *digest, struct vouch_error *err);

#endif
