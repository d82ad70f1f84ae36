/* Replays inputs through a harness without libFuzzer: every file named on the command line,
 * or found (recursively, in name order) under a named directory, is passed once to
 * LLVMFuzzerTestOneInput. Used by ctest (fuzz.<target>) so that corpora and crash
 * reproducers run under the dev sanitizers. Fails when nothing was run. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define DRIVER_MAX_INPUT ((size_t)16 << 20)

static int run_file(const char *path, size_t *count)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0;
    int rc = 1;
    if (f == NULL) {
        fprintf(stderr, "driver: cannot open '%s'\n", path);
        return 1;
    }
    buf = malloc(DRIVER_MAX_INPUT + 1);
    if (buf != NULL) {
        len = fread(buf, 1, DRIVER_MAX_INPUT + 1, f);
        if (!ferror(f) && len <= DRIVER_MAX_INPUT) {
            fprintf(stderr, "driver: %s (%zu bytes)\n", path, len);
            /* an exact-size copy so that ASan sees reads past the end */
            unsigned char *exact = malloc(len > 0 ? len : 1);
            if (exact != NULL) {
                memcpy(exact, buf, len);
                (void)LLVMFuzzerTestOneInput(exact, len);
                free(exact);
                (*count)++;
                rc = 0;
            }
        } else {
            fprintf(stderr, "driver: cannot read '%s' (or larger than 16 MiB)\n", path);
        }
    }
    free(buf);
    fclose(f);
    return rc;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path, size_t *count)
{
    struct stat st;
    struct dirent **names = NULL;
    int n, rc = 0;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "driver: no such file or directory '%s'\n", path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        return run_file(path, count);
    }
    n = scandir(path, &names, NULL, name_cmp);
    if (n < 0) {
        fprintf(stderr, "driver: cannot list '%s'\n", path);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        const char *d = names[i]->d_name;
        if (rc == 0 && d[0] != '.') {
            size_t plen = strlen(path) + strlen(d) + 2;
            char *child = malloc(plen);
            if (child == NULL) {
                rc = 1;
            } else {
                snprintf(child, plen, "%s/%s", path, d);
                rc = run_path(child, count);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    for (int i = 1; i < argc; i++) {
        if (run_path(argv[i], &count) != 0) {
            return 1;
        }
    }
    if (count == 0) {
        fprintf(stderr, "driver: no inputs\n");
        return 1;
    }
    printf("%zu inputs ran\n", count);
    return 0;
}
