/* Registry authentication: WWW-Authenticate parsing, Bearer tokens (cached per scope),
 * Basic auth, and credentials from a docker config.json's "auths". Secrets are wiped. */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "ref_internal.h"
#include "registry_internal.h"
#include "vouch/encoding.h"
#include "vouch/io.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

static void wipe_free(char *s)
{
    if (s != NULL) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

/* Copy an auth-param value (quoted-string with \-escapes, or token) into dst; returns the
 * rest of the header, or NULL for an unterminated quoted-string. */
static const char *param_value(char *dst, size_t size, const char *p)
{
    size_t n = 0;
    int quoted = *p == '"';
    if (quoted) {
        p++;
    }
    while (*p != '\0' && (quoted ? *p != '"' : (*p != ',' && *p != ' '))) {
        if (quoted && *p == '\\' && p[1] != '\0') {
            p++;
        }
        if (n + 1 < size) {
            dst[n++] = *p;
        }
        p++;
    }
    dst[n] = '\0';
    if (quoted && *p != '"') {
        return NULL; /* unterminated quoted-string */
    }
    return quoted ? p + 1 : p;
}

/* Where each auth-param we use goes; others go to skip (ignored). */
static char *param_slot(struct reg_challenge *c, const char *name, size_t *size, char *skip,
                        size_t skip_size)
{
    const struct {
        const char *name;
        size_t off, size;
    } slots[] = {
        {"realm", offsetof(struct reg_challenge, realm), sizeof(c->realm)},
        {"service", offsetof(struct reg_challenge, service), sizeof(c->service)},
        {"scope", offsetof(struct reg_challenge, scope), sizeof(c->scope)},
        {"error", offsetof(struct reg_challenge, error), sizeof(c->error)},
    };
    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
        if (strcmp(name, slots[i].name) == 0) {
            *size = slots[i].size;
            return (char *)c + slots[i].off;
        }
    }
    *size = skip_size;
    return skip;
}

char *reg_scope(const struct reg *r, int push)
{
    return vouch_strf("repository:%s:%s", r->repo, push ? "pull,push" : "pull");
}

int reg_challenge_parse(struct reg_challenge *out, const char *h)
{
    size_t n = 0;
    memset(out, 0, sizeof(*out));
    while (*h == ' ') {
        h++;
    }
    while (isalpha((unsigned char)*h) && n + 1 < sizeof(out->scheme)) {
        out->scheme[n++] = (char)tolower((unsigned char)*h++);
    }
    if (strcmp(out->scheme, "bearer") != 0 && strcmp(out->scheme, "basic") != 0) {
        return -1;
    }
    while (*h != '\0') {
        char name[32] = "", skip[8], *dst;
        size_t k = 0, size;
        while (*h == ' ' || *h == ',') {
            h++;
        }
        while (*h != '\0' && *h != '=' && *h != ' ' && *h != ',') {
            if (k + 1 < sizeof(name)) {
                name[k++] = (char)tolower((unsigned char)*h);
            }
            h++;
        }
        name[k] = '\0';
        if (*h != '=') {
            continue;
        }
        dst = param_slot(out, name, &size, skip, sizeof(skip));
        h = param_value(dst, size, h + 1);
        if (h == NULL) {
            return -1;
        }
    }
    return strcmp(out->scheme, "bearer") == 0 && out->realm[0] == '\0' ? -1 : 0;
}

int reg_auth_refused(const struct reg *r, const struct reg_resp *resp, const char *scope,
                     struct vouch_error *err)
{
    struct reg_challenge ch;
    if (resp->status == 403) {
        return vouch_error_set(err, VOUCH_EAUTH, "registry '%s' denied access to '%s' (HTTP 403)",
                               r->host, r->repo);
    }
    if (r->user == NULL) {
        return vouch_error_set(err, VOUCH_EAUTH, "registry '%s' requires authentication (HTTP 401)",
                               r->host);
    }
    /* a token without the asked actions (RFC 6750 §3.1): the user may not do this */
    if (reg_challenge_parse(&ch, resp->www_auth) == 0 &&
        strcmp(ch.error, "insufficient_scope") == 0) {
        const char *need = ch.scope[0] != '\0' ? ch.scope : scope != NULL ? scope : "";
        const char *acts = strrchr(need, ':');
        return vouch_error_set(
            err, VOUCH_EAUTH, "registry '%s' denied %s access to '%s' (insufficient scope)",
            r->host, acts != NULL && strstr(acts, "push") ? "push" : "pull", r->repo);
    }
    return vouch_error_set(err, VOUCH_EAUTH, "registry '%s' refused the credentials (HTTP 401)",
                           r->host);
}

