#!/usr/bin/env bash
# vouch webhook serve --registry replaying AdmissionReview v1 requests for each operation an
# apiserver sends, with exact responses and patches: CREATE, dry run, UPDATE against
# oldObject (labels, finalizer removal, an image change, a Deployment scaled or its template
# changed), the ephemeralcontainers subresource, status and scale subresources, DELETE; an
# image no rule covers on an unreachable registry; --recheck-updates; the evidence cache
# shared by tag and tag@digest, the negative TTL and POST /cache/flush on the admin listener.
#
# The requests are built from the one a kube-apiserver sent (testvectors/k8s/, `kubectl
# create` of a Pod) with the fields the apiserver fills for the other operations
# (admission.k8s.io/v1: operation, subResource, requestSubResource, oldObject, options,
# dryRun; ../shared/docs/slsa-policy.md §4.1): no apiserver runs here.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
. "$VOUCH_SRC/tests/support/webhook.sh"
WH_PID=""
trap 'registry_stop; [ -n "$WH_PID" ] && kill "$WH_PID" 2>/dev/null; wait 2>/dev/null' EXIT
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
registry_start plain || { bad "start registry"; finish; exit 1; }
(umoci init --layout lay && umoci new --image lay:v1) >umoci.log 2>&1 || { bad "umoci layout"; finish; exit 1; }
for r in app:v1 other:v1; do
    skopeo copy --dest-tls-verify=false oci:lay:v1 "docker://$REG/$r" >/dev/null 2>&1 || bad "push $r"
done
DIG=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")
run "$VOUCH" generate-key-pair
run "$VOUCH" sign --key cosign.key "$REG/app:v1"
expect_rc 0 "sign app:v1 (other:v1 stays unsigned)"
DEAD=127.0.0.1:$(registry_free_port) # nothing listens there
cat >policy.yaml <<P
apiVersion: vouch.dev/policy/v1
default: allow
rules:
  - name: signed
    images: ["$REG/**"]
    signatures: {keys: [cosign.pub]}
P
webhook_self_signed wh.key wh.pem
start() { # extra flags
    "$VOUCH" webhook serve --registry --allow-insecure-registry --policy policy.yaml \
        --tls-cert wh.pem --tls-key wh.key --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
        --audit-log audit.jsonl --negative-cache-ttl 2 "$@" 2>wh.err &
    WH_PID=$!
    WPORT=$(webhook_port wh.err)
    APORT=$(sed -n 's/^vouch: webhook: admin listening on .* port \([0-9]*\)$/\1/p' wh.err)
}
stop() { kill -TERM "$WH_PID"; wait "$WH_PID"; WH_PID=""; }
start
expect_match "$WPORT/$APORT" "^[0-9]+/[0-9]+$" "webhook and admin listener started"

POD=$VECTORS/k8s/admissionreview-pod-create.json
# req UID OP [jq filter over the recorded request .request]: writes req.json
req() {
    jq -c --arg uid "$1" --arg op "$2" --arg reg "$REG" --arg dig "$DIG" --arg dead "$DEAD" \
        ".request.uid=\$uid | .request.operation=\$op | .request |= (${3:-.})" "$POD" >req.json
}
# the apiserver's UPDATE: oldObject is the stored object, options UpdateOptions
update() { printf '.oldObject=.object | .options={kind:"UpdateOptions",apiVersion:"meta.k8s.io/v1",fieldManager:"kubectl-edit"} | %s' "$1"; }
img() { printf '.object.spec.containers[0].image=%s' "$1"; }
post() { # PATH: response in resp.json
    curl -sS --cacert wh.pem -H 'Content-Type: application/json' --data-binary @req.json \
        "https://127.0.0.1:$WPORT/$1?timeout=10s" >resp.json
}
allow() { printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"%s","allowed":true}}' "$1"; }
deny() { printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"%s","allowed":false,"status":{"code":403,"reason":"Forbidden","message":"%s"}}}' "$1" "$2"; }
pin() { printf '{"op":"replace","path":"%s","value":"%s@%s"}' "$1" "$2" "$DIG"; }
# expect_resp UID WANT DESC: the exact /validate response, then /mutate's without its patch
expect_resp() {
    post validate
    expect_eq "$(cat resp.json)" "$2" "$3: /validate response"
    post mutate
    expect_eq "$(jq -c 'del(.response.patchType, .response.patch)' resp.json)" "$2" "$3: /mutate response"
}
ops() { jq -r '.response.patch // empty' resp.json | base64 -d | jq -c .; }
unsigned="spec.containers[0].image '$REG/other:v1': signed/signatures: 0 of 1 keys verified a signature (threshold 1)"

