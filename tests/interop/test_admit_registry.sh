#!/usr/bin/env bash
# vouch admit --registry against a real Distribution registry (docker-registry): an image
# pushed by skopeo, attested by vouch (SLSA provenance and a cosign vuln predicate); the
# policy's keys verify what the registry holds, a wrong key or builder denies, a missing
# signature denies, an unreachable registry denies with exit 2.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
. "$VOUCH_SRC/tests/support/webhook.sh"
WH_PID=""
trap 'registry_stop; [ -n "$WH_PID" ] && kill "$WH_PID" 2>/dev/null; wait 2>/dev/null' EXIT
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
registry_start plain || { bad "start registry"; finish; exit 1; }
(umoci init --layout lay && umoci new --image lay:v1) >umoci.log 2>&1 || { bad "umoci layout"; finish; exit 1; }
run skopeo copy --dest-tls-verify=false oci:lay:v1 "docker://$REG/app:v1"
expect_rc 0 "skopeo pushes the image"
DIG=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")

run "$VOUCH" generate-key-pair
mkdir -p other && (cd other && "$VOUCH" generate-key-pair >/dev/null 2>&1)
run env -i PATH="$PATH" GITHUB_ACTIONS=true GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=o/app \
    GITHUB_REF=refs/heads/main GITHUB_SHA=c27d339ee6075c1f744c5d4b200f7901aad2c369 \
    GITHUB_WORKFLOW_REF=o/app/.github/workflows/release.yml@refs/heads/main GITHUB_EVENT_NAME=push \
    GITHUB_RUN_ID=9 GITHUB_RUN_ATTEMPT=1 "$VOUCH" provenance --subject umoci.log
jq .predicate "$T/out" >prov.json
run "$VOUCH" attest --key cosign.key --predicate prov.json --type slsaprovenance1 "$REG/app:v1"
expect_rc 0 "vouch attest pushes provenance"
jq .predicate "$VECTORS/vuln/cosign/cosign-spec-vuln-predicate-trivy.json" >vuln.json
run "$VOUCH" attest --key cosign.key --predicate vuln.json --type vuln "$REG/app:v1"
expect_rc 0 "vouch attest pushes a vuln predicate (trivy: 2 HIGH)"

policy() { # BUILDER KEY MAXSEV
    cat >policy.yaml <<P
apiVersion: vouch.dev/policy/v1
rules:
  - name: app
    images: ["$REG/**"]
    attestations:
      - type: slsaprovenance1
        keys: [$2]
        builderId: "$1"
        sourceUri: "https://github.com/o/app"
        sourceBranch: main
    vulnerabilities: {maxSeverity: $3}
P
}
policy 'https://github.com/o/app/.github/workflows/*@refs/heads/main' cosign.pub high
run "$VOUCH" admit --registry --allow-insecure-registry --policy policy.yaml --output json "$REG/app:v1"
expect_rc 0 "verified provenance and scan admit the image"
expect_eq "$(jq -r '.results[0].digest' "$T/out")" "$DIG" "tag resolved at the registry"
expect_eq "$(jq -r '[.results[0].reasons[] | select(.requirement=="attestations[0]") | .passed] | join(",")' "$T/out")" "true" "attestation requirement passed"
expect_match "$(jq -r '.results[0].reasons[] | select(.requirement=="vulnerabilities") | .message' "$T/out")" "^2 finding\(s\) in 1 report\(s\), none above high" "vuln attestation read"

policy 'https://github.com/o/app/.github/workflows/*@refs/heads/main' cosign.pub medium
run "$VOUCH" admit --registry --allow-insecure-registry --policy policy.yaml "$REG/app@$DIG"
expect_rc 1 "HIGH findings above medium deny"
expect_match "$OUT" "FAIL  app/vulnerabilities: 2 finding\(s\) above medium: CVE-2021-28831" "vuln denial reason"

policy 'https://evil.example/**' cosign.pub high
run "$VOUCH" admit --registry --allow-insecure-registry --policy policy.yaml "$REG/app:v1"
expect_rc 1 "wrong builder denies"
expect_match "$OUT" "attestation: builderId does not match 'https://evil.example/\*\*'" "builder reason"

policy 'https://github.com/o/app/**' other/cosign.pub high
run "$VOUCH" admit --registry --allow-insecure-registry --policy policy.yaml "$REG/app:v1"
expect_rc 1 "attestation under another key denies"
expect_match "$OUT" "no https://slsa.dev/provenance/v1 attestation verified with the listed keys" "wrong key reason"
expect_match "$OUT" "FAIL  app/vulnerabilities: no vulnerability report" "unverified vuln attestation is not evidence"

cat >sig.yaml <<P
apiVersion: vouch.dev/policy/v1
rules:
  - name: signed
    images: ["$REG/**", "127.0.0.1:1/**"]
    signatures: {keys: [cosign.pub]}
