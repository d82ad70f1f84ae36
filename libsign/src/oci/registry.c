/* The registry source: manifests (GET/HEAD/PUT, all four media types), tag lists with Link
 * pagination, and the OCI 1.1 referrers API, over registry_http.c. */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "ref_internal.h"
#include "registry_internal.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

#define TAG_PAGES_MAX 1000
#define REG_MANIFEST_REDIRECTS 5

static const char accept_manifests[] = SIGN_OCI_MT_MANIFEST
    ", " SIGN_OCI_MT_INDEX ", " SIGN_OCI_MT_DOCKER_MANIFEST ", " SIGN_OCI_MT_DOCKER_LIST;

/* Content-Type without parameters. */
static void media_type_of(char *dst, size_t size, const char *ct)
{
    size_t n = strcspn(ct, "; ");
    snprintf(dst, size, "%.*s", (int)(n < size ? n : size - 1), ct);
}

static int is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Manifests come from the registry's own origin: a redirect there is followed (at most
 * REG_MANIFEST_REDIRECTS times), one to another origin is refused (blobs may live in a
 * storage backend; a manifest names what is trusted). */
static int follow_same_origin(struct reg *r, struct reg_req *req, struct reg_resp *resp,
                              char **next, const char *what, struct vouch_error *err)
{
    int rc = 0;
    for (int hops = 0; rc == 0 && is_redirect(resp->status); hops++) {
        if (resp->location[0] == '\0' || hops == REG_MANIFEST_REDIRECTS) {
            return vouch_error_set(err, VOUCH_ENETWORK,
                                   "cannot fetch manifest %s: registry '%s' redirects it "
                                   "without end (HTTP %ld)",
                                   what, r->host, resp->status);
        }
        if (!reg_same_origin(r, resp->location)) {
            return vouch_error_set(err, VOUCH_ENETWORK,
                                   "cannot fetch manifest %s: registry '%s' redirects it to "
                                   "another origin ('%.300s'), refused",
                                   what, r->host, resp->location);
        }
        free(*next);
        if ((*next = strdup(resp->location)) == NULL) {
            return vouch_enomem(err);
        }
        req->url = *next;
        rc = reg_do(r, req, resp, err);
    }
    return rc;
}

static int manifest_fetch(struct sign_oci_manifest *out, struct sign_oci_source *src,
                          const char *ref, struct vouch_buf *body, struct vouch_error *err)
{
    struct reg *r = src->impl;
    char *path = vouch_strf("/v2/%s/manifests/%s", r->repo, ref);
    char *scope = reg_scope(r, 0);
    char what[600], hint[160];
    struct reg_req req = {.method = "GET", .accept = accept_manifests, .scope = scope, .out = body};
    struct reg_resp resp = {0};
    char *next = NULL;
    int rc = path && scope ? 0 : vouch_enomem(err);
    snprintf(what, sizeof(what), "'%s/%s%s%s'", r->host, r->repo, oci_is_digest(ref) ? "@" : ":",
             ref);
    req.url = path;
    req.no_redirect = 1;
    rc = rc != 0 ? rc : reg_do(r, &req, &resp, err);
    rc = rc != 0 ? rc : follow_same_origin(r, &req, &resp, &next, what, err);
    if (rc == 0 && resp.status == 404) {
        rc = vouch_error_set(err, VOUCH_ENOTFOUND, "image %s not found", what);
    } else if (rc == 0 && resp.status != 200) {
        char ctx[700];
        snprintf(ctx, sizeof(ctx), "cannot fetch manifest %s", what);
        rc = reg_status_error(r, &resp, ctx, err);
    }
    media_type_of(hint, sizeof(hint), resp.content_type);
    if (rc == 0) {
        size_t len = 0;
        unsigned char *data = vouch_buf_steal(body, &len);
        rc = oci_manifest_take(out, data, len, hint, oci_is_digest(ref) ? ref : NULL, what, err);
        if (rc != 0) {
            free(data);
        }
    }
    /* the registry's Docker-Content-Digest must name the bytes it sent */
    if (rc == 0 && resp.digest[0] != '\0' && strcmp(resp.digest, out->digest) != 0 &&
        strncmp(resp.digest, "sha256:", 7) == 0) {
        sign_oci_manifest_release(out);
        rc = vouch_error_set(err, VOUCH_EVERIFY,
                             "digest mismatch for %s: registry says %s, content is %s", what,
                             resp.digest, out->digest);
    }
    reg_resp_release(&resp);
    free(next);
    free(path);
    free(scope);
    return rc;
}

