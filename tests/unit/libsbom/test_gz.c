/* The ISA-L gzip reader: members, header fields, padding, truncation, CRC/ISIZE, trailing
 * garbage, the ratio cap, a failing source, and libarchive reading through it. Members are
 * built here: raw deflate from isal_deflate wrapped in a hand-written RFC 1952 header. */
#include <archive.h>
#include <archive_entry.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include "sbom_test.h"

#include "gz_internal.h"

struct mem {
    unsigned char *p;
    size_t len, cap;
};

static void mem_add(struct mem *m, const void *p, size_t n)
{
    if (n == 0) {
        return;
    }
    if (m->len + n > m->cap) {
        m->cap = (m->len + n) * 2;
        m->p = realloc(m->p, m->cap);
        assert_non_null(m->p);
    }
    memcpy(m->p + m->len, p, n);
    m->len += n;
}

/* Append one gzip member of data; flags adds FEXTRA/FNAME/FCOMMENT/FHCRC fields. */
static void member(struct mem *m, const unsigned char *data, size_t n, int flags)
{
    static unsigned char lvl[ISAL_DEF_LVL1_DEFAULT];
    unsigned char hdr[10] = {0x1f, 0x8b, 8, (unsigned char)flags, 0, 0, 0, 0, 0, 3}, tr[8];
    struct isal_zstream z;
    size_t cap = n + n / 2 + 1024, h0 = m->len;
    unsigned char *out = malloc(cap);
    uint32_t crc = crc32_gzip_refl(0, data, n);
    assert_non_null(out);
    mem_add(m, hdr, sizeof(hdr));
    if (flags & 4) {
        mem_add(m, "\x04\x00xy\x00\x00", 6); /* XLEN 4, one subfield */
    }
    if (flags & 8) {
        mem_add(m, "layer.tar", 10);
    }
    if (flags & 16) {
        mem_add(m, "a comment", 10);
    }
    if (flags & 2) {
        uint32_t hc = crc32_gzip_refl(0, m->p + h0, m->len - h0);
        unsigned char h2[2] = {(unsigned char)hc, (unsigned char)(hc >> 8)};
        mem_add(m, h2, 2);
    }
    isal_deflate_init(&z);
    z.level = 1;
    z.level_buf = lvl;
    z.level_buf_size = sizeof(lvl);
    z.end_of_stream = 1;
    z.next_in = (unsigned char *)data;
    z.avail_in = (uint32_t)n;
    z.next_out = out;
    z.avail_out = (uint32_t)cap;
    assert_int_equal(COMP_OK, isal_deflate(&z));
    assert_int_equal(0, z.avail_in);
    mem_add(m, out, z.total_out);
    for (int i = 0; i < 4; i++) {
        tr[i] = (unsigned char)(crc >> (8 * i));
        tr[4 + i] = (unsigned char)((uint32_t)n >> (8 * i));
    }
    mem_add(m, tr, sizeof(tr));
    free(out);
}

/* Text-like data that compresses into dynamic blocks with matches. */
static unsigned char *sample(size_t n, unsigned seed)
{
    unsigned char *d = malloc(n + 1);
    static const char *const words[] = {"usr/", "lib/",      "x86_64-linux-gnu", ".so.6",
                                        "\n",   "Package: ", "Version: 1.2",     "\0\0\0\0"};
    size_t i = 0;
    assert_non_null(d);
    while (i < n) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % 8];
        size_t l = strlen(w) > 0 ? strlen(w) : 4;
        for (size_t k = 0; k < l && i < n; k++) {
            d[i++] =
                (seed >> 24) % 5 == 0 ? (unsigned char)(seed >> (k % 24)) : (unsigned char)w[k];
        }
    }
    return d;
}

/* A source over memory handing out at most step bytes a call. */
struct src {
    const struct mem *m;
    size_t off, step;
    int fail_at; /* >0: fail once this many bytes were handed out */
};

