#!/usr/bin/env bash
# bench/sbom.sh [BUILD_DIR]: vouch sbom on the debootstrap minbase rootfs as a gzip and a
# zstd layer against the decompress+SHA-256 floors (issue "SBOM I"), plus a directory run
# and peak RSS at 1x and 4x input. Needs the rootfs cached by
# tests/interop/test_sbom_debootstrap.sh ($ROOTFS overrides). Prints, asserts nothing.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/release}
vouch=$build/cmd/vouch
root=${ROOTFS:-$top/build/dev/cache/rootfs}
[ -x "$vouch" ] || { echo "no $vouch: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
[ -d "$root" ] || { echo "no rootfs at $root: run the debootstrap interop test first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tar --sort=name --mtime=@0 --numeric-owner --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* \
    -C "$root" -cf "$tmp/layer.tar" .
gzip -n -6 -c "$tmp/layer.tar" >"$tmp/layer.tar.gz"
zstd -q -3 -c "$tmp/layer.tar" >"$tmp/layer.tar.zst"
for i in 1 2 3 4; do # the rootfs four times under c1..c4, one archive (tar -A drops EOF blocks)
    tar --numeric-owner --transform "s|^\.|./c$i|" --exclude=./dev/* --exclude=./proc/* \
        --exclude=./sys/* -C "$root" -cf "$tmp/c$i.tar" .
    [ "$i" -eq 1 ] || { tar -Af "$tmp/c1.tar" "$tmp/c$i.tar" && rm "$tmp/c$i.tar"; }
done
zstd -q -3 --rm -c "$tmp/c1.tar" >"$tmp/layer4.tar.zst"

measure() { # label command...
    local t0 t1 label=$1
    shift
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    printf '%-44s %7.2f s %8d KiB\n' "$label" "$(echo "$t1 - $t0" | bc)" "$(tail -1 "$tmp/rss")"
}
printf '%-44s %9s %12s\n' "run" "wall" "peak RSS"
measure "floor: igzip -dc | openssl dgst -sha256" sh -c "igzip -dc '$tmp/layer.tar.gz' | openssl dgst -sha256"
measure "vouch sbom file:layer.tar.gz" "$vouch" sbom -q "file:$tmp/layer.tar.gz" -o "cyclonedx-json=$tmp/o.json"
measure "floor: zstd -dc | openssl dgst -sha256" sh -c "zstd -dc '$tmp/layer.tar.zst' | openssl dgst -sha256"
measure "vouch sbom file:layer.tar.zst" "$vouch" sbom -q "file:$tmp/layer.tar.zst" -o "cyclonedx-json=$tmp/o.json"
measure "vouch sbom file:layer4.tar.zst (4x input)" "$vouch" sbom -q "file:$tmp/layer4.tar.zst" -o "cyclonedx-json=$tmp/o.json"
measure "vouch sbom dir: (spdx + cyclonedx)" "$vouch" sbom -q "dir:$root" -o "spdx-json=$tmp/a.json" -o "cyclonedx-json=$tmp/b.json"
