#!/usr/bin/env bash
# bench/sbom.sh [BUILD_DIR]: vouch sbom on the debootstrap minbase rootfs as a gzip and a
# zstd layer against the decompress+SHA-256 floors (issue "SBOM I"), plus a directory run
# and peak RSS at 1x and 4x input (file: cyclonedx and spdx, dir: both formats at once),
# with the 4x/1x RSS ratios (issue "SBOM I": flat memory means a ratio near 1.00). Needs the rootfs cached by
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
mkdir "$tmp/dir4" # the rootfs four times as a directory (hard links: no copy of the data)
for i in 1 2 3 4; do
    cp -al "$root" "$tmp/dir4/c$i" 2>/dev/null || cp -a "$root" "$tmp/dir4/c$i"
done

measure() { # label command...
    local t0 t1 label=$1
    shift
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    rss=$(tail -1 "$tmp/rss")
    printf '%-44s %7.2f s %8d KiB\n' "$label" "$(echo "$t1 - $t0" | bc)" "$rss"
}
ratio() { # label rss1 rss4
    printf '%-44s %9s %12s\n' "4x/1x peak RSS: $1" "" "$(printf '%.2f' "$(echo "scale=4; $3 / $2" | bc)") ($(($3 - $2)) KiB)"
}
printf '%-44s %9s %12s\n' "run" "wall" "peak RSS"
measure "floor: igzip -dc | openssl dgst -sha256" sh -c "igzip -dc '$tmp/layer.tar.gz' | openssl dgst -sha256"
measure "vouch sbom file:layer.tar.gz" "$vouch" sbom -q "file:$tmp/layer.tar.gz" -o "cyclonedx-json=$tmp/o.json"
measure "floor: zstd -dc | openssl dgst -sha256" sh -c "zstd -dc '$tmp/layer.tar.zst' | openssl dgst -sha256"
measure "vouch sbom file:layer.tar.zst" "$vouch" sbom -q "file:$tmp/layer.tar.zst" -o "cyclonedx-json=$tmp/o.json"
cdx1=$rss
measure "vouch sbom file:layer4.tar.zst (4x input)" "$vouch" sbom -q "file:$tmp/layer4.tar.zst" -o "cyclonedx-json=$tmp/o.json"
cdx4=$rss
measure "vouch sbom file:layer.tar.zst (spdx)" "$vouch" sbom -q "file:$tmp/layer.tar.zst" -o "spdx-json=$tmp/o.json"
spdx1=$rss
measure "vouch sbom file:layer4.tar.zst (spdx, 4x)" "$vouch" sbom -q "file:$tmp/layer4.tar.zst" -o "spdx-json=$tmp/o.json"
spdx4=$rss
measure "vouch sbom dir: (spdx + cyclonedx)" "$vouch" sbom -q "dir:$root" -o "spdx-json=$tmp/a.json" -o "cyclonedx-json=$tmp/b.json"
dir1=$rss
measure "vouch sbom dir: 4x (spdx + cyclonedx)" "$vouch" sbom -q "dir:$tmp/dir4" -o "spdx-json=$tmp/a.json" -o "cyclonedx-json=$tmp/b.json"
dir4=$rss
ratio "file: cyclonedx" "$cdx1" "$cdx4"
ratio "file: spdx" "$spdx1" "$spdx4"
ratio "dir: spdx + cyclonedx" "$dir1" "$dir4"
