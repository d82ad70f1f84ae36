#!/usr/bin/env bash
# vouch webhook serve over real TLS (a CA and a serving certificate made here with openssl),
# driven with curl: AdmissionReview v1 for every workload kind starting from the request a
# kube-apiserver sent (with its ?timeout= query), malformed and oversized requests, health,
# readiness and metrics, the decision cache, the audit log, SIGHUP reload and SIGTERM.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/webhook.sh"
POD=$VECTORS/k8s/admissionreview-pod-create.json
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

# --- certificates: CA, and a serving certificate with the SANs a Service needs
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -keyout "$T/ca.key" -out "$T/ca.pem" -subj /CN=vouch-test-ca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/tls.key" \
    -out "$T/tls.csr" -subj /CN=vouch-webhook.vouch-system.svc 2>/dev/null
printf 'subjectAltName=DNS:vouch-webhook.vouch-system.svc,IP:127.0.0.1\n' >"$T/ext.cnf"
openssl x509 -req -in "$T/tls.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
    -days 1 -extfile "$T/ext.cnf" -out "$T/tls.pem" 2>/dev/null
cp "$VECTORS/policy/cosign-test.pub" "$T/key.pub"
cat >"$T/policy.yaml" <<'P'
apiVersion: vouch.dev/policy/v1
match: all
rules:
  - name: registries
    images: ["**"]
    repositories: ["docker.io/library/*", "ghcr.io/acme/**"]
  - name: no-latest
    images: ["**"]
    tags: {deny: [latest]}
  - name: signed
    images: ["ghcr.io/acme/signed/**"]
    signatures: {keys: [key.pub]}
  - name: warned
    images: ["ghcr.io/acme/warned/**"]
    mode: warn
    tags: {requireDigest: true}
P

"$VOUCH" webhook serve --policy "$T/policy.yaml" --tls-cert "$T/tls.pem" --tls-key "$T/tls.key" \
    --listen 127.0.0.1:0 --audit-log "$T/audit.jsonl" --max-body 65536 \
    >"$T/server.out" 2>"$T/server.err" &
SERVER_PID=$!
PORT=$(webhook_port "$T/server.err")
expect_match "$PORT" "^[0-9]+$" "server started and reported its port"
URL=https://127.0.0.1:$PORT

# post FILE [PATH]: sets CODE and leaves the body in $T/resp
post() {
    CODE=$(curl -sS --cacert "$T/ca.pem" -o "$T/resp" -w '%{http_code}' \
        -H 'Content-Type: application/json' --data-binary @"$1" "$URL${2:-/validate?timeout=5s}")
}
get() { CODE=$(curl -sS --cacert "$T/ca.pem" -o "$T/resp" -w '%{http_code}' "$URL$1"); }
resp() { jq -r "$1" "$T/resp"; }

get /healthz;  expect_eq "$CODE" 200 "healthz"
get /readyz;   expect_eq "$CODE" 200 "readyz"
get /metrics;  expect_eq "$CODE" 200 "metrics"
expect_match "$(cat "$T/resp")" 'vouch_webhook_policy_info\{hash="[0-9a-f]{64}"\} 1' "metrics policy hash"
get /nope;     expect_eq "$CODE" 404 "unknown path"
get /validate; expect_eq "$CODE" 405 "GET on the review path"
# plain HTTP on the TLS port is not answered
if curl -s -m 5 -o /dev/null "http://127.0.0.1:$PORT/healthz"; then bad "plain HTTP answered"; else ok "plain HTTP refused"; fi

# --- the real apiserver request, with its ?timeout= query
post "$POD"
expect_eq "$CODE" 200 "real pod review answered"
expect_eq "$(resp .response.uid)" "004c33e4-91e4-4ad4-a1f8-dc9d5f07a176" "uid echoed"
expect_eq "$(resp .response.allowed)" "true" "nginx:1.25 allowed"
expect_eq "$(resp '.apiVersion + " " + .kind')" "admission.k8s.io/v1 AdmissionReview" "response envelope"

