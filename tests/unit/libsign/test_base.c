/* Unit tests for the base layer: errors, buffers, encodings, memory helpers, Go-style JSON,
 * atomic I/O. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vouch/buf.h"
#include "vouch/encoding.h"
#include "vouch/error.h"
#include "vouch/io.h"
#include "vouch/json.h"
#include "vouch/mem.h"
#include "vouch/time.h"

static void test_error_first_wins(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(VOUCH_EPARSE, vouch_error_set(&err, VOUCH_EPARSE, "bad %s", "thing"));
    assert_int_equal(VOUCH_EIO, vouch_error_set(&err, VOUCH_EIO, "other"));
    assert_int_equal(VOUCH_EPARSE, err.code);
    vouch_error_prefix(&err, "'%s': ", "f.json");
    assert_string_equal("'f.json': bad thing", err.msg);
    assert_int_equal(VOUCH_EINVAL, vouch_error_set(NULL, VOUCH_EINVAL, "x"));
    /* quoted untrusted input stays one printable line (found by tests/fuzz) */
    vouch_error_clear(&err);
    vouch_error_set(&err, VOUCH_EPARSE, "bad '%s'", "a\nb\r\x1b[2J\x7f");
    vouch_error_prefix(&err, "'%s': ", "f\tg");
    assert_string_equal("'f?g': bad 'a?b??[2J?'", err.msg);
}

static void test_buf_cap(void **state)
{
    struct vouch_buf b;
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    vouch_buf_init(&b, 8);
    assert_int_equal(0, vouch_buf_puts(&b, "12345678", &err));
    assert_int_equal(VOUCH_EINVAL, vouch_buf_puts(&b, "9", &err));
    assert_string_equal("12345678", vouch_buf_cstr(&b));
    vouch_buf_reset(&b);
    assert_int_equal(0, vouch_buf_printf(&b, &err, "%d-%s", 42, "x"));
    assert_string_equal("42-x", vouch_buf_cstr(&b));
    vouch_buf_release(&b);
}

static void test_base64(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    char *enc = NULL;
    unsigned char *dec = NULL;
    size_t n = 0;
    const unsigned char raw[] = {0xfb, 0xff, 0x01};
    (void)state;
    assert_int_equal(0, vouch_base64_encode(&enc, raw, sizeof(raw), &err));
    assert_string_equal("+/8B", enc);
    free(enc);
    /* URL-safe and unpadded forms are accepted (DSSE readers must) */
    assert_int_equal(0, vouch_base64_decode(&dec, &n, "-_8B", 4, &err));
    assert_int_equal(3, n);
    assert_memory_equal(raw, dec, 3);
    free(dec);
    assert_int_equal(0, vouch_base64_decode(&dec, &n, "aGk", 3, &err));
    assert_string_equal("hi", (char *)dec);
    free(dec);
    assert_int_equal(VOUCH_EPARSE, vouch_base64_decode(&dec, &n, "a*b=", 4, &err));
    assert_null(dec);
}

static void test_hex(void **state)
{
    unsigned char b[2];
    char s[5];
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    assert_int_equal(0, vouch_hex_decode(b, 2, "ab01", 4, &err));
    vouch_hex_encode(s, b, 2);
    assert_string_equal("ab01", s);
    assert_int_equal(VOUCH_EPARSE, vouch_hex_decode(b, 2, "ab0", 3, &err));
    assert_int_equal(VOUCH_EPARSE, vouch_hex_decode(b, 2, "zz01", 4, NULL));
}

static void test_mem(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    int *v = NULL;
    size_t n = 0, cap = 0;
    char *s = vouch_strf("%s-%d", "a", 42);
    long *one;
    long *list = NULL;
    size_t nl = 0;
    (void)state;
    assert_string_equal("a-42", s);
    free(s);
    for (int i = 0; i < 9; i++) {
        assert_int_equal(0, vouch_grow(&v, n, &cap, sizeof(*v), 4, &err));
        v[n++] = i;
    }
    assert_int_equal(16, cap); /* 4, 8, 16 */
    assert_int_equal(8, v[8]);
    free(v);
    one = vouch_push(&list, &nl, sizeof(*list), &err);
    assert_non_null(one);
    assert_int_equal(0, *one);
    *one = 7;
    one = vouch_push(&list, &nl, sizeof(*list), &err);
    assert_int_equal(2, nl);
    assert_int_equal(7, list[0]);
    assert_int_equal(0, list[1]);
    free(list);
    assert_int_equal(VOUCH_ENOMEM, vouch_enomem(&err));
    assert_string_equal("out of memory", err.msg);
}

static void test_json_go_string(void **state)
{
    struct vouch_buf b;
    struct vouch_error err = VOUCH_ERROR_INIT;
    const char in[] = "a<b>&\"\\\n\x01\xe2\x80\xa8\xc3\xa9\xff";
    (void)state;
    vouch_buf_init(&b, 0);
    assert_int_equal(0, vouch_json_go_string(&b, in, sizeof(in) - 1, &err));
    assert_string_equal("\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\u0001\\u2028\xc3\xa9\\ufffd\"",
                        vouch_buf_cstr(&b));
    vouch_buf_release(&b);
}

static void test_atomic_write(void **state)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct vouch_outfile of;
    char path[4200];
    unsigned char *data;
    size_t n;
    (void)state;
    snprintf(path, sizeof(path), "%s/out.txt", ts_tmpdir("atomic"));
    assert_int_equal(0, vouch_file_write(path, "abc", 3, 0600, VOUCH_OUT_EXCL, &err));
    assert_int_equal(VOUCH_EEXIST, vouch_file_write(path, "x", 1, 0600, VOUCH_OUT_EXCL, &err));
    data = ts_read(path, &n);
    assert_int_equal(3, n);
    free(data);
    /* abort leaves the old file and no temporary behind */
    assert_int_equal(0, vouch_outfile_open(&of, path, 0600, 0, &err));
    fputs("partial", of.fp);
    vouch_outfile_abort(&of);
    data = ts_read(path, &n);
    assert_memory_equal("abc", data, 3);
    free(data);
    err.code = 0;
    assert_int_equal(VOUCH_ENOTFOUND, vouch_file_read(&data, &n, "/nonexistent/x", 10, &err));
    assert_non_null(strstr(err.msg, "'/nonexistent/x'"));
}

static void test_time_rfc3339(void **state)
{
    int64_t t = 0;
    (void)state;
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2024-03-01T10:15:02Z"), 0);
    assert_int_equal(t, 1709288102);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2024-03-01t10:15:02.123456z"), 0);
    assert_int_equal(t, 1709288102);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2024-03-01T12:15:02+02:00"), 0);
    assert_int_equal(t, 1709288102);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2024-03-01T05:15:02-05:00"), 0);
    assert_int_equal(t, 1709288102);
    /* the leap second of 2016-12-31 stays in its day */
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2016-12-31T23:59:60Z"), 0);
    assert_int_equal(t, 1483228800);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2024-02-29T00:00:00Z"), 0);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-02-29T00:00:00Z"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-02-30T00:00:00Z"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-04-31T00:00:00Z"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-13-01T00:00:00Z"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-01-01T24:00:00Z"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-01-01T00:00:00"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-01-01T00:00:00Zx"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-01-01 00:00:00Z"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, "2027-1-01T00:00:00Z"), -1);
    assert_int_equal(vouch_time_parse_rfc3339(&t, ""), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_first_wins),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_mem),
        cmocka_unit_test(test_json_go_string),
        cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_time_rfc3339),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
