/* -a KEY=VALUE annotations of `vouch sign` and `vouch verify`. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "out.h"
#include "annotations.h"

int sig_annotations_add(struct sig_annotations *s, const char *kv, const char *cmd)
{
    const char *eq = strchr(kv, '=');
    if (eq == NULL || eq == kv) {
        return out_usage(cmd, "annotation '%s' is not KEY=VALUE", kv);
    }
    if (s->n == SIG_ANNOTATIONS_MAX) {
        return out_usage(cmd, "more than %d annotations", SIG_ANNOTATIONS_MAX);
    }
    s->keys[s->n] = strndup(kv, (size_t)(eq - kv));
    if (s->keys[s->n] == NULL) {
        out_msg("out of memory");
        return EXIT_IO;
    }
    s->a[s->n].key = s->keys[s->n];
    s->a[s->n].value = eq + 1;
    s->n++;
    return EXIT_OK;
}

void sig_annotations_release(struct sig_annotations *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->keys[i]);
    }
    memset(s, 0, sizeof(*s));
}
