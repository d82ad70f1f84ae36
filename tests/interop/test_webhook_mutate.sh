#!/usr/bin/env bash
# vouch webhook serve --registry, POST /mutate against a real Distribution registry: an
# admitted request gets a base64 RFC 6902 JSONPatch pinning every image given by tag to the
# digest resolved and verified at the registry (repo:tag@sha256:…), at the right pointer for
# a Pod, a Deployment and a CronJob; images by digest are untouched, a denied request and
# /validate carry no patch.
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
    run skopeo copy --dest-tls-verify=false oci:lay:v1 "docker://$REG/$r"
    expect_rc 0 "skopeo pushes $r"
done
DIG=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")
run "$VOUCH" generate-key-pair
run "$VOUCH" sign --key cosign.key "$REG/app:v1"
expect_rc 0 "sign app"
cat >policy.yaml <<P
apiVersion: vouch.dev/policy/v1
rules:
  - name: signed
    images: ["$REG/**"]
    signatures: {keys: [cosign.pub]}
P
webhook_self_signed wh.key wh.pem
"$VOUCH" webhook serve --registry --allow-insecure-registry --policy policy.yaml --tls-cert wh.pem \
    --tls-key wh.key --listen 127.0.0.1:0 --audit-log none 2>wh.err &
WH_PID=$!
WPORT=$(webhook_port wh.err)
POD=$VECTORS/k8s/admissionreview-pod-create.json
review() { # KIND WRAP(jq over $spec) CONTAINER-IMAGE
    jq -c --arg kind "$1" --arg reg "$REG" --arg dig "$DIG" --arg img "$3" \
        '(.request.object.spec | .containers[0].image=$img
          | .initContainers=[{name:"a",image:($reg+"/app@"+$dig)},{name:"b",image:($reg+"/app:v1")}]) as $spec
         | .request.kind.kind=$kind | .request.object={kind:$kind, spec: ('"$2"')}' "$POD" >review.json
}
post() { # PATH
    curl -sS --cacert wh.pem -H 'Content-Type: application/json' --data-binary @review.json \
        "https://127.0.0.1:$WPORT/$1?timeout=10s" >resp.json
}
ops() { jq -r '.response.patch' resp.json | base64 -d | jq -c .; }
pin() { printf '{"op":"replace","path":"%s","value":"%s@%s"}' "$1" "$REG/$2" "$DIG"; }

review Pod '$spec + {ephemeralContainers:[{name:"dbg",image:($reg+"/app:v1")}]}' "$REG/app:v1"
post mutate
expect_eq "$(jq -r '.response.allowed, .response.patchType' resp.json | tr '\n' ' ')" "true JSONPatch " "pod admitted with a JSONPatch"
# ephemeral containers are only patched through their subresource (test_webhook_review.sh)
expect_eq "$(ops)" "[$(pin /spec/containers/0/image app:v1),$(pin /spec/initContainers/1/image app:v1)]" "pod: tags pinned, digest image untouched"
post mutate
expect_eq "$(ops)" "[$(pin /spec/containers/0/image app:v1),$(pin /spec/initContainers/1/image app:v1)]" "pod: cached evidence pins the same digests"
post validate
expect_eq "$(jq -r '.response.allowed, .response.patchType, .response.patch' resp.json | tr '\n' ' ')" "true null null " "/validate never patches"

review Deployment '{template:{spec:$spec}}' "$REG/app:v1"
post mutate
expect_eq "$(ops)" "[$(pin /spec/template/spec/containers/0/image app:v1),$(pin /spec/template/spec/initContainers/1/image app:v1)]" "deployment: pod template pinned"

review CronJob '{jobTemplate:{spec:{template:{spec:$spec}}}}' "$REG/app:v1"
post mutate
expect_eq "$(ops)" "[$(pin /spec/jobTemplate/spec/template/spec/containers/0/image app:v1),$(pin /spec/jobTemplate/spec/template/spec/initContainers/1/image app:v1)]" "cronjob: job template pinned"

review Pod '$spec' "$REG/other:v1"
post mutate
expect_eq "$(jq -r '.response.allowed, .response.patchType, .response.patch' resp.json | tr '\n' ' ')" "false null null " "denied request: no patch"
expect_match "$(jq -r .response.status.message resp.json)" "^spec.containers\[0\].image '$REG/other:v1': signed/signatures: 0 of 1 keys" "denial reason"

review Pod '$spec | .initContainers=[]' "$REG/app@$DIG"
post mutate
expect_eq "$(jq -r '.response.allowed, .response.patchType, .response.patch' resp.json | tr '\n' ' ')" "true null null " "all images by digest: no patch"

kill -TERM "$WH_PID"; wait "$WH_PID"; expect_eq "$?" 0 "webhook stops"
WH_PID=""
finish
