/* The one HTTP exchange the PKIX checks make (OCSP, CRL, RFC 3161 timestamp requests), over
 * libcurl: a GET or a POST of DER, plain http or verified https, no redirects, a time bound
 * and a cap on what is read. */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "pkix_internal.h"
#include "vouch/buf.h"
#include "vouch/mem.h"

size_t pkix_body_write(char *p, size_t size, size_t nmemb, void *ud)
{
    struct pkix_body *s = ud;
    size_t n = size * nmemb;
    if (vouch_buf_append(s->buf, p, n, NULL) != 0) {
        s->too_large = 1;
        return 0; /* aborts the transfer */
    }
    return n;
}

int pkix_http(unsigned char **out, size_t *out_len, const struct pkix_http_req *req,
              struct vouch_error *err)
{
    struct vouch_buf buf;
    struct pkix_body s = {&buf, 0};
    struct curl_slist *hdrs = NULL;
    char ct[128];
    CURL *c = curl_easy_init();
    CURLcode cc;
    long status = 0;
    int rc = 0;
    *out = NULL;
    *out_len = 0;
    if (c == NULL) {
        return vouch_error_set(err, VOUCH_EINTERNAL, "cannot start libcurl");
    }
    vouch_buf_init(&buf, req->max);
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vouch/" VOUCH_VERSION);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req->timeout_ms);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, pkix_body_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    if (req->body != NULL) {
        snprintf(ct, sizeof(ct), "Content-Type: %s", req->content_type);
        hdrs = curl_slist_append(NULL, ct);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)req->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    }
    cc = hdrs != NULL || req->body == NULL ? curl_easy_perform(c) : CURLE_OUT_OF_MEMORY;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    if (s.too_large || cc == CURLE_FILESIZE_EXCEEDED) {
        rc = vouch_error_set(err, VOUCH_EVERIFY, "'%s': more than the %zu bytes allowed", req->url,
                             req->max);
    } else if (cc != CURLE_OK) {
        rc = vouch_error_set(err, VOUCH_ENETWORK, "'%s': %s", req->url, curl_easy_strerror(cc));
    } else if (status < 200 || status > 299) {
        rc = vouch_error_set(err, VOUCH_ENETWORK, "'%s': HTTP %ld", req->url, status);
    } else {
        *out = vouch_buf_steal(&buf, out_len);
        if (*out == NULL) {
            rc = vouch_error_set(err, VOUCH_EVERIFY, "'%s': empty response", req->url);
        }
    }
    vouch_buf_release(&buf);
    return rc;
}
