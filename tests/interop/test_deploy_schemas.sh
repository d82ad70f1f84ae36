#!/usr/bin/env bash
# deploy/'s manifests (each kustomization, built with kubectl kustomize) against the
# Kubernetes OpenAPI schemas: kubernetes-models' JSON schemas (generated from the API's
# OpenAPI v2 document) and @kubernetes-models/cert-manager's, pinned in
# tests/interop/k8s-schemas (installed by scripts/setup.sh), validated with ajv by
# k8s-schemas/validate.mjs. kubectl's own --validate needs a server's OpenAPI endpoint, which
# no test here has. Mutated manifests (wrong type, missing required field, bad enum) must fail.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export HOME=$T
VAL="node $VOUCH_SRC/tests/interop/k8s-schemas/validate.mjs"
[ -d "$VOUCH_SRC/tests/interop/k8s-schemas/node_modules/kubernetes-models" ] ||
    bad "kubernetes-models is not installed (run scripts/setup.sh)"

for k in deploy deploy/openssl deploy/webhook; do
    kubectl kustomize "$VOUCH_SRC/$k" >"$T/$(echo "$k" | tr / -).yaml" 2>/dev/null
done
run $VAL deploy.yaml
expect_rc 0 "deploy/ validates against the OpenAPI schemas"
expect_eq "$OUT" "ok Namespace vouch-system
ok ConfigMap vouch-policy
ok Service vouch-webhook
ok Deployment vouch-webhook
ok PodDisruptionBudget vouch-webhook
ok Certificate vouch-webhook
ok Issuer vouch-selfsigned" "deploy/: every object was checked"
run $VAL deploy-openssl.yaml
expect_rc 0 "deploy/openssl/ validates"
expect_eq "$(grep -c '^ok ' "$T/out")" 5 "deploy/openssl/: five objects checked"
run $VAL deploy-webhook.yaml
expect_rc 0 "deploy/webhook/ validates"
expect_match "$OUT" "^ok ValidatingWebhookConfiguration vouch-webhook" "deploy/webhook/: the webhook configuration checked"

# the validator catches what a typo would break
sed 's/containerPort: 8443/containerPort: "8443x"/' deploy.yaml >bad1.yaml
run $VAL bad1.yaml
expect_rc 1 "a string containerPort is refused"
expect_match "$OUT" "containerPort must be integer" "the error names the field"
python3 - deploy.yaml bad2.yaml bad3.yaml bad4.yaml <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
def write(path, f):
    out = [yaml.safe_load(yaml.safe_dump(x)) for x in docs]
    f(out)
    yaml.safe_dump_all(out, open(path, "w"))
dep = lambda ds: [x for x in ds if x["kind"] == "Deployment"][0]
write(sys.argv[2], lambda ds: dep(ds)["spec"].pop("selector"))
write(sys.argv[3], lambda ds: dep(ds)["spec"]["template"]["spec"]["containers"][0].pop("name"))
write(sys.argv[4], lambda ds: dep(ds)["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"].__setitem__("port", [8443]))
PY
run $VAL bad2.yaml
expect_rc 1 "a Deployment without selector is refused"
expect_match "$OUT" "selector" "the error names the selector"
run $VAL bad3.yaml
expect_rc 1 "a container without name is refused"
run $VAL bad4.yaml
expect_rc 1 "a probe port that is a list is refused"
printf 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n' >unknown.yaml
run $VAL unknown.yaml
expect_rc 1 "a kind without a schema is not passed silently"
finish