static int reg_manifest_get(struct sign_oci_manifest *out, struct sign_oci_source *src,
                            const char *ref, struct vouch_error *err)
{
    struct vouch_buf body;
    int rc;
    vouch_buf_init(&body, SIGN_OCI_MANIFEST_MAX);
    rc = manifest_fetch(out, src, ref, &body, err);
    vouch_buf_release(&body);
    return rc;
}

static int reg_manifest_put(struct sign_oci_source *src, const char *tag, const char *media_type,
                            const void *data, size_t len, const char *digest,
                            struct vouch_error *err)
{
    struct reg *r = src->impl;
    char *path = vouch_strf("/v2/%s/manifests/%s", r->repo, tag != NULL ? tag : digest);
    char *scope = reg_scope(r, 1);
    struct reg_req req = {.method = "PUT",
                          .url = path,
                          .content_type = media_type,
                          .body = data,
                          .body_len = len,
                          .scope = scope};
    struct reg_resp resp = {0};
    int rc = path && scope ? reg_do(r, &req, &resp, err) : vouch_enomem(err);
    if (rc == 0 && resp.status != 201 && resp.status != 200) {
        char what[600];
        snprintf(what, sizeof(what), "cannot push manifest to '%s/%s'", r->host, r->repo);
        rc = reg_status_error(r, &resp, what, err);
    } else if (rc == 0 && resp.digest[0] != '\0' && strcmp(resp.digest, digest) != 0) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "registry '%s' stored manifest %s as %s", r->host,
                             digest, resp.digest);
    }
    reg_resp_release(&resp);
    free(path);
    free(scope);
    return rc;
}

/* Link: </v2/x/tags/list?last=a&n=100>; rel="next" -> the path, or "" when no next page. */
static void link_next(char *dst, size_t size, const char *link)
{
    const char *lt = strchr(link, '<');
    const char *gt = lt != NULL ? strchr(lt, '>') : NULL;
    dst[0] = '\0';
    if (gt != NULL && strstr(gt, "rel=\"next\"") != NULL && (size_t)(gt - lt - 1) < size &&
        lt[1] == '/') {
        snprintf(dst, size, "%.*s", (int)(gt - lt - 1), lt + 1);
    }
}

static int tags_append(char ***v, size_t *n, json_t *tags, struct vouch_error *err)
{
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t)
    {
        char **grown;
        if (!json_is_string(t)) {
            continue;
        }
        grown = realloc(*v, (*n + 2) * sizeof(char *));
        if (grown == NULL || (grown[*n] = strdup(json_string_value(t))) == NULL) {
            *v = grown != NULL ? grown : *v;
            return vouch_enomem(err);
        }
        *v = grown;
        (*n)++;
    }
    return 0;
}

static int reg_tags(char ***out, size_t *n, struct sign_oci_source *src, struct vouch_error *err)
{
    struct reg *r = src->impl;
    char url[2048];
    char *scope = reg_scope(r, 0);
    struct vouch_buf body;
    int rc = scope != NULL ? 0 : vouch_enomem(err);
    vouch_buf_init(&body, SIGN_OCI_MANIFEST_MAX);
    snprintf(url, sizeof(url), "/v2/%s/tags/list?n=1000", r->repo);
    for (int page = 0; rc == 0 && url[0] != '\0' && page < TAG_PAGES_MAX; page++) {
        struct reg_req req = {.method = "GET", .url = url, .scope = scope, .out = &body};
        struct reg_resp resp = {0};
        json_t *root;
        rc = reg_do(r, &req, &resp, err);
        if (rc == 0 && resp.status != 200) {
            rc = reg_status_error(r, &resp, "cannot list tags", err);
        }
        root = rc == 0 ? vouch_json_load((const char *)body.data, body.len, 0, NULL) : NULL;
        if (rc == 0 && !json_is_object(root)) {
            rc = vouch_error_set(err, VOUCH_EPARSE, "malformed tag list from '%s'", r->host);
        }
        rc = rc != 0 ? rc : tags_append(out, n, json_object_get(root, "tags"), err);
        link_next(url, sizeof(url), resp.link);
        json_decref(root);
        reg_resp_release(&resp);
    }
    vouch_buf_release(&body);
    free(scope);
    return rc;
}

