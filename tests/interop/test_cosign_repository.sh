# COSIGN_REPOSITORY as cosign: signatures and attestations of an image are written to and
# read from that repository (sha256-<hex>.sig / .att tags there), never the image's own,
# for sign, verify, attest, verify-attestation, tree, triangulate and admit --registry;
# against the real Distribution registry.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT
export VOUCH_PASSWORD=test-pass
IMG=ffe6487ee12e4a4065e29c7385a50f30d709bc15ca78bf8060e9c249a57a81db
code() { curl -s -o /dev/null -w '%{http_code}' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REG/v2/$1/manifests/$2"; }

registry_start plain || { bad "start registry"; finish; exit 1; }
registry_peer_layout unsigned "$T/unsigned"
run "$VOUCH" copy "oci-dir:$T/unsigned:v1" "$REG/app:v1"
expect_rc 0 "push the image"
run "$VOUCH" generate-key-pair --output-key-prefix "$T/k"

COSIGN_REPOSITORY=$REG/sigs/store run "$VOUCH" sign --key "$T/k.key" "$REG/app:v1"
expect_rc 0 "sign with COSIGN_REPOSITORY"
expect_eq "$ERR" "Pushing signature to: $REG/sigs/store:sha256-$IMG.sig" "sign names the other repository"
expect_eq "$(code sigs/store "sha256-$IMG.sig")" 200 "the .sig tag is in COSIGN_REPOSITORY"
expect_eq "$(code app "sha256-$IMG.sig")" 404 "the image's repository has no .sig tag"

COSIGN_REPOSITORY=$REG/sigs/store run "$VOUCH" verify --key "$T/k.pub" "$REG/app:v1"
expect_rc 0 "verify with COSIGN_REPOSITORY"
expect_match "$OUT" "\"docker-reference\":\"$REG/app\"" "the payload names the image's repository"
run "$VOUCH" verify --key "$T/k.pub" "$REG/app:v1"
expect_rc 1 "verify without COSIGN_REPOSITORY finds none"
expect_match "$ERR" "no signatures found" "no signatures message"

COSIGN_REPOSITORY=$REG/sigs/store run "$VOUCH" triangulate "$REG/app:v1"
expect_eq "$OUT" "$REG/sigs/store:sha256-$IMG.sig" "triangulate names the signature repository"
COSIGN_REPOSITORY=$REG/sigs/store run "$VOUCH" tree "$REG/app:v1"
expect_match "$OUT" "Signatures for an image tag: $REG/sigs/store:sha256-$IMG.sig" "tree lists the .sig there"

printf '{"scanner":"none"}' >"$T/pred.json"
COSIGN_REPOSITORY=$REG/sigs/store run "$VOUCH" attest --key "$T/k.key" --predicate "$T/pred.json" "$REG/app:v1"
expect_rc 0 "attest with COSIGN_REPOSITORY"
expect_eq "$(code sigs/store "sha256-$IMG.att")" 200 "the .att tag is in COSIGN_REPOSITORY"
expect_eq "$(code app "sha256-$IMG.att")" 404 "the image's repository has no .att tag"
COSIGN_REPOSITORY=$REG/sigs/store run "$VOUCH" verify-attestation --key "$T/k.pub" --type custom "$REG/app:v1"
expect_rc 0 "verify-attestation with COSIGN_REPOSITORY"
run "$VOUCH" verify-attestation --key "$T/k.pub" --type custom "$REG/app:v1"
expect_rc 1 "verify-attestation without COSIGN_REPOSITORY finds none"

printf 'apiVersion: vouch.dev/policy/v1\nrules:\n  - name: app\n    images: ["%s/**"]\n    signatures: {keys: [%s]}\n' \
    "$REG" "$T/k.pub" >"$T/policy.yaml"
COSIGN_REPOSITORY=$REG/sigs/store run "$VOUCH" admit --registry --policy "$T/policy.yaml" "$REG/app:v1"
expect_rc 0 "admit --registry reads signatures from COSIGN_REPOSITORY"
run "$VOUCH" admit --registry --policy "$T/policy.yaml" "$REG/app:v1"
expect_rc 1 "admit --registry without COSIGN_REPOSITORY denies"

COSIGN_REPOSITORY="$REG/sigs@sha256:$IMG" run "$VOUCH" verify --key "$T/k.pub" "$REG/app:v1"
expect_rc 2 "COSIGN_REPOSITORY with a digest"
expect_eq "$ERR" "vouch: invalid COSIGN_REPOSITORY '$REG/sigs@sha256:$IMG': give a repository, without tag or digest" \
    "bad COSIGN_REPOSITORY message"
COSIGN_REPOSITORY="$REG/sigs:v2" run "$VOUCH" verify --key "$T/k.pub" "$REG/app:v1"
expect_rc 2 "COSIGN_REPOSITORY with a tag"
expect_eq "$ERR" "vouch: invalid COSIGN_REPOSITORY '$REG/sigs:v2': give a repository, without tag or digest" \
    "a tag is refused, not ignored (the registry port is not taken for one)"
COSIGN_REPOSITORY='UPPER/Case' run "$VOUCH" verify --key "$T/k.pub" "$REG/app:v1"
expect_rc 2 "COSIGN_REPOSITORY not a valid repository"
expect_match "$ERR" "^vouch: COSIGN_REPOSITORY: " "invalid repository is named"

finish
