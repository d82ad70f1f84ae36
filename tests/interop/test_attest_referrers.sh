#!/usr/bin/env bash
# Attestations attached as OCI referrers (sigstore bundles with a dsseEnvelope): the
# manifests @sigstore/cli `attach` pushed (testvectors/sigstore-js/oci-attach-*.json, its
# DSSE bundle about artifact.txt, attached to the recorded image) are found through the
# referrers tag and verified with the sigstore-js key — and rejected, because their subject
# is a file, not the image; a vouch-signed bundle about the image attached the same way passes.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
IMG=sha256:ffe6487ee12e4a4065e29c7385a50f30d709bc15ca78bf8060e9c249a57a81db
PEER=$VECTORS/cosign-image/registry/unsigned
SJS=$VECTORS/sigstore-js
BMT=application/vnd.dev.sigstore.bundle.v0.3+json

put() { # FILE: store as a blob, print its digest
    local d
    d=sha256:$(sha256sum "$1" | cut -c1-64)
    cp "$1" "lay/blobs/sha256/${d#sha256:}"
    echo "$d"
}
mkdir -p lay/blobs/sha256
cp "$PEER/blobs/sha256/"* lay/blobs/sha256/
chmod -R u+w lay
printf '{"imageLayoutVersion":"1.0.0"}' >lay/oci-layout
printf '{}' >empty.json
put empty.json >/dev/null
put "$SJS/dsse.bundle.json" >/dev/null
ART=$(put "$SJS/oci-attach-artifact-manifest.json")
IDX=$(put "$SJS/oci-attach-referrers-tag-index.json")
expect_eq "$(jq -r .manifests[0].digest "$SJS/oci-attach-referrers-tag-index.json")" "$ART" \
    "the recorded referrers index names the recorded artifact manifest"
index() { # entries: tag=digest=mediaType=size ...
    local e list=""
    for e in "$@"; do
        IFS='=' read -r t d m s <<<"$e"
        list="$list{\"mediaType\":\"$m\",\"digest\":\"$d\",\"size\":$s,\"annotations\":{\"org.opencontainers.image.ref.name\":\"$t\"}},"
    done
    printf '{"schemaVersion":2,"manifests":[%s]}' "${list%,}" >lay/index.json
}
V1="v1=$IMG=application/vnd.oci.image.manifest.v1+json=345"
REFTAG="sha256-${IMG#sha256:}=$IDX=application/vnd.oci.image.index.v1+json=$(wc -c <"$SJS/oci-attach-referrers-tag-index.json")"
index "$V1" "$REFTAG"

va() { run "$VOUCH" verify-attestation "$@"; }
va --key "$SJS/key.pub" --type https://example.com/test/v1 oci-dir:lay:v1
expect_rc 1 "sigstore-js's referrer bundle: signature ok, subject is not the image"
expect_eq "$ERR" "vouch: none of 1 attestations verified: no subject has digest $IMG" "subject reason"
run "$VOUCH" generate-key-pair
va --key cosign.pub --type https://example.com/test/v1 oci-dir:lay:v1
expect_rc 1 "sigstore-js's referrer bundle with another key"
expect_match "$ERR" "signature verification failed" "key reason"

# a vouch-signed DSSE bundle about the image, attached as sigstore-js attaches
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem 2>/dev/null
openssl pkey -in k.pem -pubout -out k.pub
printf '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"127.0.0.1:5000/unsigned","digest":{"sha256":"%s"}}],"predicateType":"https://example.com/test/v1","predicate":{"ok":true}}' \
    "${IMG#sha256:}" >stmt.json
"$VOUCH_DSSE_TOOL" sign k.pem application/vnd.in-toto+json stmt.json env.json bundle.json
B=$(put bundle.json)
jq -c --arg d "$B" --argjson n "$(wc -c <bundle.json)" '.layers[0].digest = $d | .layers[0].size = $n |
    del(.annotations)' "$SJS/oci-attach-artifact-manifest.json" >art2.json
ART2=$(put art2.json)
jq -c --arg d "$ART2" --argjson n "$(wc -c <art2.json)" '.manifests += [{mediaType: .manifests[0].mediaType,
    digest: $d, size: $n, artifactType: .manifests[0].artifactType}]' \
    "$SJS/oci-attach-referrers-tag-index.json" >idx2.json
IDX2=$(put idx2.json)
index "$V1" "sha256-${IMG#sha256:}=$IDX2=application/vnd.oci.image.index.v1+json=$(wc -c <idx2.json)"
va --key k.pub --type https://example.com/test/v1 --output json oci-dir:lay:v1
expect_rc 0 "vouch's referrer bundle about the image verifies"
expect_eq "$(jq -c .predicate "$T/out")" '{"ok":true}' "verified statement printed"
va --key k.pub --type https://example.com/test/v1 oci-dir:lay:v1
expect_eq "$ERR" "Verified OK (1 of 2 attestations)" "both referrers read, one passes"
jq -c '.dsseEnvelope.payload |= (@base64d | sub("true"; "false") | @base64)' bundle.json >lay/blobs/sha256/"${B#sha256:}"
va --key k.pub --type https://example.com/test/v1 oci-dir:lay:v1
expect_rc 1 "tampered referrer bundle"
finish