static int reg_referrers(struct sign_oci_manifest *out, struct sign_oci_source *src,
                         const char *digest, struct vouch_error *err)
{
    struct reg *r = src->impl;
    char *path = vouch_strf("/v2/%s/referrers/%s", r->repo, digest);
    char *scope = reg_scope(r, 0);
    struct vouch_buf body;
    struct reg_req req = {
        .method = "GET", .url = path, .accept = SIGN_OCI_MT_INDEX, .scope = scope, .out = &body};
    struct reg_resp resp = {0};
    char mt[160];
    int rc = path && scope ? 0 : vouch_enomem(err);
    vouch_buf_init(&body, SIGN_OCI_MANIFEST_MAX);
    rc = rc != 0 ? rc : reg_do(r, &req, &resp, err);
    media_type_of(mt, sizeof(mt), resp.content_type);
    if (rc == 0 && (resp.status != 200 || strcmp(mt, SIGN_OCI_MT_INDEX) != 0)) {
        rc = vouch_error_set(err, VOUCH_EUNSUPPORTED, "no referrers API"); /* use tag schema */
    }
    if (rc == 0) {
        size_t len = 0;
        unsigned char *data = vouch_buf_steal(&body, &len);
        rc = oci_manifest_take(out, data, len, SIGN_OCI_MT_INDEX, NULL, "referrers", err);
        if (rc != 0) {
            free(data);
        }
    }
    vouch_buf_release(&body);
    reg_resp_release(&resp);
    free(path);
    free(scope);
    return rc;
}

static void reg_free(void *impl)
{
    struct reg *r = impl;
    if (r == NULL) {
        return;
    }
    curl_easy_cleanup(r->curl);
    reg_auth_release(r);
    free(r->host);
    free(r->repo);
    free(r->base);
    free(r);
}

static const struct oci_ops registry_ops = {
    .manifest_get = reg_manifest_get,
    .blob_open = reg_blob_open,
    .blob_read = reg_blob_read,
    .blob_put = reg_blob_put,
    .blob_put_stream = reg_blob_put_stream,
    .blob_mount = reg_blob_mount,
    .manifest_put = reg_manifest_put,
    .tags = reg_tags,
    .referrers = reg_referrers,
    .impl_free = reg_free,
};

static int reg_creds(struct reg *r, struct vouch_error *err)
{
    const struct sign_oci_opts *o = r->opts;
    if (o->username != NULL && o->password != NULL) {
        r->user = strdup(o->username);
        r->pass = strdup(o->password);
        return r->user && r->pass ? 0 : vouch_enomem(err);
    }
    if (o->docker_config != NULL) {
        return reg_docker_config_creds(&r->user, &r->pass, o->docker_config, o->helper_timeout,
                                       r->host, err);
    }
    return 0;
}

/* 1 when libcurl has a default CA directory (hashed, read one certificate at a time): the
 * first https attempt at a loopback / insecure registry, most often a plain http one, then
 * does not load and parse the whole CA bundle. */
static int reg_ca_dir_known(CURL *c)
{
#if LIBCURL_VERSION_NUM >= 0x075400
    char *dir = NULL;
    return curl_easy_getinfo(c, CURLINFO_CAPATH, &dir) == CURLE_OK && dir != NULL && dir[0] != '\0';
#else
    (void)c;
    return 0;
#endif
}

int oci_registry_init(struct sign_oci_source *src, struct vouch_error *err)
{
    struct reg *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return vouch_enomem(err);
    }
    src->impl = r;
    src->ops = &registry_ops;
    r->opts = &src->opts;
    r->host = strdup(sign_ref_api_host(src->ref));
    r->repo = strdup(sign_ref_repository(src->ref));
    r->loopback = sign_ref_is_loopback(src->ref) || r->opts->allow_http;
    reg_deadline_start(r);
    r->curl = curl_easy_init();
    if (r->host == NULL || r->repo == NULL || r->curl == NULL) {
        return vouch_enomem(err);
    }
    r->ca_lazy = reg_ca_dir_known(r->curl);
    return reg_creds(r, err);
}
