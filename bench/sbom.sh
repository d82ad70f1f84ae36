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
    sync # the archives were just written: their flush must not land in a timed fsync
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

# --- cdxgen comparison (issue "SBOM I": "cdxgen on the same rootfs directory: target >= 20x
# faster"). cdxgen is pinned in bench/npm and installed only by bench/setup.sh (never by the
# tests' scripts/setup.sh: it is 284 MB); without it this part is skipped. Both tools write
# CycloneDX 1.6 of the same directory; the component counts by kind are printed so the
# ratio compares like with like. Peak RSS is the largest single process of each run; CPU
# is user + system time of the whole run (less sensitive than wall time to a loaded machine).
cdxgen=$top/bench/npm/node_modules/.bin/cdxgen
cdx_run() { # label outfile command...: sets cdx_wall, cdx_cpu and prints a row
    local t0 t1 label=$1 out=$2
    shift 2
    sync # flush the other tool's writes first: an fsync must not pay for them
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M %U %S" -o "$tmp/cdx.time" "$@" >"$tmp/cdx.log" 2>&1 || {
        echo "$label failed:" >&2
        tail -5 "$tmp/cdx.log" >&2
        return 1
    }
    t1=$(date +%s.%N)
    cdx_wall=$(echo "$t1 - $t0" | bc)
    read -r cdx_rss cdx_user cdx_sys <<<"$(tail -1 "$tmp/cdx.time")"
    cdx_cpu=$(echo "$cdx_user + $cdx_sys" | bc)
    printf '%-44s %7.2f s %8d KiB %7.2f s CPU  %s\n' "$label" "$cdx_wall" "$cdx_rss" "$cdx_cpu" \
        "$(cdx_count "$out")"
}
cdx_count() { # components of a CycloneDX file: total, deb packages, files, other
    jq -r '[.components[]?] as $c | ($c | map(select((.purl // "") | startswith("pkg:deb/"))) | length) as $deb
        | ($c | map(select(.type == "file")) | length) as $f
        | "\($c | length) components: \($deb) deb, \($f) file, \(($c | length) - $deb - $f) other"' "$1"
}
if [ -x "$cdxgen" ]; then
    echo
    echo "cdxgen $(jq -r .version "$top/bench/npm/node_modules/@cyclonedx/cdxgen/package.json") vs vouch on dir:$root"
    cdx_run "cdxgen -t rootfs --spec-version 1.6" "$tmp/cdxgen.json" \
        env FETCH_LICENSE=false "$cdxgen" -t rootfs --spec-version 1.6 -o "$tmp/cdxgen.json" "$root"
    cdxgen_wall=$cdx_wall cdxgen_cpu=$cdx_cpu
    cdx_run "vouch sbom dir: (cyclonedx-json)" "$tmp/vouch.json" \
        "$vouch" sbom -q "dir:$root" -o "cyclonedx-json=$tmp/vouch.json"
    printf 'vouch is %.1fx faster than cdxgen in wall time, %.1fx in CPU time (target >= 20x)\n' \
        "$(echo "$cdxgen_wall / $cdx_wall" | bc -l)" "$(echo "$cdxgen_cpu / $cdx_cpu" | bc -l)"
else
    echo "cdxgen comparison skipped: run bench/setup.sh to install the pinned cdxgen" >&2
fi
