#!/usr/bin/env bash
# `vouch copy … oci-dir:DIR` is all or nothing (issue 14): the layout is staged beside DIR
# (cmd/stage.c) and exchanged into place at the end, so a failure while copying the
# signatures leaves no layout behind, or the previous one untouched.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"

IMG=sha256:ffe6487ee12e4a4065e29c7385a50f30d709bc15ca78bf8060e9c249a57a81db
SIG=b6a6cb834a04eab082ceda05bb8d6de135b4c00ea68ea02d541c99a526cd7b7f
SIG2=04ceeca7a525ac78ce5f48f9ae25dab4230ff61b02f91ff147cc5d3c10eeb9b3
registry_peer_layout signed "$T/src"
LAYER=$(jq -r '.layers[0].digest' "$T/src/blobs/sha256/$SIG" | cut -d: -f2)
# the same image signed elsewhere (signed2), its .sig layer broken: the copy of the image
# succeeds, then the signature fails its digest
registry_peer_layout signed2 "$T/bad"
LAYER2=$(jq -r '.layers[0].digest' "$T/bad/blobs/sha256/$SIG2" | cut -d: -f2)
printf 'not the signature payload' >"$T/bad/blobs/sha256/$LAYER2"
tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
leftovers() { find "$T" -maxdepth 1 -name '.*.vouch-copy-*' | wc -l; }

run "$VOUCH" copy "oci-dir:$T/src:v1" "oci-dir:$T/dst:v1"
expect_rc 0 "copy into a new layout"
expect_eq "$OUT" "$IMG" "copy prints the digest"
expect_eq "$(jq -r '[.manifests[].annotations["org.opencontainers.image.ref.name"]] | sort | join(" ")' "$T/dst/index.json")" \
    "sha256-${IMG#sha256:}.sig v1" "the layout holds the image and its signature"
BEFORE=$(tree_sum "$T/dst")

run "$VOUCH" copy "oci-dir:$T/bad:v1" "oci-dir:$T/dst:v2"
expect_rc 1 "a signature that fails its digest stops the copy"
expect_match "$ERR" "^vouch: .*digest" "the error names the digest mismatch"
expect_eq "$(tree_sum "$T/dst")" "$BEFORE" "the previous layout is untouched (no v2 tag, no new blob)"
expect_eq "$(leftovers)" "0" "no staging directory is left"

run "$VOUCH" copy "oci-dir:$T/bad:v1" "oci-dir:$T/fresh"
expect_rc 1 "the same failure into a new layout"
expect_absent "$T/fresh" "no layout is left behind"
expect_eq "$(leftovers)" "0" "no staging directory is left"

run "$VOUCH" copy "oci-dir:$T/src:v1" "oci:$T/dst:v3"
expect_rc 0 "copy into the existing layout (oci: alias)"
expect_eq "$(jq -r '[.manifests[].annotations["org.opencontainers.image.ref.name"]] | sort | join(" ")' "$T/dst/index.json")" \
    "sha256-${IMG#sha256:}.sig v1 v3" "the new tag joins the old ones"
expect_eq "$(leftovers)" "0" "the old tree is removed after the exchange"
expect_eq "$(sha256sum <"$T/dst/blobs/sha256/$LAYER" | cut -d' ' -f1)" "$LAYER" \
    "the signature's layer is in the layout, intact"

printf 'x' >"$T/file"
run "$VOUCH" copy "oci-dir:$T/src:v1" "oci-dir:$T/file"
expect_rc 2 "a destination that is a file"
expect_eq "$ERR" "vouch: '$T/file' is not a directory" "names the file"
finish
