/* libsbom's small helpers: the string arena keeps every copy intact across blocks; the
 * in-place sort agrees with qsort on orders that matter
 * (sorted, reversed, duplicates, random) and on small sizes. */
#include "sbom_test.h"

#include "util.h"

struct rec {
    unsigned key;
    unsigned seq; /* makes the order total, as the root index does with its seq */
    char pad[56];
};

static int rec_cmp(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void check(struct rec *v, size_t n)
{
    struct rec *want = malloc(n * sizeof(*want) + 1);
    memcpy(want, v, n * sizeof(*v));
    qsort(want, n, sizeof(*want), rec_cmp);
    util_sort(v, n, sizeof(*v), rec_cmp);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(want[i].key, v[i].key);
        assert_int_equal(want[i].seq, v[i].seq);
    }
    free(want);
}

static void test_sort(void **state)
{
    enum { N = 5000 };
    struct rec *v = calloc(N, sizeof(*v));
    unsigned x = 12345;
    (void)state;
    for (size_t n = 0; n < 20; n++) { /* every small size, reversed */
        for (size_t i = 0; i < n; i++) {
            v[i].key = (unsigned)(n - i);
            v[i].seq = (unsigned)i;
        }
        check(v, n);
    }
    for (size_t i = 0; i < N; i++) { /* random keys with many duplicates */
        x = x * 1103515245u + 12345u;
        v[i].key = (x >> 16) % 97;
        v[i].seq = (unsigned)i;
    }
    check(v, N);
    check(v, N);      /* already sorted: left as it is */
    v[N - 1].key = 0; /* one out of place at the end */
    check(v, N);
    assert_int_equal(0, v[0].key);
    free(v);
}

static void test_arena(void **state)
{
    struct arena a;
    char big[ARENA_BLOCK + 10], *p[3000];
    (void)state;
    memset(&a, 0, sizeof(a));
    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    for (int i = 0; i < 3000; i++) { /* about 100 KiB: spans blocks */
        char s[40];
        snprintf(s, sizeof(s), "usr/share/doc/%08d/copyright", i);
        p[i] = arena_strdup(&a, s);
        assert_non_null(p[i]);
    }
    assert_int_equal(2, a.n);
    char *q = arena_strdup(&a, big); /* larger than a block: a block of its own */
    assert_string_equal(big, q);
    assert_int_equal(3, a.n);
    assert_string_equal("", arena_strdup(&a, ""));
    for (int i = 0; i < 3000; i++) {
        char s[40];
        snprintf(s, sizeof(s), "usr/share/doc/%08d/copyright", i);
        assert_string_equal(s, p[i]);
    }
    arena_release(&a);
    assert_int_equal(0, a.n);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