static int src_pull(size_t *got, void *ctx, unsigned char *buf, size_t cap, struct vouch_error *err)
{
    struct src *s = ctx;
    size_t n = s->m->len - s->off;
    if (s->fail_at > 0 && s->off >= (size_t)s->fail_at) {
        return vouch_error_set(err, VOUCH_EVERIFY, "blob digest mismatch");
    }
    n = n < cap ? n : cap;
    n = n < s->step ? n : s->step;
    memcpy(buf, s->m->p + s->off, n);
    s->off += n;
    *got = n;
    return 0;
}

/* Inflate all of m pulled step bytes at a time; returns rc, output in *out. */
static int inflate_all(struct mem *out, const struct mem *m, size_t step,
                       const struct gz_limits *lim, struct vouch_error *err)
{
    static const struct gz_limits def = {1000, (uint64_t)64 << 20};
    struct src s = {m, 0, step, 0};
    struct gz_reader *z = NULL;
    const unsigned char *p;
    size_t n = 1;
    int rc = gz_reader_new(&z, src_pull, &s, "t.tar.gz", lim ? lim : &def, err);
    memset(out, 0, sizeof(*out));
    while (rc == 0 && n > 0 && (rc = gz_reader_read(&p, &n, z, err)) == 0) {
        mem_add(out, p, n);
    }
    gz_reader_free(z);
    return rc;
}

static const size_t steps[] = {1, 3, 7, 4096, 65536, (size_t)1 << 30};

static void test_members(void **state)
{
    size_t sz[] = {300000, 0, 5, 700000};
    int flags[] = {0, 8, 4 | 8 | 16 | 2, 8};
    struct mem gz = {0}, want = {0}, got;
    (void)state;
    for (int i = 0; i < 4; i++) {
        unsigned char *d = sample(sz[i], (unsigned)i + 1);
        member(&gz, d, sz[i], flags[i]);
        mem_add(&want, d, sz[i]);
        free(d);
    }
    mem_add(&gz, "\0\0\0\0\0\0\0\0\0\0", 10); /* zero padding after the last member */
    for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        if (inflate_all(&got, &gz, steps[s], NULL, &err) != 0) {
            fail_msg("step %zu: %s", steps[s], err.msg);
        }
        assert_int_equal(want.len, got.len);
        assert_memory_equal(want.p, got.p, got.len);
        free(got.p);
    }
    free(gz.p);
    free(want.p);
}

static void expect_fail(const struct mem *gz, int code, const char *msg)
{
    for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        struct mem got;
        assert_int_equal(code, inflate_all(&got, gz, steps[s], NULL, &err));
        assert_int_equal(code, err.code);
        if (strstr(err.msg, msg) == NULL) {
            fail_msg("step %zu: '%s' lacks '%s'", steps[s], err.msg, msg);
        }
        free(got.p);
    }
}

static void test_truncated_and_empty(void **state)
{
    unsigned char *d = sample(100000, 9);
    struct mem gz = {0}, cut, got;
    struct vouch_error err = VOUCH_ERROR_INIT;
    size_t cuts[] = {0, 1, 2, 5, 10, 11, 500, 0 /* half */, 0 /* -8 */, 0 /* -1 */};
    (void)state;
    member(&gz, d, 100000, 8);
    cuts[7] = gz.len / 2;
    cuts[8] = gz.len - 8;
    cuts[9] = gz.len - 1;
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        cut = gz;
        cut.len = cuts[i];
        expect_fail(&cut, VOUCH_EPARSE, "'t.tar.gz': truncated gzip data");
    }
    /* an empty member is valid and yields nothing */
    free(gz.p);
    memset(&gz, 0, sizeof(gz));
    member(&gz, d, 0, 0);
    assert_int_equal(0, inflate_all(&got, &gz, 4096, NULL, &err));
    assert_int_equal(0, got.len);
    free(got.p);
    free(gz.p);
    free(d);
}

