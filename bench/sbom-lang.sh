#!/usr/bin/env bash
# bench/sbom-lang.sh [BUILD_DIR]: the language catalogers at scale (issue "SBOM II"), one run:
#  1. a tree with the large installed node_modules pinned in bench/npm-tree (2,188 lock
#     entries; bench/setup.sh installs it with --ignore-scripts), Debian's python3
#     dist-packages and a few Go binaries (docker-registry, umoci, skopeo from Debian);
#     vouch against the floor `find TREE \( -name package.json -o -name METADATA \) | xargs
#     cat > /dev/null` (target <= 1.5x) and against cdxgen (pinned in bench/npm; target
#     >= 20x faster), with each tool's recall per ecosystem against the ground truth of the
#     tree (package.json files, importlib.metadata, `go version -m`). vouch also hashes
#     every file of the tree (its file inventory), so a second floor reads and hashes them all;
#  2. the debootstrap layer of SBOM I with every cataloger on, against `igzip -dc | openssl
#     dgst -sha256` (target <= 0.75x) and the zstd layer against `zstd -dc | openssl dgst`
#     (target <= 0.8x).
# Prints, asserts nothing. Wall times on a shared machine are noisy: CPU times are printed too.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/release}
vouch=$build/cmd/vouch
root=${ROOTFS:-$top/build/dev/cache/rootfs}
nm=$top/bench/npm-tree/node_modules
cdxgen=$top/bench/npm/node_modules/.bin/cdxgen
[ -x "$vouch" ] || { echo "no $vouch: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
[ -d "$nm" ] || { echo "no $nm: run bench/setup.sh" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the tree: node_modules, dist-packages, Go binaries (hard links where possible)
tree=$tmp/tree
mkdir -p "$tree/srv/app" "$tree/usr/lib/python3" "$tree/usr/local/bin"
cp -al "$nm" "$tree/srv/app/node_modules" 2>/dev/null || cp -a "$nm" "$tree/srv/app/node_modules"
cp "$top/bench/npm-tree/package.json" "$top/bench/npm-tree/package-lock.json" "$tree/srv/app/"
cp -a /usr/lib/python3/dist-packages "$tree/usr/lib/python3/"
for b in docker-registry umoci skopeo; do
    [ -x "/usr/bin/$b" ] && cp "/usr/bin/$b" "$tree/usr/local/bin/"
done

run() { # label command...: wall and CPU seconds, peak RSS
    local t0 t1 label=$1
    shift
    sync
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M %U %S" -o "$tmp/time" "$@" >"$tmp/log" 2>&1 || {
        echo "$label failed:" >&2
        tail -5 "$tmp/log" >&2
        return 1
    }
    t1=$(date +%s.%N)
    wall=$(echo "$t1 - $t0" | bc)
    read -r rss user sys <<<"$(tail -1 "$tmp/time")"
    cpu=$(echo "$user + $sys" | bc)
    printf '%-46s %7.2f s %7.2f s CPU %8d KiB\n' "$label" "$wall" "$cpu" "$rss"
}
ratio() { printf '%-46s %7.2fx (target %s)\n' "$1" "$(echo "$2 / $3" | bc -l)" "$4"; }

# ground truth of the tree, one "eco name@version" line each
truth() {
    find "$tree/srv/app/node_modules" -regextype posix-extended \
        -regex '.*/node_modules/(@[^/]+/)?[^@/][^/]*/package\.json' -print0 |
        xargs -0 jq -r 'select(type == "object" and (.name|type) == "string" and (.version|type) == "string") | "npm \(.name)@\(.version)"' 2>/dev/null
    /usr/bin/python3 - "$tree/usr/lib/python3/dist-packages" <<'PY'
import importlib.metadata as md, re, sys
for d in md.distributions(path=[sys.argv[1]]):
    n = d.metadata["Name"]
    if n:
        print("pypi %s@%s" % (re.sub(r"[-_.]+", "-", n).lower(), d.version))
PY
    for b in "$tree"/usr/local/bin/*; do # modules and the toolchain (stdlib)
        go version -m "$b" 2>/dev/null |
            awk 'NR == 1 {print "golang stdlib@" $2} $1 == "mod" || $1 == "dep" {print "golang " $2 "@" $3}'
    done
}
# what a CycloneDX file found, in the same form
found() {
    jq -r '.components[]? | .purl // "" | select(test("^pkg:(npm|pypi|golang)/"))
           | capture("^pkg:(?<t>[a-z]+)/(?<n>[^@?#]+)@(?<v>[^?#]+)")
           | "\(.t) \(.n | gsub("%40"; "@") | gsub("%2[Bb]"; "+"))@\(.v | gsub("%2[Bb]"; "+"))"' "$1" |
        awk '$1 == "pypi" {$2 = tolower($2); gsub(/[_.]+/, "-", $2)} {print $1 " " $2}'
}
# versions compared without a leading "v" or "go" (Go's module and toolchain spellings)
norm() { sed -E 's/^(golang [^@]+@)(go|v)/\1/' | sort -u; }
recall() { # label cdx-file
    local eco got want hit
    found "$2" | norm >"$tmp/found"
    for eco in npm pypi golang; do
        want=$(grep -c "^$eco " "$tmp/truth" || true)
        hit=$({ grep "^$eco " "$tmp/truth" || true; } | comm -12 - "$tmp/found" | wc -l)
        got=$(grep -c "^$eco " "$tmp/found" || true)
        printf '  %-12s %-7s recall %5d / %-5d found %5d\n' "$1" "$eco" "$hit" "$want" "$got"
    done
}

truth | norm >"$tmp/truth"
echo "tree: $(grep -c '^npm ' "$tmp/truth") npm, $(grep -c '^pypi ' "$tmp/truth") pypi, $(grep -c '^golang ' "$tmp/truth") golang name@version (ground truth)"
printf '%-46s %9s %11s %12s\n' "run" "wall" "CPU" "peak RSS"
run "floor: find package.json/METADATA | xargs cat" \
    sh -c "find '$tree' \\( -name package.json -o -name METADATA \\) -print0 | xargs -0 cat >/dev/null"
floor=$wall floor_cpu=$cpu
run "floor 2: find -type f | xargs cat | openssl dgst" \
    sh -c "find '$tree' -type f -print0 | xargs -0 cat | openssl dgst -sha256"
floor2=$wall
run "vouch sbom dir: (cyclonedx-json)" "$vouch" sbom -q "dir:$tree" -o "cyclonedx-json=$tmp/vouch.json"
vw=$wall vc=$cpu
ratio "vouch / floor (wall)" "$vw" "$floor" "<= 1.5x"
ratio "vouch / floor (CPU)" "$vc" "$floor_cpu" "<= 1.5x"
ratio "vouch / floor 2 (every file read and hashed)" "$vw" "$floor2" "(context)"
if [ -x "$cdxgen" ]; then
    run "cdxgen -t js -t python -t go" env FETCH_LICENSE=false CDXGEN_DEBUG_MODE=none \
        "$cdxgen" -t js -t python -t go -r --no-install-deps --spec-version 1.6 \
        -o "$tmp/cdxgen.json" "$tree"
    ratio "cdxgen / vouch (wall)" "$wall" "$vw" ">= 20x"
    ratio "cdxgen / vouch (CPU)" "$cpu" "$vc" ">= 20x"
    recall cdxgen "$tmp/cdxgen.json"
else
    echo "cdxgen comparison skipped: run bench/setup.sh to install the pinned cdxgen" >&2
fi
recall vouch "$tmp/vouch.json"

# --- the debootstrap layer of SBOM I, every cataloger on
if [ -d "$root" ]; then
    tar --sort=name --mtime=@0 --numeric-owner --exclude=./dev/* --exclude=./proc/* \
        --exclude=./sys/* -C "$root" -cf "$tmp/layer.tar" .
    gzip -n -6 -c "$tmp/layer.tar" >"$tmp/layer.tar.gz"
    zstd -q -3 -c "$tmp/layer.tar" >"$tmp/layer.tar.zst"
    rm "$tmp/layer.tar"
    echo
    run "floor: igzip -dc | openssl dgst -sha256" sh -c "igzip -dc '$tmp/layer.tar.gz' | openssl dgst -sha256"
    f=$wall
    run "vouch sbom file:layer.tar.gz" "$vouch" sbom -q "file:$tmp/layer.tar.gz" -o "cyclonedx-json=$tmp/o.json"
    ratio "vouch / igzip floor (wall)" "$wall" "$f" "<= 0.75x"
    run "floor: zstd -dc | openssl dgst -sha256" sh -c "zstd -dc '$tmp/layer.tar.zst' | openssl dgst -sha256"
    f=$wall
    run "vouch sbom file:layer.tar.zst" "$vouch" sbom -q "file:$tmp/layer.tar.zst" -o "cyclonedx-json=$tmp/o.json"
    ratio "vouch / zstd floor (wall)" "$wall" "$f" "<= 0.8x"
else
    echo "debootstrap layer skipped: no rootfs at $root (run the debootstrap interop test)" >&2
fi
