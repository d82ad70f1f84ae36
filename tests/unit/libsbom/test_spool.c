/* The spool: bytes appended are read back exactly, in order, by independent readers,
 * across refills and across appends made between reads; reading past the end fails. */
#include "sbom_test.h"

#include "spool_internal.h"

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (unsigned char)((i * 131u + seed) >> 3);
    }
}

static void test_roundtrip_across_refills(void **state)
{
    enum { N = 3 * SPOOL_READER_BUF + 123 };
    static unsigned char in[N], out[N];
    struct spool s;
    struct spool_reader *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
    struct vouch_error err = VOUCH_ERROR_INIT;
    (void)state;
    fill(in, N, 7);
    assert_int_equal(0, spool_init(&s, &err));
    /* odd-sized appends so that records straddle the readers' buffers */
    for (size_t off = 0; off < N; off += 1001) {
        size_t n = N - off < 1001 ? N - off : 1001;
        assert_int_equal(0, spool_append(&s, in + off, n, &err));
    }
    assert_int_equal(N, s.len);
    spool_reader_init(a, &s);
    spool_reader_init(b, &s);
    assert_int_equal(0, spool_reader_read(a, out, 10, &err));
    assert_memory_equal(in, out, 10);
    assert_int_equal(0, spool_reader_read(b, out, N, &err)); /* b does not move a */
    assert_memory_equal(in, out, N);
    assert_true(spool_reader_done(b));
    assert_false(spool_reader_done(a));
    assert_int_equal(0, spool_reader_read(a, out + 10, N - 10, &err));
    assert_memory_equal(in, out, N);
    assert_int_equal(VOUCH_EIO, spool_reader_read(a, out, 1, &err));
    assert_string_equal("temporary file ends early", err.msg);
    free(a);
    free(b);
    spool_release(&s);
    spool_release(&s); /* released twice is harmless */
}

static void test_append_after_read(void **state)
{
    struct spool s;
    struct spool_reader *r = malloc(sizeof(*r));
    struct vouch_error err = VOUCH_ERROR_INIT;
    char out[8] = {0};
    (void)state;
    assert_int_equal(0, spool_init(&s, &err));
    spool_reader_init(r, &s);
    assert_int_equal(VOUCH_EIO, spool_reader_read(r, out, 1, &err)); /* empty */
    assert_int_equal(0, spool_append(&s, "abc", 3, &err));
    assert_int_equal(0, spool_reader_read(r, out, 2, &err));
    assert_int_equal(0, spool_append(&s, "def", 3, &err)); /* buffered in stdio */
    assert_int_equal(0, spool_reader_read(r, out + 2, 4, &err));
    assert_string_equal("abcdef", out);
    assert_true(spool_reader_done(r));
    free(r);
    spool_release(&s);
}

static void test_read_at(void **state)
{
    struct spool s;
    struct vouch_error err = VOUCH_ERROR_INIT;
    char out[8] = {0};
    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(VOUCH_EIO, spool_read_at(&s, 0, out, 1, &err)); /* never created */
    assert_int_equal(0, spool_init(&s, &err));
    assert_int_equal(0, spool_append(&s, "0123456789", 10, &err));
    assert_int_equal(0, spool_read_at(&s, 7, out, 3, &err)); /* still in stdio's buffer */
    assert_string_equal("789", out);
    assert_int_equal(0, spool_read_at(&s, 0, out, 2, &err));
    assert_string_equal("019", out);
    assert_int_equal(VOUCH_EIO, spool_read_at(&s, 8, out, 3, &err));
    assert_int_equal(VOUCH_EIO, spool_read_at(&s, UINT64_MAX, out, 1, &err));
    spool_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_across_refills),
        cmocka_unit_test(test_append_after_read),
        cmocka_unit_test(test_read_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