static void test_crc_isize_garbage(void **state)
{
    unsigned char *d = sample(200000, 5);
    struct mem gz = {0};
    (void)state;
    member(&gz, d, 200000, 0);
    member(&gz, d, 200000, 0);
    gz.p[gz.len - 8] ^= 1; /* CRC-32 of the second member */
    expect_fail(&gz, VOUCH_EPARSE, "'t.tar.gz': gzip CRC-32 or length mismatch");
    gz.p[gz.len - 8] ^= 1;
    gz.p[gz.len - 1] ^= 0x80; /* ISIZE */
    expect_fail(&gz, VOUCH_EPARSE, "gzip CRC-32 or length mismatch");
    gz.p[gz.len - 1] ^= 0x80;
    mem_add(&gz, "\0\0junk", 6);
    expect_fail(&gz, VOUCH_EPARSE, "'t.tar.gz': trailing garbage after gzip data");
    gz.len -= 6;
    gz.p[3] = 0xe0; /* reserved header flags */
    expect_fail(&gz, VOUCH_EPARSE, "'t.tar.gz': ");
    gz.p[3] = 0;
    gz.p[2] = 7; /* not deflate */
    expect_fail(&gz, VOUCH_EPARSE, "'t.tar.gz': ");
    gz.p[2] = 8;
    gz.p[40] ^= 0xff; /* inside the deflate data */
    expect_fail(&gz, VOUCH_EPARSE, "'t.tar.gz': ");
    free(gz.p);
    free(d);
}

static void test_bomb_cap(void **state)
{
    const size_t n = (size_t)8 << 20;
    unsigned char *zeros = calloc(1, n);
    struct gz_limits lim = {10, (uint64_t)1 << 20};
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct mem gz = {0}, got;
    (void)state;
    member(&gz, zeros, n, 0);
    assert_int_equal(VOUCH_EINVAL, inflate_all(&got, &gz, 65536, &lim, &err));
    assert_string_equal("'t.tar.gz': decompression ratio above 10:1 (decompression bomb?)",
                        err.msg);
    assert_true(got.len <= ((size_t)2 << 20)); /* stopped soon after the floor */
    free(got.p);
    lim.max_ratio = 100000; /* the same stream under a looser cap */
    memset(&err, 0, sizeof(err));
    assert_int_equal(0, inflate_all(&got, &gz, 65536, &lim, &err));
    assert_int_equal(n, got.len);
    free(got.p);
    free(gz.p);
    free(zeros);
}

static void test_source_failure_sticky(void **state)
{
    unsigned char *d = sample(500000, 3);
    struct mem gz = {0};
    struct src s = {&gz, 0, 4096, 20000};
    struct gz_reader *z = NULL;
    struct vouch_error err = VOUCH_ERROR_INIT, err2 = VOUCH_ERROR_INIT;
    struct gz_limits lim = {1000, 1 << 20};
    const unsigned char *p;
    size_t n = 1;
    int rc = 0;
    (void)state;
    member(&gz, d, 500000, 0);
    assert_int_equal(0, gz_reader_new(&z, src_pull, &s, "x", &lim, &err));
    while (rc == 0 && n > 0) {
        rc = gz_reader_read(&p, &n, z, &err);
    }
    assert_int_equal(VOUCH_EVERIFY, rc);
    assert_string_equal("blob digest mismatch", err.msg);
    assert_int_equal(VOUCH_EVERIFY, gz_reader_read(&p, &n, z, &err2));
    assert_int_equal(0, n);
    assert_string_equal("blob digest mismatch", err2.msg);
    assert_true(gz_reader_bytes_in(z) >= 20000);
    gz_reader_free(z);
    free(gz.p);
    free(d);
}

