/* Progress reports of a source walk: counts only grow, the last report has the totals, no
 * layer outside images, and a walk without a callback is the same walk. */
#include <unistd.h>

#include "sbom_test.h"

struct seen {
    size_t calls;
    struct sbom_progress_info last;
    int went_back; /* a count decreased between two reports */
    int had_layer; /* a report named a layer (none expected for dir:) */
};

static void on_progress(void *ctx, const struct sbom_progress_info *info)
{
    struct seen *s = ctx;
    if (s->calls > 0 && (info->bytes < s->last.bytes || info->entries < s->last.entries)) {
        s->went_back = 1;
    }
    if (info->layers != 0 || info->layer_digest != NULL) {
        s->had_layer = 1;
    }
    s->last = *info;
    s->calls++;
}

static void test_dir_progress(void **state)
{
    char buf[4096], p[4200];
    const char *root = st_tmp(buf, "progress-dir");
    static unsigned char big[200000];
    struct seen s = {0};
    struct sbom_progress prog = {on_progress, &s};
    struct sbom_root_opts o = {.progress = &prog};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_root *r = NULL;
    (void)state;
    memset(big, 'x', sizeof(big));
    st_put(root, "a", "0123456789", 10);
    st_put(root, "d/b", big, sizeof(big));
    st_put(root, "d/c", "", 0);
    snprintf(p, sizeof(p), "%s/l", root);
    assert_int_equal(0, symlink("a", p));
    if (sbom_root_open_dir(&r, root, &o, &err) != 0) {
        fail_msg("open: %s", err.msg);
    }
    /* entries a, d, d/b, d/c, l; 200010 bytes in at least 4 reads of 64 KiB */
    assert_int_equal(5, s.last.entries);
    assert_int_equal(200010, s.last.bytes);
    assert_true(s.calls >= 5 + 4);
    assert_false(s.went_back);
    assert_false(s.had_layer);
    sbom_root_free(r);
}

/* A callback with fn NULL is ignored: the walk succeeds and records the file. */
static void test_null_fn(void **state)
{
    char buf[4096];
    const char *root = st_tmp(buf, "progress-null");
    struct sbom_progress prog = {NULL, NULL};
    struct sbom_root_opts o = {.progress = &prog};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_root *r = NULL;
    struct sbom_stat st;
    (void)state;
    st_put(root, "x/y", "data", 4);
    assert_int_equal(0, sbom_root_open_dir(&r, root, &o, &err));
    assert_int_equal(0, sbom_root_stat(&st, r, "x/y", &err));
    assert_int_equal(SBOM_FT_REG, st.type);
    assert_int_equal(4, st.size);
    sbom_root_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dir_progress),
        cmocka_unit_test(test_null_fn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
