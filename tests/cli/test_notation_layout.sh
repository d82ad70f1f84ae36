#!/usr/bin/env bash
# vouch sign/verify --format notation, the less common shapes: the signingAuthority scheme
# (signed and verified against signingAuthority stores), OCI layouts as notation's
# --oci-layout writes them (untagged signature manifests in index.json, no referrers tag), and
# signatures that ask for a verification plugin (AWS Signer's), made here with openssl.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/notation.sh"
cd "$T" || exit 1
NV=$SHARED/vectors/notation
D=sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0
MT=application/vnd.oci.image.manifest.v1+json
NAT=application/vnd.cncf.notary.signature
fresh() { rm -rf "$1" && cp -r "$NV/internal/testdata/oci-layout" "$1" && chmod -R u+w "$1"; }
policy() { # LEVEL STORES IDENTITY
    jq -cn --arg l "$1" --argjson s "$2" --arg i "$3" '{version:"1.0", trustPolicies:[{name:"p",
        registryScopes:["*"], signatureVerification:{level:$l}, trustStores:$s,
        trustedIdentities:[$i]}]}' >"$T/tp.json"
}
b64url_decode() { local s=$1; while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done
    printf '%s' "$s" | tr '_-' '/+' | base64 -d; }

notation_ca test
notation_leaf test ec -algorithm EC -pkeyopt ec_paramgen_curve:P-256
notation_leaf test rsa -algorithm RSA -pkeyopt rsa_keygen_bits:2048
mkdir -p ts/x509/ca/test ts/x509/signingAuthority/test ts/x509/tsa/none
cp test-root.pem ts/x509/ca/test/
cp test-root.pem ts/x509/signingAuthority/test/

# --- notary.x509.signingAuthority: authenticSigningTime signed, verified against the
# signingAuthority store (not ca), no countersignature asked for
for env in jws cose; do
    fresh "sa-$env"
    run "$VOUCH" sign --format notation --envelope $env --signing-scheme notary.x509.signingAuthority \
        --key ec.key --certificate ec-chain.pem "oci-dir:sa-$env@$D"
    expect_rc 0 "$env: sign with the signingAuthority scheme"
    policy strict '["signingAuthority:test","tsa:none"]' "*"
    run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts --output json \
        "oci-dir:sa-$env@$D"
    expect_rc 0 "$env: verified against the signingAuthority store"
    expect_eq "$(jq -r '.signatures[0] | [.signingScheme, .checks.authenticTimestamp.outcome,
        (.signingTime | test("^20[0-9-]+T[0-9:]+Z$"))] | join(" ")' "$T/out")" \
        "notary.x509.signingAuthority pass true" "$env: scheme and authentic signing time reported"
    policy strict '["ca:test"]' "*"
    run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts \
        "oci-dir:sa-$env@$D"
    expect_rc 1 "$env: a ca store does not vouch for a signingAuthority signature"
    expect_match "$ERR" "authenticity: the signature's certificate chain does not contain any \
trusted certificate" "$env: says the chain is not trusted"
done
sig=$(jq -r '.manifests[] | select(.annotations == null) | .digest' sa-jws/index.json)
envblob=sa-jws/blobs/sha256/$(jq -r '.layers[0].digest' "sa-jws/blobs/sha256/${sig#sha256:}" |
    sed 's/sha256://')
expect_eq "$(b64url_decode "$(jq -r .protected "$envblob")" |
    jq -c 'del(."io.cncf.notary.authenticSigningTime")')" \
    '{"alg":"ES256","crit":["io.cncf.notary.signingScheme","io.cncf.notary.authenticSigningTime"],"cty":"application/vnd.cncf.notary.payload.v1+json","io.cncf.notary.signingScheme":"notary.x509.signingAuthority"}' \
    "signingAuthority protected header as notation-core-go writes it"
expect_eq "$(b64url_decode "$(jq -r .protected "$envblob")" | jq -r 'keys_unsorted[3]')" \
    "io.cncf.notary.authenticSigningTime" "authenticSigningTime sorted among the members"
fresh x509
"$VOUCH" sign --format notation --key ec.key --certificate ec-chain.pem "oci-dir:x509@$D" 2>/dev/null
policy strict '["signingAuthority:test"]' "*"
run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "oci-dir:x509@$D"
expect_rc 1 "a notary.x509 signature is not checked against signingAuthority stores"
run "$VOUCH" sign --format notation --signing-scheme notary.x509.other --key ec.key \
    --certificate ec-chain.pem "oci-dir:x509@$D"
expect_rc 2 "unknown --signing-scheme"
expect_match "$ERR" "^vouch: --signing-scheme must be notary.x509 or notary.x509.signingAuthority" \
    "says which schemes there are"

# --- a layout as notation --oci-layout leaves it: the signature manifest listed untagged in
# index.json (with its artifactType), no sha256-<hex> referrers tag
fresh nl
"$VOUCH" sign --format notation --key ec.key --certificate ec-chain.pem "oci-dir:nl@$D" 2>/dev/null
sig=$(jq -r --arg nat $NAT '.manifests[] | select(.annotations == null) | .digest' nl/index.json)
jq --arg nat $NAT '.manifests |= map(select(.mediaType != "application/vnd.oci.image.index.v1+json")
    | if .annotations == null then . + {artifactType:$nat} else . end)' nl/index.json >i.json
