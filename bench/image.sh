#!/usr/bin/env bash
# Image signing/verification against a local registry: `vouch verify` of a signed image vs
# the floor of the same three HTTP requests in one curl process over one keep-alive
# connection (manifest, .sig manifest, signature layer), and `vouch sign` vs one curl doing
# the same writes (manifest GET, two monolithic blob uploads, .sig manifest PUT). Prints
# the ratios (target <= 1.5) and vouch's peak RSS (target <= 8 MiB). Not a test.
#   bash bench/image.sh [VOUCH_BINARY]     (default: build/release/cmd/vouch)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
vouch=${1:-$top/build/release/cmd/vouch}
runs=${BENCH_RUNS:-20}
[ -x "$vouch" ] || { echo "bench: build the release preset first ($vouch)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/vouch-bench.XXXXXX")
. "$top/tests/support/registry.sh"
trap 'registry_stop; rm -rf "$T"' EXIT
cd "$T"
registry_start plain
(umoci init --layout lay && umoci new --image lay:v1) >/dev/null 2>&1
skopeo copy -q --dest-tls-verify=false oci:lay:v1 "docker://$REG/app:v1"
export VOUCH_PASSWORD=""
"$vouch" generate-key-pair --output-key-prefix k >/dev/null 2>&1
"$vouch" sign --key k.key "$REG/app:v1" 2>/dev/null
dig=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")
hex=${dig#sha256:}
acc='Accept: application/vnd.oci.image.manifest.v1+json'
sig=$(curl -sf -H "$acc" "http://$REG/v2/app/manifests/sha256-$hex.sig")
layer=$(jq -r '.layers[0].digest' <<<"$sig")
printf '%s' "$sig" >sig.json
cfg=$(jq -r .config.digest sig.json)
curl -sf "http://$REG/v2/app/blobs/$layer" >payload
curl -sf "http://$REG/v2/app/blobs/$cfg" >config

# loop NAME CMD...: wall time of $runs runs (seconds) and peak RSS (KiB) of one run
loop() {
    local name=$1 s e rss
    shift
    s=$(date +%s.%N)
    for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1; done
    e=$(date +%s.%N)
    /usr/bin/time -f '%M' -o rss.out "$@" >/dev/null 2>&1 || true
    read -r rss <rss.out
    eval "T_$name=$(awk -v s="$s" -v e="$e" 'BEGIN{print e-s}'); RSS_$name=$rss"
}
m="http://$REG/v2/app"
loop curl_verify curl -sf -H "$acc" "$m/manifests/v1" --next -H "$acc" \
    "$m/manifests/sha256-$hex.sig" --next "$m/blobs/$layer"
loop verify "$vouch" verify --key k.pub "$REG/app:v1"
loop curl_sign curl -sf -H "$acc" "$m/manifests/v1" --next -X POST \
    -H 'Content-Type: application/octet-stream' --data-binary @payload \
    "$m/blobs/uploads/?digest=$layer" --next -X POST \
    -H 'Content-Type: application/octet-stream' --data-binary @config \
    "$m/blobs/uploads/?digest=$cfg" --next -X PUT \
    -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @sig.json \
    "$m/manifests/sha256-$hex.sig"
loop sign "$vouch" sign --key k.key "$REG/app:v1"

printf 'runs: %d, vouch: %s\n' "$runs" "$vouch"
printf '%-28s %8s %8s %10s\n' "command" "wall s" "ratio" "peak RSS"
row() { awk -v n="$1" -v t="$2" -v f="$3" -v r="$4" \
    'BEGIN{printf "%-28s %8.3f %8.3f %7.1f MiB\n", n, t, t/f, r/1024}'; }
row "curl floor (verify, 3 GETs)" "$T_curl_verify" "$T_curl_verify" "$RSS_curl_verify"
row "vouch verify" "$T_verify" "$T_curl_verify" "$RSS_verify"
row "curl floor (sign uploads)" "$T_curl_sign" "$T_curl_sign" "$RSS_curl_sign"
row "vouch sign" "$T_sign" "$T_curl_sign" "$RSS_sign"
