/* The TUF client's transport: one bounded GET over libcurl (https, or http when the mirror
 * says so: TUF's signatures, not the transport, make the metadata trusted), timeouts, no
 * body larger than the metadata declares. */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "pkix_internal.h"
#include "tuf_internal.h"
#include "vouch/mem.h"

static void set_options(CURL *c, const char *url, const struct sign_tuf_opts *o,
                        struct pkix_body *s, size_t max)
{
    long timeout = o->timeout > 0 ? o->timeout : 60L;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vouch/" VOUCH_VERSION);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 30L ? timeout : 30L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->ca_file != NULL) {
        curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, pkix_body_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
}

static int result(CURLcode cc, long status, const struct pkix_body *s, const char *url, size_t max,
                  struct vouch_error *err)
{
    if (s->too_large || cc == CURLE_FILESIZE_EXCEEDED) {
        return vouch_error_set(err, VOUCH_EVERIFY, "'%s': more than the %zu bytes allowed", url,
                               max);
    }
    if (cc != CURLE_OK) {
        return vouch_error_set(err, VOUCH_ENETWORK, "'%s': %s", url, curl_easy_strerror(cc));
    }
    if (status == 404 || status == 403) {
        return vouch_error_set(err, VOUCH_ENOTFOUND, "'%s': not found (HTTP %ld)", url, status);
    }
    if (status != 200) {
        return vouch_error_set(err, VOUCH_ENETWORK, "'%s': HTTP %ld", url, status);
    }
    return 0;
}

int tuf_fetch(unsigned char **out, size_t *out_len, const char *url, size_t max,
              const struct sign_tuf_opts *opts, struct vouch_error *err)
{
    struct vouch_buf buf;
    struct pkix_body s = {&buf, 0};
    CURL *c = curl_easy_init();
    CURLcode cc;
    long status = 0;
    int rc;
    *out = NULL;
    *out_len = 0;
    if (c == NULL) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "cannot start libcurl");
    }
    vouch_buf_init(&buf, max);
    set_options(c, url, opts, &s, max);
    cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    rc = result(cc, status, &s, url, max, err);
    if (rc == 0 && vouch_buf_append(&buf, "", 0, err) == 0) {
        *out = vouch_buf_steal(&buf, out_len);
        if (*out == NULL) {
            *out = calloc(1, 1); /* an empty body is still a body */
            rc = *out == NULL ? vouch_enomem(err) : 0;
        }
    }
    vouch_buf_release(&buf);
    return rc;
}
