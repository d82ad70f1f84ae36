#!/usr/bin/env bash
# Webhook throughput and latency on loopback with wrk (Debian package `wrk`): the real
# apiserver Pod review, answered from the decision cache after the first request.
# Usage: bench/webhook.sh [VOUCH_BINARY] [SECONDS] [CONNECTIONS]
# Targets (issue "Admission"): >= 5000 req/s, p99 <= 5 ms on 2 cores. Bounded: one run of
# SECONDS (default 10) against 127.0.0.1 only; the server is always stopped.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
VOUCH=${1:-$top/build/release/cmd/vouch}
SECS=${2:-10}
CONNS=${3:-32}
command -v wrk >/dev/null || { echo "bench: wrk not installed (scripts/setup.sh)" >&2; exit 2; }
[ -x "$VOUCH" ] || { echo "bench: no binary at $VOUCH (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -keyout "$T/tls.key" -out "$T/tls.pem" -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 2>/dev/null
"$VOUCH" webhook serve --policy "$top/docs/examples/offline.yaml" --tls-cert "$T/tls.pem" \
    --tls-key "$T/tls.key" --listen 127.0.0.1:0 --audit-log none --threads 2 \
    2>"$T/server.err" &
PID=$!
PORT=""
for _ in $(seq 100); do
    PORT=$(sed -n 's/^vouch: webhook: listening on .* port \([0-9]*\) .*/\1/p' "$T/server.err")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$T/server.err" >&2; exit 3; }

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
