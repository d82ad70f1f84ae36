/* Shared by the fuzz harnesses: libFuzzer's entry point and small helpers. */
#ifndef VOUCH_FUZZ_H
#define VOUCH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vouch/error.h"

/** libFuzzer's entry point: parse data; must not crash, leak or hang on any input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** A malloc'd NUL-terminated copy of data (for parsers taking C strings), or NULL. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s != NULL) {
        if (size > 0) {
            memcpy(s, data, size);
        }
        s[size] = '\0';
    }
    return s;
}

/**
 * A failure must explain itself in one printable line (the CLI prints it as `vouch: msg`):
 * abort (a finding) when rc is an error and msg is empty or holds a control character.
 */
static inline void fuzz_check_error(int rc, const struct vouch_error *err)
{
    if (rc >= 0) {
        return;
    }
    if (err->msg[0] == '\0') {
        fprintf(stderr, "fuzz: error %d without a message\n", rc);
        abort();
    }
    for (const char *c = err->msg; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            fprintf(stderr, "fuzz: control character in error message: %s\n", err->msg);
            abort();
        }
    }
}

#endif
