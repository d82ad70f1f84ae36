#!/usr/bin/env bash
# deploy/ as an operator applies it (docs/webhook.md, "Install"): kustomize builds each step
# (deploy/ with cert-manager, deploy/openssl/, deploy/webhook/) in the documented order;
# `kubectl apply --dry-run=client -k` passes for each, against the discovery documents of
# tests/support/kube_discovery.py (kubectl needs the server's kind-to-resource mapping even
# for a client dry run; schema validation would need a cluster's OpenAPI, so --validate=false);
# the image is pinned by a digest the documented command fills; the webhook configurations
# exclude namespaces by the apiserver-set name label and get their caBundle from cert-manager
# or an overlay; and the shipped Deployment's arguments, policy and registry-credential
# mount start the real server (after the placeholder key is replaced; before, it refuses).
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/webhook.sh"
KUBECTL=$(command -v kubectl || true)
if [ -z "$KUBECTL" ]; then
    echo "skip: no kubectl on PATH (Debian's kubernetes-client, or any kubectl, runs this test)"
    finish
    exit 0
fi
echo "using $KUBECTL ($("$KUBECTL" version --client 2>/dev/null | head -1))"
STUB_PID="" WH_PID=""
trap '[ -n "$STUB_PID" ] && kill "$STUB_PID"; [ -n "$WH_PID" ] && kill "$WH_PID"; wait 2>/dev/null' EXIT
cd "$T" || exit 1
export HOME=$T # kubectl's cache stays here
cp -r "$VOUCH_SRC/deploy" deploy

# --- what each step creates, in order
kinds() { "$KUBECTL" kustomize "$1" 2>/dev/null | yq_kinds; }
yq_kinds() { /usr/bin/python3 -c 'import sys,yaml; print(" ".join("%s/%s" % (d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(sys.stdin) if d))'; }
expect_eq "$(kinds deploy)" "Namespace/vouch-system ConfigMap/vouch-policy Service/vouch-webhook Deployment/vouch-webhook PodDisruptionBudget/vouch-webhook Certificate/vouch-webhook Issuer/vouch-selfsigned" "step 1 (cert-manager): namespace first, no webhook configuration"
expect_eq "$(kinds deploy/openssl)" "Namespace/vouch-system ConfigMap/vouch-policy Service/vouch-webhook Deployment/vouch-webhook PodDisruptionBudget/vouch-webhook" "step 1 (openssl recipe): no cert-manager kinds"
expect_eq "$(kinds deploy/webhook)" "ValidatingWebhookConfiguration/vouch-webhook" "step 2: the webhook configuration alone"
"$KUBECTL" kustomize deploy >step1.yaml 2>/dev/null
"$KUBECTL" kustomize deploy/webhook >step2.yaml 2>/dev/null
py() { /usr/bin/python3 -c "import sys,yaml; docs=[d for d in yaml.safe_load_all(open('$1')) if d]; $2"; }
expect_eq "$(py step1.yaml 'print([d for d in docs if d["kind"]=="Deployment"][0]["spec"]["template"]["spec"]["containers"][0]["image"])')" \
    "ghcr.io/acme/vouch@sha256:0000000000000000000000000000000000000000000000000000000000000000" "image pinned by a digest placeholder"
expect_eq "$(py step2.yaml 'w=docs[0]; print(w["metadata"]["annotations"]["cert-manager.io/inject-ca-from"], w["webhooks"][0]["namespaceSelector"], "caBundle" in w["webhooks"][0]["clientConfig"])')" \
    "vouch-system/vouch-webhook {'matchExpressions': [{'key': 'kubernetes.io/metadata.name', 'operator': 'NotIn', 'values': ['kube-system', 'vouch-system']}]} False" \
    "caBundle from cert-manager; kube-system and vouch-system excluded by name"
expect_eq "$(py step1.yaml 'c=[d for d in docs if d["kind"]=="Certificate"][0]["spec"]; print(c["secretName"], c["dnsNames"][0])')" "vouch-webhook-tls vouch-webhook.vouch-system.svc" "certificate for the Service name, into the mounted Secret"
expect_eq "$(py step1.yaml 'p=[d for d in docs if d["kind"]=="PodDisruptionBudget"][0]["spec"]; print(p["minAvailable"])')" "1" "a disruption budget keeps one replica"
if grep -rq 'vouch.dev/ignore\|REPLACE_WITH_BASE64' deploy; then bad "self-granted opt-out label or caBundle placeholder left"; else ok "no self-granted opt-out, no caBundle placeholder"; fi

# --- the documented command fills the digest
fill=$(sed -n 's/^#   \(sed -i .*\)$/\1/p' deploy/base/kustomization.yaml)
DIGEST=sha256:$(printf 'vouch' | sha256sum | cut -d' ' -f1)
( eval "$fill" )
expect_eq "$("$KUBECTL" kustomize deploy 2>/dev/null | grep -o 'image: .*')" "image: ghcr.io/acme/vouch@$DIGEST" "the documented sed fills the digest"

# --- the openssl recipe's overlay adds the caBundle
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -keyout ca.key -out ca.crt -subj /CN=vouch-webhook-ca 2>/dev/null
# the commands of docs/webhook.md, as written there
mkdir my-webhook
sed -n '/^mkdir my-webhook$/,/^kubectl apply -k my-webhook/p' "$VOUCH_SRC/docs/webhook.md" | grep '^printf' >overlay.sh
expect_eq "$(wc -l <overlay.sh)" "2" "the documented overlay commands found"
bash overlay.sh
"$KUBECTL" kustomize my-webhook >mine.yaml 2>/dev/null
expect_eq "$(py mine.yaml 'print(docs[0]["webhooks"][0]["clientConfig"]["caBundle"])')" "$(base64 -w0 ca.crt)" "openssl overlay: caBundle is the CA"

