#!/usr/bin/env bash
# The image commands' surface without a registry: usage errors, invalid references and
# sources, layouts as images (tree, triangulate, copy between layouts), archives.
. "$VOUCH_SRC/tests/support/lib.sh"

H=dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c
for c in tree triangulate copy sign verify; do
    run "$VOUCH" $c --help
    expect_rc 0 "$c --help"
    expect_match "$OUT" "--registry-username" "$c --help lists the registry options"
done
run "$VOUCH" tree
expect_rc 2 "tree without IMAGE"
run "$VOUCH" tree a b
expect_rc 2 "tree with two images"
run "$VOUCH" copy onlyone
expect_rc 2 "copy without DST"
run "$VOUCH" triangulate --type nope alpine
expect_rc 2 "triangulate unknown --type"
expect_match "$ERR" "^vouch: unknown --type 'nope'" "unknown --type message"
run "$VOUCH" tree --ca-cert
expect_rc 2 "--ca-cert without a value"
run "$VOUCH" tree --registry-username u alpine
expect_rc 2 "--registry-username without --registry-password-stdin"
run "$VOUCH" tree "$H"
expect_rc 2 "64-hex identifier"
expect_eq "$ERR" "vouch: invalid image reference '$H': cannot specify 64-byte hexadecimal strings" \
    "identifier message"
run "$VOUCH" triangulate "alpine@sha256:abc"
expect_rc 2 "short digest"
expect_one_line_err "short digest"
run "$VOUCH" triangulate "alpine@md5:$H"
expect_rc 2 "unsupported digest algorithm"
run "$VOUCH" triangulate "alpine@sha256:$H"
expect_rc 0 "triangulate a digest reference needs no registry"
expect_eq "$OUT" "index.docker.io/library/alpine:sha256-$H.sig" "Docker Hub named as cosign does"
run "$VOUCH" triangulate --type digest "ghcr.io/o/r:v1@sha256:$H"
expect_eq "$OUT" "ghcr.io/o/r@sha256:$H" "tag+digest reference pinned by digest"
run "$VOUCH" sign --key nokey.key -a x "oci-dir:$T/nope"
expect_rc 2 "malformed annotation"

# layouts as images: a layout made by copy, read back by tree and triangulate
mkdir -p "$T/src/blobs/sha256"
printf '{"rootfs":{"type":"layers","diff_ids":[]}}' >"$T/cfg"
CFG=$(sha256sum <"$T/cfg" | cut -d' ' -f1)
cp "$T/cfg" "$T/src/blobs/sha256/$CFG"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[]}' \
    "$CFG" "$(wc -c <"$T/cfg")" >"$T/m"
M=$(sha256sum <"$T/m" | cut -d' ' -f1)
cp "$T/m" "$T/src/blobs/sha256/$M"
printf '{"imageLayoutVersion":"1.0.0"}' >"$T/src/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' \
    "$M" "$(wc -c <"$T/m")" >"$T/src/index.json"
run "$VOUCH" copy "oci-dir:$T/src:v1" "oci-dir:$T/dst:v2"
expect_rc 0 "copy between layouts"
expect_eq "$OUT" "sha256:$M" "copy prints the digest"
expect_eq "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$T/dst/index.json")" \
    v2 "destination tagged"
run "$VOUCH" triangulate "oci-dir:$T/dst:v2"
expect_eq "$OUT" "oci-dir:$T/dst:sha256-$M.sig" "triangulate a layout"
run "$VOUCH" tree "oci-dir:$T/dst:v2"
expect_rc 0 "tree of a layout"
run "$VOUCH" tree "oci-dir:$T/dst:v3"
expect_rc 2 "unknown tag in a layout"
expect_eq "$ERR" "vouch: tag 'v3' not found in '$T/dst'" "unknown layout tag message"
run "$VOUCH" tree "oci-dir:$T/nowhere"
expect_rc 2 "not a layout"
expect_one_line_err "not a layout"
printf 'garbage' >"$T/not.tar"
run "$VOUCH" tree "docker-archive:$T/not.tar"
expect_rc 2 "not an archive"
expect_one_line_err "not an archive"
run "$VOUCH" copy "oci-dir:$T/src:v1" "docker-archive:$T/out.tar"
expect_rc 2 "archive as destination refused"
expect_one_line_err "archive as destination refused"
finish
