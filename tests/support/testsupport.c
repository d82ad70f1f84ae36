/* Helpers shared by the cmocka unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testsupport.h"
#include "vouch/io.h"

static char path_buf[8192];

const char *ts_shared(const char *rel)
{
    const char *base = getenv("VOUCH_SHARED");
    snprintf(path_buf, sizeof(path_buf), "%s/%s", base != NULL ? base : VOUCH_SHARED_DIR, rel);
    return path_buf;
}

const char *ts_src(const char *rel)
{
    snprintf(path_buf, sizeof(path_buf), "%s/%s", VOUCH_SRC_DIR, rel);
    return path_buf;
}

const char *ts_tmpdir(const char *name)
{
    char cmd[16600];
    snprintf(path_buf, 4096, "%s/unit/%s", VOUCH_TEST_TMP, name);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", path_buf, path_buf);
    assert_int_equal(0, system(cmd)); /* test-only helper; paths are our own */
    return path_buf;
}

unsigned char *ts_read(const char *path, size_t *len)
{
    unsigned char *data = NULL;
    size_t n = 0;
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (vouch_file_read(&data, &n, path, (size_t)1 << 30, &err) != 0) {
        fail_msg("cannot read %s: %s", path, err.msg);
    }
    if (len != NULL) {
        *len = n;
    }
    return data;
}

void ts_write(const char *path, const void *data, size_t len)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (vouch_file_write(path, data, len, 0644, 0, &err) != 0) {
        fail_msg("cannot write %s: %s", path, err.msg);
    }
}
