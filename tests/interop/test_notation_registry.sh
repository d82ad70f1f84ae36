# vouch sign/verify --format notation against a real registry without the referrers API
# (Debian's docker-registry): JWS and COSE signature manifests pushed by digest and listed in
# the sha256-<hex> referrers tag, verified by vouch with a test CA made by openssl; the
# statement chosen by the registry repository; a signature listed for another image, and an
# envelope blob changed in the registry's storage, are refused.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
. "$VOUCH_SRC/tests/support/notation.sh"
trap registry_stop EXIT
NAT=application/vnd.cncf.notary.signature
MT=application/vnd.oci.image.manifest.v1+json
IT=application/vnd.oci.image.index.v1+json
get() { curl -sf -H "Accept: $MT, $IT" "http://$REG/v2/$1/manifests/$2"; }

registry_start plain || { bad "start registry"; finish; exit 1; }
cd "$T" || exit 1
(umoci init --layout lay && umoci new --image lay:v1 && umoci new --image lay:v2 &&
    umoci config --image lay:v2 --author other) >umoci.log 2>&1 || { bad "umoci"; finish; exit 1; }
for v in v1 v2; do
    run skopeo copy --dest-tls-verify=false "oci:lay:$v" "docker://$REG/app:$v"
    expect_rc 0 "skopeo pushes $v"
done
DIG=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")
DIG2=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v2")

notation_ca test
notation_ca other
notation_leaf test signer -algorithm EC -pkeyopt ec_paramgen_curve:P-384
mkdir -p ts/x509/ca/test ts/x509/ca/other
cp test-root.pem ts/x509/ca/test/
cp other-root.pem ts/x509/ca/other/
policy() { # STORE SCOPE
    jq -cn --arg s "$1" --arg r "$2" '{version:"1.0", trustPolicies:[{name:"app",
        registryScopes:[$r], signatureVerification:{level:"strict"}, trustStores:[$s],
        trustedIdentities:["x509.subject:C=US,ST=WA,O=Vouch Test,CN=signer"]}]}' >tp.json
}

# --- sign twice (JWS, COSE): two referrers in the tag index
run "$VOUCH" sign --format notation --key signer.key --certificate signer-chain.pem "$REG/app:v1"
expect_rc 0 "sign JWS"
expect_match "$ERR" "Pushed Notation signature $REG/app@sha256:" "names the signature"
run "$VOUCH" sign --format notation --envelope cose --key signer.key \
    --certificate signer-chain.pem "$REG/app:v1"
expect_rc 0 "sign COSE"
get app "sha256-${DIG#sha256:}" >idx.json
expect_eq "$(jq -r '[.manifests[] | .artifactType] | join(",")' idx.json)" "$NAT,$NAT" \
    "referrers tag lists both signatures"
for i in 0 1; do
    get app "$(jq -r ".manifests[$i].digest" idx.json)" >sig$i.json
    expect_eq "sha256:$(sha256sum sig$i.json | cut -d' ' -f1)" \
        "$(jq -r ".manifests[$i].digest" idx.json)" "signature $i pushed by digest"
    expect_eq "$(jq -r '.subject.digest' sig$i.json)" "$DIG" "signature $i names the image"
done
expect_eq "$(jq -r '.layers[0].mediaType' sig0.json) $(jq -r '.layers[0].mediaType' sig1.json)" \
    "application/jose+json application/cose" "one JWS, one COSE layer"

# --- verify: the statement for this repository
policy ca:test "$REG/app"
run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts --output json \
    "$REG/app:v1"
expect_rc 0 "verify"
expect_eq "$(jq -r '[.scope, .policy, .verified, (.signatures | length),
    .signatures[0].subject] | join(" ")' "$T/out")" \
    "$REG/app app true 1 CN=signer,O=Vouch Test,L=Seattle,ST=WA,C=US" "JSON report"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "$REG/app@$DIG"
expect_rc 0 "verify by digest (flags select notation)"
expect_match "$OUT" "^Successfully verified signature for $REG/app@$DIG" "text report"
policy ca:test "$REG/other"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "$REG/app:v1"
expect_rc 1 "no statement for this repository"
policy ca:other "$REG/app"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "$REG/app:v1"
expect_rc 1 "another CA's trust store refused"
expect_one_line_err "wrong trust store"
policy ca:test "$REG/app"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "$REG/app:v2"
expect_rc 1 "the unsigned image refused"
expect_match "$ERR" "no Notation signature found" "unsigned: says why"

# --- admission: signatures.notation in a vouch policy (admit --registry)
ntpolicy() { # LEVEL IDENTITY
    cat >adm.yaml <<P
apiVersion: vouch.dev/policy/v1
rules:
  - name: app
    images: ["$REG/**"]
    signatures:
      notation: {trustStore: ts, trustedIdentities: ["$2"], level: $1}
P
}
ntpolicy strict "x509.subject:C=US,ST=WA,O=Vouch Test,CN=signer"
run "$VOUCH" admit --registry --allow-insecure-registry --policy adm.yaml "$REG/app:v1"
expect_rc 0 "admit: a Notation-signed image"
expect_match "$OUT" "pass  app/signatures.notation: a Notation signature verified with trust \
store '.*/ts' \(strict\)" "admit: reason"
run "$VOUCH" admit --registry --allow-insecure-registry --policy adm.yaml "$REG/app:v2"
expect_rc 1 "admit: the unsigned image denied"
expect_match "$OUT" "FAIL  app/signatures.notation: no Notation signature verified" "deny reason"
ntpolicy strict "x509.subject:C=US,ST=WA,O=Vouch Test,CN=someone else"
run "$VOUCH" admit --registry --allow-insecure-registry --policy adm.yaml "$REG/app:v1"
expect_rc 1 "admit: another identity denied"
ntpolicy audit "x509.subject:C=US,ST=WA,O=Vouch Test,CN=someone else"
run "$VOUCH" admit --registry --allow-insecure-registry --policy adm.yaml "$REG/app:v1"
expect_rc 0 "admit: audit level only logs the identity"
ntpolicy lenient "*"
run "$VOUCH" admit --registry --allow-insecure-registry --policy adm.yaml "$REG/app:v1"
expect_rc 2 "admit: a bad level rejects the policy"
ntpolicy strict "x509.subject:C=US,O=Vouch Test"
run "$VOUCH" admit --registry --allow-insecure-registry --policy adm.yaml "$REG/app:v1"
expect_rc 2 "admit: an identity without ST rejects the policy"

# --- mutated copies: v1's signatures listed for v2, then an envelope changed in storage
curl -sf -X PUT -H "Content-Type: $IT" --data-binary @idx.json \
    "http://$REG/v2/app/manifests/sha256-${DIG2#sha256:}" >/dev/null
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "$REG/app:v2"
expect_rc 1 "another image's signatures refused"
expect_match "$ERR" "signature manifest names another subject" "says why"
for i in 0 1; do
    ed=$(jq -r '.layers[0].digest' sig$i.json | sed 's/sha256://')
    f=$(find "$T"/registry-plain-*/data -path "*/blobs/sha256/${ed:0:2}/$ed/data")
    # same size, one byte changed (the registry may serve its recorded length)
    chmod u+w "$f" && printf '\x01' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null
done
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "$REG/app:v1"
expect_rc 1 "envelopes changed in the registry refused"
finish
