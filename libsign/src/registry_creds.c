/* Registry credentials from a docker config.json ("auths": base64 "auth" or
 * username/password). The caller names the file; the library never reads the environment. */
#include <string.h>
#include <stdlib.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "registry_internal.h"
#include "vouch/encoding.h"
#include "vouch/io.h"

#define DOCKER_CONFIG_MAX ((size_t)1 << 20)

/* Keys are "host[:port]", "https://host/v1/" (Docker Hub's legacy key) and the like. */
static int key_matches(const char *key, const char *host)
{
    static const char *const hub[] = {"index.docker.io", "docker.io", "registry-1.docker.io"};
    size_t n;
    if (strncmp(key, "https://", 8) == 0) {
        key += 8;
    } else if (strncmp(key, "http://", 7) == 0) {
        key += 7;
    }
    n = strcspn(key, "/");
    if (strlen(host) == n && strncmp(key, host, n) == 0) {
        return 1;
    }
    if (strcmp(host, "index.docker.io") != 0) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(hub) / sizeof(hub[0]); i++) {
        if (strlen(hub[i]) == n && strncmp(key, hub[i], n) == 0) {
            return 1;
        }
    }
    return 0;
}

static int creds_from_entry(char **user, char **pass, json_t *e, const char *path,
                            struct vouch_error *err)
{
    const char *auth = json_string_value(json_object_get(e, "auth"));
    const char *u = json_string_value(json_object_get(e, "username"));
    const char *p = json_string_value(json_object_get(e, "password"));
    unsigned char *dec = NULL;
    size_t n = 0;
    char *colon;
    if (auth == NULL || auth[0] == '\0') {
        if (u == NULL || p == NULL) {
            return 0; /* identity tokens and credential helpers are not supported */
        }
        *user = strdup(u);
        *pass = strdup(p);
        return *user && *pass ? 0 : vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
    }
    if (vouch_base64_decode(&dec, &n, auth, strlen(auth), NULL) != 0 ||
        (colon = memchr(dec, ':', n)) == NULL || memchr(dec, '\0', n) != NULL) {
        if (dec != NULL) {
            OPENSSL_cleanse(dec, n);
        }
        free(dec);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed auth entry in docker config '%s'",
                               path);
    }
    *colon = '\0';
    *user = strdup((char *)dec);
    *pass = strdup(colon + 1);
    OPENSSL_cleanse(dec, n);
    free(dec);
    return *user && *pass ? 0 : vouch_error_set(err, VOUCH_ENOMEM, "out of memory");
}

int reg_docker_config_creds(char **user, char **pass, const char *path, const char *host,
                            struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    json_t *root, *auths, *e;
    const char *key;
    int rc = vouch_file_read(&data, &len, path, DOCKER_CONFIG_MAX, err);
    *user = *pass = NULL;
    if (rc == VOUCH_ENOTFOUND) {
        vouch_error_clear(err);
        return 0; /* no config file: anonymous */
    }
    if (rc != 0) {
        return rc;
    }
    root = json_loadb((const char *)data, len, 0, NULL);
    OPENSSL_cleanse(data, len);
    free(data);
    auths = json_object_get(root, "auths");
    if (!json_is_object(root) || (auths != NULL && !json_is_object(auths))) {
        json_decref(root);
        return vouch_error_set(err, VOUCH_EPARSE, "malformed docker config '%s'", path);
    }
    json_object_foreach(auths, key, e)
    {
        if (key_matches(key, host)) {
            rc = creds_from_entry(user, pass, e, path, err);
            break;
        }
    }
    json_decref(root); /* jansson strings of the file are not wiped: a known limit */
    if (rc != 0 || *user == NULL || *pass == NULL) {
        free(*user);
        free(*pass);
        *user = *pass = NULL;
    }
    return rc;
}
