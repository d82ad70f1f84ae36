/* Replays fuzz inputs (files named on the command line) through LLVMFuzzerTestOneInput, so
 * each fuzz target's seed corpus runs as an ordinary test under the dev sanitizers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vouch/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        struct vouch_error err = VOUCH_ERROR_INIT;
        unsigned char *data = NULL;
        size_t n = 0;
        if (vouch_file_read(&data, &n, argv[i], (size_t)64 << 20, &err) != 0) {
            fprintf(stderr, "replay: %s\n", err.msg);
            return 2;
        }
        LLVMFuzzerTestOneInput(data, n);
        free(data);
    }
    printf("replayed %d inputs\n", argc - 1);
    return 0;
}
