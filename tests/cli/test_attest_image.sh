#!/usr/bin/env bash
# vouch attest / verify-attestation on images in OCI layouts: the cosign `.att` image
# (DSSE layers, predicateType annotations, config diff_ids), --replace, and rejections:
# other predicate types, wrong key, another image's attestation, a tampered layer.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
(umoci init --layout lay && umoci new --image lay:v1 && umoci unpack --rootless --image lay:v1 b1 &&
    echo one >b1/rootfs/f && umoci repack --image lay:v1 b1 && umoci new --image lay:v2 &&
    umoci unpack --rootless --image lay:v2 b2 && echo two >b2/rootfs/f &&
    umoci repack --image lay:v2 b2) >umoci.log 2>&1 || { bad "umoci layout"; cat umoci.log; finish; exit 1; }
D1=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]=="v1") | .digest' lay/index.json)
D2=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]=="v2") | .digest' lay/index.json)
ATT=sha256-${D1#sha256:}.att
att_manifest() { # the .att manifest of tag $1
    local d
    d=$(jq -r --arg t "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]==$t) | .digest' lay/index.json)
    cat "lay/blobs/sha256/${d#sha256:}"
}
run "$VOUCH" generate-key-pair
run "$VOUCH" generate-key-pair --output-key-prefix other
run env -i PATH="$PATH" "$VOUCH" provenance --subject umoci.log --builder-id https://example.com/b \
    --build-type https://example.com/t --material "git+https://github.com/o/r@refs/heads/main@gitCommit:c27d339ee6075c1f744c5d4b200f7901aad2c369"
jq .predicate "$T/out" >prov.json
printf 'a note' >note.txt

run "$VOUCH" attest --key cosign.key --predicate prov.json --type slsaprovenance1 oci-dir:lay:v1
expect_rc 0 "attest provenance to an image"
expect_eq "$(att_manifest "$ATT" | jq -c '[.mediaType, .config.mediaType, (.layers[] | [.mediaType, .annotations])]')" \
    '["application/vnd.oci.image.manifest.v1+json","application/vnd.oci.image.config.v1+json",["application/vnd.dsse.envelope.v1+json",{"dev.cosignproject.cosign/signature":"","predicateType":"https://slsa.dev/provenance/v1"}]]' \
    ".att manifest as cosign writes it"
L1=$(att_manifest "$ATT" | jq -r '.layers[0].digest')
expect_eq "$(jq -r .payloadType "lay/blobs/sha256/${L1#sha256:}")" application/vnd.in-toto+json "layer is a DSSE envelope"
expect_eq "$(jq -r .payload "lay/blobs/sha256/${L1#sha256:}" | base64 -d | jq -c .subject)" \
    '[{"name":"oci-dir:lay","digest":{"sha256":"'"${D1#sha256:}"'"}}]' "subject is the image digest"
CFG=$(att_manifest "$ATT" | jq -r .config.digest)
expect_eq "$(jq -c .rootfs.diff_ids "lay/blobs/sha256/${CFG#sha256:}")" "[\"$L1\"]" "config diff_ids"

run "$VOUCH" attest --key cosign.key --predicate note.txt oci-dir:lay:v1
expect_rc 0 "attest a custom predicate too"
expect_eq "$(att_manifest "$ATT" | jq '.layers | length')" 2 "appended: two layers"
run "$VOUCH" attest --key cosign.key --predicate note.txt --replace oci-dir:lay:v1
expect_rc 0 "attest --replace"
expect_eq "$(att_manifest "$ATT" | jq -c '[.layers[].annotations.predicateType]')" \
    '["https://slsa.dev/provenance/v1","https://cosign.sigstore.dev/attestation/v1"]' "--replace keeps one per type"

va() { run "$VOUCH" verify-attestation "$@"; }
va --key cosign.pub --type slsaprovenance1 --builder-id https://example.com/b --source-uri github.com/o/r \
    --source-branch main oci-dir:lay:v1
expect_rc 0 "verify-attestation on the image"
expect_eq "$ERR" "Verified OK (1 of 2 attestations)" "counts verified attestations"
va --key cosign.pub --type custom --output json "oci-dir:lay@$D1"
expect_rc 0 "by digest, --output json"
expect_eq "$(jq -r .predicate.Data "$T/out")" "a note" "verified statement printed"
va --key cosign.pub --type spdxjson oci-dir:lay:v1
expect_rc 1 "another predicate type present does not pass (CVE-2022-35929)"
expect_match "$ERR" "^vouch: none of 2 attestations verified: predicateType '.*' is not 'https://spdx.dev/Document'$" "type reason"
va --key other.pub --type slsaprovenance1 oci-dir:lay:v1
expect_rc 1 "wrong key"
expect_match "$ERR" "signature verification failed" "wrong key reason"
va --key cosign.pub --type slsaprovenance1 --builder-id https://example.com/other oci-dir:lay:v1
expect_rc 1 "wrong builder id"
va --key cosign.pub --type slsaprovenance1 oci-dir:lay:v2
expect_rc 1 "image without attestations"
expect_eq "$ERR" "vouch: no attestations found for 'oci-dir:lay:v2'" "no attestations reason"
# v1's attestations under v2's tag: the subject does not match v2
jq --arg t "sha256-${D2#sha256:}.att" --arg a "$ATT" '.manifests += [.manifests[] |
    select(.annotations["org.opencontainers.image.ref.name"]==$a) |
    .annotations["org.opencontainers.image.ref.name"] = $t]' lay/index.json >idx && mv idx lay/index.json
va --key cosign.pub --type slsaprovenance1 oci-dir:lay:v2
expect_rc 1 "another image's attestation"
expect_match "$ERR" "no subject has digest ${D2}" "subject reason"
chmod u+w "lay/blobs/sha256/${L1#sha256:}"
jq -c '.payload |= (@base64d | sub("example.com"; "evil.example") | @base64)' "lay/blobs/sha256/${L1#sha256:}" >t &&
    cat t >"lay/blobs/sha256/${L1#sha256:}"
va --key cosign.pub --type slsaprovenance1 oci-dir:lay:v1
expect_rc 1 "tampered attestation layer"
va --key cosign.pub --type slsaprovenance1 --blob note.txt oci-dir:lay:v1
expect_rc 2 "--blob and IMAGE together"
run "$VOUCH" attest --key cosign.key --predicate note.txt oci-dir:nothere:v1
expect_rc 2 "attest to a missing layout"
# provenance with image subjects (manifest digests) next to a file subject
run env -i PATH="$PATH" "$VOUCH" provenance --subject oci-dir:lay:v1 --subject "oci-dir:lay@$D2" \
    --subject umoci.log --builder-id https://example.com/b --build-type https://example.com/t
expect_rc 0 "provenance for two images and a file"
expect_eq "$(jq -c '[.subject[] | [.name, .digest.sha256]] | .[0:2]' "$T/out")" \
    "[[\"oci-dir:lay\",\"${D1#sha256:}\"],[\"oci-dir:lay\",\"${D2#sha256:}\"]]" "image subjects"
expect_eq "$(jq -r '.subject[2].name' "$T/out")" umoci.log "file subject kept"
run env -i PATH="$PATH" "$VOUCH" provenance --subject oci-dir:lay:nope --builder-id https://e.com/b \
    --build-type https://e.com/t
expect_rc 2 "provenance for a missing image tag"
finish
