/* cosign signature image manifests (`sha256-<hex>.sig`): sign_sigimage_parse, the layer
 * accessors, then re-serialising config and manifest and parsing the result again. */
#include "fuzz.h"
#include "sign/cosign.h"

#define CONFIG_DIGEST "sha256:0000000000000000000000000000000000000000000000000000000000000000"

static void rewrite(const struct sign_sigimage *img)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_sigimage *again = NULL;
    char *config = NULL, *manifest = NULL;
    size_t config_len = 0, manifest_len = 0;
    if (sign_sigimage_config(&config, &config_len, img, &err) == 0 &&
        sign_sigimage_manifest(&manifest, &manifest_len, img, CONFIG_DIGEST, config_len, &err) ==
            0) {
        if (sign_sigimage_parse(&again, (const unsigned char *)manifest, manifest_len, &err) != 0 ||
            sign_sigimage_count(again) != sign_sigimage_count(img)) {
            fprintf(stderr, "fuzz: written manifest does not parse back: %s\n", err.msg);
            abort();
        }
    }
    sign_sigimage_free(again);
    free(config);
    free(manifest);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vouch_error err = VOUCH_ERROR_INIT;
    struct sign_sigimage *img = NULL;
    int rc = sign_sigimage_parse(&img, data, size, &err);
    fuzz_check_error(rc, &err);
    if (rc != 0) {
        return 0;
    }
    for (size_t i = 0; i < sign_sigimage_count(img); i++) {
        const struct sign_sig_layer *l = sign_sigimage_layer(img, i);
        for (size_t j = 0; j < l->n_annotations; j++) {
            (void)sign_sigimage_find(img, l->digest, l->annotations[j].key,
                                     l->annotations[j].value);
        }
    }
    rewrite(img);
    if (sign_sigimage_count(img) > 0) {
        sign_sigimage_remove(img, 0);
        rewrite(img);
    }
    sign_sigimage_free(img);
    return 0;
}