cp i.json nl/index.json
expect_eq "$(jq -r '[.manifests[] | .annotations."org.opencontainers.image.ref.name" // "-"] |
    join(",")' nl/index.json)" "v2,-" "layout: the image tagged, the signature untagged, no tag index"
policy strict '["ca:test"]' "*"
run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts --output json \
    "oci-dir:nl:v2"
expect_rc 0 "notation-written layout: the untagged signature is found through index.json"
expect_eq "$(jq -r '.signatures[0].digest' "$T/out")" "$sig" "the signature listed in index.json"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "oci-dir:nl:v2"
expect_rc 0 "and detected as Notation without --format"
# a manifest listed there whose subject is another image is no referrer of this one
jq --arg s "sha256:$(printf other | sha256sum | cut -d' ' -f1)" '.subject.digest = $s' \
    "nl/blobs/sha256/${sig#sha256:}" >other.json
od=$(sha256sum other.json | cut -d' ' -f1)
cp other.json "nl/blobs/sha256/$od"
jq --arg d "sha256:$od" --argjson n "$(stat -c %s other.json)" \
    '.manifests |= map(if .annotations == null then .digest = $d | .size = $n else . end)' \
    nl/index.json >i.json
cp i.json nl/index.json
run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "oci-dir:nl:v2"
expect_rc 1 "a listed manifest naming another subject is not a signature of this image"
expect_match "$ERR" "no Notation signature found" "says none was found"

# --- a signature asking for a verification plugin (as AWS Signer's do): vouch runs no plugin,
# so authenticity fails naming it (strict refuses, audit logs), revocation is unknown
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
plugin=com.amazonaws.signer.notation.plugin
hdr=$(jq -cn --arg t "$now" --arg pl $plugin '{alg:"PS256", crit:["io.cncf.notary.signingScheme",
    "io.cncf.notary.verificationPlugin"], cty:"application/vnd.cncf.notary.payload.v1+json",
    "io.cncf.notary.signingScheme":"notary.x509", "io.cncf.notary.signingTime":$t,
    "io.cncf.notary.verificationPlugin":$pl}')
pay=$(jq -cn --arg d $D --arg mt $MT '{targetArtifact:{digest:$d, mediaType:$mt, size:481}}')
notation_jws rsa.key rsa-chain.pem "$hdr" "$pay" >plugin.json
hdr0=$(jq -c 'del(."io.cncf.notary.verificationPlugin") | .crit = ["io.cncf.notary.signingScheme"]' \
    <<<"$hdr")
notation_jws rsa.key rsa-chain.pem "$hdr0" "$pay" >noplugin.json
attach_env() { # LAYOUT ENVELOPE: the envelope as the layout's one untagged signature
    local e m
    e=$(sha256sum "$2" | cut -d' ' -f1)
    cp "$2" "$1/blobs/sha256/$e"
    printf '{}' >"$1/blobs/sha256/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    jq -cn --arg e "sha256:$e" --argjson n "$(stat -c %s "$2")" --arg mt $MT --arg d $D \
        --arg nat $NAT '{schemaVersion:2, mediaType:$mt, artifactType:$nat, config:{mediaType:
        "application/vnd.oci.empty.v1+json", digest:"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        size:2}, layers:[{mediaType:"application/jose+json", digest:$e, size:$n}],
        subject:{mediaType:$mt, digest:$d, size:481}}' >m.json
    m=$(sha256sum m.json | cut -d' ' -f1)
    cp m.json "$1/blobs/sha256/$m"
    jq --arg m "sha256:$m" --argjson n "$(stat -c %s m.json)" --arg mt $MT --arg nat $NAT \
        '.manifests += [{mediaType:$mt, digest:$m, size:$n, artifactType:$nat}]' \
        "$1/index.json" >i.json
    cp i.json "$1/index.json"
}
fresh np
attach_env np noplugin.json
policy strict '["ca:test"]' "*"
run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "oci-dir:np:v2"
expect_rc 0 "the openssl-made envelope without the plugin attribute verifies"
fresh pl
attach_env pl plugin.json
run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "oci-dir:pl:v2"
expect_rc 1 "strict: a signature that needs a verification plugin is refused"
expect_one_line_err "plugin signature"
expect_match "$ERR" "authenticity: signature requires verification plugin '$plugin', which vouch \
does not run" "names the plugin"
policy audit '["ca:test"]' "*"
run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts --output json \
    "oci-dir:pl:v2"
expect_rc 0 "audit: the plugin is logged, not enforced"
expect_eq "$(jq -r '.signatures[0].checks | [.authenticity.outcome, .revocation.outcome,
    .revocation.detail] | join("|")' "$T/out")" \
    "fail|unknown|revocation status from verification plugin '$plugin' is unknown: vouch does \
not run plugins" "audit: authenticity fails, revocation through the plugin is unknown"
finish
