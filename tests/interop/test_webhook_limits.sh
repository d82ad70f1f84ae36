#!/usr/bin/env bash
# The webhook's availability limits (docs/webhook.md "Limits"), each against a hostile peer
# on loopback (tests/support/webhook_peer.py), every wait bounded:
# - --deadline-ms bounds the review, registry waits included: a registry that drips one
#   byte every 0.2 s gets the review denied (fail closed) and audited, not held
# - reviews stuck on that registry starve neither /healthz nor other reviews
# - SIGTERM drains within the documented 10 s whatever the registry does
# - 1,500 idle sockets from one address leave the server reachable from others; a
#   connection that sends nothing is closed after the 10 s idle timeout
# - 413 as soon as Content-Length passes --max-body; a chunked body is cut off when its
#   total does
# - a top-level kind other than AdmissionReview is refused
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/webhook.sh"
PEER="/usr/bin/python3 $VOUCH_SRC/tests/support/webhook_peer.py"
WH_PID="" DRIP_PID="" IDLE_PID=""
cleanup() {
    for p in $WH_PID $DRIP_PID $IDLE_PID; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup EXIT
cd "$T" || exit 1
$PEER drip-registry drip.port 2>drip.err &
DRIP_PID=$!
for _ in $(seq 100); do [ -s drip.port ] && break; sleep 0.1; done
DRIP=127.0.0.1:$(cat drip.port)
cp "$VECTORS/policy/cosign-test.pub" key.pub
cat >policy.yaml <<P
apiVersion: vouch.dev/policy/v1
default: allow
rules:
  - name: signed
    images: ["$DRIP/**"]
    signatures: {keys: [key.pub]}
P
webhook_self_signed wh.key wh.pem
start() { # DEADLINE-MS extra flags
    local d=$1
    shift
    "$VOUCH" webhook serve --registry --allow-insecure-registry --policy policy.yaml \
        --tls-cert wh.pem --tls-key wh.key --listen 127.0.0.1:0 --audit-log audit.jsonl \
        --max-body 65536 --deadline-ms "$d" "$@" 2>wh.err &
    WH_PID=$!
    PORT=$(webhook_port wh.err)
    URL=https://127.0.0.1:$PORT
}
POD=$VECTORS/k8s/admissionreview-pod-create.json
mkreq() { jq -c --arg uid "$1" --arg img "$2" '.request.uid=$uid | .request.object.spec.containers[0].image=$img' "$POD" >"$1.json"; }
post() { # UID: response in UID.resp, HTTP code printed
    curl -sS -m 40 --cacert wh.pem -o "$1.resp" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary @"$1.json" "$URL/validate?timeout=10s"
}

# --- the deadline bounds the review, registry waits included
start 1500
mkreq slow "$DRIP/app:v1"
code=$(post slow)
expect_eq "$code/$(jq -r .response.allowed slow.resp)" "200/false" "review against a dripping registry denied"
expect_eq "$(jq -r .response.status.message slow.resp)" "spec.containers[0].image '$DRIP/app:v1': deadline of 1500 ms exceeded before its evidence was gathered" "denial names the deadline"
expect_eq "$(jq -r 'select(.uid=="slow") | "\(.allowed) \(.deadlineExceeded)"' audit.jsonl)" "false true" "deadline audited"
expect_match "$(curl -sS --cacert wh.pem "$URL/metrics")" 'vouch_webhook_deadline_exceeded_total 1' "deadline metric"

# --- reviews stuck on the registry starve neither /healthz nor other reviews
for i in 1 2 3 4 5 6; do mkreq "stuck$i" "$DRIP/app:v$i"; done
kill "$WH_PID"; wait "$WH_PID" 2>/dev/null
start 20000
STUCK=""
for i in 1 2 3 4 5 6; do post "stuck$i" >"stuck$i.code" & STUCK="$STUCK $!"; done
sleep 1
expect_eq "$(curl -sS -m 5 --cacert wh.pem "$URL/healthz")" "ok" "/healthz answers while six reviews wait on the registry"
mkreq other "docker.io/library/nginx:1.25"
expect_eq "$(post other)/$(jq -r .response.allowed other.resp)" "200/true" "another review is answered meanwhile"

# --- SIGTERM drains within 10 s whatever the registry does
kill -TERM "$WH_PID"
for i in $(seq 150); do kill -0 "$WH_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$WH_PID" 2>/dev/null; then bad "still running 15 s after SIGTERM"; else ok "stopped within 15 s of SIGTERM"; fi
wait "$WH_PID"; expect_eq "$?" 0 "SIGTERM exit code"
WH_PID=""
# shellcheck disable=SC2086
wait $STUCK
expect_eq "$(for f in stuck*.code; do cat "$f"; echo; done | sort -u)" "200" "every waiting review got an answer"
expect_eq "$(jq -r .response.allowed stuck*.resp | sort -u)" "false" "and it is a denial (fail closed)"
expect_eq "$(jq -r .response.status.message stuck1.resp)" "spec.containers[0].image '$DRIP/app:v1': the webhook is shutting down: its evidence was not gathered" "denial says why"

# --- connections: 1,500 idle sockets from one address; a silent connection is closed
start 1500
$PEER idle 127.0.0.2 127.0.0.1 "$PORT" 1500 release >idle.out &
IDLE_PID=$!
for _ in $(seq 300); do [ -s idle.out ] && break; sleep 0.1; done
expect_match "$(cat idle.out)" "^[0-9]+$" "1,500 connections attempted from 127.0.0.2"
expect_eq "$(curl -sS -m 5 --cacert wh.pem "$URL/healthz")" "ok" "/healthz answers from another address"
mkreq idle "docker.io/library/nginx:1.25"
expect_eq "$(post idle)" "200" "a review is answered from another address"
touch release; wait "$IDLE_PID"; IDLE_PID=""
expect_eq "$($PEER idle-close 127.0.0.1 "$PORT" 20)" "closed" "a connection that sends nothing is closed (10 s idle timeout)"

# --- 413 before the body
expect_eq "$($PEER big 127.0.0.1 "$PORT" wh.pem length 65536)" "HTTP/1.1 413 Content Too Large" "413 on the Content-Length alone"
# (libmicrohttpd cannot answer in mid-body: the connection is cut instead of read to its end)
expect_eq "$($PEER big 127.0.0.1 "$PORT" wh.pem chunked 65536)" "closed" "a chunked body is cut off once its total passes the limit"

# --- the envelope's kind
jq -c '.kind="Pod"' "$POD" >pod.json
code=$(curl -sS --cacert wh.pem -o pod.resp -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @pod.json "$URL/validate")
expect_eq "$code $(jq -r .error pod.resp)" "400 top-level kind 'Pod' is not AdmissionReview" "top-level kind other than AdmissionReview refused"
expect_eq "$(curl -sS -m 5 --cacert wh.pem "$URL/healthz")" "ok" "still healthy"
kill -TERM "$WH_PID"; wait "$WH_PID"; WH_PID=""
if grep -q -e AddressSanitizer -e 'runtime error' wh.err; then bad "sanitizer report"; sed 's/^/    /' wh.err | head -30; else ok "no sanitizer report"; fi
finish
