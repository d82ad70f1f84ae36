/* Registry credentials from a docker config.json, with docker's precedence: credHelpers[host],
 * else credsStore (both run a docker-credential-<name> helper), else "auths" (base64 "auth",
 * username/password, or identitytoken). The caller names the file; the library never reads
 * the environment. An identity token comes back as user REG_IDENTITY_USER, secret the token. */
#include <string.h>
#include <stdlib.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "registry_internal.h"
#include "vouch/encoding.h"
#include "vouch/io.h"
#include "vouch/jread.h"
#include "vouch/mem.h"

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
    const char *idt = json_string_value(json_object_get(e, "identitytoken"));
    if (idt != NULL && idt[0] != '\0') {
        u = REG_IDENTITY_USER; /* docker prefers the identity token over a stored auth */
        p = idt;
        auth = NULL;
    }
    if (auth == NULL || auth[0] == '\0') {
        if (u == NULL || p == NULL) {
            return 0; /* nothing usable for this host: anonymous */
        }
        *user = strdup(u);
        *pass = strdup(p);
        return *user && *pass ? 0 : vouch_enomem(err);
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
    return *user && *pass ? 0 : vouch_enomem(err);
}

/* The helper docker would ask for host: credHelpers[host], else credsStore, else NULL. */
static const char *helper_for(json_t *root, const char *host)
{
    json_t *helpers = json_object_get(root, "credHelpers"), *v;
    const char *key, *store = json_string_value(json_object_get(root, "credsStore"));
    json_object_foreach(helpers, key, v)
    {
        if (json_is_string(v) && key_matches(key, host)) {
            return json_string_value(v);
        }
    }
    return store != NULL && store[0] != '\0' ? store : NULL;
}

static int creds_from_config(char **user, char **pass, json_t *root, const char *path,
                             long helper_timeout, const char *host, struct vouch_error *err)
{
    json_t *auths = json_object_get(root, "auths"), *e;
    json_t *helpers = json_object_get(root, "credHelpers");
    json_t *store = json_object_get(root, "credsStore");
    const char *key, *helper;
    if (!json_is_object(root) || (auths != NULL && !json_is_object(auths)) ||
        (helpers != NULL && !json_is_object(helpers)) ||
        (store != NULL && !json_is_string(store))) {
        return vouch_error_set(err, VOUCH_EPARSE, "malformed docker config '%s'", path);
    }
    helper = helper_for(root, host);
    if (helper != NULL) {
        /* docker's server address: Docker Hub's legacy key, else host[:port] */
        return reg_credhelper_get(
            user, pass, helper,
            strcmp(host, "index.docker.io") == 0 ? "https://index.docker.io/v1/" : host,
            helper_timeout, err);
    }
    json_object_foreach(auths, key, e)
    {
        if (key_matches(key, host)) {
            return creds_from_entry(user, pass, e, path, err);
        }
    }
    return 0;
}

int reg_docker_config_creds(char **user, char **pass, const char *path, long helper_timeout,
                            const char *host, struct vouch_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    json_t *root;
    int rc = vouch_file_read(&data, &len, path, DOCKER_CONFIG_MAX, err);
    *user = *pass = NULL;
    if (rc == VOUCH_ENOTFOUND) {
        vouch_error_clear(err);
        return 0; /* no config file: anonymous */
    }
    if (rc != 0) {
        return rc;
    }
    root = vouch_json_load((const char *)data, len, 0, NULL);
    OPENSSL_cleanse(data, len);
    free(data);
    rc = creds_from_config(user, pass, root, path, helper_timeout, host, err);
    json_decref(root); /* jansson strings of the file are not wiped: a known limit */
    if (rc != 0 || *user == NULL || *pass == NULL) {
        free(*user);
        if (*pass != NULL) {
            OPENSSL_cleanse(*pass, strlen(*pass));
        }
        free(*pass);
        *user = *pass = NULL;
    }
    return rc;
}
