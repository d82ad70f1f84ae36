# vouch sign / vouch verify on images (cosign legacy .sig format) against a real registry:
# recorded signatures made by upstream skopeo 1.13.3 and by hand as cosign does verify;
# what vouch signs is byte-exact cosign (payload, config) and verifies with openssl.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT

CI=$VECTORS/cosign-image
IMG=ffe6487ee12e4a4065e29c7385a50f30d709bc15ca78bf8060e9c249a57a81db
SIGTAG=sha256-$IMG.sig
export VOUCH_PASSWORD=test-pass

manifest() { # REPO TAG: the manifest bytes the registry serves
    curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        "http://$REG/v2/$1/manifests/$2"
}
blob() { curl -sf "http://$REG/v2/$1/blobs/$2"; }

registry_start plain || { bad "start registry"; finish; exit 1; }
for r in signed unsigned; do
    registry_peer_layout $r "$T/$r"
    run "$VOUCH" copy "oci-dir:$T/$r:v1" "$REG/$r:v1"
    expect_rc 0 "push recorded repository '$r'"
done

# --- recorded signatures verify
run "$VOUCH" verify --key "$CI/skopeo-sk.pub" "$REG/signed:v1"
expect_rc 0 "verify skopeo 1.13.3 signature"
expect_eq "$OUT" "[$(cat "$CI/sig-payload.json")]" "verified payload printed as cosign does"
expect_match "$ERR" "The signatures were verified against the specified public key" "checks listed"
run "$VOUCH" verify --key "$CI/handmade-openssl-cosign.pub" "$REG/signed:v1"
expect_rc 0 "verify hand-made cosign-layout signature"
run "$VOUCH" generate-key-pair --output-key-prefix "$T/k"
expect_rc 0 "generate a key pair"
run "$VOUCH" verify --key "$T/k.pub" "$REG/signed:v1"
expect_rc 1 "wrong key"
expect_one_line_err "wrong key"
expect_match "$ERR" "signature does not verify with the key" "wrong key reason"
run "$VOUCH" verify --key "$T/k.pub" "$REG/unsigned:v1"
expect_rc 1 "unsigned image"
expect_eq "$ERR" "vouch: '$REG/unsigned:v1': no signatures found" "unsigned message"

# --- vouch signs: byte-exact cosign payload and config, openssl verifies
run "$VOUCH" sign --key "$T/k.key" "$REG/unsigned:v1"
expect_rc 0 "sign"
expect_eq "$ERR" "Pushing signature to: $REG/unsigned:$SIGTAG" "sign names the .sig tag"
manifest unsigned "$SIGTAG" >"$T/sig.json"
expect_eq "$(jq '.layers | length' "$T/sig.json")" 1 "one signature layer"
expect_eq "$(jq -r '.layers[0].mediaType' "$T/sig.json")" \
    application/vnd.dev.cosign.simplesigning.v1+json "simple-signing layer"
blob unsigned "$(jq -r '.layers[0].digest' "$T/sig.json")" >"$T/payload.json"
expect_eq "$(cat "$T/payload.json")" \
    "{\"critical\":{\"identity\":{\"docker-reference\":\"$REG/unsigned\"},\"image\":{\"docker-manifest-digest\":\"sha256:$IMG\"},\"type\":\"cosign container image signature\"},\"optional\":null}" \
    "payload byte-exact (repository identity, optional null)"
PD=$(jq -r '.layers[0].digest' "$T/sig.json")
expect_eq "$(blob unsigned "$(jq -r '.config.digest' "$T/sig.json")")" \
    "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"$PD\"]},\"config\":{}}" \
    "config blob as cosign writes it"
jq -r '.layers[0].annotations["dev.cosignproject.cosign/signature"]' "$T/sig.json" |
    base64 -d >"$T/sig.der"
run openssl dgst -sha256 -verify "$T/k.pub" -signature "$T/sig.der" "$T/payload.json"
expect_eq "$OUT" "Verified OK" "openssl verifies vouch's image signature"
run "$VOUCH" verify --key "$T/k.pub" "$REG/unsigned:v1"
expect_rc 0 "verify own signature"
expect_eq "$OUT" "[$(cat "$T/payload.json")]" "own payload printed"