/* A two-entry tar made by libarchive's writer. */
static void make_tar(struct mem *out, const char *body)
{
    struct archive *w = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    size_t used = 0;
    out->cap = 1 << 16;
    out->p = calloc(1, out->cap);
    archive_write_set_format_pax_restricted(w);
    assert_int_equal(ARCHIVE_OK, archive_write_open_memory(w, out->p, out->cap, &used));
    for (int i = 0; i < 2; i++) {
        archive_entry_clear(e);
        archive_entry_set_pathname(e, i == 0 ? "etc/os-release" : "usr/bin/hello");
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)strlen(body));
        assert_int_equal(ARCHIVE_OK, archive_write_header(w, e));
        assert_int_equal((la_ssize_t)strlen(body), archive_write_data(w, body, strlen(body)));
    }
    assert_int_equal(ARCHIVE_OK, archive_write_close(w));
    archive_write_free(w);
    archive_entry_free(e);
    out->len = used;
}

/* Read every entry through arc_in; returns the first failure. */
static int read_arc(const struct mem *m, char *names, size_t nsz, struct vouch_error *err)
{
    struct gz_limits lim = {1000, 1 << 20};
    struct src s = {m, 0, 1000, 0};
    struct arc_in *in = NULL;
    struct archive_entry *ae;
    void *a = NULL;
    int rc = arc_in_open(&a, &in, src_pull, &s, "t.tar.gz", 0, &lim, err);
    names[0] = '\0';
    while (rc == 0) {
        int ar = archive_read_next_header(a, &ae);
        if (ar == ARCHIVE_EOF) {
            break;
        }
        if (ar != ARCHIVE_OK) {
            const struct vouch_error *re = arc_in_error(in);
            rc = vouch_error_set(err, re->code ? re->code : VOUCH_EPARSE, "%s",
                                 re->code ? re->msg : archive_error_string(a));
            break;
        }
        snprintf(names + strlen(names), nsz - strlen(names), "%s ", archive_entry_pathname(ae));
    }
    rc = rc != 0 ? rc : arc_in_finish(in, err);
    arc_in_free(in);
    return rc;
}

static void test_arc_in(void **state)
{
    struct mem tar, gz = {0};
    struct vouch_error err = VOUCH_ERROR_INIT;
    char names[256];
    (void)state;
    make_tar(&tar, "ID=debian\n");
    assert_int_equal(0, read_arc(&tar, names, sizeof(names), &err)); /* plain tar */
    assert_string_equal("etc/os-release usr/bin/hello ", names);
    member(&gz, tar.p, 3000, 8); /* split into two members mid-entry */
    member(&gz, tar.p + 3000, tar.len - 3000, 0);
    assert_int_equal(0, read_arc(&gz, names, sizeof(names), &err));
    assert_string_equal("etc/os-release usr/bin/hello ", names);
    /* zeros after the tar's end marker: libarchive stops before the gzip end, where
     * only arc_in_finish sees a bad CRC */
    unsigned char *pad = calloc(1, (size_t)1 << 20);
    gz.len = 0;
    member(&gz, tar.p, tar.len, 0);
    member(&gz, pad, (size_t)1 << 20, 0);
    assert_int_equal(0, read_arc(&gz, names, sizeof(names), &err));
    gz.p[gz.len - 6] ^= 1;
    assert_int_equal(VOUCH_EPARSE, read_arc(&gz, names, sizeof(names), &err));
    assert_string_equal("'t.tar.gz': gzip CRC-32 or length mismatch", err.msg);
    assert_string_equal("etc/os-release usr/bin/hello ", names);
    free(pad);
    /* a gzip magic and nothing else */
    memset(&err, 0, sizeof(err));
    gz.len = 2;
    assert_int_equal(VOUCH_EPARSE, read_arc(&gz, names, sizeof(names), &err));
    assert_string_equal("'t.tar.gz': truncated gzip data", err.msg);
    free(gz.p);
    free(tar.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_truncated_and_empty),
        cmocka_unit_test(test_crc_isize_garbage),
        cmocka_unit_test(test_bomb_cap),
        cmocka_unit_test(test_source_failure_sticky),
        cmocka_unit_test(test_arc_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