# --- kubectl apply --dry-run=client -k, step by step
/usr/bin/python3 "$VOUCH_SRC/tests/support/kube_discovery.py" stub.port 2>stub.log &
STUB_PID=$!
for _ in $(seq 100); do [ -s stub.port ] && break; sleep 0.1; done
cat >kubeconfig <<K
apiVersion: v1
kind: Config
clusters: [{name: stub, cluster: {server: "http://127.0.0.1:$(cat stub.port)"}}]
contexts: [{name: stub, context: {cluster: stub, user: stub}}]
users: [{name: stub, user: {}}]
current-context: stub
K
# (kustomize's deprecation warnings on stderr are not part of the answer)
dry() { KUBECONFIG=$T/kubeconfig "$KUBECTL" apply --dry-run=client --validate=false -k "$1" 2>dry.err; cat dry.err >>dry.log; }
expect_eq "$(dry deploy)" "namespace/vouch-system created (dry run)
configmap/vouch-policy created (dry run)
service/vouch-webhook created (dry run)
deployment.apps/vouch-webhook created (dry run)
poddisruptionbudget.policy/vouch-webhook created (dry run)
certificate.cert-manager.io/vouch-webhook created (dry run)
issuer.cert-manager.io/vouch-selfsigned created (dry run)" "kubectl apply --dry-run=client -k deploy/"
expect_eq "$(dry deploy/openssl | wc -l)" "5" "kubectl apply --dry-run=client -k deploy/openssl/"
expect_eq "$(dry deploy/webhook)" "validatingwebhookconfiguration.admissionregistration.k8s.io/vouch-webhook created (dry run)" "kubectl apply --dry-run=client -k deploy/webhook/"
expect_eq "$(dry my-webhook)" "validatingwebhookconfiguration.admissionregistration.k8s.io/vouch-webhook created (dry run)" "kubectl apply --dry-run=client -k (openssl overlay)"
sed -i 's|^  # - mutatingwebhookconfiguration.yaml|  - mutatingwebhookconfiguration.yaml|' deploy/webhook/kustomization.yaml
expect_eq "$(dry deploy/webhook | sort | tr '\n' ' ')" "mutatingwebhookconfiguration.admissionregistration.k8s.io/vouch-webhook created (dry run) validatingwebhookconfiguration.admissionregistration.k8s.io/vouch-webhook created (dry run) " "the optional mutating webhook applies too"

# --- the shipped Deployment runs: its args, policy ConfigMap and credential mount
mkdir -p etc/policy etc/tls etc/registry
py step1.yaml 'cm=[d for d in docs if d["kind"]=="ConfigMap"][0]["data"]; [open("etc/policy/"+k,"w").write(v) for k,v in cm.items()]'
py step1.yaml 'c=[d for d in docs if d["kind"]=="Deployment"][0]["spec"]["template"]["spec"]["containers"][0]; print("\n".join(c["args"])); print("DOCKER_CONFIG="+c["env"][0]["value"])' >args.txt
expect_eq "$(grep -c -e '^--registry$' -e '^DOCKER_CONFIG=/etc/vouch/registry$' args.txt)" "2" "shipped Deployment verifies at registries with DOCKER_CONFIG from the Secret mount"
mapfile -t ARGS < <(grep -v '^DOCKER_CONFIG=' args.txt | sed -e "s|/etc/vouch/policy|$T/etc/policy|; s|/etc/vouch/tls|$T/etc/tls|" \
    -e 's|^--listen=.*|--listen=127.0.0.1:0|; s|^--admin-listen=.*|--admin-listen=127.0.0.1:0|; s|^--audit-log=.*|--audit-log=none|')
webhook_self_signed etc/tls/tls.key etc/tls/tls.crt
printf '{"auths":{}}' >etc/registry/config.json
DOCKER_CONFIG=$T/etc/registry run "$VOUCH" "${ARGS[@]}"
expect_rc 2 "with the placeholder key the policy does not load (fail closed)"
expect_match "$ERR" "cosign.pub" "the error names the key file"
VOUCH_PASSWORD=pw run "$VOUCH" generate-key-pair --output-key-prefix "$T/k"
pub=$T/k.pub
cp "$pub" etc/policy/cosign.pub
DOCKER_CONFIG=$T/etc/registry "$VOUCH" "${ARGS[@]}" 2>wh.err &
WH_PID=$!
PORT=$(webhook_port wh.err)
expect_match "$PORT" "^[0-9]+$" "the shipped arguments start the server"
expect_eq "$(curl -sS --cacert etc/tls/tls.crt "https://127.0.0.1:$PORT/healthz")" "ok" "healthz"
CODE=$(curl -sS --cacert etc/tls/tls.crt -o resp.json -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @"$VECTORS/k8s/admissionreview-pod-create.json" "https://127.0.0.1:$PORT/validate")
expect_eq "$CODE/$(jq -r .response.allowed resp.json)" "200/true" "shipped policy admits nginx:1.25 (no rule needs its registry)"
jq -c '.request.object.spec.containers[0].image="busybox:latest"' "$VECTORS/k8s/admissionreview-pod-create.json" >latest.json
curl -sS --cacert etc/tls/tls.crt -o resp.json -H 'Content-Type: application/json' --data-binary @latest.json "https://127.0.0.1:$PORT/validate"
expect_eq "$(jq -r .response.status.message resp.json)" "spec.containers[0].image 'busybox:latest': no-latest/tags.deny: tag 'latest' is denied by 'latest'" "shipped policy denies :latest"
kill -TERM "$WH_PID"; wait "$WH_PID"; expect_eq "$?" 0 "stops on SIGTERM"
WH_PID=""
finish