# --- every workload kind: the pod spec from the real request, with an init container
# (busybox = busybox:latest, denied) and, for Pods, an ephemeral container
SPEC=$(jq -c '.request.object.spec | .initContainers=[{"name":"init","image":"busybox"}]' "$POD")
review() { # KIND WRAP(jq expression over $spec) UID
    jq -c --arg kind "$1" --arg uid "$3" --argjson spec "$SPEC" \
        ".request.uid=\$uid | .request.kind.kind=\$kind | .request.requestKind.kind=\$kind | .request.object={kind:\$kind, spec: ($2)}" \
        "$POD" >"$T/review.json"
}
prefix_of() { case $1 in Pod) printf 'spec\\.';; CronJob) printf 'spec\\.jobTemplate\\.spec\\.template\\.spec\\.';; *) printf 'spec\\.template\\.spec\\.';; esac; }
n=0
for kw in 'Pod|$spec + {ephemeralContainers:[{name:"dbg",image:"ghcr.io/acme/debug:v1"}]}' \
          'Deployment|{template:{spec:$spec}}' 'ReplicaSet|{template:{spec:$spec}}' \
          'StatefulSet|{template:{spec:$spec}}' 'DaemonSet|{template:{spec:$spec}}' \
          'Job|{template:{spec:$spec}}' 'CronJob|{jobTemplate:{spec:{template:{spec:$spec}}}}'; do
    kind=${kw%%|*}; n=$((n + 1))
    review "$kind" "${kw#*|}" "uid-$n"
    post "$T/review.json"
    expect_eq "$CODE/$(resp .response.uid)/$(resp .response.allowed)" "200/uid-$n/false" "$kind: init container with :latest denied"
    expect_eq "$(resp .response.status.code)" "403" "$kind: status code"
    expect_eq "$(resp .response.status.reason)" "Forbidden" "$kind: status reason"
    expect_match "$(resp .response.status.message)" "^$(prefix_of "$kind")initContainers\[0\]\.image 'busybox': no-latest/tags.deny: tag 'latest' is denied by 'latest'$" "$kind: denial names field, image, rule and reason"
done
expect_eq "$(grep -c '"field":"spec.ephemeralContainers\[0\]"' "$T/audit.jsonl")" 1 "ephemeral container decided"
expect_eq "$(grep -c '"field":"spec.jobTemplate.spec.template.spec.initContainers\[0\]"' "$T/audit.jsonl")" 1 "cronjob init container decided"

# --- warn mode admits with a warning; a signature requirement it cannot verify denies
jq -c '.request.uid="w" | .request.object.spec.containers[0].image="ghcr.io/acme/warned/app:v1"' "$POD" >"$T/warn.json"
post "$T/warn.json"
expect_eq "$(resp .response.allowed)" "true" "warn mode admits"
expect_eq "$(resp '.response.warnings[0]')" "spec.containers[0].image 'ghcr.io/acme/warned/app:v1': warned/tags.requireDigest: reference 'ghcr.io/acme/warned/app:v1' is not pinned by digest" "warn mode warning"
jq -c '.request.uid="s" | .request.object.spec.containers[0].image="ghcr.io/acme/signed/app:v1"' "$POD" >"$T/signed.json"
post "$T/signed.json"
expect_eq "$(resp .response.allowed)" "false" "unverifiable signature requirement denies"
expect_match "$(resp .response.status.message)" "signed/signatures: signature verification not available for 'ghcr.io/acme/signed/app:v1'" "signature denial reason"
jq -c '.request.uid="q" | .request.object.spec.containers[0].image="quay.io/evil/app:v1"' "$POD" >"$T/quay.json"
post "$T/quay.json"
expect_match "$(resp .response.status.message)" "repository 'quay.io/evil/app' is not in the allow-list" "registry not allowed"

# --- malformed, wrong and oversized requests
printf '{"apiVersion":' >"$T/trunc.json"; post "$T/trunc.json"
expect_eq "$CODE" 400 "truncated JSON rejected"
printf '{"apiVersion":"admission.k8s.io/v1beta1","request":{"uid":"x"}}' >"$T/old.json"; post "$T/old.json"
expect_eq "$CODE" 400 "v1beta1 review rejected"
jq -c '.request.kind.kind="Service" | .request.uid="svc"' "$POD" >"$T/svc.json"; post "$T/svc.json"
expect_eq "$CODE/$(resp .response.allowed)" "200/false" "unsupported kind denied"
expect_eq "$(resp .response.status.message)" "unsupported kind 'Service'" "unsupported kind reason"
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big.json"; post "$T/big.json"
expect_eq "$CODE" 413 "oversized request rejected"
CODE=$(curl -sS --cacert "$T/ca.pem" -o "$T/resp" -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary @"$POD" "$URL/validate")
expect_eq "$CODE" 415 "wrong content type rejected"
get /healthz; expect_eq "$CODE" 200 "still healthy after bad requests"