# same payload, same key: nothing added; annotations: sorted, Go-escaped, checked by verify
run "$VOUCH" sign --key "$T/k.key" "$REG/unsigned:v1"
expect_eq "$ERR" "Signature already present in: $REG/unsigned:$SIGTAG" "duplicate detected"
expect_eq "$(manifest unsigned "$SIGTAG" | jq '.layers | length')" 1 "no layer added"
run "$VOUCH" sign --key "$T/k.key" -a z=1 -a 'a=<&>' "$REG/unsigned:v1"
expect_rc 0 "sign with annotations"
manifest unsigned "$SIGTAG" >"$T/sig2.json"
expect_eq "$(jq '.layers | length' "$T/sig2.json")" 2 "second layer appended"
expect_match "$(blob unsigned "$(jq -r '.layers[1].digest' "$T/sig2.json")")" \
    '"optional":\{"a":"\\u003c\\u0026\\u003e","z":"1"\}\}$' "annotations sorted and escaped as Go"
run "$VOUCH" verify --key "$T/k.pub" -a z=1 "$REG/unsigned:v1"
expect_rc 0 "verify with a required annotation"
expect_eq "$(printf '%s' "$OUT" | jq length)" 1 "only the annotated signature counts"
run "$VOUCH" verify --key "$T/k.pub" -a z=2 "$REG/unsigned:v1"
expect_rc 1 "annotation mismatch"

# a tampered signature annotation is refused
jq -c '.layers[0].annotations["dev.cosignproject.cosign/signature"] |= (.[0:10] + (if .[10:11] == "A" then "B" else "A" end) + .[11:])' \
    "$T/sig.json" >"$T/tampered.json"
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary @"$T/tampered.json" "http://$REG/v2/unsigned/manifests/$SIGTAG" >/dev/null ||
    bad "push tampered .sig"
run "$VOUCH" verify --key "$T/k.pub" "$REG/unsigned:v1"
expect_rc 1 "tampered signature"
expect_one_line_err "tampered signature"

# --- layouts sign and verify too (identity: the layout name without its tag)
cp -r "$T/unsigned" "$T/layout"
run "$VOUCH" sign --key "$T/k.key" "oci-dir:$T/layout:v1"
expect_rc 0 "sign a layout"
run "$VOUCH" verify --key "$T/k.pub" "oci-dir:$T/layout:v1"
expect_rc 0 "verify a layout"
expect_match "$OUT" "\"docker-reference\":\"oci-dir:$T/layout\"" "layout identity"
run "$VOUCH" verify --key "$T/k.pub" "oci-dir:$T/layout@sha256:$IMG"
expect_rc 0 "verify a layout by digest"

# --sign-container-identity: one payload and signature per identity, as cosign
cp -r "$T/unsigned" "$T/ids"
run "$VOUCH" sign --key "$T/k.key" --sign-container-identity "$REG/unsigned:v1,example.com/x" \
    "oci-dir:$T/ids:v1"
expect_rc 0 "sign with two container identities"
run "$VOUCH" verify --key "$T/k.pub" "oci-dir:$T/ids:v1"
expect_eq "$(printf '%s' "$OUT" | jq -r '.[].critical.identity["docker-reference"]' | tr '\n' ' ')" \
    "$REG/unsigned:v1 example.com/x " "both identities signed, in order"
run "$VOUCH" sign --key "$T/k.key" --sign-container-identity "a,,b" "oci-dir:$T/ids:v1"
expect_rc 2 "empty identity refused"
expect_eq "$ERR" "vouch: empty identity in 'a,,b'" "empty identity message"
run "$VOUCH" verify --key "$T/k.pub" "oci-dir:$T/ids:v1"
expect_eq "$(printf '%s' "$OUT" | jq length)" 2 "nothing signed before the bad identity"

# --- bad input
VOUCH_PASSWORD=wrong run "$VOUCH" sign --key "$T/k.key" "$REG/unsigned:v1"
expect_rc 2 "wrong key password"
expect_one_line_err "wrong key password"
run "$VOUCH" sign --key "$T/k.key" "$REG/unsigned:nope"
expect_rc 2 "sign an unknown tag"
run "$VOUCH" sign --key "$T/k.key" -a novalue "$REG/unsigned:v1"
expect_rc 2 "malformed annotation"
run "$VOUCH" verify "$REG/unsigned:v1"
expect_rc 2 "verify without --key"
DOWN=127.0.0.1:$(registry_free_port)
run "$VOUCH" verify --key "$T/k.pub" "$DOWN/x:v1"
expect_rc 3 "verify with the registry down"
expect_one_line_err "registry down"

finish
