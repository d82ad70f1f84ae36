/* A document's files: records round-trip through the spool (path, digests, size, layer),
 * cursors are independent, order is enforced, packages learn which files exist. */
#include "sbom_test.h"

#include "doc_internal.h"

static void add(struct sbom_doc *d, const char *path, unsigned char seed, uint64_t size,
                const char *layer, int want)
{
    unsigned char s256[32], s1[20];
    memset(s256, seed, sizeof(s256));
    memset(s1, seed ^ 0xff, sizeof(s1));
    assert_int_equal(want, doc_file_add(d, path, s256, s1, size, layer, NULL));
}

static void test_roundtrip(void **state)
{
    struct sbom_doc *d = NULL;
    struct sbom_file_iter *a = NULL, *b = NULL;
    const struct sbom_file *f = NULL;
    char longp[3000];
    (void)state;
    memset(longp, 'y', sizeof(longp) - 1);
    longp[sizeof(longp) - 1] = '\0';
    assert_int_equal(0, sbom_doc_new(&d, "image", "x", NULL));
    add(d, "a", 1, 0, NULL, 0);
    add(d, "b/c", 2, 1ull << 40, "sha256:l1", 0);
    add(d, "b/d", 3, 7, "sha256:l2", 0);
    add(d, "e", 4, 9, "sha256:l1", 0);
    add(d, longp, 5, 11, NULL, 0);
    for (int i = 0; i < 2000; i++) { /* several reader buffers' worth */
        char p[32];
        snprintf(p, sizeof(p), "zz/%06d", i);
        add(d, p, (unsigned char)i, (uint64_t)i, (i & 1) ? "sha256:l2" : NULL, 0);
    }
    assert_int_equal(2005, sbom_doc_file_count(d));
    assert_int_equal(2, d->layers.n); /* layer strings are interned */
    assert_int_equal(0, sbom_file_iter_new(&a, d, NULL));
    assert_int_equal(0, sbom_file_iter_new(&b, d, NULL));
    assert_int_equal(0, sbom_file_iter_next(&f, a, NULL));
    assert_string_equal("a", sbom_file_path(f));
    assert_null(sbom_file_layer(f));
    assert_int_equal(0, sbom_file_iter_next(&f, a, NULL));
    assert_string_equal("b/c", sbom_file_path(f));
    assert_int_equal(1ull << 40, sbom_file_size(f));
    assert_int_equal(2, sbom_file_sha256(f)[31]);
    assert_int_equal(0xfd, sbom_file_sha1(f)[19]);
    assert_string_equal("sha256:l1", sbom_file_layer(f));
    assert_int_equal(0, sbom_file_iter_next(&f, b, NULL)); /* b starts over */
    assert_string_equal("a", sbom_file_path(f));
    assert_int_equal(0, sbom_file_iter_next(&f, a, NULL));
    assert_string_equal("sha256:l2", sbom_file_layer(f));
    assert_int_equal(0, sbom_file_iter_next(&f, a, NULL));
    assert_int_equal(0, sbom_file_iter_next(&f, a, NULL));
    assert_string_equal(longp, sbom_file_path(f));
    for (int i = 0; i < 2000; i++) {
        char p[32];
        snprintf(p, sizeof(p), "zz/%06d", i);
        assert_int_equal(0, sbom_file_iter_next(&f, a, NULL));
        assert_string_equal(p, sbom_file_path(f));
        assert_int_equal(i, sbom_file_size(f));
        assert_int_equal((unsigned char)i, sbom_file_sha256(f)[0]);
    }
    assert_int_equal(0, sbom_file_iter_next(&f, a, NULL));
    assert_null(f);
    sbom_file_iter_free(a);
    sbom_file_iter_free(b);
    sbom_doc_free(d);
}

static void test_order_enforced(void **state)
{
    struct sbom_doc *d = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT;
    unsigned char z[32] = {0};
    (void)state;
    assert_int_equal(0, sbom_doc_new(&d, "dir", "x", NULL));
    add(d, "b", 1, 0, NULL, 0);
    add(d, "b", 1, 0, NULL, VOUCH_EINTERNAL); /* a duplicate */
    assert_int_equal(VOUCH_EINTERNAL, doc_file_add(d, "a", z, z, 0, NULL, &err));
    assert_string_equal("file 'a' added out of order", err.msg);
    assert_int_equal(1, sbom_doc_file_count(d));
    sbom_doc_free(d);
}

static void test_empty_and_mark(void **state)
{
    struct sbom_doc *d = NULL;
    struct sbom_pkg *p = NULL, *q = NULL;
    struct sbom_file_iter *it = NULL;
    const struct sbom_file *f = (const struct sbom_file *)1;
    (void)state;
    assert_int_equal(0, sbom_doc_new(&d, "dir", "x", NULL));
    assert_int_equal(0, sbom_file_iter_new(&it, d, NULL));
    assert_int_equal(0, sbom_file_iter_next(&f, it, NULL)); /* no spool at all */
    assert_null(f);
    sbom_file_iter_free(it);
    assert_int_equal(0, doc_pkg_add(&p, d, SBOM_PKG_DEB, NULL));
    assert_int_equal(0, util_set(&p->name, "p", (size_t)-1, NULL));
    assert_int_equal(0, strv_push(&p->files, "usr/bin/x", (size_t)-1, NULL));
    assert_int_equal(0, strv_push(&p->files, "etc/gone", (size_t)-1, NULL));
    assert_int_equal(0, doc_pkg_add(&q, d, SBOM_PKG_DEB, NULL));
    assert_int_equal(0, util_set(&q->name, "q", (size_t)-1, NULL));
    assert_int_equal(0, strv_push(&q->files, "usr/bin/x", (size_t)-1, NULL));
    assert_int_equal(0, strv_push(&q->files, "zzz", (size_t)-1, NULL));
    add(d, "etc/here", 1, 0, NULL, 0);
    add(d, "usr/bin/x", 2, 0, NULL, 0);
    add(d, "usr/bin/y", 3, 0, NULL, 0);
    assert_int_equal(0, doc_finish(d, NULL));
    p = d->pkgs[0]; /* sorted by name: p, q; files sorted too */
    assert_string_equal("etc/gone", p->files.v[0]);
    assert_int_equal(0, p->in_doc[0]);
    assert_int_equal(1, p->in_doc[1]);
    q = d->pkgs[1];
    assert_int_equal(1, q->in_doc[0]);
    assert_int_equal(0, q->in_doc[1]);
    sbom_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_order_enforced),
        cmocka_unit_test(test_empty_and_mark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
