#!/usr/bin/env bash
# Blob signing throughput and memory: vouch sign-blob / verify-blob on a 1 GiB file against
# the floor `openssl dgst -sha256` (hashing alone). Prints wall times, the ratios (target
# <= 1.15) and vouch's peak RSS (target <= 16 MiB). Not a test: no assertions.
#   bash bench/blob.sh [VOUCH_BINARY]     (default: build/release/cmd/vouch)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
vouch=${1:-$top/build/release/cmd/vouch}
size_mib=${BENCH_SIZE_MIB:-1024}
[ -x "$vouch" ] || { echo "bench: build the release preset first ($vouch)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/vouch-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
openssl genpkey -algorithm ed25519 -out ed.key 2>/dev/null
head -c $((size_mib << 20)) /dev/urandom > blob.bin
cat blob.bin > /dev/null    # warm the page cache so every run reads from memory

# measure NAME CMD...: best wall time of 3 runs (seconds) and the peak RSS (KiB) of the last
measure() {
    local name=$1 best="" t rss
    shift
    for _ in 1 2 3; do
        /usr/bin/time -f '%e %M' -o time.out "$@" >/dev/null 2>err.out
        read -r t rss < time.out
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; fi
    done
    eval "T_$name=$best; RSS_$name=$rss"
}

export VOUCH_PASSWORD=""
measure openssl openssl dgst -sha256 blob.bin
measure sign "$vouch" sign-blob --key ec.key --output-signature blob.sig blob.bin
measure verify "$vouch" verify-blob --key ec.pub --signature blob.sig blob.bin
"$vouch" verify-blob --key ec.pub --signature blob.sig blob.bin 2>&1 | grep -q 'Verified OK'
# Ed25519 keys sign Ed25519ph as cosign v3 does: SHA-512 streamed, so the floor is
# `openssl dgst -sha512` and RSS stays flat
measure sha512 openssl dgst -sha512 blob.bin
measure ed25519 "$vouch" sign-blob --key ed.key --output-signature ed.sig blob.bin
openssl pkey -in ed.key -pubout -out ed.pub
measure ed25519v "$vouch" verify-blob --key ed.pub --signature ed.sig blob.bin
"$vouch" verify-blob --key ed.pub --signature ed.sig blob.bin 2>&1 | grep -q 'Verified OK'

printf 'file: %d MiB, vouch: %s\n' "$size_mib" "$vouch"
printf '%-26s %8s %8s %10s\n' "command" "wall s" "ratio" "peak RSS"
row() { awk -v n="$1" -v t="$2" -v f="$T_openssl" -v r="$3" \
    'BEGIN{printf "%-26s %8.2f %8.3f %7.1f MiB\n", n, t, t/f, r/1024}'; }
row "openssl dgst -sha256" "$T_openssl" "$RSS_openssl"
row "vouch sign-blob" "$T_sign" "$RSS_sign"
row "vouch verify-blob" "$T_verify" "$RSS_verify"
row "openssl dgst -sha512" "$T_sha512" "$RSS_sha512"
rowf() { awk -v n="$1" -v t="$2" -v f="$T_sha512" -v r="$3" \
    'BEGIN{printf "%-26s %8.2f %8.3f %7.1f MiB  (ratio to sha512)\n", n, t, t/f, r/1024}'; }
rowf "vouch sign-blob (ed25519)" "$T_ed25519" "$RSS_ed25519"
rowf "vouch verify-blob (ed25519)" "$T_ed25519v" "$RSS_ed25519v"
