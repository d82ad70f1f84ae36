/* An OCI layout written all or nothing: `vouch copy … oci-dir:DIR` writes into a staging
 * directory beside DIR (a hard-linked copy of DIR when it exists: layout files are only
 * ever replaced by rename, never written in place), which takes DIR's place by one atomic
 * exchange when every manifest, blob and attachment is in. A failure removes the staging
 * directory and leaves DIR as it was (or absent). */
#ifndef VOUCH_CMD_STAGE_H
#define VOUCH_CMD_STAGE_H

#include "vouch/error.h"

struct stage {
    char *dir;   /* the layout the user named */
    char *tmp;   /* its staging directory */
    char *image; /* the destination to open: "oci-dir:" TMP plus the user's :TAG/@DIGEST */
    int existed; /* DIR was there: exchange, then remove the old tree */
};

/** Stage dest when it is an oci-dir: layout (else st->image is NULL): 0 or a VOUCH_E* code. */
int stage_begin(struct stage *st, const char *dest, struct vouch_error *err);

/** Put the staged layout in place of st->dir: 0 or a VOUCH_E* code (then st->dir unchanged). */
int stage_commit(struct stage *st, struct vouch_error *err);

/** Remove what is left of the staging directory and free st; accepts a zeroed st. */
void stage_release(struct stage *st);

#endif
