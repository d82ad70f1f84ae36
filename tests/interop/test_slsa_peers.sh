#!/usr/bin/env bash
# SLSA attestations across implementations: python securesystemslib verifies vouch's
# provenance envelope, @sigstore/verify (npm, offline, thresholds 0) verifies vouch's DSSE
# bundle, and vouch verifies the sigstore-conformance DSSE bundle made by GitHub's
# attest-build-provenance (keyless: its Fulcio certificate's identity, against the
# public-good trusted root) and checks its predicate.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
export NODE_PATH=$VOUCH_SRC/tests/interop/npm/node_modules
PY=/usr/bin/python3
SSLIB=$VOUCH_SRC/tests/interop/slsa_sslib_verify.py
JSV=$VOUCH_SRC/tests/interop/sigstore-verify.js
COMMIT=c27d339ee6075c1f744c5d4b200f7901aad2c369
printf 'artifact bytes\n' >app.bin
GH=(GITHUB_ACTIONS=true GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=octocat/hello-world
    GITHUB_REF=refs/tags/v1.0.0 GITHUB_SHA=$COMMIT
    GITHUB_WORKFLOW_REF=octocat/hello-world/.github/workflows/release.yml@refs/tags/v1.0.0
    GITHUB_EVENT_NAME=push GITHUB_RUN_ID=42 GITHUB_RUN_ATTEMPT=2)
clean() { env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    VOUCH_PASSWORD=pw "$@"; }

run "$VOUCH" generate-key-pair
expect_rc 0 "generate-key-pair"
run clean "${GH[@]}" "$VOUCH" provenance --subject app.bin --key cosign.key -o app.intoto.jsonl
expect_rc 0 "signed provenance envelope"
run clean "${GH[@]}" "$VOUCH" provenance --subject app.bin --key cosign.key --bundle -o app.sigstore.json
expect_rc 0 "signed provenance bundle"

# securesystemslib
run "$PY" "$SSLIB" app.intoto.jsonl cosign.pub app.bin
expect_rc 0 "securesystemslib verifies vouch's envelope"
expect_eq "$OUT" "VERIFIED https://slsa.dev/provenance/v1" "securesystemslib: predicate type"
jq -c '.payload |= (@base64d | sub("refs/tags/v1.0.0"; "refs/tags/v6.6.6") | @base64)' app.intoto.jsonl >bad.jsonl
run "$PY" "$SSLIB" bad.jsonl cosign.pub app.bin
expect_rc 1 "securesystemslib rejects a tampered payload"
expect_eq "$OUT" "FAILED signature" "securesystemslib: tampered reason"
printf 'other\n' >other.bin
run "$PY" "$SSLIB" app.intoto.jsonl cosign.pub other.bin
expect_rc 1 "securesystemslib: subject digest is the artifact's"

# @sigstore/verify
run node "$JSV" app.sigstore.json cosign.pub
expect_rc 0 "@sigstore/verify verifies vouch's DSSE bundle"
expect_eq "$OUT" VERIFIED "@sigstore/verify output"
jq -c '.dsseEnvelope.payload |= (@base64d | sub("octocat"; "mallory") | @base64)' app.sigstore.json >bad.sigstore.json
run node "$JSV" bad.sigstore.json cosign.pub
expect_rc 1 "@sigstore/verify rejects a tampered bundle"
run node "$JSV" app.intoto.jsonl cosign.pub
expect_rc 0 "@sigstore/verify verifies vouch's bare envelope"

# vouch on GitHub's attest-build-provenance bundle (sigstore-conformance)
CONF=$VECTORS/sigstore-conformance
CERT=$VECTORS/keys/conformance-dsse-leaf.pem
GHB=https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml
KL=(--certificate-identity https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
    --certificate-oidc-issuer https://token.actions.githubusercontent.com
    --trusted-root "$CONF/trusted-roots/public-good.trusted_root.json")
va() { run "$VOUCH" verify-attestation "${KL[@]}" --type slsaprovenance1 --blob "$CONF/a.txt" \
    --bundle "$CONF/happy-path-intoto-in-dsse-v3/bundle.sigstore.json" "$@"; }
va --builder-id "$GHB" --source-uri github.com/loosebazooka/aa-test --source-branch main \
    --build-type https://actions.github.io/buildtypes/workflow/v1 --output json
expect_rc 0 "vouch verifies the conformance DSSE bundle and its SLSA predicate"
expect_eq "$(jq -r .statement.predicate.buildDefinition.resolvedDependencies[0].digest.gitCommit "$T/out")" \
    ebff8dfbd609b7b22237c7719ce07f2dc7934f5f "conformance: verified source commit"
va --builder-id "$GHB@refs/heads/main"
expect_rc 0 "conformance: exact builder id"
va --builder-id https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml
expect_rc 1 "conformance: another builder is rejected"
expect_match "$ERR" "^vouch: builder id '$GHB@refs/heads/main' is not " "conformance: builder reason"
va --source-uri github.com/loosebazooka/other
expect_rc 1 "conformance: another repository is rejected"
va --source-tag v1.0.0
expect_rc 1 "conformance: a branch build is not a tag build"
run "$VOUCH" verify-attestation --key cosign.pub --type slsaprovenance1 --blob "$CONF/a.txt" \
    --bundle "$CONF/happy-path-intoto-in-dsse-v3/bundle.sigstore.json"
expect_rc 1 "conformance: another key is rejected"
run "$VOUCH" verify-attestation "${KL[@]}" --type slsaprovenance1 --blob app.bin \
    --bundle "$CONF/happy-path-intoto-in-dsse-v3/bundle.sigstore.json"
expect_rc 1 "conformance: another artifact is rejected"
jq -c '.dsseEnvelope.payload |= (@base64d | sub("aa-test"; "bb-test") | @base64)' \
    "$CONF/happy-path-intoto-in-dsse-v3/bundle.sigstore.json" >conf-bad.json
run "$VOUCH" verify-attestation "${KL[@]}" --type slsaprovenance1 --blob "$CONF/a.txt" --bundle conf-bad.json
expect_rc 1 "conformance: tampered payload is rejected"
# its Fulcio leaf as a bare key proves nothing about who signed: refused
run "$VOUCH" verify-attestation --key "$CERT" --type slsaprovenance1 --blob "$CONF/a.txt" \
    --bundle "$CONF/happy-path-intoto-in-dsse-v3/bundle.sigstore.json"
expect_rc 2 "conformance: the Fulcio leaf as --key without a chain or trusted root is refused"
expect_eq "$ERR" "vouch: key '$CERT' is a certificate: give --certificate-chain or --trusted-root to check it" \
    "conformance: certificate as key: reason"
finish