P
run "$VOUCH" admit --registry --allow-insecure-registry --policy sig.yaml "$REG/app:v1"
expect_rc 1 "unsigned image denied"
expect_match "$OUT" "FAIL  signed/signatures: 0 of 1 keys verified a signature \(threshold 1\)" "unsigned reason"

run "$VOUCH" admit --registry --allow-insecure-registry --policy sig.yaml "$REG/app:nope"
expect_rc 2 "missing tag is an error"
run "$VOUCH" admit --registry --allow-insecure-registry --policy sig.yaml "127.0.0.1:1/app:v1"
expect_rc 2 "unreachable registry denies with exit 2"
expect_match "$OUT" "^DENY 127.0.0.1:1/app:v1" "unreachable registry decision"
expect_match "$OUT" "FAIL  \(evidence\)/evidence: registry: " "unreachable registry reason"

# --- real cosign signatures: the recorded peer repository `signed` (one signature by
# skopeo 1.13.3, one made by hand as cosign does) as an OCI layout
PEER=$VECTORS/cosign-image/registry
mkdir -p peer/blobs/sha256 && cp "$PEER/signed/blobs/sha256/"* peer/blobs/sha256/ && chmod -R u+w peer
printf '{"imageLayoutVersion":"1.0.0"}' >peer/oci-layout
jq -c '{schemaVersion: 2, manifests: [.tags | to_entries[] | .value +
    {annotations: {"org.opencontainers.image.ref.name": .key}}]}' "$PEER/signed/tags.json" >peer/index.json
cp "$VECTORS/cosign-image/skopeo-sk.pub" sk.pub
cp "$VECTORS/cosign-image/handmade-openssl-cosign.pub" hm.pub
sigpolicy() { # KEYS THRESHOLD [ANNOTATIONS]
    printf 'apiVersion: vouch.dev/policy/v1\nrules:\n  - name: s\n    images: ["oci-dir:**"]\n    signatures: {keys: [%s], threshold: %s%s}\n' "$1" "$2" "${3:+, annotations: $3}" >sigs.yaml
}
sigpolicy "sk.pub, hm.pub, cosign.pub" 2
run "$VOUCH" admit --registry --policy sigs.yaml "oci-dir:$T/peer:v1"
expect_rc 0 "2-of-3: the skopeo and the hand-made signature verify"
expect_match "$OUT" "pass  s/signatures: 2 of 3 keys verified a signature \(threshold 2\)" "2-of-3 reason"
sigpolicy "sk.pub, hm.pub, cosign.pub" 3
run "$VOUCH" admit --registry --policy sigs.yaml "oci-dir:$T/peer:v1"
expect_rc 1 "3-of-3 denied: no signature by the third key"
expect_match "$OUT" "FAIL  s/signatures: 2 of 3 keys verified a signature \(threshold 3\)" "3-of-3 reason"
sigpolicy "cosign.pub" 1
run "$VOUCH" admit --registry --policy sigs.yaml "oci-dir:$T/peer:v1"
expect_rc 1 "wrong key denied"
expect_match "$OUT" "FAIL  s/signatures: 0 of 1 keys verified a signature" "wrong key reason"
sigpolicy "sk.pub" 1 "{team: payments}"
run "$VOUCH" admit --registry --policy sigs.yaml "oci-dir:$T/peer:v1"
expect_rc 1 "missing signed annotation denied"
expect_match "$OUT" "some signatures lack the required annotations" "annotation reason"

# --- the webhook with --registry: the same verification behind AdmissionReview
policy 'https://github.com/o/app/.github/workflows/*@refs/heads/main' cosign.pub high
webhook_self_signed wh.key wh.pem
"$VOUCH" webhook serve --registry --allow-insecure-registry --policy policy.yaml --tls-cert wh.pem \
    --tls-key wh.key --listen 127.0.0.1:0 --audit-log none 2>wh.err &
WH_PID=$!
WPORT=$(webhook_port wh.err)
review() {
    jq -c --arg img "$1" '.request.object.spec.containers[0].image=$img' \
        "$VECTORS/k8s/admissionreview-pod-create.json" >review.json
    curl -sS --cacert wh.pem -H 'Content-Type: application/json' --data-binary @review.json \
        "https://127.0.0.1:$WPORT/validate?timeout=10s" >resp.json
}
review "$REG/app:v1"
expect_eq "$(jq -r .response.allowed resp.json)" "true" "webhook admits the verified image"
review "$REG/app:nope"
expect_eq "$(jq -r .response.allowed resp.json)" "false" "webhook denies when the registry has no such tag"
expect_match "$(jq -r .response.status.message resp.json)" "^spec.containers\[0\].image '$REG/app:nope': \(evidence\)/evidence: registry: " "registry error reason"
kill -TERM "$WH_PID"; wait "$WH_PID"; expect_eq "$?" 0 "webhook stops"
WH_PID=""
finish
