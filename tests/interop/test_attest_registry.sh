#!/usr/bin/env bash
# Image attestations through a real Distribution registry (docker-registry 2.8): an image
# built by umoci and pushed by skopeo gets a SLSA provenance attestation from vouch; skopeo
# reads the `.att` manifest vouch pushed, vouch verifies it back, and `vouch copy` carries it
# to an OCI layout where it still verifies.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
registry_start plain || { bad "start registry"; finish; exit 1; }
(umoci init --layout lay && umoci new --image lay:v1 && umoci unpack --rootless --image lay:v1 b &&
    echo hello >b/rootfs/hello && umoci repack --image lay:v1 b) >umoci.log 2>&1 ||
    { bad "umoci layout"; finish; exit 1; }
run skopeo copy --dest-tls-verify=false oci:lay:v1 "docker://$REG/app:v1"
expect_rc 0 "skopeo pushes the image"
DIG=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")
expect_match "$DIG" '^sha256:[0-9a-f]{64}$' "image digest from skopeo"

run "$VOUCH" generate-key-pair
run env -i PATH="$PATH" GITHUB_ACTIONS=true GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=o/app \
    GITHUB_REF=refs/tags/v1.0.0 GITHUB_SHA=c27d339ee6075c1f744c5d4b200f7901aad2c369 \
    GITHUB_WORKFLOW_REF=o/app/.github/workflows/release.yml@refs/tags/v1.0.0 GITHUB_EVENT_NAME=push \
    GITHUB_RUN_ID=9 GITHUB_RUN_ATTEMPT=1 "$VOUCH" provenance --subject umoci.log
jq .predicate "$T/out" >prov.json
run "$VOUCH" attest --key cosign.key --predicate prov.json --type slsaprovenance1 "$REG/app:v1"
expect_rc 0 "vouch attest pushes to the registry"
run skopeo inspect --raw --tls-verify=false "docker://$REG/app:sha256-${DIG#sha256:}.att"
expect_rc 0 "skopeo reads the .att manifest"
expect_eq "$(jq -c '[.layers[] | .mediaType, .annotations.predicateType]' "$T/out")" \
    '["application/vnd.dsse.envelope.v1+json","https://slsa.dev/provenance/v1"]' ".att layer as cosign's"
LAYER=$(jq -r '.layers[0].digest' "$T/out")
expect_eq "$(curl -sf "http://$REG/v2/app/blobs/$LAYER" | jq -r .payload | base64 -d | jq -c .subject)" \
    '[{"name":"'"$REG"'/app","digest":{"sha256":"'"${DIG#sha256:}"'"}}]' "subject: repository name and digest"

run "$VOUCH" verify-attestation --key cosign.pub --type slsaprovenance1 --source-uri github.com/o/app \
    --source-tag v1.0.0 --builder-id https://github.com/o/app/.github/workflows/release.yml "$REG/app:v1"
expect_rc 0 "vouch verifies the attestation from the registry"
run "$VOUCH" verify-attestation --key cosign.pub --type slsaprovenance1 --source-branch main "$REG/app@$DIG"
expect_rc 1 "a tag build is not a branch build"
run "$VOUCH" verify-attestation --key cosign.pub --type slsaprovenance1 "$REG/app:nope"
expect_rc 2 "missing tag"
run "$VOUCH" copy "$REG/app:v1" oci-dir:copied:v1
if [ "$RC" -eq 0 ]; then
    run "$VOUCH" verify-attestation --key cosign.pub --type slsaprovenance1 oci-dir:copied:v1
    expect_rc 0 "attestation copied with the image still verifies"
else
    expect_rc 0 "vouch copy to a layout"
fi
finish