# --- CREATE: a signed tag is admitted and pinned, an unsigned one denied naming the field
req c1 CREATE "$(img '($reg+"/app:v1")')"
expect_resp c1 "$(allow c1)" "create signed"
expect_eq "$(ops)" "[$(pin /spec/containers/0/image "$REG/app:v1")]" "create: the tag is pinned"
req c2 CREATE "$(img '($reg+"/other:v1")')"
expect_resp c2 "$(deny c2 "$unsigned")" "create unsigned"
expect_eq "$(ops)" "" "denied: no patch"
req c3 CREATE "$(img '($reg+"/other:v1")') | .dryRun=true | .options.dryRun=[\"All\"]"
expect_resp c3 "$(deny c3 "$unsigned")" "dry run decided like the real thing"
expect_eq "$(jq -r 'select(.uid=="c3") | .dryRun' audit.jsonl | sort -u)" "true" "dry run audited as such"

# --- UPDATE against oldObject: what is already running is not re-judged
base="$(img '($reg+"/other:v1")') | .object.spec.ephemeralContainers=[{name:\"dbg\",image:(\$reg+\"/other:v1\")}]"
req u1 UPDATE "$base | $(update '.object.metadata.labels={"team":"a"}')"
expect_resp u1 "$(allow u1)" "label change on a pod whose image no longer passes"
expect_eq "$(ops)" "" "label change: no patch (not even the ephemeral container)"
req u2 UPDATE "$base | .object.metadata.finalizers=[\"example.com/x\"] | $(update '.object.metadata.finalizers=[] | .object.metadata.deletionTimestamp="2026-11-28T16:40:00Z"')"
expect_resp u2 "$(allow u2)" "finalizer removal on a terminating pod"
req u3 UPDATE "$(img '($reg+"/app@"+$dig)') | $(update "$(img '($reg+"/other:v1")')")"
expect_resp u3 "$(deny u3 "$unsigned")" "image changed to an unsigned one"
req u4 UPDATE "$(img '($reg+"/other:v1")') | $(update "$(img '($reg+"/app:v1")')")"
expect_resp u4 "$(allow u4)" "image changed to a signed tag"
expect_eq "$(ops)" "[$(pin /spec/containers/0/image "$REG/app:v1")]" "changed image pinned"
expect_eq "$(jq -r 'select(.uid=="u1") | "\(.unchangedImages) \(.images | length)"' audit.jsonl | sort -u)" "2 0" "audit: unchanged images counted, none decided"

