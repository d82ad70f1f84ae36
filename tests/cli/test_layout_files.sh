#!/usr/bin/env bash
# OCI layouts are read as regular files only: a blob or index.json that is a symbolic link
# (out of the layout), a FIFO (which would block the read) or a device is refused; the
# declared size of a manifest must be its size, and absurd or negative sizes are refused; a
# manifest must be what its type says (a config, not also a layer; well-formed descriptors).
. "$VOUCH_SRC/tests/support/lib.sh"

# make_layout DIR SIZE: a one-image layout whose index declares SIZE for the manifest
# ("" = the real size); sets M (manifest hex) and MLEN
make_layout() {
    local d=$1 size=$2
    rm -rf "$d"
    mkdir -p "$d/blobs/sha256"
    printf '{"rootfs":{"type":"layers","diff_ids":[]}}' >"$T/cfg"
    CFG=$(sha256sum <"$T/cfg" | cut -d' ' -f1)
    cp "$T/cfg" "$d/blobs/sha256/$CFG"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[]}' \
        "$CFG" "$(wc -c <"$T/cfg")" >"$T/m"
    M=$(sha256sum <"$T/m" | cut -d' ' -f1)
    MLEN=$(wc -c <"$T/m")
    cp "$T/m" "$d/blobs/sha256/$M"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
    printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s}]}' \
        "$M" "${size:-$MLEN}" >"$d/index.json"
}

cd "$T" || exit 1
L=lay # relative: messages stay short of the 256-byte error record
make_layout "$L" ""
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 0 "a plain layout reads"

# a manifest blob that is a symbolic link out of the layout
mv "$L/blobs/sha256/$M" "$T/outside"
ln -s "$T/outside" "$L/blobs/sha256/$M"
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 2 "a symlinked blob is refused"
expect_eq "$ERR" "vouch: blob sha256:$M in '$L' is a symbolic link, not a file" \
    "symlinked blob message"

# a FIFO: refused at once, not waited on
rm "$L/blobs/sha256/$M"
mkfifo "$L/blobs/sha256/$M"
run timeout 20 "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 2 "a FIFO blob is refused without blocking"
expect_eq "$ERR" "vouch: blob sha256:$M in '$L' is not a regular file" \
    "FIFO blob message"

# index.json that is a symbolic link, or a directory
make_layout "$L" ""
mv "$L/index.json" "$T/index-outside.json"
ln -s "$T/index-outside.json" "$L/index.json"
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 2 "a symlinked index.json is refused"
expect_eq "$ERR" "vouch: '$L/index.json' is a symbolic link, not a file" "symlinked index message"
rm "$L/index.json"
mkdir "$L/index.json"
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 2 "a directory index.json is refused"
expect_eq "$ERR" "vouch: '$L/index.json' is not a regular file" "directory index message"

# declared sizes
make_layout "$L" "$((MLEN - 1))"
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 1 "a manifest larger than its descriptor is refused"
expect_eq "$ERR" "vouch: manifest 'sha256:$M' in '$L' is $MLEN bytes, its descriptor says $((MLEN - 1))" \
    "size mismatch message"
for size in -1 2199023255552; do
    make_layout "$L" "$size"
    run "$VOUCH" triangulate --type digest "oci-dir:$L"
    expect_rc 2 "descriptor size $size refused"
    expect_match "$ERR" "^vouch: descriptor of sha256:$M in '$L' declares $size bytes \\(a manifest is at most" \
        "descriptor size $size message"
done

# put_manifest DIR JSON [MT]: DIR holds one image, JSON, listed in index.json as MT
put_manifest() {
    local d=$1 json=$2 mt=${3:-application/vnd.oci.image.manifest.v1+json}
    printf '%s' "$json" >"$T/pm"
    M=$(sha256sum <"$T/pm" | cut -d' ' -f1)
    cp "$T/pm" "$d/blobs/sha256/$M"
    printf '{"schemaVersion":2,"manifests":[{"mediaType":"%s","digest":"sha256:%s","size":%s}]}' \
        "$mt" "$M" "$(wc -c <"$T/pm")" >"$d/index.json"
}
make_layout "$L" ""
C="{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$CFG\",\"size\":$(wc -c <"$T/cfg")}"
MT='"mediaType":"application/vnd.oci.image.manifest.v1+json"'
put_manifest "$L" "{\"schemaVersion\":2,$MT,\"layers\":[]}"
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 2 "a manifest without config is refused"
expect_eq "$ERR" "vouch: malformed manifest for 'sha256:$M' in '$L': no valid config" "no config message"
put_manifest "$L" "{\"schemaVersion\":2,$MT,\"config\":$C,\"layers\":[$C]}"
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 2 "a config that is also a layer is refused"
expect_eq "$ERR" "vouch: malformed manifest for 'sha256:$M' in '$L': its config sha256:$CFG is also a layer" \
    "config-as-layer message"
put_manifest "$L" "{\"schemaVersion\":2,$MT,\"config\":$C,\"layers\":[{\"digest\":\"sha256:$CFG\",\"size\":-5}]}"
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 2 "a layer of negative size is refused"
expect_eq "$ERR" "vouch: malformed manifest for 'sha256:$M' in '$L': bad descriptor 0 (digest, size)" \
    "negative layer size message"
put_manifest "$L" "{\"schemaVersion\":2,$MT,\"config\":$C,\"layers\":[]}" \
    application/vnd.oci.image.index.v1+json
run "$VOUCH" triangulate --type digest "oci-dir:$L"
expect_rc 2 "a media type that does not match the bytes is refused"
expect_eq "$ERR" "vouch: malformed manifest for 'sha256:$M' in '$L': it says 'application/vnd.oci.image.manifest.v1+json', not 'application/vnd.oci.image.index.v1+json'" \
    "media type mismatch message"
finish