static char *basic_value(const struct reg *r)
{
    char *pair = vouch_strf("%s:%s", r->user, r->pass);
    char *b64 = NULL;
    if (pair != NULL) {
        vouch_base64_encode(&b64, (const unsigned char *)pair, strlen(pair), NULL);
    }
    wipe_free(pair);
    return b64;
}

/* want is one of the space-separated scopes of have (a multi-scope token, e.g. a mount's). */
static int scope_in(const char *have, const char *want)
{
    size_t n = strlen(want);
    for (const char *p = strstr(have, want); n > 0 && p != NULL; p = strstr(p + 1, want)) {
        if ((p == have || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) {
            return 1;
        }
    }
    return 0;
}

char *reg_auth_header(const struct reg *r, const char *scope)
{
    if (r->opts != NULL && r->opts->token != NULL) { /* an explicit bearer token, as given */
        return vouch_strf("Authorization: Bearer %s", r->opts->token);
    }
    /* the exact scope first, then a multi-scope token that names it */
    for (int pass = 0; scope != NULL && pass < 2; pass++) {
        for (size_t i = 0; i < r->ntokens; i++) {
            if (pass == 0 ? strcmp(r->tokens[i].scope, scope) == 0
                          : scope_in(r->tokens[i].scope, scope)) {
                return vouch_strf("Authorization: Bearer %s", r->tokens[i].token);
            }
        }
    }
    if (r->basic && r->user != NULL) {
        char *b64 = basic_value(r);
        char *h = b64 != NULL ? vouch_strf("Authorization: Basic %s", b64) : NULL;
        wipe_free(b64);
        return h;
    }
    return NULL;
}

/* realm?service=S&scope=A&scope=B: a multi-scope request (mounts) asks for each scope. */
static char *token_url(struct reg *r, const struct reg_challenge *c, const char *scope)
{
    struct vouch_buf b;
    char *copy = strdup(scope != NULL ? scope : c->scope);
    char *svc = curl_easy_escape(r->curl, c->service, 0);
    char *out = NULL;
    int rc = copy != NULL && svc != NULL ? 0 : -1;
    vouch_buf_init(&b, 8192);
    rc = rc != 0 ? rc : vouch_buf_printf(&b, NULL, "%s", c->realm);
    if (rc == 0 && c->service[0] != '\0') {
        rc = vouch_buf_printf(&b, NULL, "%cservice=%s", strchr(c->realm, '?') ? '&' : '?', svc);
    }
    for (char *s = copy, *next; rc == 0 && s != NULL && *s != '\0'; s = next) {
        char *esc;
        next = strchr(s, ' ');
        if (next != NULL) {
            *next++ = '\0';
        }
        esc = curl_easy_escape(r->curl, s, 0);
        rc = esc != NULL ? vouch_buf_printf(&b, NULL, "%cscope=%s",
                                            strchr(vouch_buf_cstr(&b), '?') ? '&' : '?', esc)
                         : -1;
        curl_free(esc);
    }
    if (rc == 0) {
        out = (char *)vouch_buf_steal(&b, NULL);
    }
    vouch_buf_release(&b);
    curl_free(svc);
    free(copy);
    return out;
}

static int token_store(struct reg *r, const char *scope, const char *token, struct vouch_error *err)
{
    size_t i = 0;
    char *s = strdup(scope != NULL ? scope : "");
    char *t = strdup(token);
    if (s == NULL || t == NULL) {
        free(s);
        wipe_free(t);
        return vouch_enomem(err);
    }
    while (i < r->ntokens && strcmp(r->tokens[i].scope, s) != 0) {
        i++;
    }
    if (i == REG_TOKENS_MAX) {
        i = 0; /* full: reuse the oldest slot */
    }
    if (i < r->ntokens) {
        free(r->tokens[i].scope);
        wipe_free(r->tokens[i].token);
    } else {
        r->ntokens++;
    }
    r->tokens[i].scope = s;
    r->tokens[i].token = t;
    return 0;
}

static int is_identity(const struct reg *r)
{
    return r->user != NULL && strcmp(r->user, REG_IDENTITY_USER) == 0;
}

/* The token request: GET realm?service=&scope= with Basic credentials (or none), or, for an
 * identity token, docker's OAuth2 form POST to the realm (grant_type=refresh_token). */
static int token_request(struct reg_req *req, char **auth, char **form, struct reg *r,
                         const struct reg_challenge *c, const char *scope)
{
    char *svc, *sc, *tok;
    if (!is_identity(r)) {
        char *basic = r->user != NULL ? basic_value(r) : NULL;
        *auth = basic != NULL ? vouch_strf("Authorization: Basic %s", basic) : NULL;
        wipe_free(basic);
        req->url = token_url(r, c, scope);
        return req->url != NULL && (r->user == NULL || *auth != NULL) ? 0 : -1;
    }
    svc = curl_easy_escape(r->curl, c->service, 0);
    sc = curl_easy_escape(r->curl, scope != NULL ? scope : c->scope, 0);
    tok = curl_easy_escape(r->curl, r->pass, 0);
    *form = svc && sc && tok ? vouch_strf("grant_type=refresh_token&service=%s&client_id=vouch"
                                          "&scope=%s&refresh_token=%s",
                                          svc, sc, tok)
                             : NULL;
    if (tok != NULL) {
        OPENSSL_cleanse(tok, strlen(tok));
    }
    curl_free(tok);
    curl_free(sc);
    curl_free(svc);
    req->method = "POST";
    req->url = strdup(c->realm);
    req->content_type = "application/x-www-form-urlencoded";
    req->body = *form;
    req->body_len = *form != NULL ? strlen(*form) : 0;
    return *form != NULL && req->url != NULL ? 0 : -1;
}

static int token_fetch(struct reg *r, const struct reg_challenge *c, const char *scope,
                       struct vouch_error *err)
{
    struct vouch_buf body;
    struct reg_req req = {.method = "GET", .out = &body, .no_retry = 1};
    struct reg_resp resp = {0};
    char *auth = NULL, *form = NULL;
    json_t *root = NULL;
    const char *tok;
    int cc = 0, rc;
    vouch_buf_init(&body, REG_TOKEN_BODY_MAX);
    if (token_request(&req, &auth, &form, r, c, scope) != 0) {
        rc = vouch_enomem(err);
    } else if (strncmp(req.url, "https://", 8) != 0 && !r->loopback && !r->opts->allow_insecure) {
        rc = vouch_error_set(err, VOUCH_EAUTH, "refusing token realm of '%s' over plain http",
                             r->host);
    } else {
        rc = reg_http_once(r, &req, auth, &resp, &cc, err);
    }
    if (rc == 0 && (resp.status == 401 || resp.status == 403)) {
        rc = vouch_error_set(err, VOUCH_EAUTH,
                             "registry '%s' refused the credentials (token "
                             "service answered HTTP %ld)",
                             r->host, resp.status);
    } else if (rc == 0 && resp.status != 200) {
        rc = reg_status_error(r, &resp, "cannot get a registry token", err);
    }
    root = rc == 0 ? vouch_json_load((const char *)body.data, body.len, 0, NULL) : NULL;
    tok = json_string_value(json_object_get(root, "token"));
    tok = tok != NULL ? tok : json_string_value(json_object_get(root, "access_token"));
    if (rc == 0 && tok == NULL) {
        rc = vouch_error_set(err, VOUCH_EPARSE, "malformed token answer from '%s'", c->realm);
    }
    rc = rc != 0 ? rc : token_store(r, scope, tok, err);
    json_decref(root);
    vouch_buf_release_secret(&body);
    reg_resp_release(&resp);
    free((char *)req.url);
    wipe_free(auth);
    wipe_free(form);
    return rc;
}

int reg_auth_answer(struct reg *r, const struct reg_challenge *c, const char *scope,
                    struct vouch_error *err)
{
    if (strcmp(c->scheme, "bearer") == 0) {
        return token_fetch(r, c, scope, err);
    }
    if (r->user == NULL) {
        return vouch_error_set(err, VOUCH_EAUTH, "registry '%s' requires authentication (HTTP 401)",
                               r->host);
    }
    if (is_identity(r)) {
        return vouch_error_set(err, VOUCH_EAUTH,
                               "registry '%s' asks for Basic auth, but the docker credentials "
                               "are an identity token (only usable with a token service)",
                               r->host);
    }
    r->basic = 1;
    return 0;
}

void reg_auth_release(struct reg *r)
{
    for (size_t i = 0; i < r->ntokens; i++) {
        free(r->tokens[i].scope);
        wipe_free(r->tokens[i].token);
    }
    r->ntokens = 0;
    wipe_free(r->user);
    wipe_free(r->pass);
    r->user = r->pass = NULL;
}