# --- subresources: ephemeralcontainers is judged and pinned; status never blocked
eph='.subResource="ephemeralcontainers" | .requestSubResource="ephemeralcontainers"'
req e1 UPDATE "$(img '($reg+"/app@"+$dig)') | $(update ".object.spec.ephemeralContainers=[{name:\"dbg\",image:(\$reg+\"/app:v1\")}] | $eph")"
expect_resp e1 "$(allow e1)" "kubectl debug with a signed image"
expect_eq "$(ops)" "[$(pin /spec/ephemeralContainers/0/image "$REG/app:v1")]" "ephemeral container pinned through its subresource"
req e2 UPDATE "$(img '($reg+"/app@"+$dig)') | $(update ".object.spec.ephemeralContainers=[{name:\"dbg\",image:(\$reg+\"/other:v1\")}] | $eph")"
expect_resp e2 "$(deny e2 "spec.ephemeralContainers[0].image '$REG/other:v1': signed/signatures: 0 of 1 keys verified a signature (threshold 1)")" "kubectl debug with an unsigned image"
req s1 UPDATE "$(img '($reg+"/other:v1")') | $(update '.subResource="status" | .requestSubResource="status" | .object.status.phase="Running"')"
expect_resp s1 "$(allow s1)" "status update"

# --- DELETE: nothing will run; never blocked, whatever the object
req d1 DELETE '.oldObject=(.object | .spec.containers[0].image=($reg+"/other:v1")) | .object=null | .options={kind:"DeleteOptions",apiVersion:"meta.k8s.io/v1"}'
expect_resp d1 "$(allow d1)" "delete"

# --- Deployments: template changes are judged, metadata and scale are not rolled out
dep='.kind={group:"apps",version:"v1",kind:"Deployment"} | .resource={group:"apps",version:"v1",resource:"deployments"} | .requestKind=.kind | .requestResource=.resource | .object={apiVersion:"apps/v1",kind:"Deployment",metadata:{name:"web",namespace:"default"},spec:{replicas:1,selector:{matchLabels:{app:"web"}},template:{metadata:{labels:{app:"web"}},spec:.object.spec}}}'
tpl() { printf '.object.spec.template.spec.containers[0].image=%s' "$1"; }
req p1 CREATE "$dep | $(tpl '($reg+"/app:v1")')"
expect_resp p1 "$(allow p1)" "deployment create"
expect_eq "$(ops)" "[$(pin /spec/template/spec/containers/0/image "$REG/app:v1")]" "deployment template pinned"
req p2 UPDATE "$dep | $(tpl '($reg+"/app:v1")') | $(update '.object.spec.replicas=3 | .object.metadata.annotations={"note":"x"}')"
expect_resp p2 "$(allow p2)" "deployment scaled and annotated"
expect_eq "$(ops)" "" "no roll-out nobody asked for: no patch"
req p3 UPDATE "$dep | $(tpl '($reg+"/app:v1")') | $(update "$(tpl '($reg+"/other:v1")')")"
expect_resp p3 "$(deny p3 "spec.template.spec.containers[0].image '$REG/other:v1': signed/signatures: 0 of 1 keys verified a signature (threshold 1)")" "deployment template changed to an unsigned image"
req p4 UPDATE '.kind={group:"autoscaling",version:"v1",kind:"Scale"} | .subResource="scale" | .object={kind:"Scale",apiVersion:"autoscaling/v1",spec:{replicas:5}} | .oldObject={kind:"Scale",apiVersion:"autoscaling/v1",spec:{replicas:1}}'
expect_resp p4 "$(allow p4)" "scale subresource"

# --- an image no rule covers is never fetched: its unreachable registry cannot deny it
req n1 CREATE "$(img '($dead+"/elsewhere:v1")')"
expect_resp n1 "$(allow n1)" "uncovered image on an unreachable registry, default allow"
expect_eq "$(ops)" "" "uncovered image: nothing resolved, nothing pinned"
expect_eq "$(jq -r 'select(.uid=="n1") | .images[0].cached' audit.jsonl | sort -u)" "false" "uncovered image decided without a cache lookup"

# --- the cache: tag and the pinned tag@digest share one entry
hits() { curl -sS --cacert wh.pem "https://127.0.0.1:$WPORT/metrics" | sed -n 's/^vouch_webhook_cache_lookups_total{result="hit"} //p'; }
h0=$(hits)
req k1 CREATE "$(img '($reg+"/app:v1@"+$dig)')"
post validate
expect_eq "$(cat resp.json)" "$(allow k1)" "pinned tag@digest admitted"
expect_eq "$(jq -r 'select(.uid=="k1") | .images[0].cached' audit.jsonl)" "true" "tag@digest hits the entry its tag made"
expect_eq "$(( $(hits) - h0 ))" 1 "one cache hit"
# POST /cache/flush on the admin listener (not on the TLS port)
expect_eq "$(curl -sS -X POST "http://127.0.0.1:$APORT/cache/flush" | jq -r 'has("flushed")')" "true" "admin: cache flushed"
expect_eq "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APORT/cache/flush")" "405" "admin: GET refused"
expect_eq "$(curl -sS -o /dev/null -w '%{http_code}' --cacert wh.pem -X POST -H 'Content-Type: application/json' -d '{}' "https://127.0.0.1:$WPORT/cache/flush")" "404" "no flush on the review port"
post validate
expect_eq "$(jq -r 'select(.uid=="k1") | .images[0].cached' audit.jsonl | tail -1)" "false" "after the flush the evidence is gathered again"
# a denial expires after --negative-cache-ttl (2 s): signing the image admits it
req k2 CREATE "$(img '($reg+"/other:v1")')"
post validate
expect_eq "$(jq -r .response.allowed resp.json)" "false" "unsigned: denied (cached for 2 s)"
run "$VOUCH" sign --key cosign.key "$REG/other:v1"
expect_rc 0 "sign other:v1 now"
for _ in $(seq 50); do post validate; [ "$(jq -r .response.allowed resp.json)" = true ] && break; sleep 0.2; done
expect_eq "$(jq -r .response.allowed resp.json)" "true" "freshly signed image admitted once the denial expired"
stop

# --- --recheck-updates: an UPDATE decides every image again; unchanged ones are still not pinned
run "$VOUCH" sign --key cosign.key "$REG/app:v1" # (other:v1 is signed now; use a fresh unsigned tag)
skopeo copy --dest-tls-verify=false oci:lay:v1 "docker://$REG/third:v1" >/dev/null 2>&1
start --recheck-updates
req r1 UPDATE "$(img '($reg+"/third:v1")') | $(update '.object.metadata.labels={"team":"a"}')"
expect_resp r1 "$(deny r1 "spec.containers[0].image '$REG/third:v1': signed/signatures: 0 of 1 keys verified a signature (threshold 1)")" "recheck: unchanged unsigned image denied"
req r2 UPDATE "$(img '($reg+"/app:v1")') | $(update '.object.metadata.labels={"team":"a"}')"
post mutate
expect_eq "$(jq -r '.response.allowed, .response.patch' resp.json | tr '\n' ' ')" "true null " "recheck: unchanged signed image admitted, not pinned"
stop
if grep -q -e AddressSanitizer -e 'runtime error' wh.err; then bad "sanitizer report"; sed 's/^/    /' wh.err | head -30; else ok "no sanitizer report"; fi
finish
