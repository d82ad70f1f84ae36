#!/usr/bin/env bash
# Webhook throughput and latency on loopback with wrk (Debian package `wrk`): the real
# apiserver Pod review, answered from the decision cache after the first request.
# Then the uncached decision: a local Distribution registry (docker-registry) with a
# vouch-signed image, `webhook serve --registry --cache-ttl 0`, N (default 20) sequential
# reviews against N `vouch verify` runs of the same image; prints the ratio.
# Usage: bench/webhook.sh [VOUCH_BINARY] [SECONDS] [CONNECTIONS] [N]
# Targets (issue "Admission"): >= 5000 req/s, p99 <= 5 ms on 2 cores; uncached decision
# <= 1.2 x vouch verify (review = curl time_total incl. TLS handshake; verify = process
# wall time). Bounded: one run of SECONDS (default 10) and N reviews against 127.0.0.1
# only; servers and the registry are always stopped.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
VOUCH=$(realpath "${1:-$top/build/release/cmd/vouch}")
SECS=${2:-10}
CONNS=${3:-32}
N=${4:-20}
command -v wrk >/dev/null || { echo "bench: wrk not installed (scripts/setup.sh)" >&2; exit 2; }
[ -x "$VOUCH" ] || { echo "bench: no binary at $VOUCH (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
T=$(mktemp -d)
PID=""
REG_PIDS=""
# shellcheck source=../tests/support/registry.sh
. "$top/tests/support/registry.sh"
. "$top/tests/support/webhook.sh"
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    registry_stop
    wait 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT

webhook_self_signed "$T/tls.key" "$T/tls.pem"
serve() { # ARGS... : start the webhook, set PID and PORT
    : >"$T/server.err"
    "$VOUCH" webhook serve --tls-cert "$T/tls.pem" --tls-key "$T/tls.key" \
        --listen 127.0.0.1:0 "$@" 2>"$T/server.err" &
    PID=$!
    PORT=$(webhook_port "$T/server.err")
    [ -n "$PORT" ] || { cat "$T/server.err" >&2; exit 3; }
}
serve --policy "$top/docs/examples/offline.yaml" --audit-log none

cat >"$T/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$top/testvectors/k8s/admissionreview-pod-create.json", "rb")
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
LUA
# warm the cache, then measure
curl -sk -o /dev/null -H 'Content-Type: application/json' \
    --data-binary @"$top/testvectors/k8s/admissionreview-pod-create.json" \
    "https://127.0.0.1:$PORT/validate?timeout=10s"
wrk -t 2 -c "$CONNS" -d "${SECS}s" --latency -s "$T/post.lua" \
    "https://127.0.0.1:$PORT/validate?timeout=10s" | tee "$T/wrk.out"
grep '^RESULT' "$T/wrk.out"
kill "$PID"; wait "$PID" || true; PID=""

# --- uncached, registry-backed decision vs vouch verify of the same image
now_us() { echo $(($(date +%s%N) / 1000)); }
registry_start plain >/dev/null || exit 3
(cd "$T" && umoci init --layout lay && umoci new --image lay:v1) >/dev/null 2>&1
skopeo copy -q --dest-tls-verify=false "oci:$T/lay:v1" "docker://$REG/app:v1"
(cd "$T" && VOUCH_PASSWORD=pw "$VOUCH" generate-key-pair >/dev/null 2>&1 &&
    VOUCH_PASSWORD=pw "$VOUCH" sign --key cosign.key "$REG/app:v1" 2>/dev/null)
printf 'apiVersion: vouch.dev/policy/v1\nrules:\n  - name: s\n    images: ["%s/**"]\n    signatures: {keys: [%s]}\n' \
    "$REG" "$T/cosign.pub" >"$T/signed.yaml"
jq -c --arg img "$REG/app:v1" '.request.object.spec.containers[0].image=$img' \
    "$top/testvectors/k8s/admissionreview-pod-create.json" >"$T/review.json"
serve --policy "$T/signed.yaml" --registry --allow-insecure-registry --cache-ttl 0 \
    --audit-log "$T/audit.jsonl"
for _ in $(seq "$N"); do # client-side time of each review (TLS handshake included)
    curl -sk -o "$T/resp.json" -w '%{time_total}\n' -H 'Content-Type: application/json' \
        --data-binary @"$T/review.json" "https://127.0.0.1:$PORT/validate?timeout=10s" >>"$T/times"
    [ "$(jq -r .response.allowed "$T/resp.json")" = true ] || { echo "bench: review denied" >&2; exit 3; }
done
wh_us=$(awk '{ s += $1 } END { printf "%d", s * 1e6 / NR }' "$T/times")
start=$(now_us)
for _ in $(seq "$N"); do
    "$VOUCH" verify --key "$T/cosign.pub" --allow-insecure-registry "$REG/app:v1" >/dev/null 2>&1 ||
        { echo "bench: vouch verify failed" >&2; exit 3; }
done
vf_us=$((($(now_us) - start) / N))
dec_ms=$(jq -s 'map(.durationMs) | add / length' "$T/audit.jsonl")
awk -v w="$wh_us" -v v="$vf_us" -v d="$dec_ms" -v n="$N" 'BEGIN {
    printf "UNCACHED n=%d review_ms=%.2f (server decision_ms=%.2f) verify_ms=%.2f ratio=%.2f (target <= 1.2)\n",
        n, w / 1000, d, v / 1000, w / v }'