# --- without --registry nothing is fetched, so nothing is cached: no lookups at all
post "$POD"; post "$POD"
expect_eq "$(curl -sS --cacert "$T/ca.pem" "$URL/metrics" | grep -c '^vouch_webhook_cache_lookups_total{result="\(hit\|miss\)"} 0$')" 2 "no registry evidence: no cache lookups"

# --- SIGHUP: a new policy takes effect; an invalid one is refused and the old one kept
sed -i 's|"docker.io/library/\*", ||' "$T/policy.yaml"
# requests keep being answered while the policy is swapped
( for _ in $(seq 30); do
      curl -sS --cacert "$T/ca.pem" -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
          --data-binary @"$POD" "$URL/validate?timeout=5s"
  done >"$T/during-reload.txt" ) &
LOOP=$!
sleep 0.2
kill -HUP "$SERVER_PID"
for _ in $(seq 50); do grep -q 'policy reloaded' "$T/server.err" && break; sleep 0.1; done
wait "$LOOP"
expect_eq "$(grep -c '^200$' "$T/during-reload.txt")" 30 "no request dropped during the reload"
post "$POD"
expect_eq "$(resp .response.allowed)" "false" "reloaded policy denies docker.io"
expect_match "$(resp .response.status.message)" "repository 'docker.io/library/nginx' is not in the allow-list" "reloaded policy reason"
printf 'apiVersion: vouch.dev/policy/v1\nrules: nope\n' >"$T/policy.yaml"
kill -HUP "$SERVER_PID"
for _ in $(seq 50); do grep -q 'policy reload failed' "$T/server.err" && break; sleep 0.1; done
expect_match "$(cat "$T/server.err")" "policy reload failed, keeping the current policy: .*policy.yaml:2:8: expected a list, got a scalar" "invalid reload refused with its position"
post "$POD"
expect_eq "$CODE/$(resp .response.allowed)" "200/false" "previous policy still in force"
get /metrics
expect_match "$(cat "$T/resp")" 'vouch_webhook_policy_reloads_total\{result="ok"\} 1' "reload metric ok"
expect_match "$(cat "$T/resp")" 'vouch_webhook_policy_reloads_total\{result="failed"\} 1' "reload metric failed"
expect_match "$(cat "$T/resp")" 'vouch_webhook_requests_total\{result="rejected"\} 4' "rejected metric"

# --- audit log: one JSON line per review
lines=$(wc -l <"$T/audit.jsonl")
expect_eq "$(jq -s 'length' "$T/audit.jsonl")" "$lines" "every audit line is JSON"
expect_eq "$(jq -r 'select(.uid=="004c33e4-91e4-4ad4-a1f8-dc9d5f07a176") | .namespace + "/" + .name' "$T/audit.jsonl" | head -1)" "default/pod-nginx-1-25" "audit names the object"

# --- SIGTERM: graceful stop, exit 0
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"; rc=$?
SERVER_PID=""
expect_eq "$rc" 0 "SIGTERM exits 0"
expect_match "$(cat "$T/server.err")" "SIGTERM received, shutting down" "shutdown logged"
if grep -q -e AddressSanitizer -e 'runtime error' "$T/server.err"; then bad "sanitizer report"; sed 's/^/    /' "$T/server.err" | head -30; else ok "no sanitizer report"; fi

# --- bad start-up: wrong key, missing policy
run "$VOUCH" webhook serve --policy "$T/policy.yaml" --tls-cert "$T/tls.pem" --tls-key "$T/tls.key" --listen 127.0.0.1:0
expect_rc 2 "invalid policy at start-up"
run "$VOUCH" webhook serve --policy "$VOUCH_SRC/docs/examples/offline.yaml" --tls-cert "$T/tls.pem" --tls-key "$T/ca.pem" --listen 127.0.0.1:0
expect_rc 3 "key that is not a key"
run "$VOUCH" webhook serve --policy x
expect_rc 2 "missing TLS flags"
finish
