/* Helpers shared by the cmocka unit tests. */
#ifndef VOUCH_TESTSUPPORT_H
#define VOUCH_TESTSUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/** Path under the shared/ folder (static buffer, valid until the next call). */
const char *ts_shared(const char *rel);

/** Path under the source tree (static buffer, valid until the next call). */
const char *ts_src(const char *rel);

/** A fresh empty directory for this test (static buffer, valid until the next call). */
const char *ts_tmpdir(const char *name);

/** Read a whole file into a malloc'd NUL-terminated buffer; fails the test on error. */
unsigned char *ts_read(const char *path, size_t *len);

/** Write a file; fails the test on error. */
void ts_write(const char *path, const void *data, size_t len);

#endif
