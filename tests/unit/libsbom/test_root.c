/* Roots: path normalisation, symlinks confined to the root, loops, readdir, kept contents. */
#include <unistd.h>

#include "sbom_test.h"

#include "root_internal.h"

static void test_normalize(void **state)
{
    char out[ROOT_PATH_MAX];
    (void)state;
    assert_int_equal(0, root_path_normalize(out, sizeof(out), "./a/../b"));
    assert_string_equal("b", out);
    assert_int_equal(0, root_path_normalize(out, sizeof(out), "/a//b/./"));
    assert_string_equal("a/b", out);
    assert_int_equal(-1, root_path_normalize(out, sizeof(out), "../x"));
    assert_int_equal(-1, root_path_normalize(out, sizeof(out), "a/../../etc/passwd"));
    assert_int_equal(0, root_path_normalize(out, sizeof(out), "."));
    assert_string_equal("", out);
}

static size_t want_all(const char *path, void *ctx)
{
    (void)ctx;
    return strncmp(path, "skip", 4) == 0 ? 0 : 1024;
}

static struct sbom_root *links_root(void)
{
    char buf[4096], p[4200];
    const char *root = st_tmp(buf, "root-links");
    struct sbom_root_opts o = {.want = want_all};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sbom_root *r;
    static const char *const links[][2] = {
        {"etc/os-release", "../usr/lib/os-release"},
        {"abs", "/usr/lib/os-release"},
        {"escape", "../../../../../../usr/lib/os-release"},
        {"lib", "usr/lib"},
        {"hostonly", "/etc/hostname"},
        {"loop-a", "loop-b"},
        {"loop-b", "loop-a"},
        {"self", "self"},
        {"deep", "deep/x"},
    };
    st_put(root, "usr/lib/os-release", "ID=test\n", 8);
    st_put(root, "skip-me", "not kept", 8);
    st_put(root, "etc/.keep", "", 0);
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", root, links[i][0]);
        assert_int_equal(0, symlink(links[i][1], p));
    }
    if (sbom_root_open_dir(&r, root, &o, &err) != 0) {
        fail_msg("open: %s", err.msg);
    }
    return r;
}

static void expect_read(const struct sbom_root *r, const char *path, const char *want)
{
    const unsigned char *d;
    size_t n;
    struct vouch_error err = VOUCH_ERROR_INIT;
    if (sbom_root_read(&d, &n, r, path, &err) != 0) {
        fail_msg("read %s: %s", path, err.msg);
    }
    assert_int_equal(strlen(want), n);
    assert_memory_equal(want, d, n);
}

static void test_symlinks_inside_root(void **state)
{
    struct sbom_root *r = links_root();
    struct vouch_error err = VOUCH_ERROR_INIT;
    const unsigned char *d;
    const char *target;
    struct sbom_stat st;
    size_t n;
    (void)state;
    expect_read(r, "etc/os-release", "ID=test\n");
    expect_read(r, "/abs", "ID=test\n");
    expect_read(r, "escape", "ID=test\n");
    expect_read(r, "lib/os-release", "ID=test\n");
    expect_read(r, "lib/../lib/./os-release", "ID=test\n");
    assert_int_equal(VOUCH_ENOTFOUND, sbom_root_read(&d, &n, r, "hostonly", &err));
    vouch_error_clear(&err);
    assert_int_equal(VOUCH_EPARSE, sbom_root_read(&d, &n, r, "loop-a", &err));
    assert_non_null(strstr(err.msg, "too many levels of symbolic links"));
    assert_int_equal(VOUCH_EPARSE, sbom_root_stat(&st, r, "self", NULL));
    assert_int_equal(VOUCH_EPARSE, sbom_root_stat(&st, r, "deep", NULL));
    assert_int_equal(0, sbom_root_lstat(&st, r, "loop-a", NULL));
    assert_int_equal(SBOM_FT_LNK, st.type);
    assert_int_equal(0, sbom_root_readlink(&target, r, "abs", NULL));
    assert_string_equal("/usr/lib/os-release", target);
    assert_int_equal(0, sbom_root_stat(&st, r, "lib", NULL));
    assert_int_equal(SBOM_FT_DIR, st.type);
    assert_int_equal(VOUCH_EUNSUPPORTED, sbom_root_read(&d, &n, r, "skip-me", NULL));
    assert_int_equal(VOUCH_ENOTFOUND, sbom_root_read(&d, &n, r, "usr/nope", NULL));
    sbom_root_free(r);
}

static int collect(const char *name, enum sbom_ftype t, void *ctx)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 512 - n, "%s%s ", name, t == SBOM_FT_LNK ? "@" : "");
    return 0;
}

static void test_readdir(void **state)
{
    struct sbom_root *r = links_root();
    char names[512] = "";
    (void)state;
    assert_int_equal(0, sbom_root_readdir(r, "", collect, names, NULL));
    assert_string_equal("abs@ deep@ escape@ etc hostonly@ lib@ loop-a@ loop-b@ self@ skip-me usr ",
                        names);
    names[0] = '\0';
    assert_int_equal(0, sbom_root_readdir(r, "lib", collect, names, NULL));
    assert_string_equal("os-release ", names);
    assert_int_equal(VOUCH_EINVAL, sbom_root_readdir(r, "skip-me", collect, names, NULL));
    sbom_root_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_symlinks_inside_root),
        cmocka_unit_test(test_readdir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
