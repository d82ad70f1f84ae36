#!/usr/bin/env bash
# vouch sbom --attest: the SBOM of an image in a real Distribution registry (built by umoci,
# pushed by skopeo, holding a distroless dpkg database) is attached in the same run as a
# signed in-toto attestation that vouch verify-attestation verifies; wrong password, dir:
# sources and archives fail before anything is pushed; oci-dir: layouts work too.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
PKGS='["base-files","netbase","tzdata"]'
(umoci init --layout lay && umoci new --image lay:v1 && umoci unpack --rootless --image lay:v1 b &&
    cp -r "$VOUCH_SRC/testvectors/sbom/dpkg-distroless/static-debian11/." b/rootfs/ &&
    umoci repack --image lay:v1 b) >umoci.log 2>&1 || { bad "umoci layout"; finish; exit 1; }
run "$VOUCH" generate-key-pair
expect_rc 0 "key pair"

# --- oci-dir: layout, no registry
run "$VOUCH" sbom oci-dir:lay:v1 --attest --key cosign.key -o "cyclonedx-json=$T/lay.json"
expect_rc 0 "sbom --attest into an oci-dir layout"
expect_eq "$(jq -c '[.components[] | select(.type=="library") | .name] | sort' lay.json)" "$PKGS" \
    "-o output written in the same run"
run "$VOUCH" verify-attestation --key cosign.pub --type cyclonedx oci-dir:lay:v1 --output json
expect_rc 0 "layout attestation verifies"
expect_eq "$(jq -c '[.predicate.components[] | select(.type=="library") | .name] | sort' "$T/out")" \
    "$PKGS" "layout predicate lists the 3 packages"

# --- registry
registry_start plain || { bad "start registry"; finish; exit 1; }
run skopeo copy --dest-tls-verify=false oci:lay:v1 "docker://$REG/app:v1"
expect_rc 0 "skopeo pushes the image"
DIG=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")

run env VOUCH_PASSWORD=nope "$VOUCH" sbom "registry:$REG/app:v1" --attest --key cosign.key -o "spdx-json=$T/no.json"
expect_rc 2 "wrong password"
expect_one_line_err "wrong password is one line"
expect_absent "$T/no.json" "no output file after a wrong password"
run "$VOUCH" tree "$REG/app:v1"
expect_match "$OUT" 'No Supply Chain Security Related Artifacts found' "nothing attached after a wrong password"

run "$VOUCH" sbom "registry:$REG/app:v1" --attest --key cosign.key -q
expect_rc 0 "sbom --attest to the registry"
expect_match "$OUT" 'base-files' "table on stdout in the same run"
run "$VOUCH" verify-attestation --key cosign.pub --type cyclonedx "$REG/app:v1" --output json
expect_rc 0 "cyclonedx attestation verifies"
expect_eq "$(jq -c '[.predicate.components[] | select(.type=="library") | .name] | sort' "$T/out")" \
    "$PKGS" "cyclonedx predicate lists the 3 packages"
expect_eq "$(jq -c '[.predicateType, .subject]' "$T/out")" \
    '["https://cyclonedx.org/bom",[{"name":"'"$REG"'/app","digest":{"sha256":"'"${DIG#sha256:}"'"}}]]' \
    "statement type and subject as cosign's"

run "$VOUCH" sbom "$REG/app:v1" --attest --key cosign.key --attest-format spdx-json -o "spdx-json=$T/s.json"
expect_rc 0 "spdx attestation of a bare image reference"
run "$VOUCH" verify-attestation --key cosign.pub --type spdxjson "$REG/app:v1" --output json
expect_rc 0 "spdx attestation verifies"
expect_eq "$(jq -c '[.predicate.packages[]? | .name] | map(select(.=="base-files" or .=="netbase" or .=="tzdata")) | sort' "$T/out")" \
    "$PKGS" "spdx predicate lists the 3 packages"
expect_eq "$(jq -r .predicateType "$T/out")" "https://spdx.dev/Document" "spdx predicate type"
run skopeo inspect --raw --tls-verify=false "docker://$REG/app:sha256-${DIG#sha256:}.att"
expect_eq "$(jq -c '[.layers[].annotations.predicateType]' "$T/out")" \
    '["https://cyclonedx.org/bom","https://spdx.dev/Document"]' "two layers on the .att image"
run "$VOUCH" sbom "$REG/app:v1" --attest --key cosign.key --replace -q
expect_rc 0 "--replace"
run skopeo inspect --raw --tls-verify=false "docker://$REG/app:sha256-${DIG#sha256:}.att"
expect_eq "$(jq -c '[.layers[].annotations.predicateType]' "$T/out")" \
    '["https://spdx.dev/Document","https://cyclonedx.org/bom"]' "--replace swapped the cyclonedx layer"

# --- usage errors
mkdir -p d
run "$VOUCH" sbom dir:d --attest --key cosign.key
expect_rc 2 "dir: with --attest"
expect_match "$ERR" "no image to attach" "dir: reason"
expect_eq "$(head -1 "$T/err")" "vouch: --attest needs an image source: 'dir:d' is a directory, which has no image to attach an attestation to" "dir: error names the reason"
run "$VOUCH" sbom "$T/d" --attest --key cosign.key
expect_rc 2 "a bare directory with --attest"
skopeo copy -q oci:lay:v1 oci-archive:a.tar >/dev/null 2>&1 || bad "skopeo oci-archive"
run "$VOUCH" sbom oci-archive:a.tar --attest --key cosign.key
expect_rc 2 "oci-archive: with --attest"
expect_match "$ERR" "cannot write into the archive" "oci-archive: reason"
run "$VOUCH" sbom oci-dir:lay:v1 --attest
expect_rc 2 "--attest without --key"
run "$VOUCH" sbom oci-dir:lay:v1 --attest --key cosign.key --attest-format table
expect_rc 2 "table is no attestation format"
run "$VOUCH" sbom oci-dir:lay:v1 --key cosign.key
expect_rc 2 "--key without --attest"
finish
